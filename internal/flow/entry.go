package flow

import (
	"fmt"
	"go/token"
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
// Where the nil can only be the value the path had when the function was
// entered (field evidence or the function's own defensive check, no store
// to the path and no call that may store it before the dereference), the
// finding carries that path (Finding.Entry). Callers record the path's
// state at each call (Result.Calls); the analyzer drops the finding when
// every call of a function only the package can call passes the path
// non-nil.

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

// entryPath returns the entry path v was loaded from, if v still holds
// the value the path had on entry as far as the function can tell.
func (a *analysis) entryPath(v ssa.Value, s nilstate.State, at ssa.Instruction) *EntryPath {
	origin := s.Ev.Origin().What
	if _, field := a.judged[s.Ev].(*types.Var); !field && origin != nilstate.CheckedForNil {
		return nil // nil from a literal, a call, a lookup: not the caller's
	}
	var fields []int
	var vars []*types.Var
	k := a.key(v)
	for len(fields) <= maxEntryFields {
		if p, ok := k.(*ssa.Parameter); ok {
			i := slices.Index(a.fn.Params, p)
			if i < 0 || !a.unchangedSinceEntry(vars, at) {
				return nil
			}
			slices.Reverse(fields) // collected from the load outwards
			return &EntryPath{Param: i, Fields: fields}
		}
		load, ok := k.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			return nil
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok {
			return nil
		}
		f := fieldOf(fa)
		if f == nil {
			return nil
		}
		fields = append(fields, fa.Field)
		vars = append(vars, f)
		k = a.key(fa.X)
	}
	return nil
}

// unchangedSinceEntry reports whether no store to one of the fields, and
// no call that may store one, can run between the function's entry and
// at. Calls through interfaces and function values are assumed not to
// store them (they rarely reach back into the struct's own package).
func (a *analysis) unchangedSinceEntry(fields []*types.Var, at ssa.Instruction) bool {
	changes := func(instr ssa.Instruction) bool {
		switch instr := instr.(type) {
		case *ssa.Store:
			if fa, ok := instr.Addr.(*ssa.FieldAddr); ok {
				f := fieldOf(fa)
				for _, g := range fields {
					if f == g {
						return true
					}
				}
			}
		case ssa.CallInstruction:
			if callee := instr.Common().StaticCallee(); callee != nil {
				for _, g := range fields {
					if a.mayStore(callee, g, 0) {
						return true
					}
				}
			}
		}
		return false
	}
	// Instructions before at in its block, then every block that can
	// reach it.
	b := at.Block()
	for _, instr := range b.Instrs {
		if instr == at {
			break
		}
		if changes(instr) {
			return false
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), b.Preds...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		for _, instr := range x.Instrs {
			if changes(instr) {
				return false
			}
		}
		work = append(work, x.Preds...)
	}
	return true
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
