package flow

import (
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// Path feasibility. The data flow joins the states of the paths that meet
// at a block, so what ties one branch to another is lost at the join: the
// same condition tested twice, a flag set where a pointer was assigned,
// `(a != nil) != (b != nil)` after `a == nil && b == nil` returned. Before
// a may-nil dereference is reported, feasible walks the CFG backwards from
// it and carries the branch conditions met on the way as constraints: the
// value dereferenced is nil, and each edge's condition holds. The finding
// stands only if some path from the function's entry satisfies them all,
// or if the search runs out of budget.
//
// A constraint is about a subject: an SSA value by its key (keys.go, so
// conversions and the two spellings of an element are one subject), or
// the memory at an access path (memAt). A load's constraint becomes its
// path's when the walk passes the load; a store to the path hands it to
// the stored value; passing a value's definition drops what was said of
// it (a loop's earlier iteration computed another value), and a φ's is
// handed to its operand on the edge the walk takes. What the walk cannot
// follow it drops, which only makes the path more feasible.

// memAt is the subject "the memory at path p" at a point of the walk.
type memAt struct{ p pathKey }

// fact is what a path requires of a subject: for a value that can be nil,
// is > 0 means nil and is < 0 non-nil; for a bool, true and false. An
// integer subject may be constrained to [lo, hi], and any subject to equal
// one constant or to differ from some (neq: sorted, NUL-separated). An
// interface's dynamic type may be required to pass the type assertions to
// tin and to fail those to tout (typeKey strings, sorted, NUL-separated).
type fact struct {
	is   int8
	seen bool // is > 0 because the path took the nil branch of a check
	// stored: memory nil here that a call or a store through another
	// pointer may have made nil since the function's entry (entry.go)
	stored bool
	ranged bool
	lo, hi int64
	c      *consts // rare, so kept apart: a path's state is copied at every branch
}

// consts is what a fact says of constants and types; never changed once
// made (and makes a new one).
type consts struct {
	eq, neq   string
	tin, tout string
}

// k is what f says of constants and types (none when f.c is nil).
func (f fact) k() consts {
	if f.c == nil {
		return consts{}
	}
	return *f.c
}

// same reports whether f and g require the same.
func (f fact) same(g fact) bool {
	fc, gc := f.c, g.c
	f.c, g.c = nil, nil
	if f != g {
		return false
	}
	if fc == nil || gc == nil {
		return fc == gc || fc == nil && *gc == consts{} || gc == nil && *fc == consts{}
	}
	return *fc == *gc
}

// withConsts returns f with its constants and types replaced.
func (f fact) withConsts(c consts) fact {
	if c == (consts{}) {
		f.c = nil
	} else if f.c == nil || *f.c != c {
		f.c = &c
	}
	return f
}

// rel requires bools x and y to be equal (same) or different.
type rel struct {
	x, y ssa.Value
	same bool
}

// pstate is the conjunction of constraints on one path at one point.
type pstate struct {
	facts factSet
	rels  []rel
}

// factSet maps subjects to facts. A path constrains few subjects, and
// the walk copies its state at every branch: a slice is cheaper to copy
// than a map, and its order is deterministic.
type factSet []subjectFact

type subjectFact struct {
	k any
	f fact
}

func (s factSet) get(k any) (fact, bool) {
	for _, e := range s {
		if e.k == k {
			return e.f, true
		}
	}
	return fact{}, false
}

func (s *factSet) set(k any, f fact) {
	for i := range *s {
		if (*s)[i].k == k {
			(*s)[i].f = f
			return
		}
	}
	*s = append(*s, subjectFact{k, f})
}

func (s *factSet) del(k any) {
	*s = slices.DeleteFunc(*s, func(e subjectFact) bool { return e.k == k })
}

func (s *pstate) clone() *pstate {
	return &pstate{facts: slices.Clone(s.facts), rels: slices.Clone(s.rels)}
}

// implies reports whether s requires all that o does: a path that meets
// s meets o, so s needs no search where o had one.
func (s *pstate) implies(o *pstate) bool {
	if len(s.facts) < len(o.facts) || len(s.rels) < len(o.rels) {
		return false
	}
	for _, e := range o.facts {
		k, f := e.k, e.f
		g, ok := s.facts.get(k)
		if !ok {
			return false
		}
		if m, ok := g.and(f); !ok || !m.same(g) {
			return false
		}
	}
	for _, r := range o.rels {
		if !slices.Contains(s.rels, r) {
			return false
		}
	}
	return true
}

// Budgets of the walk: steps (instructions and edges) per finding, and
// per function, after which findings are reported unchecked; distinct
// states searched from a block before the next is widened to what they
// all require (widen).
const (
	maxPathSteps     = 4000
	maxPathStepsFunc = 100_000
	maxBlockStates   = 32
)

// walker is one feasibility search.
type walker struct {
	a     *analysis
	steps int
	// forks are the other states a disjunction (a callee's NilWhen)
	// allows at the definition being passed; split lists them once that
	// definition is passed, for the search to continue from.
	forks  []*pstate
	split  []walkItem
	path   *branchNode // of the item being walked, for its forks
	noFork bool        // take a disjunction of several as no constraint
	entry  bool        // mark nil memory a call may have stored (entry.go)
}

// walkItem is a state to walk from: the instructions of b before at,
// with the branches taken between there and the start.
type walkItem struct {
	b    *ssa.BasicBlock
	at   int
	st   *pstate
	path *branchNode
}

// branchNode is a branch on the path searched, linked towards the start
// (the dereference): read from the entry, the branches in program order.
type branchNode struct {
	cond  ssa.Value
	taken bool
	next  *branchNode
}

// Branch is a conditional branch on the path of a finding: the
// condition (its position) and the way taken (-explain).
type Branch struct {
	Pos   token.Pos
	Taken bool
	// Index >= 0: the condition is result Index of the tuple at Pos
	// (the ok of `v, ok := m[k]`), which has no position of its own.
	Index int
}

// maxBranches bounds a finding's Path: the branches nearest the
// dereference explain it best.
const maxBranches = 8

// branches lists the branches of a path found, in program order.
func (n *branchNode) branches() []Branch {
	var bs []Branch
	for ; n != nil; n = n.next {
		if pos := n.cond.Pos(); pos.IsValid() {
			bs = append(bs, Branch{pos, n.taken, -1})
		} else if e, ok := n.cond.(*ssa.Extract); ok && e.Tuple.Pos().IsValid() {
			bs = append(bs, Branch{e.Tuple.Pos(), n.taken, e.Index})
		}
	}
	if len(bs) > maxBranches {
		bs = bs[len(bs)-maxBranches:]
	}
	return bs
}

// feasible reports whether v can be nil at instr on some path from the
// function's entry that satisfies the conditions it passes.
func (a *analysis) feasible(instr ssa.Instruction, v ssa.Value) bool {
	_, _, ok := a.feasiblePath(instr, v, false, false)
	return ok
}

// feasiblePath is feasible, and with withPath the branches of the path
// found (nil when the search ran out of budget), which only findings show.
// With withEntry it goes on past the first path and returns the path of
// a parameter's memory that every path requires nil on entry, if there
// is one (entry.go).
func (a *analysis) feasiblePath(instr ssa.Instruction, v ssa.Value, withPath, withEntry bool) ([]Branch, *EntryPath, bool) {
	var bs []Branch
	var entries map[string]EntryPath // those every path so far requires
	first := true
	found, exhausted := a.search(instr, v, withEntry, func(st *pstate, path *branchNode) bool {
		if first && withPath {
			bs = path.branches()
		}
		if !withEntry {
			return true
		}
		here := a.entryPaths(st)
		if first {
			entries = here
		}
		first = false
		maps.DeleteFunc(entries, func(k string, _ EntryPath) bool { _, ok := here[k]; return !ok })
		return len(entries) == 0 // a path the callers do not decide: stop
	})
	var entry *EntryPath
	if found && !exhausted && len(entries) > 0 {
		ep := entries[slices.Min(slices.Collect(maps.Keys(entries)))]
		entry = &ep
	}
	return bs, entry, found || exhausted
}

// search walks back from instr with v nil (or from instr alone, for a nil
// v) and calls atEntry with each state that reaches the function's entry
// (a recover block counts, with its constraints dropped) until it returns
// true. It reports whether some
// state reached the entry, and whether the budget ran out first (which
// callers take as feasible).
func (a *analysis) search(instr ssa.Instruction, v ssa.Value, entry bool, atEntry func(*pstate, *branchNode) bool) (found, exhausted bool) {
	b := instr.Block()
	if b == nil || a.pathSteps >= maxPathStepsFunc {
		return false, true
	}
	w := &walker{a: a, entry: entry}
	defer func() { a.pathSteps += w.steps }()
	st := &pstate{}
	if v != nil && !w.assume(st, v, fact{is: 1}) {
		return false, false
	}
	at := slices.Index(b.Instrs, instr)
	if at < 0 {
		return false, true
	}
	seen := make(map[int][]*pstate)
	stack := []walkItem{{b, at, st, nil}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		w.path = it.path
		ok := w.block(it.st, it.b, it.at)
		stack = append(stack, w.split...)
		w.split = w.split[:0]
		if !ok {
			continue
		}
		if it.b.Index == 0 && !w.witnessed(it.st, func(k any) bool {
			switch k.(type) {
			case *ssa.Parameter, *ssa.FreeVar:
				return true
			}
			return false
		}) {
			continue
		}
		if it.b.Index == 0 && !w.closureEntry(it.st) {
			continue
		}
		if it.b == a.fn.Recover {
			found = true
			if atEntry(&pstate{}, it.path) {
				return true, false
			}
			continue
		}
		if it.b.Index == 0 {
			found = true // nothing contradicts the constraints
			if atEntry(it.st, it.path) {
				return true, false
			}
			continue
		}
		for i, p := range it.b.Preds {
			if a.out[p.Index] == nil {
				continue // p never leaves normally, or is not reached
			}
			if w.steps++; w.steps > maxPathSteps {
				return found, true
			}
			st := it.st.clone()
			if !w.edge(st, p, it.b, i) {
				continue
			}
			known := seen[p.Index]
			if slices.ContainsFunc(known, st.implies) {
				continue // searched from here with the same or fewer constraints
			}
			if len(known) >= maxBlockStates {
				// Too many ways to get here: go on with what they all
				// require, which every later state implies.
				st = widen(st, known)
				if slices.ContainsFunc(known, st.implies) {
					continue
				}
			}
			seen[p.Index] = append(known, st.clone()) // the walk changes st
			path := it.path
			if cond, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If); ok && p.Succs[0] != p.Succs[1] {
				path = &branchNode{cond.Cond, p.Succs[0] == it.b, path}
			}
			stack = append(stack, walkItem{p, len(p.Instrs) - 1, st, path})
		}
	}
	return found, false
}

// widen keeps of st the facts and relations that each of the states
// in known requires too: a weaker state, so a search from it finds a path
// if one of the dropped constraints would have, and the states that reach
// the block later imply it.
func widen(st *pstate, known []*pstate) *pstate {
	w := &pstate{}
	for _, e := range st.facts {
		if !slices.ContainsFunc(known, func(k *pstate) bool {
			f, ok := k.facts.get(e.k)
			return !ok || !f.same(e.f)
		}) {
			w.facts = append(w.facts, e)
		}
	}
	for _, r := range st.rels {
		if !slices.ContainsFunc(known, func(k *pstate) bool { return !slices.Contains(k.rels, r) }) {
			w.rels = append(w.rels, r)
		}
	}
	return w
}

// edge applies taking the edge from p into b (b's i-th predecessor): b's
// φs are their operands on it, and p's branch went towards b.
func (w *walker) edge(st *pstate, p, b *ssa.BasicBlock, i int) bool {
	var phis []*ssa.Phi
	for _, instr := range b.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		phis = append(phis, phi)
	}
	if len(phis) > 0 {
		// The φs take their operands at once (a swap is two φs of each
		// other): collect their facts before handing any on.
		type pending struct {
			v ssa.Value
			f fact
		}
		var moved []pending
		for _, phi := range phis {
			if f, ok := st.facts.get(phi); ok {
				st.facts.del(phi)
				moved = append(moved, pending{phi.Edges[i], f})
			}
		}
		// Relations too, at once: a side that is one of b's φs becomes
		// its operand (a slice search: a block has few φs).
		operand := func(v ssa.Value) ssa.Value {
			if phi, ok := v.(*ssa.Phi); ok && phi.Block() == b {
				return phi.Edges[i]
			}
			return v
		}
		for j, r := range st.rels {
			st.rels[j].x, st.rels[j].y = operand(r.x), operand(r.y)
		}
		// Paths through a φ (its element, its field) are another value's.
		w.drop(st, func(k any, _ fact) bool {
			return slices.ContainsFunc(phis, func(phi *ssa.Phi) bool { return mentions(k, phi) })
		})
		for _, m := range moved {
			if !w.assume(st, m.v, m.f) {
				return false
			}
		}
	}
	if cond, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If); ok && p.Succs[0] != p.Succs[1] {
		is := int8(1)
		if p.Succs[1] == b {
			is = -1
		}
		if !w.assume(st, cond.Cond, fact{is: is}) {
			return false
		}
	}
	return w.propagate(st)
}

// closureEntry continues a walk that reached a function literal's entry
// into its enclosing function: what the literal requires of a variable it
// captures is required of the value stored in it (a variable assigned
// once, before the literal's only MakeClosure, see closures.go), and the
// contracts tying those values are checked (`s, ok := x.(S)` captured,
// `if !ok { return }` in the literal, then `s.M()`).
func (w *walker) closureEntry(st *pstate) bool {
	fn := w.a.fn
	if fn.Parent() == nil || len(fn.FreeVars) == 0 {
		return true
	}
	mc := onlyMakeClosure(fn)
	if mc == nil {
		return true
	}
	var defs []ssa.Value
	for i, fv := range fn.FreeVars {
		f, ok := st.facts.get(memAt{pathKey{fv, -1}})
		if !ok || i >= len(mc.Bindings) {
			continue
		}
		al, ok := mc.Bindings[i].(*ssa.Alloc)
		if !ok {
			continue
		}
		store := assignedOnceBefore(al, mc, false)
		if store == nil {
			continue
		}
		if !w.assume(st, store.Val, f) {
			return false
		}
		if e, ok := store.Val.(*ssa.Extract); ok && !slices.Contains(defs, e.Tuple) {
			defs = append(defs, e.Tuple)
		}
	}
	w.noFork = true
	defer func() { w.noFork = false }()
	for _, d := range defs {
		if !w.contract(st, d) {
			return false
		}
	}
	return true
}

// onlyMakeClosure returns the literal fn's MakeClosure if it has one
// and nothing else refers to it (as captureGuards requires).
func onlyMakeClosure(fn *ssa.Function) *ssa.MakeClosure {
	refs := fn.Referrers()
	if refs == nil || len(*refs) != 1 {
		return nil
	}
	mc, _ := (*refs)[0].(*ssa.MakeClosure)
	return mc
}

// block walks b's instructions before index at backwards, and reports
// whether the constraints still hold.
func (w *walker) block(st *pstate, b *ssa.BasicBlock, at int) bool {
	a := w.a
	for j := at - 1; j >= 0; j-- {
		w.steps++
		if w.entry {
			w.markStored(st, b.Instrs[j])
		}
		if a.pureCalls && writes(a, b.Instrs[j]) {
			// Before a write, a pure call may return something else.
			w.drop(st, func(k any, _ fact) bool { return throughCall(k) })
		}
		switch instr := b.Instrs[j].(type) {
		case *ssa.Phi:
			continue // taken on the edge
		case *ssa.Store:
			p, ok := a.path(instr.Addr)
			if !ok {
				break
			}
			if f, ok := st.facts.get(memAt{p}); ok {
				st.facts.del(memAt{p})
				if !w.assume(st, instr.Val, f) {
					return false
				}
			}
			w.drop(st, func(k any, _ fact) bool {
				m, ok := k.(memAt)
				return ok && under(m.p, p)
			})
		case *ssa.MapUpdate:
			lk := lookupKey{a.ident(instr.Map), a.operandKey(instr.Key)}
			f, ok := st.facts.get(lk)
			w.drop(st, func(k any, _ fact) bool {
				l, ok := k.(lookupKey)
				return ok && l.m == lk.m
			})
			if ok && !w.assume(st, instr.Value, f) {
				return false
			}
		case *ssa.Call:
			if c := instr.Common(); isBuiltin(c.Value, "delete") && len(c.Args) == 2 {
				// After delete(m, k), m[k] misses: the nil the path
				// looks for, and never anything else.
				lk := lookupKey{a.ident(c.Args[0]), a.operandKey(c.Args[1])}
				f, ok := st.facts.get(lk)
				w.drop(st, func(k any, _ fact) bool {
					l, ok := k.(lookupKey)
					return ok && l.m == lk.m
				})
				if ok && f.is < 0 {
					return false
				}
			}
			if _, ok := instr.Call.Value.(*ssa.Builtin); ok {
				break
			}
			// As in invalidate: a call may set what it can reach, but is
			// not taken to reset what was non-nil. So memory nil after the
			// call was nil before it. A tag (a bool, a number) in a field
			// the function never stores is taken as unchanged, as a
			// repeated test of it reads it (d.cb in image/png's decoder);
			// anything else may be the call's.
			reachable := a.mayWrite(instr)
			w.drop(st, func(k any, f fact) bool {
				m, ok := k.(memAt)
				if !ok || !reachable(m.p) {
					return false
				}
				if t := w.typeOf(m.p); nilable(t) {
					return f.is <= 0
				}
				return m.p.field < 0 || a.storedFields()[m.p.field]
			})
		}
		// Past an operation that panics on nil, its operand was not nil.
		if x := derefOperand(b.Instrs[j]); x != nil && !w.assume(st, x, fact{is: -1}) {
			return false
		}
		if v, ok := b.Instrs[j].(ssa.Value); ok {
			ok := w.defined(st, v)
			for _, f := range w.forks {
				if w.propagate(f) {
					w.split = append(w.split, walkItem{b, j, f, w.path})
				}
			}
			w.forks = w.forks[:0]
			if !ok {
				return false
			}
		}
		if !w.propagate(st) {
			return false
		}
	}
	return true
}

// writes reports whether instr may write memory that a pure call reads:
// a store, a map update, or a call that is not pure.
func writes(a *analysis, instr ssa.Instruction) bool {
	switch instr := instr.(type) {
	case *ssa.Store, *ssa.MapUpdate:
		return true
	case *ssa.Call:
		return !a.pureCall(instr.Common())
	}
	return false
}

// defined applies passing backwards over v's definition: a load's facts
// become its path's, a variable starts zero, and anything else said of
// v is about a value that does not exist yet.
func (w *walker) defined(st *pstate, v ssa.Value) bool {
	if call, ok := v.(*ssa.Call); ok && !w.returned(st, call) {
		return false
	}
	if len(st.facts) == 0 && len(st.rels) == 0 {
		return true // nothing said of anything, so nothing of v
	}
	a := w.a
	k := a.key(v)
	if call, ok := v.(*ssa.Call); ok {
		// len of a parameter is the parameter's: a NilWhen condition
		// (`case 0: return nil` of `switch len(its)`).
		if p, ok := lenOf(call); ok {
			if f, ok := st.facts.get(v); ok && f.ranged {
				st.facts.del(v)
				if !w.merge(st, lenKey{p}, fact{ranged: true, lo: f.lo, hi: f.hi}) {
					return false
				}
			}
		}
	}
	_, call := v.(*ssa.Call)
	if p, ok := a.loads[v]; ok && k == v && !call {
		if f, ok := st.facts.get(v); ok {
			st.facts.del(v)
			if !w.merge(st, memAt{p}, f) {
				return false
			}
		}
	}
	if al, ok := v.(*ssa.Alloc); ok {
		for _, e := range st.facts {
			k, f := e.k, e.f
			m, ok := k.(memAt)
			if !ok || m.p.base != any(al) {
				continue
			}
			if !zeroSatisfies(w.typeOf(m.p), f) {
				return false
			}
		}
	}
	if next, ok := v.(*ssa.Next); ok {
		// A range over a map binds a key the map holds: m[k] is not
		// missing here (a delete since would have satisfied the fact).
		if rng, ok := next.Iter.(*ssa.Range); ok && !next.IsString {
			if f, ok := st.facts.get(lookupKey{a.ident(rng.X), tupleKey{next, 1}}); ok && f.is > 0 {
				return false
			}
		}
	}
	// m[k] with k a key of m's own range is memory, not a source: what
	// the path says of it was made by a delete before, or is not so.
	keep := func(any) bool { return false }
	if l, ok := v.(*ssa.Lookup); ok && !l.CommaOk && a.rangedKeyOf(l.Index) != nil {
		keep = func(s any) bool { return s == k }
	}
	ok := w.contract(st, v)
	finish := func(st *pstate) bool {
		if !w.witnessed(st, func(s any) bool { return (s == k || isTupleOf(s, v)) && !keep(s) }) {
			return false
		}
		if p, pure := a.loads[v]; pure && call {
			// A pure call (callKey) reads what an earlier same call
			// returned: what the path says of its result, after the
			// callee's contract, is said of that one.
			if f, ok := st.facts.get(v); ok {
				st.facts.del(v)
				if !w.merge(st, memAt{p}, f) {
					return false
				}
			}
		}
		w.drop(st, func(k any, _ fact) bool { return mentions(k, v) && !keep(k) })
		st.rels = slices.DeleteFunc(st.rels, func(r rel) bool { return r.x == v || r.y == v })
		return true
	}
	w.forks = slices.DeleteFunc(w.forks, func(f *pstate) bool { return !finish(f) })
	return ok && finish(st)
}

// returned requires of a call what its callee needs to return rather
// than panic (summary.ReturnsWhen): the path goes on before the call only
// if the call returned.
func (w *walker) returned(st *pstate, call *ssa.Call) bool {
	sum := w.a.calleeSummary(call.Common())
	if sum == nil || len(sum.ReturnsWhen) == 0 {
		return true
	}
	// Without forks: what the definition's contract requires of the
	// call (contract) applies to st alone, so a fork here would escape it.
	saved := w.noFork
	w.noFork = true
	defer func() { w.noFork = saved }()
	return w.someCond(st, call, sum.ReturnsWhen)
}

// contract checks what the definition of v ties together: a comma-ok's
// value is zero when ok is false, and taken as non-nil when ok is true
// (as the data flow takes it, guards.go); a call's results are nil only
// as its callee's summary allows (nil only with an error, with a false
// ok, with a nil argument, or never).
func (w *walker) contract(st *pstate, v ssa.Value) bool {
	result := func(i int) (k any, f fact, ok bool) {
		if _, tuple := v.Type().(*types.Tuple); tuple {
			k = tupleKey{v, i}
		} else {
			k = v
		}
		f, ok = st.facts.get(k)
		return k, f, ok
	}
	switch v := v.(type) {
	case *ssa.Lookup, *ssa.TypeAssert, *ssa.UnOp:
		if !isCommaOk(v) {
			return true
		}
		_, val, ok1 := result(0)
		_, okf, ok2 := result(1)
		if !ok2 || okf.is == 0 {
			return true
		}
		if ta, ok := v.(*ssa.TypeAssert); ok && okf.is != 0 {
			// The assertion says of its operand's dynamic type what ok
			// does: `if _, ok := v.(Valuer); !ok { return nil }`.
			f := fact{c: &consts{tout: typeKey(ta.AssertedType)}}
			if okf.is > 0 {
				f = fact{c: &consts{tin: f.c.tout}}
			}
			if !w.assume(st, ta.X, f) {
				return false
			}
		}
		if !ok1 {
			return true
		}
		if okf.is < 0 {
			return zeroSatisfies(v.Type().(*types.Tuple).At(0).Type(), val)
		}
		_, recv := v.(*ssa.UnOp) // a nil can be sent on a channel
		return recv || val.is <= 0
	case *ssa.Call:
		sum := w.a.calleeSummary(v.Common())
		if sum == nil {
			return true
		}
		n := len(sum.Results)
		var nilWhen []summary.Cond // the first nil result's, checked last (it may fork the walk)
		for i := range sum.Results {
			_, f, ok := result(i)
			if !ok || f.is <= 0 {
				continue
			}
			r := resultAt(v, sum, i)
			_, last, known := result(n - 1)
			switch r.Kind {
			case summary.ResultNonNil:
				return false
			case summary.ResultNilIfErr, summary.ResultNilIfNotOK:
				if known && last.is > 0 { // a nil error, a true ok
					return false
				}
				if len(r.NilWhen) > 0 && nilWhen == nil {
					nilWhen = r.NilWhen
				}
			case summary.ResultMaybeNil:
				// Nil only under conditions on the parameters (nilwhen.go):
				// the arguments meet one of them.
				if len(r.NilWhen) > 0 && nilWhen == nil {
					nilWhen = r.NilWhen
				}
			case summary.ResultNilIfZero, summary.ResultNilIfNonZero:
				// Nil only with the other result zero (non-zero).
				if _, other, known := result(r.Param); known {
					t := v.Type().(*types.Tuple).At(r.Param).Type()
					if r.Kind == summary.ResultNilIfZero && !zeroSatisfies(t, other) ||
						r.Kind == summary.ResultNilIfNonZero && onlyZero(other) {
						return false
					}
				}
			case summary.ResultNilIfParamNil:
				if r.Param < len(v.Call.Args) && !w.assume(st, v.Call.Args[r.Param], fact{is: 1}) {
					return false
				}
			}
		}
		if nilWhen != nil {
			return w.someCond(st, v, nilWhen)
		}
	}
	return true
}

// derefOperand is the value instr dereferences, if it panics when that
// value is nil.
func derefOperand(instr ssa.Instruction) ssa.Value {
	switch instr := instr.(type) {
	case *ssa.FieldAddr:
		return instr.X
	case *ssa.UnOp:
		if instr.Op == token.MUL {
			return instr.X
		}
	case *ssa.Store:
		return instr.Addr
	case *ssa.MapUpdate:
		return instr.Map
	case *ssa.Call:
		if instr.Call.IsInvoke() {
			return instr.Call.Value
		}
		switch instr.Call.Value.(type) {
		case *ssa.Function, *ssa.MakeClosure, *ssa.Builtin:
		default:
			return instr.Call.Value
		}
	}
	return nil
}

// witnessed reports whether the values nil on this path among those
// that match (defined here, or parameters at the entry) may be nil by
// their own definition (a nil source: a callee that returns nil, a map
// miss, a field with evidence), or were tested nil on the path. A value
// nil for no reason is not the path of a finding: unknown is not nil.
func (w *walker) witnessed(st *pstate, match func(k any) bool) bool {
	for _, e := range st.facts {
		k, f := e.k, e.f
		if f.is > 0 && !f.seen && match(k) && !w.a.intrinsicOfKey(k).Kind.MayBeNil() {
			if v, ok := w.a.reps[k]; ok && nilable(v.Type()) {
				return false
			}
		}
	}
	return true
}

func isTupleOf(k any, v ssa.Value) bool {
	t, ok := k.(tupleKey)
	return ok && t.tuple == v
}

// typeOf is the type of the memory at p, from a load of it.
func (w *walker) typeOf(p pathKey) types.Type {
	if v, ok := w.a.reps[p]; ok {
		return v.Type()
	}
	return types.Typ[types.Invalid]
}

// zeroSatisfies reports whether the zero value of t meets f.
func zeroSatisfies(t types.Type, f fact) bool {
	switch {
	case nilable(t):
		return f.is >= 0
	case isBool(t):
		return f.is <= 0
	case f.ranged:
		return f.lo <= 0 && 0 <= f.hi
	}
	return true
}

// onlyZero reports whether an integer that meets f is zero.
func onlyZero(f fact) bool {
	return f.ranged && f.lo == 0 && f.hi == 0 || f.k().eq == "0"
}

// drop forgets the facts about subjects that match.
func (w *walker) drop(st *pstate, match func(k any, f fact) bool) {
	st.facts = slices.DeleteFunc(st.facts, func(e subjectFact) bool { return match(e.k, e.f) })
}

// mentions reports whether subject k is about v or reads through it.
func mentions(k any, v ssa.Value) bool {
	return containsKey(k, func(c any) bool { return c == ssa.Value(v) })
}

// assume constrains v by f, looking through what v is made of: a
// constant, a negation, a comparison with nil or with a constant, a
// comparison of two bools, a value that cannot be nil.
func (w *walker) assume(st *pstate, v ssa.Value, f fact) bool {
	switch v := v.(type) {
	case *ssa.Const:
		return holds(v, f)
	case *ssa.ChangeType:
		return w.assume(st, v.X, f)
	case *ssa.ChangeInterface:
		return w.assume(st, v.X, f)
	case *ssa.Alloc, *ssa.MakeClosure, *ssa.MakeMap, *ssa.MakeChan,
		*ssa.FieldAddr, *ssa.IndexAddr, *ssa.Function:
		return f.is <= 0 // never nil
	case *ssa.MakeInterface:
		return f.is <= 0 && w.a.typeHolds(v.X.Type(), f)
	case *ssa.UnOp:
		if v.Op == token.NOT && f.is != 0 {
			return w.assume(st, v.X, fact{is: -f.is})
		}
	case *ssa.BinOp:
		if f.is != 0 && (v.Op == token.EQL || v.Op == token.NEQ || isComparison(v.Op)) {
			return w.compare(st, v, f.is > 0)
		}
	}
	return w.merge(st, w.a.key(v), f)
}

// compare constrains comparison c to be true or false.
func (w *walker) compare(st *pstate, c *ssa.BinOp, truth bool) bool {
	op := c.Op
	if !truth {
		op = negated[op]
	}
	if x, ok := nilComparand(c); ok {
		f := nilFact(op == token.EQL)
		f.seen = f.is > 0
		return w.assume(st, x, f)
	}
	x, y := c.X, c.Y
	if _, ok := x.(*ssa.Const); ok {
		x, y = y, x
		if m, ok := mirrored[op]; ok {
			op = m
		}
	}
	if k, ok := y.(*ssa.Const); ok && (op == token.EQL || op == token.NEQ || isComparison(op)) {
		if b, ok := boolConst(k); ok && (op == token.EQL || op == token.NEQ) {
			return w.assume(st, x, boolFact(b == (op == token.EQL)))
		}
		if f, ok := constFact(op, k); ok {
			return w.assume(st, x, f)
		}
	}
	if isBool(c.X.Type()) && (op == token.EQL || op == token.NEQ) {
		st.rels = append(st.rels, rel{c.X, c.Y, op == token.EQL})
		return true
	}
	// Another comparison: of registers by operator and operands (n > 0
	// twice is one subject, and n <= 0 its negation), else by itself.
	if register(x) && register(y) {
		truth := true
		if op == token.NEQ || op == token.LEQ || op == token.GEQ {
			op, truth = negated[op], false
		}
		return w.merge(st, cmpKey{op, w.a.operandKey(x), w.a.operandKey(y)}, boolFact(truth))
	}
	return w.merge(st, w.a.key(c), boolFact(truth))
}

// cmpKey is the subject of a comparison of registers x op y, with op one
// of == < >.
type cmpKey struct {
	op   token.Token
	x, y any
}

func nilFact(isNil bool) fact {
	if isNil {
		return fact{is: 1}
	}
	return fact{is: -1}
}

func boolFact(b bool) fact { return nilFact(b) }

// constFact is the fact `x op k` says of x.
func constFact(op token.Token, k *ssa.Const) (fact, bool) {
	if k.Value != nil && k.Value.Kind() == constant.Int {
		if n, exact := constant.Int64Val(k.Value); exact {
			if lo, hi, ok := interval(op, n); ok {
				return fact{ranged: true, lo: lo, hi: hi}, true
			}
		}
	}
	switch op {
	case token.EQL:
		return fact{c: &consts{eq: constString(k)}}, true
	case token.NEQ:
		return fact{c: &consts{neq: constString(k)}}, true
	}
	return fact{}, false
}

// holds reports whether constant k meets f.
func holds(k *ssa.Const, f fact) bool {
	if f.is != 0 {
		if b, ok := boolConst(k); ok {
			return b == (f.is > 0)
		}
		if nilable(k.Type()) {
			return k.IsNil() == (f.is > 0)
		}
	}
	s := constString(k)
	if eq := f.k().eq; eq != "" && eq != s {
		return false
	}
	if neq := f.k().neq; neq != "" && member(neq, s) {
		return false
	}
	if f.ranged && k.Value != nil && k.Value.Kind() == constant.Int {
		if n, exact := constant.Int64Val(k.Value); exact && (n < f.lo || n > f.hi) {
			return false
		}
	}
	return true
}

// merge adds f to what st requires of subject k.
func (w *walker) merge(st *pstate, k any, f fact) bool {
	old, ok := st.facts.get(k)
	if !ok {
		st.facts.set(k, f)
		return true
	}
	m, ok := old.and(f)
	if !ok {
		return false
	}
	st.facts.set(k, m)
	return true
}

// and is the conjunction of two facts, or false if they contradict.
func (f fact) and(g fact) (fact, bool) {
	if f.is != 0 && g.is != 0 && f.is != g.is {
		return f, false
	}
	if g.is != 0 {
		f.is = g.is
	}
	f.seen = f.seen || g.seen
	// Nil memory is the entry's unless every constraint on it comes after
	// a call that may have stored it: one before says it was nil then.
	f.stored = f.stored && g.stored
	if g.ranged {
		if f.ranged {
			f.lo, f.hi = max(f.lo, g.lo), min(f.hi, g.hi)
		} else {
			f.ranged, f.lo, f.hi = true, g.lo, g.hi
		}
		if f.lo > f.hi {
			return f, false
		}
	}
	if g.c != nil && g.c != f.c {
		c := f.k()
		if g.c.eq != "" {
			if c.eq != "" && c.eq != g.c.eq {
				return f, false
			}
			c.eq = g.c.eq
		}
		c.neq = union(c.neq, g.c.neq)
		c.tin, c.tout = union(c.tin, g.c.tin), union(c.tout, g.c.tout)
		if g.c.tin != "" || g.c.tout != "" {
			for t := range strings.SplitSeq(c.tin, "\x00") {
				if t != "" && member(c.tout, t) {
					return f, false
				}
			}
		}
		f = f.withConsts(c)
	}
	if f.k().tin != "" && f.is > 0 {
		return f, false // a nil interface passes no type assertion
	}
	if eq, neq := f.k().eq, f.k().neq; eq != "" && neq != "" && member(neq, eq) {
		return f, false
	}
	if f.ranged && f.lo == f.hi && f.k().neq != "" && member(f.k().neq, constant.MakeInt64(f.lo).ExactString()) {
		return f, false
	}
	return f, true
}

// union is the union of two sorted NUL-separated sets. It allocates only
// when neither holds the other: implies asks it again and again of the
// same sets.
func union(x, y string) string {
	switch {
	case y == "" || x == y || subset(y, x):
		return x
	case x == "" || subset(x, y):
		return y
	}
	set := slices.Compact(slices.Sorted(slices.Values(strings.Split(x+"\x00"+y, "\x00"))))
	set = slices.DeleteFunc(set, func(s string) bool { return s == "" })
	return strings.Join(set, "\x00")
}

// subset reports whether every element of the sorted NUL-separated set
// y is in the sorted set x: one pass over both (generated parsers build
// sets of hundreds of excluded constants, and implies asks this often).
func subset(y, x string) bool {
	for y != "" {
		e, rest, _ := strings.Cut(y, "\x00")
		for {
			if x == "" {
				return false
			}
			f, xrest, _ := strings.Cut(x, "\x00")
			if f == e {
				x = xrest
				break
			}
			if f > e {
				return false // sorted: e is not in x
			}
			x = xrest
		}
		y = rest
	}
	return true
}

// member reports whether e is an element of the NUL-separated set x.
func member(x, e string) bool {
	for x != "" {
		var f string
		f, x, _ = strings.Cut(x, "\x00")
		if f == e {
			return true
		}
	}
	return false
}

// propagate settles the relations one of whose sides is known.
func (w *walker) propagate(st *pstate) bool {
	for changed := true; changed; {
		changed = false
		for j := 0; j < len(st.rels); j++ {
			r := st.rels[j]
			x, y := w.eval(st, r.x), w.eval(st, r.y)
			if x == 0 && y == 0 {
				continue
			}
			st.rels = slices.Delete(st.rels, j, j+1)
			changed = true
			switch {
			case x != 0 && y != 0:
				if (x == y) != r.same {
					return false
				}
			case x != 0:
				if !w.assume(st, r.y, boolFact((x > 0) == r.same)) {
					return false
				}
			default:
				if !w.assume(st, r.x, boolFact((y > 0) == r.same)) {
					return false
				}
			}
			break
		}
	}
	return true
}

// eval is what st says of bool v: 1 true, -1 false, 0 unknown.
func (w *walker) eval(st *pstate, v ssa.Value) int8 {
	switch v := v.(type) {
	case *ssa.Const:
		if b, ok := boolConst(v); ok {
			if b {
				return 1
			}
			return -1
		}
		return 0
	case *ssa.UnOp:
		if v.Op == token.NOT {
			return -w.eval(st, v.X)
		}
	case *ssa.BinOp:
		if x, ok := nilComparand(v); ok {
			n := w.nilness(st, x)
			if v.Op == token.NEQ {
				n = -n
			}
			return n
		}
		if isBool(v.X.Type()) && (v.Op == token.EQL || v.Op == token.NEQ) {
			x, y := w.eval(st, v.X), w.eval(st, v.Y)
			if x == 0 || y == 0 {
				return 0
			}
			if (x == y) == (v.Op == token.EQL) {
				return 1
			}
			return -1
		}
	}
	f, _ := st.facts.get(w.a.key(v))
	return f.is
}

// nilness is what st says of x: 1 nil, -1 non-nil, 0 unknown.
func (w *walker) nilness(st *pstate, x ssa.Value) int8 {
	switch x := x.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return 1
		}
		return -1
	case *ssa.ChangeType:
		return w.nilness(st, x.X)
	case *ssa.ChangeInterface:
		return w.nilness(st, x.X)
	case *ssa.Alloc, *ssa.MakeClosure, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeInterface,
		*ssa.FieldAddr, *ssa.IndexAddr, *ssa.Function:
		return -1
	}
	f, _ := st.facts.get(w.a.key(x))
	return f.is
}
