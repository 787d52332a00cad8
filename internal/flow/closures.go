package flow

import (
	"go/types"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/ssa"
)

// Function literals see the variables they capture through FreeVars that
// hold the variables' addresses. A literal runs later than the point that
// makes it, so what the enclosing function knew there holds inside the
// literal only for a variable that cannot change afterwards: one assigned
// exactly once, before the closure is made, and written by nobody else.
// For those variables the state at the MakeClosure is passed in (Env.Captured);
// for any other variable the literal starts from Unknown, as before.
//
// A guard around the MakeClosure also holds inside the literal: `if t.Res
// != nil { return func() string { return t.Res.Addr } }`. For a pointer
// variable assigned once, the fields of what it points to that are
// non-nil where the only MakeClosure of the literal runs are non-nil on the
// literal's entry. The literal may run after the field changed; like a
// call, which keeps what was known non-nil, the author's guard is trusted.

// Capture names what a literal captures: the variable FV (Field -1), or
// field Field of the struct FV's variable points to.
type Capture struct {
	FV    *ssa.FreeVar
	Field int
}

// A CapturedState is what a literal is told of a captured variable.
type CapturedState struct {
	nilstate.State
	// Judged is the field (or imported result) whose evidence alone makes
	// the variable maybe-nil: the literal's findings on it are judged like
	// the enclosing function's would be (Finding.Judged).
	Judged types.Object
}

// capture records the states of the once-assigned variables that mc
// captures, for the literal's own analysis.
func (a *analysis) capture(st facts, mc *ssa.MakeClosure) {
	lit, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return
	}
	for i, b := range mc.Bindings {
		al, ok := b.(*ssa.Alloc)
		if !ok || i >= len(lit.FreeVars) || !nilable(al.Type().(*types.Pointer).Elem()) {
			continue
		}
		store := assignedOnceBefore(al, mc)
		if store == nil {
			continue
		}
		a.captureGuards(st, mc, lit, al, lit.FreeVars[i])
		// The variable holds the stored value: a check of either (`if err
		// != nil` for the value, `if u == nil` for the variable) counts.
		s, ok := st[pathKey{al, -1}]
		if !ok || !s.Kind.MayBeNil() || !a.stateOf(st, store.Val, constCtx{}).Kind.MayBeNil() {
			continue
		}
		fv := lit.FreeVars[i]
		judged := a.judged[s.Ev]
		s = nilstate.State{Kind: s.Kind, Ev: s.Ev.Then(a.step(lit.Pos(), "captured by the function literal"))}
		a.addCapture(Capture{fv, -1}, CapturedState{s, judged})
	}
}

func (a *analysis) addCapture(c Capture, s CapturedState) {
	if a.captures == nil {
		a.captures = make(map[Capture]CapturedState)
	}
	if old, seen := a.captures[c]; seen {
		joined := CapturedState{State: nilstate.Join(old.State, s.State)}
		switch joined.Ev {
		case old.Ev:
			joined.Judged = old.Judged
		case s.Ev:
			joined.Judged = s.Judged
		}
		s = joined
	}
	a.captures[c] = s
}

// captureGuards records the fields of the struct that the captured
// pointer variable al points to which are non-nil at mc, the literal's
// only MakeClosure (with several, each would need them).
func (a *analysis) captureGuards(st facts, mc *ssa.MakeClosure, lit *ssa.Function, al *ssa.Alloc, fv *ssa.FreeVar) {
	if refs := lit.Referrers(); refs == nil || len(*refs) != 1 {
		return
	}
	base := pathKey{al, -1}
	for k, s := range st {
		p, ok := k.(pathKey)
		if !ok || p.base != any(base) || p.field < 0 || s.Kind != nilstate.NonNil {
			continue
		}
		// With evidence, so that the literal's use counts neither as a
		// guarded nor as an unguarded use of the field (summary.Credible):
		// the guard is the enclosing function's, counted there.
		a.addCapture(Capture{fv, p.field}, CapturedState{State: nilstate.State{Kind: nilstate.NonNil,
			Ev: nilstate.NewEvidence(a.step(mc.Pos(), "checked where the function literal is made"))}})
	}
}

// assignedOnceBefore returns the store if the variable al is stored
// exactly once, by the enclosing function, at a point that dominates mc,
// and otherwise only read: by loads, or by literals that only load it.
func assignedOnceBefore(al *ssa.Alloc, mc *ssa.MakeClosure) *ssa.Store {
	var store *ssa.Store
	for _, r := range *al.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != ssa.Value(al) || store != nil {
				return nil
			}
			store = r
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.MakeClosure:
			if !onlyLoaded(r, al) {
				return nil
			}
		default:
			return nil
		}
	}
	if store == nil {
		return nil
	}
	if sb, mb := store.Block(), mc.Block(); sb != mb {
		if sb.Dominates(mb) {
			return store
		}
		return nil
	}
	for _, instr := range mc.Block().Instrs {
		switch instr {
		case store:
			return store
		case ssa.Instruction(mc):
			return nil
		}
	}
	return nil
}

// onlyLoaded reports whether the literal of mc only reads the variables
// bound to al.
func onlyLoaded(mc *ssa.MakeClosure, al *ssa.Alloc) bool {
	lit, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	for i, b := range mc.Bindings {
		if b != ssa.Value(al) || i >= len(lit.FreeVars) {
			continue
		}
		for _, r := range *lit.FreeVars[i].Referrers() {
			switch r.(type) {
			case *ssa.UnOp, *ssa.DebugRef:
			default:
				return false
			}
		}
	}
	return true
}

// initial is the state on entry to the function: the captured variables'
// states from the enclosing function (see capture).
func (a *analysis) initial() facts {
	st := facts{}
	for _, fv := range a.fn.FreeVars {
		// fv holds the address of a variable; of a pointer, for guards.
		if ptr, ok := fv.Type().Underlying().(*types.Pointer); ok {
			if strct := pointee(ptr.Elem()); strct != nil {
				for f := 0; f < strct.NumFields(); f++ {
					if s := a.env.Captured(Capture{fv, f}); s.Kind == nilstate.NonNil {
						st[pathKey{pathKey{fv, -1}, f}] = s.State
					}
				}
			}
		}
		if s := a.env.Captured(Capture{fv, -1}); s.Kind.MayBeNil() {
			st[pathKey{fv, -1}] = s.State
			if s.Judged != nil {
				a.judged[s.Ev] = s.Judged
			}
			if a.frozen == nil {
				a.frozen = make(map[*ssa.FreeVar]bool)
			}
			a.frozen[fv] = true
		}
	}
	return st
}
