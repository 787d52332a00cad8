package flow

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// This file is the list of guards: what a branch condition tells about
// nilness on each of its edges. Short-circuit && and || need nothing
// special (SSA gives each operand its own branch), nor do copies (SSA has
// none), nor do calls that never return (buildssa's CFG already ends the
// block there, using ctrlflow's no-return facts).

// refineEdge narrows st, the state at the end of p, for the edge p -> s.
// It returns false if the edge cannot be taken in that state (e.g. the
// nil branch of a check of a value already known non-nil).
func (a *analysis) refineEdge(st facts, p, s *ssa.BasicBlock) bool {
	ifInstr, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok || p.Succs[0] == p.Succs[1] {
		return true
	}
	a.at, a.atIndex = ifInstr, len(p.Instrs)-1 // for holders (heldSince); reset below
	feasible := a.refine(st, ifInstr.Cond, s == p.Succs[0])
	a.at = nil
	return feasible
}

// refine assumes cond == branch.
func (a *analysis) refine(st facts, cond ssa.Value, branch bool) bool {
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.NOT {
			return a.refine(st, c.X, !branch)
		}
	case *ssa.BinOp:
		if x, ok := a.nonEmptyIf(c, branch); ok {
			// len(m) > 0: a nil map, slice or channel has length 0; so
			// does a nil *types.Tuple for its nil-safe Len.
			a.set(st, x, nilstate.NonNilState)
			return true
		}
		if x, op, ok := zeroTest(c); ok {
			if e, ok := x.(*ssa.Extract); ok {
				if nonZeroOn(op, branch) {
					a.nonNilBy(st, e, summary.ResultNilIfZero) // base != 0 after base, s := find(p)
				} else if zeroOn(x, op, branch) {
					a.nonNilBy(st, e, summary.ResultNilIfNonZero) // errno == 0 after f, errno := open(p)
				}
			}
		}
		if c.Op != token.EQL && c.Op != token.NEQ {
			break
		}
		if x, ok := nilComparand(c); ok {
			return a.assume(st, x, (c.Op == token.EQL) == branch, c.Pos())
		}
		// ok == true, ok != false, ...
		if b, ok := boolConst(c.Y); ok {
			return a.refine(st, c.X, (c.Op == token.EQL) == (b == branch))
		}
		// x == y with y non-nil: so is x (`if toBlock == b` with b checked).
		if (c.Op == token.EQL) == branch && nilable(c.X.Type()) && nilable(c.Y.Type()) {
			if a.stateOf(st, c.Y, constCtx{}).Kind == nilstate.NonNil {
				return a.assume(st, c.X, false, c.Pos())
			}
			if a.stateOf(st, c.X, constCtx{}).Kind == nilstate.NonNil {
				return a.assume(st, c.Y, false, c.Pos())
			}
		}
	case *ssa.Extract:
		return a.refineOK(st, c, branch)
	case *ssa.Call:
		// if isValid(u) { ... }: a predicate true only for non-nil u.
		if obj, _, ok := testifyNotNil(c.Common()); ok && branch {
			a.set(st, obj, nilstate.NonNilState)
		}
		if err, _, ok := testifyNoError(c.Common()); ok && branch {
			return a.assume(st, err, true, c.Pos())
		}
		if addr, ok := errorsAsTarget(c.Common()); ok && branch {
			if p, ok := a.path(addr); ok {
				st[p] = nilstate.NonNilState // errors.As matched: it set the target
			}
		}
		if sum := a.calleeSummary(c.Common()); sum != nil {
			for i, arg := range c.Common().Args {
				if i >= len(sum.Params) {
					break
				}
				if branch && sum.Params[i].NonNilIfTrue {
					a.set(st, arg, nilstate.NonNilState)
				}
				if mask := sum.Params[i].FieldsIfTrue; branch && mask != 0 {
					a.fieldsNonNil(st, arg, mask, nilstate.NonNilState)
				}
				if mask := sum.Params[i].FieldsIfFalse; !branch && mask != 0 {
					a.fieldsNonNil(st, arg, mask, nilstate.NonNilState)
				}
			}
		}
	}
	return true
}

// assume records that x is nil (isNil) or non-nil after a comparison at pos.
func (a *analysis) assume(st facts, x ssa.Value, isNil bool, pos token.Pos) bool {
	s := a.stateOf(st, x, constCtx{before: pos})
	if isNil {
		if s.Kind == nilstate.NonNil {
			a.derefBeforeCheck(s, pos)
			return false
		}
		// Keep a specific origin (a map lookup, a nil return); a check
		// here says more than package-wide field evidence.
		ev := s.Ev
		if !s.Kind.MayBeNil() || strings.HasPrefix(s.Ev.Origin().What, "field ") {
			ev = nilstate.NewEvidence(a.step(pos, nilstate.CheckedForNil))
		}
		a.set(st, x, nilstate.NilBecause(ev))
		// err == nil: results that are nil only with an error are not nil.
		if e := a.errorSource(x); e != nil {
			a.markCompanions(st, e, summary.ResultNilIfErr)
		} else if phi, ok := x.(*ssa.Phi); ok {
			if e := a.phiErrorSource(phi); e != nil {
				a.markCompanions(st, e, summary.ResultNilIfErr)
			}
		}
		return true
	}
	if s.Kind == nilstate.Nil {
		return false
	}
	a.set(st, x, nilstate.NonNilState)
	if e, ok := x.(*ssa.Extract); ok {
		a.nonNilBy(st, e, summary.ResultNilIfZero) // p != nil after p, q := f() with q nil only when p is
	}
	// err != nil: results nil with every error are nil.
	if e := a.errorSource(x); e != nil {
		a.nilWithError(st, e, pos)
	}
	return true
}

// nilWithError makes nil the results of e's call that its callee returns
// nil with every error (summary NilOnErr), e being the call's error,
// found non-nil at pos.
func (a *analysis) nilWithError(st facts, e *ssa.Extract, pos token.Pos) {
	call, ok := e.Tuple.(*ssa.Call)
	if !ok {
		return
	}
	sum := a.calleeSummary(call.Common())
	if sum == nil || e.Index != len(sum.Results)-1 {
		return
	}
	for i, r := range sum.Results {
		if r.NilOnErr == nil {
			continue
		}
		ev := r.NilOnErr.Then(a.step(pos, "its error is non-nil"))
		for _, v := range extracts(call, i) {
			a.set(st, v, nilstate.NilBecause(ev))
		}
	}
}

// derefBeforeCheck reports the dereference that made s non-nil when a
// later check says the value may be nil there after all.
func (a *analysis) derefBeforeCheck(s nilstate.State, check token.Pos) {
	if !a.reporting || s.Ev.Len() != 1 {
		return
	}
	f, ok := a.derefSites[s.Ev.Steps[0].Pos]
	if !ok {
		return
	}
	f.Category = "deref-before-check"
	f.State = nilstate.MaybeNilBecause(nilstate.NewEvidence(a.step(check, "checked for nil later")))
	f.Judged, f.Entry = nil, nil
	// The check in this function outweighs the field evidence the
	// dereference was reported with, if it was.
	if i := slices.IndexFunc(a.findings, func(g Finding) bool { return g.Pos == f.Pos }); i >= 0 {
		if a.findings[i].Judged != nil {
			a.findings[i] = f
		}
		return
	}
	a.emit(f)
}

// refineOK handles branches on the second result of a comma-ok (map
// lookup, type assertion, receive) or on a call's bool/error result.
func (a *analysis) refineOK(st facts, e *ssa.Extract, branch bool) bool {
	switch t := e.Tuple.(type) {
	case *ssa.Lookup, *ssa.TypeAssert, *ssa.UnOp:
		if e.Index != 1 || !isCommaOk(t) {
			return true
		}
		for _, v := range extracts(t, 0) {
			if !nilable(v.Type()) {
				continue
			}
			if branch {
				a.set(st, v, nilstate.NonNilState)
			} else if s := a.stateOf(st, v, constCtx{}); s.Kind.MayBeNil() {
				a.set(st, v, nilstate.NilBecause(s.Ev))
			}
		}
		if l, ok := t.(*ssa.Lookup); ok && branch {
			st[lookupKey{a.ident(l.X), a.operandKey(l.Index)}] = nilstate.NonNilState
		}
	case *ssa.Call:
		if branch {
			a.markCompanions(st, e, summary.ResultNilIfNotOK)
			a.nonNilBy(st, e, summary.ResultNilIfZero)
		}
	}
	return true
}

// nonNilBy marks non-nil the results of e's call that its callee
// returns nil only with e of the other value (kind ResultNilIfZero when
// e is found non-zero, ResultNilIfNonZero when found zero).
func (a *analysis) nonNilBy(st facts, e *ssa.Extract, kind summary.ResultKind) {
	call, ok := e.Tuple.(*ssa.Call)
	if !ok {
		return
	}
	sum := a.calleeSummary(call.Common())
	if sum == nil {
		return
	}
	for k, r := range sum.Results {
		if r.Kind == kind && r.Param == e.Index {
			for _, v := range extracts(call, k) {
				a.set(st, v, nilstate.NonNilState)
			}
		}
	}
}

// markCompanions marks the results of e's call that are nil only under
// the contract kind (nil-if-err, nil-if-not-ok) as non-nil, now that e's
// check has ruled that out.
func (a *analysis) markCompanions(st facts, e *ssa.Extract, kind summary.ResultKind) {
	for _, v := range a.companions(e, kind) {
		a.set(st, v, nilstate.NonNilState)
	}
}

// companions lists the extracts of the results of e's call that the
// callee's summary makes nil only as kind says of e, the call's last
// result (its error or ok).
func (a *analysis) companions(e *ssa.Extract, kind summary.ResultKind) []*ssa.Extract {
	call, ok := e.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	sum := a.calleeSummary(call.Common())
	if sum == nil || e.Index != len(sum.Results)-1 {
		return nil
	}
	var vals []*ssa.Extract
	for i := range sum.Results {
		if resultAt(call, sum, i).Kind == kind {
			vals = append(vals, extracts(call, i)...)
		}
	}
	return vals
}

func isCommaOk(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Lookup:
		return v.CommaOk
	case *ssa.TypeAssert:
		return v.CommaOk
	case *ssa.UnOp:
		return v.CommaOk
	}
	return false
}

// extracts lists the Extract instructions reading result i of tuple t.
func extracts(t ssa.Value, i int) []*ssa.Extract {
	var out []*ssa.Extract
	if refs := t.Referrers(); refs != nil {
		for _, r := range *refs {
			if e, ok := r.(*ssa.Extract); ok && e.Index == i {
				out = append(out, e)
			}
		}
	}
	return out
}

// nilComparand returns x for `x == nil` or `nil == x`.
func nilComparand(c *ssa.BinOp) (ssa.Value, bool) {
	if isNilConst(c.Y) && nilable(c.X.Type()) {
		return c.X, true
	}
	if isNilConst(c.X) && nilable(c.Y.Type()) {
		return c.Y, true
	}
	return nil, false
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

func boolConst(v ssa.Value) (bool, bool) {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil {
		return false, false
	}
	if b, ok := c.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsBoolean == 0 {
		return false, false
	}
	return c.Value.String() == "true", true
}

// nonEmptyIf returns x when cond == branch implies len(x) > 0 (for
// `len(x) != 0`, `len(x) > 0`, `len(x) >= 1`, `0 < len(x)`, ...).
func (a *analysis) nonEmptyIf(c *ssa.BinOp, branch bool) (ssa.Value, bool) {
	op, l, r := c.Op, c.X, c.Y
	if _, isConst := l.(*ssa.Const); isConst {
		l, r = r, l // 0 < len(x) is len(x) > 0
		if m, ok := mirrored[op]; ok {
			op = m
		}
	}
	call, ok := l.(*ssa.Call)
	if !ok {
		return nil, false
	}
	x := a.zeroWhenNil(call)
	if x == nil {
		return nil, false
	}
	k, ok := r.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil, false
	}
	n, exact := constant.Int64Val(k.Value)
	if !exact {
		return nil, false
	}
	if !branch {
		op = negated[op] // the false branch of len(x) == 0 is len(x) != 0
	}
	nonEmpty := op == token.NEQ && n == 0 || op == token.GTR && n >= 0 || op == token.GEQ && n >= 1 || op == token.EQL && n >= 1
	return x, nonEmpty
}

// zeroWhenNil returns the argument whose nil makes the call return 0:
// len's, or one a summary marks NonNilIfNonZero.
func (a *analysis) zeroWhenNil(call *ssa.Call) ssa.Value {
	args := call.Call.Args
	if b, ok := call.Call.Value.(*ssa.Builtin); ok {
		if b.Name() == "len" && len(args) == 1 && nilable(args[0].Type()) {
			return args[0]
		}
		return nil
	}
	if sum := a.calleeSummary(call.Common()); sum != nil {
		for i, arg := range args {
			if i < len(sum.Params) && sum.Params[i].NonNilIfNonZero {
				return arg
			}
		}
	}
	return nil
}

// mirrored swaps a comparison's operands; negated is its negation.
var (
	mirrored = map[token.Token]token.Token{token.LSS: token.GTR, token.GTR: token.LSS, token.LEQ: token.GEQ, token.GEQ: token.LEQ}
	negated  = map[token.Token]token.Token{
		token.EQL: token.NEQ, token.NEQ: token.EQL, token.LSS: token.GEQ,
		token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR,
	}
)

// errorSource returns the call result an error value comes from: the
// value itself, or, for an error kept in a variable that lives in memory
// (a named result in a function with defer, a captured variable), the
// call result stored by the store that reaches this load: the nearest
// store that dominates it, with no other store able to run in between
// (`x, err = f(); if err != nil {...}; y, err = g(); if err != nil {...}`).
func (a *analysis) errorSource(x ssa.Value) *ssa.Extract {
	if e, ok := x.(*ssa.Extract); ok {
		return e
	}
	load, ok := x.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	al, ok := load.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var stores []*ssa.Store
	for _, r := range *al.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == ssa.Value(al) {
			stores = append(stores, st)
		}
	}
	var reach *ssa.Store
	for _, st := range stores {
		if precedes(st, load) && (reach == nil || precedes(reach, st)) {
			reach = st
		}
	}
	if reach == nil {
		return nil
	}
	for _, st := range stores {
		if st != reach && precedes(reach, st) && reaches(st, load) {
			return nil // another store may run after the reaching one
		}
	}
	e, _ := reach.Val.(*ssa.Extract)
	return e
}

// phiErrorSource returns the call error that a φ of errors stands for
// when every path into the φ either brings that error or comes from a
// block where the call's results that are nil only with an error are
// already non-nil: `resp, err := do(); if resp != nil { if bad { err =
// check(resp) } }; if err != nil { return }` leaves resp non-nil.
func (a *analysis) phiErrorSource(phi *ssa.Phi) *ssa.Extract {
	var src *ssa.Extract
	var others []int // edges that bring another error
	for i, op := range phi.Edges {
		if e := a.errorSource(op); e != nil && (src == nil || e == src) {
			src = e
			continue
		}
		others = append(others, i)
	}
	if src == nil || len(others) == 0 {
		return nil
	}
	vals := a.companions(src, summary.ResultNilIfErr)
	if len(vals) == 0 {
		return nil
	}
	for _, i := range others {
		out := a.out[phi.Block().Preds[i].Index]
		if out == nil {
			return nil // not reached yet (a back edge in the first round)
		}
		for _, v := range vals {
			if a.stateOf(out, v, constCtx{}).Kind != nilstate.NonNil {
				return nil
			}
		}
	}
	return src
}

// precedes reports whether instruction x dominates instruction y.
func precedes(x, y ssa.Instruction) bool {
	if bx, by := x.Block(), y.Block(); bx != by {
		return bx.Dominates(by)
	}
	for _, instr := range x.Block().Instrs {
		switch instr {
		case x:
			return true
		case y:
			return false
		}
	}
	return false
}

// reaches reports whether control can flow from x to y.
func reaches(x, y ssa.Instruction) bool {
	if x.Block() == y.Block() && precedes(x, y) {
		return true
	}
	seen := make(map[*ssa.BasicBlock]bool)
	work := append([]*ssa.BasicBlock(nil), x.Block().Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == y.Block() {
			return true
		}
		if !seen[b] {
			seen[b] = true
			work = append(work, b.Succs...)
		}
	}
	return false
}
