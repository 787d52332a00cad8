package flow

import (
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// summarize turns the states seen at the function's returns, and its
// unguarded parameter dereferences, into what callers need.
//
// Contracts are inferred from the returns themselves: if every return
// that may yield nil for result i also returns a non-nil error (or a
// false bool) in the last result, result i is nil-if-err (nil-if-not-ok),
// and a caller that checks the error (ok) may trust it.
func (a *analysis) summarize() *summary.Summary {
	sum := unknownSummary(a.fn)
	results := a.fn.Signature.Results()
	n := results.Len()
	last := n - 1
	lastIsErr := n >= 2 && isError(results.At(last).Type())
	lastIsBool := n >= 2 && isBool(results.At(last).Type())
	name := displayName(a.fn)
	defer func() {
		for i, t := range a.typedNils {
			sum.Results[i].TypedNil = t
		}
	}()

	for i := 0; i < n; i++ {
		if !nilable(results.At(i).Type()) || (i == last && (lastIsErr || lastIsBool)) {
			continue
		}
		allNonNil := len(a.returns) > 0
		errContract, okContract := lastIsErr, lastIsBool
		paramContract := -2 // -2: no nil return yet; -1: broken; else the parameter
		var ev *nilstate.Evidence
		var nilErrEv *nilstate.Evidence // the first nil returned with a nil error, which callers' error checks let through
		var firstNil returnSite
		through := -2               // -2: no possibly-nil return yet; -1: not a pass-through; else the parameter
		var zeroWith []bool         // other results that are zero at every nil return (zeroAt)
		var codeWith []bool         // other results that are a non-zero integer at every nil return (nonZeroAt)
		var firstErrNil *returnSite // the first nil returned with an error that may be non-nil
		var nilRets []returnSite    // the returns that are evidence of a nil result
		var nilErrRets []returnSite // those of them with a nil error
		for _, r := range a.returns {
			s := r.states[i]
			if s.Kind == nilstate.NonNil || s.Kind == nilstate.MaybeNil && !a.feasible(r.block.Instrs[len(r.block.Instrs)-1], r.ops[i]) {
				continue // non-nil on every path that reaches the return
			}
			allNonNil = false
			if j, viaCall := a.passThrough(r.ops[i], 0); j >= 0 && viaCall && (through == -2 || through == j) {
				through = j
			} else {
				through = -1
			}
			if !s.Kind.MayBeNil() || s.Ev.Origin().What == nilstate.CheckedForNil || a.judgedHere(s.Ev) {
				// A nil known only from the function's own defensive check
				// is not evidence for callers (see nilstate.CheckedForNil);
				// nor is a field's or an imported result's, which is judged
				// where it is used.
				continue
			}
			if ev == nil {
				firstNil = r
				ev = a.returnedNil(r, s, i, name, "")
			}
			nilRets = append(nilRets, r)
			// The error contract breaks only where the error is surely nil
			// (`return nil, nil`): an error from a call may be nil in
			// theory, but the author returns it as the failure.
			if lastIsErr && r.states[last].Kind == nilstate.Nil {
				errContract = false
				if nilErrEv == nil {
					nilErrEv = a.returnedNil(r, s, i, name, " with a nil error")
				}
				nilErrRets = append(nilErrRets, r)
			} else if lastIsErr && firstErrNil == nil {
				firstErrNil = &r
			}
			if lastIsBool && !isFalse(r.value(last)) && !sameCommaOk(r.value(i), r.value(last)) {
				okContract = false
			}
			if zeroWith == nil {
				zeroWith = make([]bool, n)
				for j := range zeroWith {
					zeroWith[j] = j != i
				}
			}
			if codeWith == nil {
				codeWith = make([]bool, n)
				for j := range codeWith {
					codeWith[j] = j != i && isInteger(results.At(j).Type())
				}
			}
			for j := range zeroWith {
				zeroWith[j] = zeroWith[j] && zeroAt(r, j)
				codeWith[j] = codeWith[j] && nonZeroAt(r, j)
			}
			if j := a.nilParam(r); paramContract == -2 || paramContract == j {
				paramContract = j
			} else {
				paramContract = -1
			}
		}
		switch {
		case ev != nil && paramContract >= 0:
			// Nil only for a nil argument says more than an error or a
			// bool that comes with it (uint256.FromBig returns nil, false
			// for a nil input and its bool means overflow).
			sum.Results[i] = summary.Result{Kind: summary.ResultNilIfParamNil, Param: paramContract}
		case ev != nil && errContract:
			sum.Results[i] = summary.Result{Kind: summary.ResultNilIfErr,
				Ev:      nilstate.NewEvidence(a.step(firstNil.pos, name+" returns nil with an error")),
				NilWhen: a.nilWhenAll(nilRets, i)}
		case ev != nil && okContract:
			sum.Results[i] = summary.Result{Kind: summary.ResultNilIfNotOK,
				Ev:      nilstate.NewEvidence(a.step(firstNil.pos, name+" returns nil with false")),
				NilWhen: a.nilWhenAll(nilRets, i)}
		case ev != nil && a.codeCompanion(codeWith) >= 0:
			j := a.codeCompanion(codeWith)
			with := "a non-zero result"
			if rn := results.At(j).Name(); rn != "" && rn != "_" {
				with = "a non-zero " + rn
			} else if named, ok := types.Unalias(results.At(j).Type()).(*types.Named); ok {
				with = "a non-zero " + named.Obj().Name() // an Errno
			}
			sum.Results[i] = summary.Result{Kind: summary.ResultNilIfNonZero, Param: j,
				Ev: withContract(ev, a.step(firstNil.pos, name+" returns nil with "+with))}
		case ev != nil && a.zeroCompanion(zeroWith) >= 0:
			j := a.zeroCompanion(zeroWith)
			with := "a zero result"
			if rn := results.At(j).Name(); rn != "" && rn != "_" {
				with = "a zero " + rn
			}
			sum.Results[i] = summary.Result{Kind: summary.ResultNilIfZero, Param: j,
				Ev: withContract(ev, a.step(firstNil.pos, name+" returns nil with "+with))}
		case ev != nil:
			res := summary.Result{Kind: summary.ResultMaybeNil, Ev: ev, NilWhen: a.nilWhenAll(nilRets, i)}
			if nilErrEv != nil {
				// The nil a caller that checks the error still gets.
				res.Ev = nilErrEv
				// Nil with a nil error only under conditions on parameters:
				// a call that excludes them gets nil only with an error.
				if firstErrNil != nil {
					if res.NilErrWhen = a.nilWhenAll(nilErrRets, i); res.NilErrWhen != nil {
						res.ErrEv = nilstate.NewEvidence(a.step(firstErrNil.pos, name+" returns nil with an error"))
					}
				}
			}
			sum.Results[i] = res
		case through >= 0:
			// Every possibly-nil return hands back a parameter, through
			// nil-preserving calls (reflect.TypeOf via toType).
			sum.Results[i] = summary.Result{Kind: summary.ResultNilIfParamNil, Param: through}
		case allNonNil:
			sum.Results[i] = summary.Result{Kind: summary.ResultNonNil}
		}
		if lastIsErr {
			sum.Results[i].NilOnErr = a.nilOnErr(i, last, name)
		}
	}

	for i := range sum.Results {
		sum.Results[i].FieldsSet = a.fieldsSetAtReturns(i)
		sum.Results[i].KeysOf, sum.Results[i].KeysPath = a.keysAtReturns(i)
	}
	checked := a.nilChecked()
	isPredicate := n == 1 && isBool(results.At(0).Type())
	isCount := n == 1 && isInteger(results.At(0).Type())
	var after summary.Cond // what holds of the parameters at every return
	for i, p := range a.fn.Params {
		if isBool(p.Type()) {
			if a.trueAtReturns(p) {
				after = append(after, summary.ParamFact{Param: i, Field: -1, Is: 1})
			}
			continue
		}
		if !nilable(p.Type()) {
			continue
		}
		fieldsAfter := a.fieldsNonNilAtReturns(p)
		var fieldsIfTrue, fieldsIfFalse uint64
		if isPredicate {
			fieldsIfTrue, fieldsIfFalse = a.fieldsNonNilIf(p, true), a.fieldsNonNilIf(p, false)
		}
		if checked[p] {
			sum.Params[i] = summary.Param{Kind: summary.ParamNilSafe,
				NonNilIfTrue:    isPredicate && a.nonZeroOnlyIfNonNil(p),
				NonNilIfNonZero: isCount && a.nonZeroOnlyIfNonNil(p)}
			if a.nonNilAtReturns(p) { // mustNotBeNil(u)
				after = append(after, summary.ParamFact{Param: i, Field: -1, Is: -1})
			}
		} else if a.paramDeref[p] {
			sum.Params[i] = summary.Param{Kind: summary.ParamDerefs}
		}
		if a.nilAtReturns(p) { // also through a helper: check2(v, err) { check(err) }
			after = append(after, summary.ParamFact{Param: i, Field: -1, Is: 1})
		}
		sum.Params[i].FieldsAfter = fieldsAfter
		if fieldsAfter != 0 {
			sum.Params[i].NestedAfter = a.nestedNonNilAtReturns(p) // through a field it sets
		}
		sum.Params[i].FieldsIfTrue, sum.Params[i].FieldsIfFalse = fieldsIfTrue, fieldsIfFalse
	}
	sum.ReturnsWhen = withAfter(a.returnsWhen(), after)
	sum.Pure = a.pure()
	if f, ok := getterField(a.fn); ok && pointee(a.fn.Params[0].Type()) != nil {
		sum.Getter = f + 1
	}
	return sum
}

// withContract is the evidence of a result nil only together with
// another result's value: the nil's own way to the return (ev), when it
// comes from elsewhere (a callee's nil, an assignment), then the
// contract's step; a nil literal returned there is the step alone.
// The contract's step takes the place of the chain's last when that is
// the same return ("returned by f" there), or when the chain is full.
func withContract(ev *nilstate.Evidence, contract nilstate.Step) *nilstate.Evidence {
	if ev.Len() <= 1 {
		return nilstate.NewEvidence(contract)
	}
	steps := slices.Clone(ev.All())
	if last := steps[len(steps)-1]; last.Pos == contract.Pos || len(steps) >= nilstate.MaxSteps {
		steps[len(steps)-1] = contract
	} else {
		steps = append(steps, contract)
	}
	return &nilstate.Evidence{Steps: steps}
}

// nilOnErr returns the evidence that result i is nil at every return
// whose error (result last) may be non-nil, if it is and there is one.
func (a *analysis) nilOnErr(i, last int, name string) *nilstate.Evidence {
	var first *returnSite
	for _, r := range a.returns {
		if r.states[last].Kind == nilstate.Nil {
			continue // no error here
		}
		if r.states[i].Kind != nilstate.Nil {
			return nil
		}
		if first == nil || r.pos < first.pos {
			first = &r // the first in the source reads best
		}
	}
	if first == nil {
		return nil
	}
	return nilstate.NewEvidence(a.step(first.pos, name+" returns nil with every error"))
}

// pure reports whether the function has no effect a caller can see
// (summary.Pure): it stores only into memory it allocates, and calls (or
// defers) only pure functions, side-effect-free builtins and the locking
// methods of sync's mutexes.
func (a *analysis) pure() bool {
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Store:
				if _, local := root(a.ident(instr.Addr)).(*ssa.Alloc); !local {
					return false
				}
			case *ssa.MapUpdate:
				if _, local := instr.Map.(*ssa.MakeMap); !local {
					return false
				}
			case *ssa.Defer:
				if !a.pureCall(instr.Common()) {
					return false // defer mu.RUnlock() is fine
				}
			case *ssa.Go, *ssa.Send, *ssa.Select:
				return false
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					return false
				}
			case *ssa.Next:
				if !instr.IsString {
					return false // a map's order differs from one range to the next
				}
			case *ssa.Call:
				if !a.pureCall(instr.Common()) {
					return false
				}
			}
		}
	}
	return true
}

// pureCall reports whether c calls a pure function (summary.Pure) or a
// builtin without effects.
func (a *analysis) pureCall(c *ssa.CallCommon) bool {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap", "append", "min", "max", "real", "imag", "complex", "panic":
			return true
		}
		return false
	}
	callee := c.StaticCallee()
	if callee == nil || c.IsInvoke() {
		return false
	}
	if isStdFunc(c, "sync", "Lock", "Unlock", "RLock", "RUnlock") && callee.Signature.Recv() != nil {
		// A mutex orders goroutines and changes nothing a caller in one
		// goroutine reads; the analysis already assumes no other
		// goroutine writes between two reads, as for any field.
		return true
	}
	if callee == a.fn {
		return true // recursion adds no effect of its own
	}
	sum := a.env.Summary(callee)
	return sum != nil && sum.Pure
}

// withAfter adds to each way of returning (conds, from the walks) what
// the data flow knows of the parameters at every return (after): both
// hold on every path that returns. Without conds, after is the one way.
func withAfter(conds []summary.Cond, after summary.Cond) []summary.Cond {
	if len(after) == 0 {
		return conds
	}
	if len(conds) == 0 {
		return []summary.Cond{after}
	}
	for i, c := range conds {
		c = slices.Clone(c)
		for _, f := range after {
			if len(c) < summary.MaxCondFacts && !slices.ContainsFunc(c, func(g summary.ParamFact) bool { return g.Param == f.Param && g.Field == f.Field }) {
				c = append(c, f)
			}
		}
		sortCond(c)
		conds[i] = c
	}
	return conds
}

// nilAtReturns reports whether p is known nil wherever the function
// returns: an error helper that exits for a non-nil error (badger's
// y.Check, P-exit-helper in docs/triage.md).
func (a *analysis) nilAtReturns(p *ssa.Parameter) bool {
	for _, r := range a.returns {
		if a.stateOf(r.facts, p, constCtx{}).Kind != nilstate.Nil {
			return false
		}
	}
	return len(a.returns) > 0
}

// nonNilAtReturns reports whether p is known non-nil wherever the
// function returns: it does not return for a nil p.
func (a *analysis) nonNilAtReturns(p *ssa.Parameter) bool {
	for _, r := range a.returns {
		if a.stateOf(r.facts, p, constCtx{}).Kind != nilstate.NonNil {
			return false
		}
	}
	return len(a.returns) > 0
}

// fieldsNonNilAtReturns returns the fields of *p (as a bit set of field
// indexes below 64) known non-nil at every return by a store or a check:
// an init or ensure method that sets a field when it is nil. A field
// known non-nil only because the function dereferenced it is left out:
// the function relies on it rather than ensures it.
func (a *analysis) fieldsNonNilAtReturns(p *ssa.Parameter) uint64 {
	if _, ok := p.Type().Underlying().(*types.Pointer); !ok || len(a.returns) == 0 {
		return 0
	}
	mask := ^uint64(0)
	for _, r := range a.returns {
		if mask &= nonNilFields(r.facts, a.key(p), true); mask == 0 {
			return 0
		}
	}
	return mask
}

// nestedNonNilAtReturns returns the paths two or three fields deep under
// p (the first field one of FieldsAfter's) known non-nil, by a store or a
// check, at every return, in a fixed order (summary.Param.NestedAfter).
func (a *analysis) nestedNonNilAtReturns(p *ssa.Parameter) [summary.MaxNested]summary.FieldPath {
	var out [summary.MaxNested]summary.FieldPath
	var common map[summary.FieldPath]bool
	for _, r := range a.returns {
		here := make(map[summary.FieldPath]bool)
		for k, s := range r.facts {
			if s.Kind != nilstate.NonNil || !setByStore(s) {
				continue
			}
			if fp, ok := fieldPathUnder(k, a.key(p)); ok && fp.Len() > 1 && (common == nil || common[fp]) {
				here[fp] = true
			}
		}
		if common = here; len(common) == 0 {
			return out
		}
	}
	paths := slices.SortedFunc(maps.Keys(common), func(x, y summary.FieldPath) int { return slices.Compare(x[:], y[:]) })
	copy(out[:], paths)
	return out
}

// fieldPathUnder returns the field path of k under base, if k is a path
// at most three fields deep under it.
func fieldPathUnder(k, base any) (summary.FieldPath, bool) {
	var rev []int // field indices, innermost first
	for len(rev) < len(summary.FieldPath{}) {
		pk, ok := k.(pathKey)
		if !ok || pk.field < 0 || pk.field >= 1<<15 {
			return summary.FieldPath{}, false
		}
		rev = append(rev, pk.field)
		if pk.base == base {
			var fp summary.FieldPath
			for i, f := range rev {
				fp[len(rev)-1-i] = uint16(f + 1)
			}
			return fp, true
		}
		k = pk.base
	}
	return summary.FieldPath{}, false
}

// fieldsSetAtReturns returns the fields of the i'th result (a pointer to
// a struct, or a struct) known non-nil by a store or a check at every
// return that hands back a non-nil result: what a constructor sets
// (`return &Handler{Resp: &Resp{}}`). A nil result has no fields to read.
func (a *analysis) fieldsSetAtReturns(i int) uint64 {
	t := a.fn.Signature.Results().At(i).Type()
	if pointee(t) == nil && !isStruct(t) {
		return 0
	}
	mask, seen := ^uint64(0), false
	for _, r := range a.returns {
		op := r.ops[i]
		if isZeroConst(op) || r.states[i].Kind == nilstate.Nil {
			continue
		}
		base := a.ident(op)
		if l, ok := op.(*ssa.UnOp); ok && l.Op == token.MUL {
			if al, ok := l.X.(*ssa.Alloc); ok {
				base = a.key(al) // a struct value built in a local variable
			}
		}
		seen = true
		if mask &= nonNilFields(r.facts, base, true); mask == 0 {
			return 0
		}
	}
	if !seen {
		return 0
	}
	return mask
}

// fieldsNonNilIf returns the fields of *p known non-nil wherever the
// predicate returns want: a return of the other constant says nothing;
// `return p.f == nil` (or `!= nil`) vouches for f; the state at the
// return for the others.
func (a *analysis) fieldsNonNilIf(p *ssa.Parameter, want bool) uint64 {
	if _, ok := p.Type().Underlying().(*types.Pointer); !ok || len(a.returns) == 0 {
		return 0
	}
	base := a.key(p)
	mask := ^uint64(0)
	for _, r := range a.returns {
		op := r.ops[0]
		if b, ok := boolConst(op); ok && b != want {
			continue
		}
		m := nonNilFields(r.facts, base, false)
		if c, ok := op.(*ssa.BinOp); ok && (c.Op == token.EQL) != want {
			if x, ok := nilComparand(c); ok {
				m |= fieldBit(a.ident(x), base)
			}
		}
		if mask &= m; mask == 0 {
			return 0
		}
	}
	return mask
}

// nonNilFields is the set of fields of the struct at base that st knows
// non-nil (with checkedOnly, by a store or a check: not merely because
// the function dereferenced them).
func nonNilFields(st facts, base any, checkedOnly bool) uint64 {
	var m uint64
	for k, s := range st {
		if s.Kind == nilstate.NonNil && (!checkedOnly || setByStore(s)) {
			m |= fieldBit(k, base)
		}
	}
	return m
}

// fieldBit is the bit of a field path directly under base, or 0.
func fieldBit(k, base any) uint64 {
	if pk, ok := k.(pathKey); ok && pk.base == base && pk.field >= 0 && pk.field < 64 {
		return 1 << pk.field
	}
	return 0
}

// trueAtReturns reports whether the function returns only where the
// bool parameter p is true: every return is dominated by the true edge of
// a branch on p (`if !p { panic(msg) }`), as in an assertion helper.
func (a *analysis) trueAtReturns(p *ssa.Parameter) bool {
	returned := false
	for _, b := range a.fn.Blocks {
		if len(b.Instrs) == 0 || b == a.fn.Recover {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok {
			continue
		}
		returned = true
		if !trueEdgeDominates(p, b) {
			return false
		}
	}
	return returned
}

// trueEdgeDominates reports whether b is dominated by the edge of a
// branch on p (or !p) taken when p is true.
func trueEdgeDominates(p *ssa.Parameter, b *ssa.BasicBlock) bool {
	return dominatingEdge(b, func(cond ssa.Value, taken bool) bool {
		for {
			not, ok := cond.(*ssa.UnOp)
			if !ok || not.Op != token.NOT {
				break
			}
			cond, taken = not.X, !taken
		}
		return cond == ssa.Value(p) && taken
	})
}

// dominatingEdge reports whether b is dominated by an edge of a branch
// for which edge(cond, taken) holds: cond is the branch's condition and
// taken says whether the edge is the one taken when it is true.
func dominatingEdge(b *ssa.BasicBlock, edge func(cond ssa.Value, taken bool) bool) bool {
	for d := b; d != nil; d = d.Idom() {
		if len(d.Preds) != 1 {
			continue
		}
		pred := d.Preds[0]
		br, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
		if !ok || pred.Succs[0] == pred.Succs[1] {
			continue
		}
		if edge(br.Cond, d == pred.Succs[0]) {
			return true
		}
	}
	return false
}

// nonZeroOnlyIfNonNil reports whether every return of a value other than
// the zero constant (false, 0) happens where p is non-nil: a predicate
// true only for a non-nil p (`return p != nil && p.ok`), a nil-safe count
// (`if t == nil { return 0 }`).
//
// A result computed by && or kept in a variable (`n := 0; if f != nil {
// for ... { n++ } }; return n`, ast.FieldList.NumFields) is a φ: its zero
// edges are skipped and the others must bring a non-nil p.
func (a *analysis) nonZeroOnlyIfNonNil(p *ssa.Parameter) bool {
	for _, r := range a.returns {
		op := r.ops[0]
		if isZeroConst(op) || a.stateOf(r.facts, p, constCtx{}).Kind == nilstate.NonNil {
			continue
		}
		phi, ok := op.(*ssa.Phi)
		if !ok {
			return false
		}
		for i, v := range phi.Edges {
			if isZeroConst(v) {
				continue
			}
			pred := phi.Block().Preds[i]
			edge := a.out[pred.Index]
			if edge == nil {
				continue
			}
			edge = edge.clone()
			if !a.refineEdge(edge, pred, phi.Block()) {
				continue
			}
			if a.stateOf(edge, p, constCtx{}).Kind != nilstate.NonNil {
				return false
			}
		}
	}
	return len(a.returns) > 0
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// nilChecked lists the parameters the function compares against nil:
// such a function handles nil (or at least its author thinks about it).
func (a *analysis) nilChecked() map[*ssa.Parameter]bool {
	checked := make(map[*ssa.Parameter]bool)
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.BinOp); ok && (c.Op.String() == "==" || c.Op.String() == "!=") {
				if x, ok := nilComparand(c); ok {
					if p, ok := a.key(x).(*ssa.Parameter); ok {
						checked[p] = true
					}
				}
			}
		}
	}
	return checked
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsBoolean != 0
}

func isFalse(v ssa.Value) bool {
	b, ok := boolConst(v)
	return ok && !b
}

// nilParam returns the index of a parameter known to be nil at return r
// (`if m == nil { return nil }`), or -1.
func (a *analysis) nilParam(r returnSite) int {
	for j, p := range a.fn.Params {
		if s, ok := r.facts[a.key(p)]; ok && s.Kind == nilstate.Nil {
			return j
		}
	}
	return -1
}

// sameCommaOk reports whether v and ok are the two results of one
// comma-ok operation or call, returned as they are (`return x, ok`).
func sameCommaOk(v, ok ssa.Value) bool {
	ev, isExtract := v.(*ssa.Extract)
	eok, isExtractOK := ok.(*ssa.Extract)
	return isExtract && isExtractOK && ev.Tuple == eok.Tuple
}

// judgedHere reports whether ev is judged by this package's uses. A
// missing map element that a function returns (flag.Lookup) is not: the
// function hands the miss to its callers, who must check.
func (a *analysis) judgedHere(ev *nilstate.Evidence) bool {
	switch a.judged[ev].(type) {
	case nil, MapElems:
		return false
	}
	return true
}

// passThrough returns the index of the parameter that v is, through
// conversions and calls whose result is nil only for a nil argument, or
// -1; viaCall says whether such a call is on the way. A parameter
// returned as it is says nothing of its own (template.Must returns t only
// when err is nil), so only results that go through such a call count
// (reflect.TypeOf's toType(abi.TypeOf(i))).
func (a *analysis) passThrough(v ssa.Value, depth int) (param int, viaCall bool) {
	if depth > 8 {
		return -1, false
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		if j := slices.Index(a.fn.Params, v); j >= 0 {
			return j, false
		}
	case *ssa.ChangeType:
		return a.passThrough(v.X, depth+1)
	case *ssa.ChangeInterface:
		return a.passThrough(v.X, depth+1)
	case *ssa.MakeInterface:
		return a.passThrough(v.X, depth+1)
	case *ssa.Call:
		if sum := a.calleeSummary(v.Common()); sum != nil && len(sum.Results) == 1 &&
			sum.Results[0].Kind == summary.ResultNilIfParamNil && sum.Results[0].Param < len(v.Common().Args) {
			j, _ := a.passThrough(v.Common().Args[sum.Results[0].Param], depth+1)
			return j, true
		}
	}
	return -1, false
}

// zeroCompanion returns the first other result that is a zero constant at
// every nil return of a result and not at every return (`return 0, nil`
// vs `return base, s`), or -1.
func (a *analysis) zeroCompanion(zeroWith []bool) int {
	for j, z := range zeroWith {
		if !z {
			continue
		}
		for _, r := range a.returns {
			if !zeroAt(r, j) {
				return j
			}
		}
	}
	return -1
}

// codeCompanion returns the first other result, an integer, that is
// non-zero at every nil return of a result and a zero constant at some
// return: an error code (`return nil, EBADF` vs `return f, 0`), or -1.
func (a *analysis) codeCompanion(codeWith []bool) int {
	for j, c := range codeWith {
		if !c {
			continue
		}
		for _, r := range a.returns {
			if isZeroConst(r.value(j)) {
				return j
			}
		}
	}
	return -1
}

// nonZeroAt reports whether return r hands back a non-zero j'th result:
// a non-zero constant, or a value that a dominating branch found
// non-zero (`if errno != 0 { return nil, errno }`).
func nonZeroAt(r returnSite, j int) bool {
	v := r.value(j)
	if c, ok := v.(*ssa.Const); ok {
		return !isZeroConst(c)
	}
	return dominatingEdge(r.block, func(cond ssa.Value, taken bool) bool {
		x, op, ok := zeroTest(cond)
		return ok && x == v && nonZeroOn(op, taken)
	})
}

// zeroTest matches a comparison of an integer x with zero, either way
// round, and returns x and the operator of x op 0.
func zeroTest(cond ssa.Value) (x ssa.Value, op token.Token, ok bool) {
	c, ok := cond.(*ssa.BinOp)
	if !ok {
		return nil, 0, false
	}
	x, y, op := c.X, c.Y, c.Op
	if isZeroConst(x) {
		x, y = y, x
		if m, ok := mirrored[op]; ok {
			op = m
		}
	}
	if !isZeroConst(y) || !isInteger(x.Type()) {
		return nil, 0, false
	}
	return x, op, true
}

// nonZeroOn reports whether x op 0 == branch makes x non-zero.
func nonZeroOn(op token.Token, branch bool) bool {
	switch op {
	case token.NEQ, token.GTR, token.LSS:
		return branch
	case token.EQL, token.GEQ, token.LEQ:
		return !branch
	}
	return false
}

// zeroOn reports whether x op 0 == branch makes x zero.
func zeroOn(x ssa.Value, op token.Token, branch bool) bool {
	unsigned := false
	if b, ok := x.Type().Underlying().(*types.Basic); ok {
		unsigned = b.Info()&types.IsUnsigned != 0
	}
	switch op {
	case token.EQL:
		return branch
	case token.NEQ:
		return !branch
	case token.GTR:
		return !branch && unsigned // !(x > 0)
	case token.LEQ:
		return branch && unsigned // x <= 0
	}
	return false
}

// zeroAt reports whether return r hands back a zero j'th result: a zero
// constant, or a pointer-like value known nil there (`if n == nil { i =
// nil; return }` with named results).
func zeroAt(r returnSite, j int) bool {
	return isZeroConst(r.value(j)) || j < len(r.states) && nilable(r.ops[j].Type()) && r.states[j].Kind == nilstate.Nil
}

// isZeroConst reports whether v is the zero constant of its type: nil, 0,
// false, "".
func isZeroConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	if !ok {
		return false
	}
	if c.Value == nil {
		return true
	}
	switch c.Value.Kind() {
	case constant.Bool:
		return !constant.BoolVal(c.Value)
	case constant.String:
		return constant.StringVal(c.Value) == ""
	case constant.Int, constant.Float, constant.Complex:
		return constant.Sign(c.Value) == 0
	}
	return false
}

// returnedNil is the evidence of a maybe-nil result i at the return r,
// whose state there is s; with is appended to "F returns nil".
func (a *analysis) returnedNil(r returnSite, s nilstate.State, i int, name, with string) *nilstate.Evidence {
	switch {
	case isNilConst(r.ops[i]):
		return nilstate.NewEvidence(a.step(r.pos, name+" returns nil"+with))
	case s.Ev.Len() == 1 && s.Ev.Origin().What == name+" returns nil":
		// Through the result slot of a function with defers.
		if with == "" {
			return s.Ev
		}
		o := s.Ev.Origin()
		o.What += with
		return nilstate.NewEvidence(o)
	}
	return s.Ev.Then(a.step(r.pos, "returned by "+name+with))
}
