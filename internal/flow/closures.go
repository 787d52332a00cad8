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
		// The variable holds the stored value: a check of either (`if err
		// != nil` for the value, `if u == nil` for the variable) counts.
		s, ok := st[pathKey{al, -1}]
		if !ok || !s.Kind.MayBeNil() || !a.stateOf(st, store.Val, constCtx{}).Kind.MayBeNil() {
			continue
		}
		if a.judged[s.Ev] != nil {
			continue // judged by this function's package uses; the literal cannot judge it
		}
		fv := lit.FreeVars[i]
		s = nilstate.State{Kind: s.Kind, Ev: s.Ev.Then(a.step(lit.Pos(), "captured by the function literal"))}
		if a.captures == nil {
			a.captures = make(map[*ssa.FreeVar]nilstate.State)
		}
		if old, seen := a.captures[fv]; seen {
			s = nilstate.Join(old, s)
		}
		a.captures[fv] = s
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
		if s := a.env.Captured(fv); s.Kind.MayBeNil() {
			st[pathKey{fv, -1}] = s
			if a.frozen == nil {
				a.frozen = make(map[*ssa.FreeVar]bool)
			}
			a.frozen[fv] = true
		}
	}
	return st
}
