package flow

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/ssa"
)

// Callers' guards. A helper that dereferences a field of its receiver
// without a check is often called only where the field was checked:
//
//	if d.img3 != nil { d.applyBlack() }   // applyBlack reads d.img3.Bounds()
//
// The feasibility walk (feasible.go) finds the paths on which the value
// dereferenced is nil. Where every one of them requires the same
// parameter's memory (p.img3, p.a.b) nil on entry, the finding carries
// that path (Finding.Entry): the nil can only be what the caller passed.
// For that the walk marks nil memory that a call (one that may store one
// of the path's fields: mayStore) or a store through another pointer may
// have made since the entry (fact.stored): such a nil is not the
// caller's. Callers record the path's state at each call (Result.Calls);
// the analyzer drops the finding when every call of a function only the
// package can call passes the path non-nil.

// EntryPath names memory reachable from a parameter when the function is
// entered: Params[Param] itself, or a field path under it.
type EntryPath struct {
	Param  int
	Fields []int // field indexes, outermost first
}

func (p EntryPath) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "p%d", p.Param)
	for _, f := range p.Fields {
		fmt.Fprintf(&b, ".%d", f)
	}
	return b.String()
}

// CallCheck is the state of a callee's entry path at one call.
type CallCheck struct {
	Callee *ssa.Function
	Path   string // EntryPath.String()
	NonNil bool
}

// maxEntryFields bounds the length of entry paths.
const maxEntryFields = 4

// wantsEntry reports whether a finding with state s may be the callers'
// to decide: its nil is a field's (evidence elsewhere) or the function's
// own defensive check, not a literal, a call or a lookup it makes, and
// only the package can call the function (analyzer/callers.go decides
// the rest).
func (a *analysis) wantsEntry(s nilstate.State) bool {
	if obj := a.fn.Object(); obj == nil || obj.Exported() || a.fn.Parent() != nil {
		return false
	}
	_, field := a.judged[s.Ev].(*types.Var)
	return field || s.Ev.Origin().What == nilstate.CheckedForNil
}

// entryPaths returns the paths of the parameters' memory that st
// requires nil and that nothing since the entry may have stored, by
// their String.
func (a *analysis) entryPaths(st *pstate) map[string]EntryPath {
	paths := make(map[string]EntryPath)
	for _, e := range st.facts {
		if e.f.is <= 0 || e.f.stored {
			continue
		}
		var k any
		switch x := e.k.(type) {
		case *ssa.Parameter:
			k = x
		case memAt:
			k = x.p
		default:
			continue
		}
		var fields []int
		for len(fields) <= maxEntryFields {
			if p, ok := k.(*ssa.Parameter); ok {
				if i := slices.Index(a.fn.Params, p); i >= 0 {
					slices.Reverse(fields) // collected from the load outwards
					ep := EntryPath{Param: i, Fields: fields}
					paths[ep.String()] = ep
				}
				break
			}
			pk, ok := k.(pathKey)
			if !ok || pk.field < 0 {
				break
			}
			fields = append(fields, pk.field)
			k = pk.base
		}
	}
	return paths
}

// markStored marks the nil memory st requires after instr that instr may
// have stored: a static call that may store one of the fields on its
// path, or a store to one of them through another pointer (a store to
// the path itself hands its fact to the stored value). Calls through
// interfaces and function values are taken not to store them (they
// rarely reach back into the struct's own package).
func (w *walker) markStored(st *pstate, instr ssa.Instruction) {
	var stores func(f *types.Var) bool
	switch instr := instr.(type) {
	case *ssa.Store:
		fa, ok := instr.Addr.(*ssa.FieldAddr)
		if !ok {
			return
		}
		g := fieldOf(fa)
		stores = func(f *types.Var) bool { return f == g }
	case ssa.CallInstruction:
		callee := instr.Common().StaticCallee()
		if callee == nil {
			return
		}
		stores = func(f *types.Var) bool { return w.a.mayStore(callee, f, 0) }
	default:
		return
	}
	for i := range st.facts {
		e := &st.facts[i]
		m, ok := e.k.(memAt)
		if !ok || e.f.is <= 0 || e.f.stored {
			continue
		}
		for p, ok := m.p, true; ok && p.field >= 0; p, ok = p.base.(pathKey) {
			if f := w.a.fieldAt(p); f != nil && stores(f) {
				e.f.stored = true
				break
			}
		}
	}
}

// fieldAt is the field that path p ends in, from a load of it.
func (a *analysis) fieldAt(p pathKey) *types.Var {
	if l, ok := a.reps[p].(*ssa.UnOp); ok {
		if fa, ok := l.X.(*ssa.FieldAddr); ok {
			return fieldOf(fa)
		}
	}
	return nil
}

// maxStoreDepth bounds how deep mayStore follows static calls.
const maxStoreDepth = 3

// mayStore reports whether a call of fn may store to field f: fn's body
// (or that of a function it calls, a few levels deep) stores to it, or fn
// belongs to f's package, whose bodies another package does not see.
func (a *analysis) mayStore(fn *ssa.Function, f *types.Var, depth int) bool {
	if fn.Pkg == nil || f.Pkg() == nil {
		return false
	}
	if len(fn.Blocks) == 0 {
		// No body here (another package): assume it stores only the
		// fields of its own package.
		return fn.Pkg.Pkg.Path() == f.Pkg().Path()
	}
	type key struct {
		fn *ssa.Function
		f  *types.Var
	}
	if a.stores == nil {
		a.stores = make(map[any]bool)
	}
	k := key{fn, f}
	if r, ok := a.stores[k]; ok {
		return r
	}
	a.stores[k] = depth >= maxStoreDepth // pessimistic while in progress, and past the depth
	if depth >= maxStoreDepth {
		return true
	}
	r := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Store:
				if fa, ok := instr.Addr.(*ssa.FieldAddr); ok && fieldOf(fa) == f {
					r = true
				}
			case ssa.CallInstruction:
				if callee := instr.Common().StaticCallee(); callee != nil && a.mayStore(callee, f, depth+1) {
					r = true
				}
			}
			if r {
				break
			}
		}
	}
	a.stores[k] = r
	return r
}

// checkCall records, at a call of a function of this package, the state
// of each path the callee's findings depend on (Env.Entries).
func (a *analysis) checkCall(st facts, c *ssa.CallCommon, callee *ssa.Function) {
	if callee.Pkg != a.fn.Pkg {
		return
	}
	for _, ep := range a.env.Entries(callee) {
		if ep.Param >= len(c.Args) {
			continue
		}
		arg := c.Args[ep.Param]
		var s nilstate.State
		if len(ep.Fields) == 0 {
			s = a.get(st, arg, constCtx{})
		} else {
			var k any = a.ident(arg)
			for _, f := range ep.Fields {
				k = pathKey{k, f}
			}
			s = st[k]
		}
		a.calls = append(a.calls, CallCheck{Callee: callee, Path: ep.String(), NonNil: s.Kind == nilstate.NonNil})
	}
}
