package flow

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// transfer applies b's instructions to st and returns the state at the
// end of b, or nil if control never leaves b normally. The switch is the list of
// sinks (operations that panic on nil) plus the few instructions that
// change facts: stores, allocations, calls and returns.
func (a *analysis) transfer(st facts, b *ssa.BasicBlock) facts {
	for i, instr := range b.Instrs {
		a.at, a.atIndex = instr, i
		if v, ok := instr.(ssa.Value); ok && len(st) > 0 {
			// A value defined again (in a loop) is a new value: facts
			// about its previous incarnation no longer hold.
			if _, isPhi := v.(*ssa.Phi); !isPhi && a.key(v) == v {
				delete(st, v)
				if t, ok := v.Type().(*types.Tuple); ok {
					for i := 0; i < t.Len(); i++ {
						delete(st, tupleKey{v, i})
					}
				}
				if a.through[v] {
					a.forgetThrough(st, v)
				}
			}
		}
		switch instr := instr.(type) {
		case *ssa.FieldAddr:
			a.sink(st, instr, instr.X, Finding{Category: "nil-deref", Shape: ShapeSelector})
		case *ssa.UnOp:
			if instr.Op == token.MUL {
				a.sink(st, instr, instr.X, implicitLoad(instr))
				if _, _, ok := a.loadPath(a.key(instr)); ok {
					st[current{instr}] = nilstate.NonNilState
				}
			}
		case *ssa.Field:
			// A field of a struct copy reads the copy's path while the
			// copy is current.
			if _, _, ok := a.loadPath(a.key(instr)); ok {
				if x, ok := a.key(instr.X).(ssa.Value); ok && isCurrent(st, x) {
					st[current{instr}] = nilstate.NonNilState
				}
			}
		case *ssa.IndexAddr:
			if isPointerToArray(instr.X.Type()) {
				a.sink(st, instr, instr.X, Finding{Category: "nil-deref", Shape: ShapeIndex})
			}
		case *ssa.Slice:
			if isPointerToArray(instr.X.Type()) {
				a.sink(st, instr, instr.X, Finding{Category: "nil-deref", Shape: ShapeSlice})
			}
		case *ssa.Store:
			a.sink(st, instr, instr.Addr, Finding{Category: "nil-deref", Shape: ShapeStar})
			a.store(st, instr)
			a.forgetCalls(st)
		case *ssa.MapUpdate:
			a.sink(st, instr, instr.Map, Finding{Category: "nil-map-write", Shape: ShapeMapIndex})
			a.forgetCalls(st)
			if nilable(instr.Value.Type()) {
				// m[k] = v: a later m[k] reads v.
				st[lookupKey{a.ident(instr.Map), a.operandKey(instr.Key)}] = a.stateOf(st, instr.Value, constCtx{before: instr.Pos()})
				delete(st, deletedKey{a.ident(instr.Map), a.operandKey(instr.Key)})
			}
		case *ssa.Lookup:
			if !instr.CommaOk {
				dk := deletedKey{a.ident(instr.X), a.operandKey(instr.Index)}
				if s, ok := st[dk]; ok && a.missesAfterDelete(dk, instr) {
					st[a.key(instr)] = s
				}
			}
			if instr.CommaOk && a.reporting {
				if f := a.loadedField(instr.X); f != nil {
					a.use(MapElems{f}, summary.FieldUses{Guarded: 1}) // v, ok := s.m[k]
				}
			}
		case *ssa.Alloc:
			a.alloc(st, instr)
		case *ssa.MakeClosure:
			if a.reporting {
				a.capture(st, instr)
			}
		case *ssa.BinOp:
			// A nil comparison of a judged value is a guarded use, in a
			// branch or not (`return f() != nil`).
			if x, ok := nilComparand(instr); ok && a.reporting {
				if s := a.stateOf(st, x, constCtx{}); s.Kind.MayBeNil() && a.judged[s.Ev] != nil {
					a.use(a.judged[s.Ev], summary.FieldUses{Guarded: 1})
				}
			}
		case *ssa.Next:
			// A step of a range over a map binds a new key, which the
			// map holds (keyOfSameMap) until a delete says otherwise.
			if rng, ok := instr.Iter.(*ssa.Range); ok && !instr.IsString {
				delete(st, deletedKey{a.ident(rng.X), tupleKey{instr, 1}})
			}
		case *ssa.Call:
			a.deleted(st, instr)
			a.call(st, instr, instr.Common())
			if noReturnInvoke(instr.Common()) || a.panicsAt(instr) {
				return nil // the rest of the block does not run
			}
			target, before := a.asTarget(st, instr.Common())
			if !a.pureCall(instr.Common()) {
				a.forgetCalls(st)
			}
			a.invalidate(st, instr)
			a.unmatched(st, instr, target, before)
			a.decoded(st, instr.Common())
			a.passedNonNil(st, instr)
			a.constructed(st, instr)
			if _, _, ok := a.loadPath(a.key(instr)); ok {
				st[current{instr}] = nilstate.NonNilState // a pure call (callKey)
			}
		case *ssa.Defer:
			a.call(st, instr, instr.Common())
		case *ssa.Go:
			a.call(st, instr, instr.Common())
		case *ssa.Return:
			if a.reporting {
				a.recordReturn(st, instr)
				a.typedNil(st, instr)
			}
		}
	}
	a.at = nil
	return st
}

// deleted records that after delete(m, k), a lookup of m[k] misses. It
// is kept apart from the lookup's own key, which values looked up before
// the delete share (`h := m[c]; delete(m, c); h.x` is fine).
func (a *analysis) deleted(st facts, call *ssa.Call) {
	c := call.Common()
	if !isBuiltin(c.Value, "delete") || len(c.Args) != 2 {
		return
	}
	if m, ok := c.Args[0].Type().Underlying().(*types.Map); ok && nilable(m.Elem()) {
		k := deletedKey{a.ident(c.Args[0]), a.operandKey(c.Args[1])}
		st[k] = a.maybeNil(c.Pos(), "deleted from the map")
		if a.deletes == nil {
			a.deletes = make(map[deletedKey][]ssa.Instruction)
		}
		if !slices.Contains(a.deletes[k], ssa.Instruction(call)) {
			a.deletes[k] = append(a.deletes[k], call)
		}
	}
}

// missesAfterDelete reports whether a delete of the key that every path
// to lookup passes makes it miss. Only such a delete counts: a key's fact
// also flows around a loop's back edge, where the same key expression
// names the next element (`for _, k := range ks { m[k].Close();
// delete(m, k) }` deleted a key the next lookup no longer uses).
func (a *analysis) missesAfterDelete(k deletedKey, lookup ssa.Instruction) bool {
	for _, d := range a.deletes[k] {
		if precedes(d, lookup) {
			return true
		}
	}
	return false
}

// sink checks v where instr would panic if v were nil. Afterwards v is
// non-nil: either the operation succeeded or the goroutine panicked.
func (a *analysis) sink(st facts, instr ssa.Instruction, v ssa.Value, f Finding) {
	s := a.stateOf(st, v, constCtx{before: instr.Pos()})
	if a.reporting {
		var obj types.Object
		if field := a.loadedField(v); field != nil {
			obj = field
		} else if s.Kind.MayBeNil() {
			obj = a.judged[s.Ev] // a field's or result's value, through a φ or a copy
		} else if l, ok := v.(*ssa.Lookup); ok && a.rangedKeyOf(l.Index) != nil {
			if f := a.loadedField(l.X); f != nil {
				obj = MapElems{f} // still a lookup the package makes unchecked
			}
		}
		if obj != nil {
			switch {
			case vouched(s):
				a.use(obj, summary.FieldUses{Guarded: 1})
			case s.Kind == nilstate.Unknown, s.Kind.MayBeNil() && a.judged[s.Ev] == obj:
				a.use(obj, summary.FieldUses{Unguarded: 1})
			}
		}
		if s.Kind.MayBeNil() {
			// Evidence that is only a field's or an imported result's
			// (also when the value went through a φ or a copy since) is
			// judged later.
			f.Judged = a.judged[s.Ev]
		}
	}
	if s.Kind == nilstate.NonNil {
		return
	}
	if !f.Pos.IsValid() {
		f.Pos = instr.Pos()
	}
	// A dereference whose only evidence is a field's nil check elsewhere
	// is judged later; a check of the same path after it, in this
	// function, contradicts it directly (deref-before-check).
	unproven := s.Kind == nilstate.Unknown || s.Kind.MayBeNil() && a.judged[s.Ev] != nil
	if a.reporting {
		f = f.withDetail()
		f.Via = embeddedVia(v)
		if _, seen := a.derefSites[f.Pos]; unproven && !seen && f.Pos.IsValid() {
			a.derefSites[f.Pos] = f
		}
		feasible := true
		if s.Kind.MayBeNil() && (s.Kind == nilstate.MaybeNil || a.wantsEntry(s)) {
			var path []Branch
			path, f.Entry, feasible = a.feasiblePath(instr, v, true, a.wantsEntry(s))
			if s.Kind == nilstate.MaybeNil {
				f.Path = path
			} else {
				feasible = true // nil on every path: the walk only looked for the entry
			}
		}
		switch {
		case !feasible:
			// No path on which v is nil reaches here (feasible.go).
		case s.Kind.MayBeNil():
			f.State = s
			a.emit(f)
		case s.Kind == nilstate.Unknown:
			if p, ok := a.key(v).(*ssa.Parameter); ok {
				a.paramDerefs = append(a.paramDerefs, paramDerefAt{p, instr.Block()})
			}
		}
	}
	if unproven && f.Pos.IsValid() {
		// Remember which dereference proved v non-nil: a later nil check
		// of v contradicts it (deref-before-check).
		mark := nilstate.Step{Pos: f.Pos}
		if s.Kind.MayBeNil() {
			mark.What = judgedDeref
		}
		a.set(st, v, nilstate.State{Kind: nilstate.NonNil, Ev: nilstate.NewEvidence(mark)})
	} else {
		a.set(st, v, nilstate.NonNilState)
	}
}

func (a *analysis) emit(f Finding) {
	if !f.Pos.IsValid() {
		return
	}
	if i, ok := a.reported[f.Pos]; ok {
		// One finding per position: the first, unless a certain one
		// follows a possible one (the definite check after the flow),
		// which the default shows.
		if f.Certain() && !a.findings[i].Certain() {
			a.findings[i] = f
		}
		return
	}
	a.reported[f.Pos] = len(a.findings)
	a.findings = append(a.findings, f)
}

// call checks the sinks of a call: the function value, the interface
// receiver, close's channel, and arguments the callee's summary says it
// dereferences.
func (a *analysis) call(st facts, instr ssa.Instruction, c *ssa.CallCommon) {
	// Sinks of a call are reported at its parenthesis: for defer and go
	// statements the instruction's own position is the keyword.
	sink := func(v ssa.Value, f Finding) {
		f.Pos = c.Pos()
		a.sink(st, instr, v, f)
	}
	if c.IsInvoke() {
		// A method of a type parameter may accept a nil receiver
		// (a pointer or channel type argument).
		if _, tparam := types.Unalias(c.Value.Type()).(*types.TypeParam); !tparam {
			sink(c.Value, Finding{Category: "nil-interface-call", Shape: ShapeCall})
		}
		if a.reporting {
			a.typedNilCall(c)
		}
		return
	}
	switch fv := c.Value.(type) {
	case *ssa.Builtin:
		if fv.Name() == "close" && len(c.Args) == 1 {
			sink(c.Args[0], Finding{Category: "nil-chan-close", Shape: ShapeCallArg})
		}
		return
	case *ssa.Function, *ssa.MakeClosure:
	default:
		sink(c.Value, Finding{Category: "nil-call", Shape: ShapeCall})
	}
	if obj, stops, ok := testifyNotNil(c); ok && stops {
		a.set(st, obj, nilstate.NonNilState)
		return
	}
	if err, stops, ok := testifyNoError(c); ok && stops {
		a.assume(st, err, true, c.Pos()) // err == nil from here on
		return
	}
	callee := c.StaticCallee()
	if callee == nil {
		return
	}
	if _, deferred := instr.(*ssa.Defer); a.reporting && !deferred {
		a.checkCall(st, c, callee) // a deferred call reads the paths later
	}
	if len(c.Args) > 0 && isValueMethodWrapper(callee) {
		// p.M() with a value receiver copies *p: a nil p panics.
		sink(c.Args[0], Finding{Category: "nil-deref", Shape: ShapeCall,
			Detail: displayName(callee) + " has a value receiver"})
		return
	}
	sum := a.env.Summary(callee)
	if sum == nil {
		return
	}
	isMethod := callee.Signature.Recv() != nil
	defer func() {
		for i, arg := range c.Args {
			switch after := sum.After(i); {
			case after == 0:
			case isBool(arg.Type()):
				a.refine(st, arg, after > 0) // assert(err == nil): as on the true branch
			case after < 0:
				a.set(st, arg, nilstate.NonNilState) // mustNotBeNil(u) returned
			case a.stateOf(st, arg, constCtx{}).Kind != nilstate.NonNil:
				a.assume(st, arg, true, c.Pos()) // check(err) returned: err is nil
			}
			if i < len(sum.Params) && sum.Params[i].FieldsAfter != 0 {
				a.fieldsSet(st, arg, sum.Params[i], c.Pos())
			}
		}
	}()
	for i, arg := range c.Args {
		if i >= len(sum.Params) || sum.Params[i].Kind != summary.ParamDerefs {
			continue
		}
		if isMethod && i == 0 {
			sink(arg, Finding{Category: "nil-receiver", Shape: ShapeCall, derefBy: callee, derefParam: -1})
			continue
		}
		argIndex := i
		if isMethod {
			argIndex--
		}
		sink(arg, Finding{Category: "nil-argument", Shape: ShapeCallArg, Arg: argIndex, derefBy: callee, derefParam: argIndex})
	}
}

// invalidate forgets nil facts about memory a call may write: paths
// rooted at a value passed to the call, at a global, or at a local
// variable that escapes. Non-nil facts are kept (precision first: a call
// that nils a field we just checked is rare, and forgetting guards would
// make every checked field look suspicious again).
func (a *analysis) invalidate(st facts, call ssa.CallInstruction) {
	c := call.Common()
	if _, ok := c.Value.(*ssa.Builtin); ok {
		return
	}
	reachable := a.mayWrite(call)
	// The paths that may be nil and that the call may write: their
	// current loads keep the state they had (retire). Most calls have
	// none, and then need no pass over the loads.
	stale := func(p pathKey) bool {
		s, ok := st[p]
		return ok && s.Kind.MayBeNil() && reachable(p)
	}
	for k := range st {
		if p, ok := k.(pathKey); ok && stale(p) {
			a.retire(st, stale)
			break
		}
	}
	for k, s := range st {
		p, ok := k.(pathKey)
		switch {
		case !ok:
		case s.Kind.MayBeNil() && reachable(p):
			st[k] = nilstate.UnknownState
		case marked(s, judgedDeref) && reachable(p):
			// Still non-nil (a call rarely undoes what was checked), but
			// a later check no longer contradicts a dereference of a field
			// with evidence: the callee may be what resets it.
			st[k] = nilstate.NonNilState
		}
	}
}

// mayWrite returns whether call may write the memory at a path: one
// rooted at a value passed to it, at a global, at a captured variable
// assigned more than once, or at a local variable that has escaped.
func (a *analysis) mayWrite(call ssa.CallInstruction) func(pathKey) bool {
	c := call.Common()
	if _, isCall := call.(*ssa.Call); isCall && a.pureCall(c) {
		// A pure callee (summary.Pure) writes nothing a caller sees:
		// l.Len() between a check of l.len and its use changes nothing.
		return func(pathKey) bool { return false }
	}
	var roots map[any]bool
	return func(p pathKey) bool {
		switch r := root(p).(type) {
		case *ssa.FreeVar:
			return !a.frozen[r] // shared with code we do not see, unless assigned once
		case *ssa.Global:
			return true // shared with code we do not see
		case *ssa.Alloc:
			if escapedAt(r, call) {
				return true
			}
		}
		if roots == nil {
			roots = make(map[any]bool)
			for _, arg := range c.Args {
				roots[root(a.ident(arg))] = true
			}
			if c.IsInvoke() {
				roots[root(a.ident(c.Value))] = true
			}
		}
		return roots[root(p)]
	}
}

// judgedDeref marks the non-nil state left by a dereference of a value
// whose only evidence is judged (a field's): for deref-before-check, and
// otherwise as good as a check (vouched), as it was before the mark.
const judgedDeref = "dereferenced"

// constructedMark marks a field that a callee set in its result
// (constructed): non-nil, but not by a check of this package's.
const constructedMark = "set where the result is made"

// setByCallMark marks a field that a callee left non-nil in its argument
// (fieldsSet, nestedSet): non-nil, but neither a guarded nor an
// unguarded use's business.
const setByCallMark = "set by the call"

// setByStore reports whether s is non-nil by a check, a store, a
// callee's construction or a callee's init: what a function may claim it
// sets (fields-set, fields-after, nested-after), so that an ensure helper
// that calls another (initProcess calls initConfig) sets what it does.
func setByStore(s nilstate.State) bool {
	return vouched(s) || marked(s, constructedMark) || marked(s, setByCallMark)
}

// vouched reports whether s is non-nil by a check, a store or a judged
// value's dereference, not by a dereference of an unknown value: a use
// under it is a guarded use, and a field so at every return is set by
// the function (fieldsNonNilAtReturns).
func vouched(s nilstate.State) bool {
	return s.Kind == nilstate.NonNil && s.Ev == nil || marked(s, judgedDeref)
}

// marked reports whether s is the non-nil state a mark (judgedDeref,
// constructedMark) left.
func marked(s nilstate.State, mark string) bool {
	return s.Kind == nilstate.NonNil && s.Ev.Len() == 1 && s.Ev.Steps[0].What == mark
}

// constructedState is the state of a field a callee constructed.
var constructedState = nilstate.State{Kind: nilstate.NonNil, Ev: nilstate.NewEvidence(nilstate.Step{What: constructedMark})}

// constructed: the fields a callee sets in its result (summary
// FieldsSet) are non-nil after the call, so `h := newHandler(); h.Resp.X`
// is not judged by the field's nil checks elsewhere.
func (a *analysis) constructed(st facts, call *ssa.Call) {
	sum := a.calleeSummary(call.Common())
	if sum == nil {
		return
	}
	for i, r := range sum.Results {
		if r.FieldsSet == 0 {
			continue
		}
		var base any = tupleKey{call, i}
		if len(sum.Results) == 1 {
			base = a.ident(call)
		}
		// With evidence, so that uses after the call count neither as
		// guarded nor as unguarded uses of the field (summary.Credible):
		// a constructor is not a check.
		for f := 0; f < 64; f++ {
			if r.FieldsSet&(1<<f) != 0 {
				st[a.newPath(base, f)] = constructedState
			}
		}
	}
}

// passedNonNil: a result nil only for a nil argument (nil-if-param-nil)
// is non-nil where the argument is, as the flow knows it here (`re, err
// := syntax.Parse(s); if err != nil {...}; re = re.Simplify()`); the
// intrinsic state of the call only sees the argument's origin.
func (a *analysis) passedNonNil(st facts, call *ssa.Call) {
	sum := a.calleeSummary(call.Common())
	if sum == nil {
		return
	}
	args := call.Common().Args
	for i, r := range sum.Results {
		if r.Kind != summary.ResultNilIfParamNil || r.Param >= len(args) {
			continue
		}
		if a.stateOf(st, args[r.Param], constCtx{}).Kind != nilstate.NonNil {
			continue
		}
		if len(sum.Results) == 1 {
			a.set(st, call, nilstate.NonNilState)
		} else {
			st[tupleKey{call, i}] = nilstate.NonNilState
		}
	}
}

// fieldsSet records that the fields of the struct arg points to, and the
// paths under them, are non-nil after a call that leaves them so
// (summary FieldsAfter, NestedAfter).
// The state names the call as its evidence, so that a use right after
// the call counts neither as a guarded nor as an unguarded one (a
// check-or-init, `if c.conn == nil { c.connect() }`, joins into a
// plain guard).
func (a *analysis) fieldsSet(st facts, arg ssa.Value, p summary.Param, at token.Pos) {
	set := nilstate.State{Kind: nilstate.NonNil, Ev: nilstate.NewEvidence(nilstate.Step{Pos: at, What: setByCallMark})}
	a.fieldsNonNil(st, arg, p.FieldsAfter, set)
	for _, fp := range p.NestedAfter { // two or three fields deep
		if fp.Len() < 2 {
			continue
		}
		k := a.newPath(a.ident(arg), fp.Field(0))
		for i := 1; i < fp.Len(); i++ {
			k = a.newPath(k, fp.Field(i))
		}
		a.setPath(st, k, set)
	}
}

// fieldsNonNil gives the fields in mask of the struct arg points to the
// non-nil state s.
func (a *analysis) fieldsNonNil(st facts, arg ssa.Value, mask uint64, s nilstate.State) {
	base := a.ident(arg)
	for i := 0; i < 64; i++ {
		if mask&(1<<i) == 0 {
			continue
		}
		a.setPath(st, pathKey{base, i}, s)
	}
}

// setPath gives the memory at p the state s: what was read of p or below
// it before is no longer current.
func (a *analysis) setPath(st facts, p pathKey, s nilstate.State) {
	a.retire(st, func(q pathKey) bool { return q == p || under(q, p) })
	st[p] = s
}

// retireCopies ends the currency of the struct copies that hold the
// memory at p (`c := *cfg; cfg.Log = nil; c.Log` reads the copy), and of
// the fields read from them.
func (a *analysis) retireCopies(st facts, p pathKey) {
	var copies []ssa.Value
	for k := range st {
		if c, ok := k.(current); ok && isStruct(c.load.Type()) && under(p, a.loads[c.load]) {
			copies = append(copies, c.load)
		}
	}
	if copies == nil {
		return
	}
	for _, c := range copies {
		delete(st, current{c}) // a struct has no nil state of its own to keep
	}
	a.retireLoads(st, func(load ssa.Value) bool {
		f, ok := load.(*ssa.Field)
		if !ok {
			return false
		}
		x, _ := a.key(f.X).(ssa.Value)
		return slices.Contains(copies, x)
	})
}

// escapedAt reports whether code other than the function's own loads
// and stores may write the local allocation al at call: its address was
// captured by a closure, stored elsewhere, boxed or passed to a call. An
// address taken only after the call, in the block that allocates al,
// is not visible to it yet: the `wg.Add(1)` between a worker's lookup and
// its `go func` cannot write the job the literal captures next.
func escapedAt(al *ssa.Alloc, call ssa.Instruction) bool {
	for _, r := range *al.Referrers() {
		switch r := r.(type) {
		case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.UnOp, *ssa.DebugRef:
			continue
		case *ssa.Store:
			if r.Val != ssa.Value(al) {
				continue
			}
		case *ssa.MakeInterface:
			if onlyErrorsAsTarget(r) {
				continue
			}
		}
		if call == r || call.Block() != al.Block() || r.Block() != al.Block() || !precedes(call, r) {
			return true
		}
	}
	return false
}

// copyFields: a struct value stored to addr (`h := newHandler()` kept in
// memory) brings the fields known set in the value (by its constructor,
// see constructed) to the memory's paths.
func (a *analysis) copyFields(st facts, val, addr ssa.Value) {
	from, to := a.ident(val), a.ident(addr)
	if p, ok := from.(pathKey); ok && p.field < 0 {
		switch p.base.(type) {
		case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
			// A load of a variable (a composite literal's, `x = T{f:
			// make(...)}`): its fields' paths are the variable's own
			// (&v.f is pathKey{v, f}), not the load's.
			from = p.base
		}
	}
	var set []int
	for k, s := range st {
		if pk, ok := k.(pathKey); ok && pk.base == from && pk.field >= 0 && setByStore(s) {
			set = append(set, pk.field)
		}
	}
	slices.Sort(set)
	for _, f := range set {
		st[a.newPath(to, f)] = st[pathKey{from, f}]
	}
}

// store tracks the value stored into an access path.
func (a *analysis) store(st facts, s *ssa.Store) {
	p, ok := a.path(s.Addr)
	if !ok {
		return
	}
	if g, ok := s.Addr.(*ssa.Global); ok && !a.readsGlobal(g) {
		// Nothing in the function can read a fact about g (a package
		// initializer of generated code stores thousands of them, and
		// each fact kept would slow every later store and call).
		return
	}
	a.retire(st, func(k pathKey) bool { return k == p || under(k, p) })
	a.retireCopies(st, p)
	for k := range st {
		if pk, ok := k.(pathKey); ok && under(pk, p) {
			delete(st, k)
		}
	}
	if isStruct(s.Val.Type()) {
		a.copyFields(st, s.Val, s.Addr)
	}
	if !nilable(s.Val.Type()) {
		return
	}
	var val nilstate.State
	switch {
	case isNilConst(s.Val):
		if al, ok := s.Addr.(*ssa.Alloc); ok && al.Comment == "" {
			// The unnamed result slot of a function with defers: this is
			// `return nil`.
			val = nilstate.NilBecause(nilstate.NewEvidence(a.step(s.Pos(), displayName(a.fn)+" returns nil")))
		} else if ok {
			val = nilstate.NilBecause(nilstate.NewEvidence(a.nilSite(constCtx{name: al.Comment, before: s.Pos()})))
		} else {
			val = nilstate.NilBecause(nilstate.NewEvidence(a.step(s.Pos(), "assigned nil")))
		}
	default:
		val = a.stateOf(st, s.Val, constCtx{before: s.Pos()})
		if val.Kind == nilstate.NonNil {
			val = nilstate.NonNilState // a dereference of the value is not one of the field
		}
	}
	st[p] = val
}

// readsGlobal reports whether the function uses g other than as the
// address of a store: loads, field and element addresses, calls.
func (a *analysis) readsGlobal(g *ssa.Global) bool {
	if a.readGlobals == nil {
		a.readGlobals = make(map[*ssa.Global]bool)
		var ops []*ssa.Value
		for _, b := range a.fn.Blocks {
			for _, instr := range b.Instrs {
				ops = instr.Operands(ops[:0])
				for i, op := range ops {
					if g, ok := (*op).(*ssa.Global); ok {
						if _, store := instr.(*ssa.Store); !store || i != 0 {
							a.readGlobals[g] = true
						}
					}
				}
			}
		}
	}
	return a.readGlobals[g]
}

// alloc: the fields of a fresh struct are zero until stored, so a
// pointer-like field the code reads but never sets is nil
// (`s := &S{}; s.m[k] = v`).
func (a *analysis) alloc(st facts, al *ssa.Alloc) {
	if step, ok := a.declaredNil(al); ok {
		// `var target *E` kept in memory (its address is taken, as for
		// errors.As): nil until a store or a call that reaches it.
		st[pathKey{al, -1}] = nilstate.NilBecause(nilstate.NewEvidence(step))
		return
	}
	strct := pointee(al.Type())
	if strct == nil {
		return
	}
	for _, r := range *al.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		field := strct.Field(fa.Field)
		if !nilable(field.Type()) {
			continue
		}
		st[pathKey{al, fa.Field}] = nilstate.NilBecause(nilstate.NewEvidence(
			a.step(al.Pos(), "field "+field.Name()+" not set")))
	}
}

type returnSite struct {
	block  *ssa.BasicBlock
	pos    token.Pos
	ops    []ssa.Value
	states []nilstate.State
	facts  facts // at the return, for parameter contracts
}

// value is what return r hands back as result i: in a function with
// defers (or named results), the return reads a result slot, and the
// value is the one the return statement stored there just before
// (`defer mu.Unlock(); v, ok := m[k]; return v, ok`), unless a closure
// may change the slot.
func (r returnSite) value(i int) ssa.Value {
	v := r.ops[i]
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return v
	}
	slot, ok := load.X.(*ssa.Alloc)
	if !ok || slot.Heap || slot.Parent() == nil || !slices.Contains(slot.Parent().Locals, slot) {
		return v
	}
	instrs := r.block.Instrs
	for k := len(instrs) - 1; k >= 0; k-- {
		if st, ok := instrs[k].(*ssa.Store); ok && st.Addr == ssa.Value(slot) {
			return st.Val
		}
	}
	return v
}

// recovered reports whether return r is the function's recover block
// handing back result i from a slot that only return statements store
// to: its value is the zero value or one that another return hands back.
func (r returnSite) recovered(i int) bool {
	if r.block != r.block.Parent().Recover {
		return false
	}
	load, ok := r.ops[i].(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	slot, ok := load.X.(*ssa.Alloc)
	if !ok || slot.Heap {
		return false
	}
	for _, ref := range *slot.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			b := ref.Block()
			if _, ret := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ret {
				return false
			}
		case *ssa.UnOp, *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

func (a *analysis) recordReturn(st facts, r *ssa.Return) {
	rs := returnSite{block: r.Block(), pos: r.Pos(), ops: r.Results, facts: st}
	if !rs.pos.IsValid() {
		rs.pos = blockEnd(r.Block())
	}
	for _, v := range r.Results {
		rs.states = append(rs.states, a.stateOf(st, v, constCtx{before: rs.pos}))
	}
	a.returns = append(a.returns, rs)
}

func isPointerToArray(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Array)
	return ok
}

// displayName names a function the way a message should: f, (*T).M, or
// "func literal".
func displayName(fn *ssa.Function) string {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Parent() != nil {
		return "func literal"
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			t, star = p.Elem(), "*"
		}
		name := t.String()
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name()
		}
		if star != "" {
			return fmt.Sprintf("(*%s).%s", name, fn.Name())
		}
		return name + "." + fn.Name()
	}
	return fn.Name()
}

// isValueMethodWrapper reports whether fn is the synthetic (*T).M that
// calls a value-receiver method T.M through a pointer.
func isValueMethodWrapper(fn *ssa.Function) bool {
	if fn.Synthetic == "" || len(fn.Params) == 0 {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	recv := obj.Signature().Recv()
	if recv == nil {
		return false
	}
	_, recvIsPtr := recv.Type().Underlying().(*types.Pointer)
	_, argIsPtr := fn.Params[0].Type().Underlying().(*types.Pointer)
	return argIsPtr && !recvIsPtr && !types.IsInterface(recv.Type())
}

// implicitLoad describes a load. An explicit *p has the star's position;
// the copy of *p that calling a value method through p makes has none,
// so it is reported at the call.
func implicitLoad(load *ssa.UnOp) Finding {
	f := Finding{Category: "nil-deref", Shape: ShapeStar}
	if load.Pos().IsValid() {
		return f
	}
	for _, r := range *load.Referrers() {
		if call, ok := r.(ssa.CallInstruction); ok && call.Pos().IsValid() {
			if callee := call.Common().StaticCallee(); callee != nil && callee.Signature.Recv() != nil {
				f.Pos, f.Shape = call.Pos(), ShapeCall
				f.Detail = displayName(callee) + " has a value receiver"
			}
			break
		}
	}
	return f
}

// embeddedVia is the name of the embedded field v was loaded from, if
// any (see Finding.Via).
func embeddedVia(v ssa.Value) string {
	if l, ok := v.(*ssa.UnOp); ok && l.Op == token.MUL {
		if fa, ok := l.X.(*ssa.FieldAddr); ok {
			if f := fieldOf(fa); f != nil && f.Embedded() {
				return f.Name()
			}
		}
	}
	return ""
}

// loadedField returns the struct field v was loaded from, if any.
func (a *analysis) loadedField(v ssa.Value) *types.Var {
	if l, ok := a.key(v).(*ssa.UnOp); ok && l.Op == token.MUL {
		if fa, ok := l.X.(*ssa.FieldAddr); ok {
			return fieldOf(fa)
		}
	}
	return nil
}

// typedNil reports a return that boxes a maybe-nil pointer into an
// interface result: the caller's `err != nil` is true for it, so the
// error path runs (or a method call on it dereferences nil).
func (a *analysis) typedNil(st facts, r *ssa.Return) {
	for i, op := range r.Results {
		if t := a.typedNilOf(op); t != nil && !a.withError(st, r, i, op) {
			// `return validate(s)`: the callee's typed nil passes through.
			if _, seen := a.typedNils[i]; !seen {
				if a.typedNils == nil {
					a.typedNils = make(map[int]*summary.TypedNil)
				}
				ev := t.Ev.Then(a.step(r.Pos(), displayName(a.fn)+" returns it"))
				a.typedNils[i] = &summary.TypedNil{Ev: ev, Type: t.Type, Derefs: t.Derefs}
			}
			continue
		}
		mi, ok := op.(*ssa.MakeInterface)
		if !ok || !nilable(mi.X.Type()) || types.IsInterface(mi.X.Type()) {
			continue
		}
		s := a.stateOf(st, mi.X, constCtx{before: r.Pos()})
		if !s.Kind.MayBeNil() || a.withError(st, r, i, mi.X) {
			continue
		}
		ptr := types.TypeString(mi.X.Type(), types.RelativeTo(a.fn.Pkg.Pkg))
		iface := types.TypeString(mi.Type(), types.RelativeTo(a.fn.Pkg.Pkg))
		// Judged as a dereference's evidence is (sink): a field's nil
		// check elsewhere is a hint here too.
		a.emit(Finding{Category: "typed-nil", Shape: ShapeReturn, Pos: r.Pos(), Arg: i, State: s, Judged: a.judged[s.Ev],
			Detail: fmt.Sprintf("a nil %s is a non-nil %s", ptr, iface)})
		if a.typedNils == nil {
			a.typedNils = make(map[int]*summary.TypedNil)
		}
		if _, seen := a.typedNils[i]; !seen {
			if it, ok := mi.Type().Underlying().(*types.Interface); ok {
				ev := s.Ev.Then(a.step(r.Pos(), fmt.Sprintf("%s returns a nil %s as a non-nil %s", displayName(a.fn), ptr, iface)))
				a.typedNils[i] = &summary.TypedNil{Ev: ev, Type: ptr, Derefs: a.derefMethods(mi.X.Type(), it)}
			}
		}
	}
}

// derefMethods lists the methods of iface whose implementation on the
// pointer type ptr dereferences the receiver: called on a nil ptr boxed
// in iface, they panic.
func (a *analysis) derefMethods(ptr types.Type, iface *types.Interface) []string {
	var names []string
	for i := 0; i < iface.NumMethods(); i++ {
		m := iface.Method(i)
		fn := a.fn.Prog.LookupMethod(ptr, m.Pkg(), m.Name())
		if fn != nil && a.derefsReceiver(fn) {
			names = append(names, m.Name())
		}
	}
	slices.Sort(names)
	return names
}

// derefsReceiver reports whether method fn dereferences its receiver:
// its summary says so, or (a method of this package not analyzed yet, or
// the wrapper of a value method) its entry block does before any branch.
func (a *analysis) derefsReceiver(fn *ssa.Function) bool {
	if sum := a.env.Summary(fn); sum != nil && len(sum.Params) > 0 && sum.Params[0].Kind == summary.ParamDerefs {
		return true
	}
	if len(fn.Blocks) == 0 || len(fn.Params) == 0 {
		return false
	}
	recv := fn.Params[0]
	for _, instr := range fn.Blocks[0].Instrs {
		switch instr := instr.(type) {
		case *ssa.FieldAddr:
			if instr.X == recv {
				return true
			}
		case *ssa.UnOp:
			if instr.Op == token.MUL && instr.X == recv {
				return true
			}
		case *ssa.Store:
			if instr.Addr == recv {
				return true
			}
		}
	}
	return false
}

// typedNilCall reports a method call on the interface result of a call
// whose summary says it may hold a nil pointer whose method dereferences
// the receiver: `if err := validate(s); err != nil { err.Error() }`.
func (a *analysis) typedNilCall(c *ssa.CallCommon) {
	t := a.typedNilOf(c.Value)
	if t == nil || !slices.Contains(t.Derefs, c.Method.Name()) {
		return
	}
	a.emit(Finding{Category: "typed-nil", Shape: ShapeCall, Pos: c.Pos(),
		State:  nilstate.MaybeNilBecause(t.Ev),
		Detail: fmt.Sprintf("(%s).%s dereferences its receiver", t.Type, c.Method.Name())})
}

// typedNilOf returns the callee's TypedNil if v is an interface result
// of a call (through interface conversions) that may hold a nil pointer.
func (a *analysis) typedNilOf(v ssa.Value) *summary.TypedNil {
	for {
		ci, ok := v.(*ssa.ChangeInterface)
		if !ok {
			break
		}
		v = ci.X
	}
	var call *ssa.Call
	idx := 0
	switch x := v.(type) {
	case *ssa.Call:
		call = x
	case *ssa.Extract:
		call, _ = x.Tuple.(*ssa.Call)
		idx = x.Index
	}
	if call == nil {
		return nil
	}
	sum := a.calleeSummary(call.Common())
	if sum == nil || idx >= len(sum.Results) {
		return nil
	}
	return sum.Results[idx].TypedNil
}

// withError reports whether return r pairs its i'th result x with an
// error that is non-nil, or that comes from the same call as x (`return
// NewT()` forwarding a nil *T with its error): callers that check the
// error never look at x.
func (a *analysis) withError(st facts, r *ssa.Return, i int, x ssa.Value) bool {
	for j, op := range r.Results {
		if j == i || !isError(op.Type()) {
			continue
		}
		if a.stateOf(st, op, constCtx{}).Kind == nilstate.NonNil {
			return true
		}
		ex, ok1 := op.(*ssa.Extract)
		ey, ok2 := x.(*ssa.Extract)
		if ok1 && ok2 && ex.Tuple == ey.Tuple {
			return true
		}
	}
	return false
}

// decoded: after json.Unmarshal(data, &v), v's pointer fields are nil
// where the input lacks their keys, whatever v held before.
func (a *analysis) decoded(st facts, c *ssa.CallCommon) {
	target := jsonTarget(c)
	if target == nil {
		return
	}
	arg := c.Args[len(c.Args)-1]
	if mi, ok := arg.(*ssa.MakeInterface); ok {
		arg = mi.X
	}
	base := a.ident(arg)
	for i := 0; i < target.NumFields(); i++ {
		f := target.Field(i)
		if ev := a.env.Field(f); ev != nil && f.Exported() && nilable(f.Type()) {
			a.judged[ev] = f
			a.retire(st, func(p pathKey) bool { return p == pathKey{base, i} || under(p, pathKey{base, i}) })
			st[pathKey{base, i}] = nilstate.MaybeNilBecause(ev)
		}
	}
}

// use counts a guarded or unguarded use of a judged field or result.
// It counts functions, not dereferences: a guarded block that uses the
// field five times is one guarded use.
func (a *analysis) use(obj types.Object, u summary.FieldUses) {
	u = a.uses[obj].Add(u)
	a.uses[obj] = summary.FieldUses{Guarded: min(u.Guarded, 1), Unguarded: min(u.Unguarded, 1)}
}

// onEveryPath reports whether every normal return of the function passes
// through b: a parameter dereferenced there is dereferenced whenever the
// function returns (`if t.Len() != 0 { t.vars[0] }` is not).
func (a *analysis) onEveryPath(b *ssa.BasicBlock) bool {
	for _, r := range a.fn.Blocks {
		if len(r.Instrs) == 0 || a.in[r.Index] == nil {
			continue
		}
		if _, ok := r.Instrs[len(r.Instrs)-1].(*ssa.Return); ok && r != a.fn.Recover && !b.Dominates(r) {
			return false
		}
	}
	return true
}
