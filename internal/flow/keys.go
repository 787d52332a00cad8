package flow

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/ssa"
)

// Keys name what a fact is about. SSA values are their own keys, except
// where two values denote the same thing at run time and a check of one
// must guard the other:
//   - conversions (ChangeType, ChangeInterface) share their operand's key;
//   - map lookups of the same map and key share a lookupKey, so a
//     presence check `if _, ok := m[k]; ok` guards a later m[k].
//
// Memory is tracked per access path (pathKey: u.Profile, a global, a
// captured variable). A load is a snapshot of its path: while no store
// or call may have changed the path since the load, the load is
// "current" and its facts are the path's, so `if u.Profile != nil {
// u.Profile.ID }` is guarded although the two loads are distinct SSA
// values. A store retires the current loads of the path, which keep the
// state they had (`old := s.conn; s.conn = nil; old.Close()` is fine).
//
// Paths are canonical, so that a check of one spelling guards the others:
//   - an element is its slice's path and its index's key (elemKey):
//     ps[i].Sel twice, and the range variable of `for i, p := range ps`
//     with ps[i], are one path;
//   - a field of a struct value (ssa.Field) is a path too: of the value
//     itself when the value is a register (a parameter, a result), so
//     r.TLS through an embedded *http.Request of a struct r is one path;
//     of the memory it was loaded from while that load is current.
type pathKey struct {
	base  any // identity of the struct pointer, the element (elemKey), or the *ssa.Global / *ssa.Alloc itself
	field int // field index; -1 for the variable (or element) itself
}

type lookupKey struct {
	m, k any
}

// deletedKey marks a map's key as deleted: the next lookup misses.
type deletedKey struct {
	m, k any
}

type constKey struct {
	value string
	typ   string
}

type tupleKey struct {
	tuple ssa.Value
	index int
}

// current marks a load as current for its path (see above).
type current struct{ load ssa.Value }

func (a *analysis) key(v ssa.Value) any {
	if k, ok := a.keys[v]; ok {
		return k
	}
	k := a.computeKey(v)
	a.keys[v] = k
	if _, ok := a.reps[k]; !ok {
		a.reps[k] = v
	}
	return k
}

func (a *analysis) computeKey(v ssa.Value) any {
	switch v := v.(type) {
	case *ssa.ChangeType:
		return a.key(v.X)
	case *ssa.ChangeInterface:
		return a.key(v.X)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if p, ok := a.path(v.X); ok {
				a.loads[v] = p
				if _, ok := a.reps[p]; !ok {
					a.reps[p] = v
				}
			}
		}
	case *ssa.Field:
		if _, p, ok := a.loadPath(a.key(v.X)); ok {
			// A field of a struct copied from memory: current while the
			// copy is (see transfer and store).
			a.loads[v] = pathKey{p, v.Field}
			return v
		}
		if nilable(v.Type()) || isStruct(v.Type()) {
			return a.newPath(a.ident(v.X), v.Field)
		}
	case *ssa.Extract:
		// Keyed by its tuple, so that a fact learned from the tuple's ok
		// before the extract is defined (for x := range ch) survives it.
		return tupleKey{v.Tuple, v.Index}
	case *ssa.Lookup:
		if !v.CommaOk {
			if _, ok := v.X.Type().Underlying().(*types.Map); ok {
				return lookupKey{a.ident(v.X), a.operandKey(v.Index)}
			}
		}
	case *ssa.Call:
		// A getter's call is a load of the field it returns: l.Len() >= 1
		// says what l.len >= 1 says.
		if f, ok := a.getter(v); ok {
			p := a.newPath(a.ident(v.Call.Args[0]), f)
			a.loads[v] = p
			if _, ok := a.reps[p]; !ok {
				a.reps[p] = v
			}
			return v
		}
		// A pure call reads a virtual location: its value is current (a
		// later call returns the same) until a write (forgetCalls).
		if k, ok := a.pureCallKey(v); ok {
			p := pathKey{k, -1}
			a.loads[v] = p
			if _, ok := a.reps[p]; !ok {
				a.reps[p] = v
			}
		}
	}
	return v
}

// callKey names a call of a pure function (summary.Pure) with one or
// two arguments, by the function and the arguments' keys. Its results are
// loads of the path pathKey{callKey, -1}: the same call twice reads the
// same until something is written (forgetCalls), so `if d.Type() != nil`
// guards a later `*d.Type()`, while each result keeps its own state.
type callKey struct {
	fn   *ssa.Function
	x, y any
}

// pureCallKey returns the callKey of c, if it has one: a static call of
// a pure function with one or two arguments and one nilable result.
func (a *analysis) pureCallKey(c *ssa.Call) (callKey, bool) {
	args := c.Call.Args
	if len(args) == 0 || len(args) > 2 || !nilable(c.Type()) {
		return callKey{}, false
	}
	fn := c.Call.StaticCallee()
	if fn == nil || c.Call.IsInvoke() || fn == a.fn || !a.pureCall(&c.Call) {
		return callKey{}, false
	}
	a.pureCalls = true
	k := callKey{fn: fn, x: a.operandKey(args[0])}
	a.noteThrough(k.x)
	if len(args) == 2 {
		k.y = a.operandKey(args[1])
		a.noteThrough(k.y)
	}
	return k, true
}

// forgetCalls drops what st says of the paths of pure calls (and of
// paths through them): a write may change what the next such call
// returns. The results already computed keep their state (retire).
func (a *analysis) forgetCalls(st facts) {
	if !a.pureCalls {
		return
	}
	a.retire(st, func(p pathKey) bool { return throughCall(p) })
	for k := range st {
		if throughCall(k) {
			delete(st, k)
		}
	}
}

// throughCall reports whether key k is a pure call's result or a path
// through one.
func throughCall(k any) bool {
	return containsKey(k, func(c any) bool { _, ok := c.(callKey); return ok })
}

// containsKey reports whether k, or a key k is made of (the base of a
// path, the slice and index of an element, the operands of a binary
// operation, a call or a comparison, the tuple of an extract, the map
// and key of a lookup), is one that is accepts.
func containsKey(k any, is func(any) bool) bool {
	if is(k) {
		return true
	}
	switch k := k.(type) {
	case pathKey:
		return containsKey(k.base, is)
	case memAt:
		return containsKey(k.p, is)
	case elemKey:
		return containsKey(k.base, is) || containsKey(k.index, is)
	case binKey:
		return containsKey(k.x, is) || containsKey(k.y, is)
	case callKey:
		return containsKey(k.x, is) || containsKey(k.y, is)
	case cmpKey:
		return containsKey(k.x, is) || containsKey(k.y, is)
	case tupleKey:
		return containsKey(k.tuple, is)
	case lookupKey:
		return containsKey(k.m, is) || containsKey(k.k, is)
	}
	return false
}

// ident is the identity of v as a base of access paths: the path it was
// loaded from, or its key.
func (a *analysis) ident(v ssa.Value) any {
	if fa, ok := v.(*ssa.FieldAddr); ok {
		// The address of a struct-valued field (c.Storage in
		// c.Storage.TSDB) is the path of its contents: every occurrence
		// of the expression is a new FieldAddr, but the same memory.
		return a.newPath(a.ident(fa.X), fa.Field)
	}
	if ia, ok := v.(*ssa.IndexAddr); ok {
		return a.elemPath(ia)
	}
	k := a.key(v)
	if l, ok := k.(ssa.Value); ok {
		// A pure call's result is an object of its own; a getter's is
		// the field's value, as a load's.
		if c, call := l.(*ssa.Call); !call || a.isGetter(c) {
			if p, ok := a.loads[l]; ok {
				return p
			}
		}
	}
	return k
}

// loadPath returns the path a value was loaded from, if it is a load.
func (a *analysis) loadPath(k any) (ssa.Value, pathKey, bool) {
	l, ok := k.(ssa.Value)
	if !ok {
		return nil, pathKey{}, false
	}
	p, ok := a.loads[l]
	return l, p, ok
}

// path returns the access-path key of the memory at addr, if it has one.
func (a *analysis) path(addr ssa.Value) (pathKey, bool) {
	switch addr := addr.(type) {
	case *ssa.FieldAddr:
		return a.newPath(a.ident(addr.X), addr.Field), true
	case *ssa.IndexAddr:
		return a.elemPath(addr), true
	case *ssa.Alloc:
		// In a loop, each iteration allocates a new variable.
		a.noteThrough(addr)
		return pathKey{addr, -1}, true
	case *ssa.Global, *ssa.FreeVar:
		// A captured variable is a FreeVar holding its address.
		return pathKey{addr, -1}, true
	}
	return pathKey{}, false
}

// elemKey names a slice or array element: by the identity of the slice
// (or array pointer) and the key of the index. Read as a map key,
// m[keys[i]] twice is the same lookup; as a path, ps[i] twice is the same
// memory.
type elemKey struct {
	base, index any
}

// elemPath is the access path of the element at ia.
func (a *analysis) elemPath(ia *ssa.IndexAddr) pathKey {
	base, index := a.ident(ia.X), a.operandKey(ia.Index)
	a.noteThrough(base)
	a.noteThrough(index)
	return pathKey{elemKey{base, index}, -1}
}

// newPath is the path of field f of base.
func (a *analysis) newPath(base any, f int) pathKey {
	a.noteThrough(base)
	return pathKey{base, f}
}

// noteThrough remembers that a path goes through k, as its base or as an
// index, when k is a value that a loop defines again: facts about the
// paths through its previous value are then forgotten (see forgetThrough).
func (a *analysis) noteThrough(k any) {
	if b, ok := k.(binKey); ok {
		a.noteThrough(b.x)
		a.noteThrough(b.y)
		return
	}
	if c, ok := k.(callKey); ok {
		a.noteThrough(c.x)
		a.noteThrough(c.y)
		return
	}
	if t, ok := k.(tupleKey); ok {
		k = t.tuple
	}
	v, ok := k.(ssa.Value)
	if !ok || !a.inLoop(v) {
		return
	}
	if a.through == nil {
		a.through = make(map[ssa.Value]bool)
	}
	a.through[v] = true
}

// forgetThrough drops the facts about the paths that go through a value
// of vals (p.next.val or ps[i] with p or i in vals), which are taking a
// new value: what held for the old one (the previous iteration's node or
// element) does not hold for it. Current loads of such paths keep the
// state they had.
func (a *analysis) forgetThrough(st facts, vals ...ssa.Value) {
	through := func(k any) bool {
		return containsKey(k, func(c any) bool { v, ok := c.(ssa.Value); return ok && slices.Contains(vals, v) })
	}
	a.retire(st, func(p pathKey) bool { return through(p) })
	for k := range st {
		if through(k) {
			delete(st, k)
		}
	}
}

// forgetPhiPaths applies forgetThrough on an edge into b for b's φs.
func (a *analysis) forgetPhiPaths(edge facts, b *ssa.BasicBlock) {
	if len(a.through) == 0 {
		return
	}
	var phis []ssa.Value
	for _, instr := range b.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		if a.through[phi] {
			phis = append(phis, phi)
		}
	}
	if phis != nil {
		a.forgetThrough(edge, phis...)
	}
}

// parent is the path a path key reads through: the base of a pathKey, the
// slice of an elemKey.
func parent(k any) (any, bool) {
	switch k := k.(type) {
	case pathKey:
		return k.base, true
	case elemKey:
		return k.base, true
	}
	return nil, false
}

// isStruct reports whether t is a struct type, whose fields are paths.
func isStruct(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// pointee returns the struct a pointer type points to, or nil.
func pointee(t types.Type) *types.Struct {
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		s, _ := ptr.Elem().Underlying().(*types.Struct)
		return s
	}
	return nil
}

// operandKey keys a map index: constants by value, element reads by
// their slice and index, others as values.
func (a *analysis) operandKey(v ssa.Value) any {
	if c, ok := v.(*ssa.Const); ok {
		s := "nil"
		if c.Value != nil {
			s = c.Value.ExactString()
		}
		return constKey{s, c.Type().String()}
	}
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if ia, ok := load.X.(*ssa.IndexAddr); ok {
			return elemKey{a.ident(ia.X), a.operandKey(ia.Index)}
		}
	}
	if c, ok := v.(*ssa.Call); ok {
		// A getter's result as a key is the field it reads: m[b.ID()]
		// twice is one lookup, as m[b.id] twice is.
		if f, ok := getterField(c.Common().StaticCallee()); ok && len(c.Call.Args) == 1 {
			return a.newPath(a.ident(c.Call.Args[0]), f)
		}
	}
	if b, ok := v.(*ssa.BinOp); ok && arithmetic(b.Op) && register(b.X) && register(b.Y) {
		// n-1 computed twice is one index: `ps[n-1].F != nil` guards a
		// later ps[n-1].F. Operands read from memory are left out: a store
		// between the two would change the value.
		return binKey{b.Op, a.operandKey(b.X), a.operandKey(b.Y)}
	}
	return a.ident(v)
}

// getter returns the field that call's callee only reads and returns
// from the struct its one argument points to (summary.Getter): in this
// package by its body, in another by its summary.
func (a *analysis) getter(call *ssa.Call) (int, bool) {
	fn := call.Call.StaticCallee()
	if fn == nil || call.Call.IsInvoke() || len(call.Call.Args) != 1 || pointee(call.Call.Args[0].Type()) == nil {
		return 0, false
	}
	if fn.Blocks != nil {
		return getterField(fn)
	}
	if sum := a.env.Summary(fn); sum != nil && sum.Getter > 0 {
		return sum.Getter - 1, true
	}
	return 0, false
}

// isGetter reports whether call is a getter's (see getter), whose
// result is the field's value, as a load's is.
func (a *analysis) isGetter(call *ssa.Call) bool {
	p, ok := a.loads[call]
	return ok && p.field >= 0
}

// getterField returns the field that fn, a method of this package with
// a body of one block, only reads and returns: `func (b *Broker) ID()
// int32 { return b.id }` (or the same of a struct value).
func getterField(fn *ssa.Function) (int, bool) {
	if fn == nil || len(fn.Blocks) != 1 || len(fn.Params) != 1 {
		return 0, false
	}
	instrs := fn.Blocks[0].Instrs
	ret, ok := instrs[len(instrs)-1].(*ssa.Return)
	if !ok || len(ret.Results) != 1 {
		return 0, false
	}
	p := fn.Params[0]
	switch r := ret.Results[0].(type) {
	case *ssa.UnOp: // *(&p.f)
		if fa, ok := r.X.(*ssa.FieldAddr); ok && r.Op == token.MUL && fa.X == p && len(instrs) == 3 {
			return fa.Field, true
		}
	case *ssa.Field: // p.f of a struct value
		if r.X == p && len(instrs) == 2 {
			return r.Field, true
		}
	}
	return 0, false
}

// binKey is the key of an arithmetic value by its operator and operands'
// keys (operandKey), so that the same index computed twice is one key.
type binKey struct {
	op   token.Token
	x, y any
}

func arithmetic(op token.Token) bool {
	switch op {
	case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR,
		token.SHL, token.SHR, token.AND_NOT:
		return true
	}
	return false
}

// register reports whether v is a value that no store changes: a
// constant or an SSA register other than a load of memory.
func register(v ssa.Value) bool {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		return false
	}
	if b, ok := v.(*ssa.BinOp); ok {
		return arithmetic(b.Op) && register(b.X) && register(b.Y)
	}
	return true
}

// root is the SSA value an access path starts from: the parameter,
// global, allocation or other value whose memory the path reads.
func root(k any) any {
	for {
		b, ok := parent(k)
		if !ok {
			return k
		}
		k = b
	}
}

// under reports whether path k reads through prefix: k extends prefix,
// or prefix is a whole variable (field -1) that k starts from. A store
// to prefix makes facts about k stale.
func under(k, prefix pathKey) bool {
	if k == prefix {
		return false
	}
	if prefix.field == -1 && root(k) == prefix.base {
		return true
	}
	for b, ok := parent(k); ok; b, ok = parent(b) {
		if b == any(prefix) {
			return true
		}
	}
	return false
}

// get is the state of v in st: its own fact, or its path's while v is a
// current load, else its intrinsic state.
func (a *analysis) get(st facts, v ssa.Value, ctx constCtx) nilstate.State {
	k := a.key(v)
	if l, p, ok := a.loadPath(k); ok && isCurrent(st, l) {
		if s, ok := st[p]; ok {
			return s
		}
	}
	if s, ok := st[k]; ok {
		return s
	}
	return a.intrinsic(v, ctx)
}

// set records s for v, and for its path while v is a current load. A
// non-nil v also makes non-nil the variables that hold only v (see
// holders).
func (a *analysis) set(st facts, v ssa.Value, s nilstate.State) {
	k := a.key(v)
	var prev *nilstate.Evidence
	if s.Kind == nilstate.NonNil {
		if old := a.get(st, v, constCtx{}); old.Kind.MayBeNil() {
			prev = old.Ev
		}
	}
	st[k] = s
	if l, p, ok := a.loadPath(k); ok && isCurrent(st, l) {
		st[p] = s
	}
	if s.Kind == nilstate.NonNil {
		a.holders(st, v, prev)
	}
}

// holders: a variable in memory (captured by a closure, so not an SSA
// register) that is assigned v and nothing else holds v wherever v is
// known, so `f, err := open(); if err != nil {...}` guards later loads
// of f too.
//
// A field that was assigned v (`c.N, err = NewModulus(b); if err != nil
// {...}`) holds it while its state is still the one v had, evidence and
// all (prev): a later store would have replaced it.
func (a *analysis) holders(st facts, v ssa.Value, prev *nilstate.Evidence) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		store, ok := r.(*ssa.Store)
		if !ok || store.Val != v {
			continue
		}
		switch addr := store.Addr.(type) {
		case *ssa.Alloc:
			// Assigned once, or still holding v's state, evidence and all
			// (`mem, ok = <-ch` again later stores another receive's).
			p := pathKey{addr, -1}
			if cur, ok := st[p]; ok && cur.Kind.MayBeNil() && (storesTo(addr) == 1 || prev != nil && cur.Ev == prev) {
				st[p] = nilstate.NonNilState
			}
		case *ssa.IndexAddr:
			// An element assigned v (`ps[i], err = f(); if err != nil
			// {...}`), while it still holds v's state.
			p := a.elemPath(addr)
			if cur, ok := st[p]; ok && prev != nil && cur.Kind.MayBeNil() && cur.Ev == prev {
				st[p] = nilstate.NonNilState
			}
		case *ssa.FieldAddr:
			p := pathKey{a.ident(addr.X), addr.Field}
			cur, ok := st[p]
			if ok && prev != nil && cur.Kind.MayBeNil() && cur.Ev == prev ||
				ok && prev == nil && cur.Kind == nilstate.Unknown && a.heldSince(store, addr.Field) {
				st[p] = nilstate.NonNilState
			}
		}
	}
}

// heldSince reports whether the field that store assigned still holds its
// value at a.at: the store comes shortly before in the same block, and no
// call and no store to a field of that index comes in between. It serves
// values without evidence (a parameter), which give no evidence to
// compare: `s.block = b; if b.Index != i {...}` leaves s.block non-nil
// as well (triage P-callers-guard: go/ssa's sanity checker).
func (a *analysis) heldSince(store *ssa.Store, field int) bool {
	if a.at == nil || a.at.Block() != store.Block() {
		return false
	}
	instrs := store.Block().Instrs
	for i := a.atIndex - 1; i >= 0 && i >= a.atIndex-maxHeldScan; i-- {
		switch instr := instrs[i].(type) {
		case *ssa.Store:
			if instr == store {
				return true
			}
			if fa, ok := instr.Addr.(*ssa.FieldAddr); ok && fa.Field == field {
				return false
			}
		case ssa.CallInstruction:
			return false
		}
	}
	return false
}

// maxHeldScan bounds heldSince's walk back over a block.
const maxHeldScan = 32

// storesTo counts the stores into the variable al by its own function.
func storesTo(al *ssa.Alloc) int {
	n := 0
	for _, r := range *al.Referrers() {
		if s, ok := r.(*ssa.Store); ok && s.Addr == ssa.Value(al) {
			n++
		}
	}
	return n
}

func isCurrent(st facts, load ssa.Value) bool {
	_, ok := st[current{load}]
	return ok
}

// retire ends the currency of loads whose path matches: they keep, as
// their own fact, the state their path had.
func (a *analysis) retire(st facts, match func(pathKey) bool) {
	a.retireLoads(st, func(load ssa.Value) bool { return match(a.loads[load]) })
}

// retireLoads ends the currency of the loads that match, which keep the
// state their path had as their own fact.
func (a *analysis) retireLoads(st facts, match func(load ssa.Value) bool) {
	for k := range st {
		c, ok := k.(current)
		if !ok || !match(c.load) {
			continue
		}
		if s, ok := st[a.loads[c.load]]; ok {
			if _, own := st[c.load]; !own {
				st[c.load] = s
			}
		}
		delete(st, k)
	}
}
