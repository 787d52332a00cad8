package flow

import (
	"go/token"
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
// field Field of the struct FV's variable points to (or is, for a
// struct-valued variable), or field Sub (>= 0) of the struct that field
// points to (`cfg.Context.Proxy`).
type Capture struct {
	FV         *ssa.FreeVar
	Field, Sub int
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
		if !ok || i >= len(lit.FreeVars) {
			continue
		}
		elem := al.Type().(*types.Pointer).Elem()
		if isStruct(elem) {
			// A struct variable whose fields are only read: its fields'
			// paths are the variable's (`cfg.Ch` of a by-value cfg).
			if assignedOnceBefore(al, mc, true) != nil {
				a.captureGuards(st, mc, lit, al, lit.FreeVars[i])
			}
			continue
		}
		if !nilable(elem) {
			continue
		}
		store := assignedOnceBefore(al, mc, false)
		if store == nil {
			continue
		}
		a.captureGuards(st, mc, lit, pathKey{al, -1}, lit.FreeVars[i])
		// The variable holds the stored value: a check of either (`if err
		// != nil` for the value, `if u == nil` for the variable) counts.
		s, ok := st[pathKey{al, -1}]
		if !ok || !s.Kind.MayBeNil() || !a.stateOf(st, store.Val, constCtx{}).Kind.MayBeNil() {
			continue
		}
		fv := lit.FreeVars[i]
		judged := a.judged[s.Ev]
		s = nilstate.State{Kind: s.Kind, Ev: s.Ev.Then(a.step(lit.Pos(), "captured by the function literal"))}
		a.addCapture(Capture{fv, -1, -1}, CapturedState{s, judged})
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

// captureGuards records the fields of the struct at base (what the
// captured pointer variable points to, or the struct variable itself)
// which are non-nil at mc, the literal's only MakeClosure (with several,
// each would need them), and the fields of what those fields point to.
func (a *analysis) captureGuards(st facts, mc *ssa.MakeClosure, lit *ssa.Function, base any, fv *ssa.FreeVar) {
	if refs := lit.Referrers(); refs == nil || len(*refs) != 1 {
		return
	}
	// With evidence, so that the literal's use counts neither as a
	// guarded nor as an unguarded use of the field (summary.Credible):
	// the guard is the enclosing function's, counted there.
	guarded := CapturedState{State: nilstate.State{Kind: nilstate.NonNil,
		Ev: nilstate.NewEvidence(a.step(mc.Pos(), "checked where the function literal is made"))}}
	for k, s := range st {
		p, ok := k.(pathKey)
		if !ok || p.field < 0 || s.Kind != nilstate.NonNil {
			continue
		}
		if p.base == base {
			a.addCapture(Capture{fv, p.field, -1}, guarded)
		} else if q, ok := p.base.(pathKey); ok && q.base == base && q.field >= 0 {
			a.addCapture(Capture{fv, q.field, p.field}, guarded)
		}
	}
}

// onlyLoads reports whether the address v is only loaded from.
func onlyLoads(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// assignedOnceBefore returns the store if the variable al is stored
// exactly once, by the enclosing function, at a point that dominates mc,
// and otherwise only read: by loads, or by literals that only load it
// (with fields, a struct variable's fields may be read too).
func assignedOnceBefore(al *ssa.Alloc, mc *ssa.MakeClosure, fields bool) *ssa.Store {
	var store *ssa.Store
	for _, r := range *al.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != ssa.Value(al) || store != nil {
				return nil
			}
			store = r
		case *ssa.UnOp, *ssa.DebugRef:
		case *ssa.FieldAddr:
			if !fields || !onlyLoads(r) {
				return nil
			}
		case *ssa.MakeClosure:
			if !onlyLoaded(r, al, fields) {
				return nil
			}
		default:
			return nil
		}
	}
	if store == nil || !dominatesInstr(store, mc) {
		return nil
	}
	return store
}

// dominatesInstr reports whether instruction x runs before y on every
// path to y.
func dominatesInstr(x, y ssa.Instruction) bool {
	if xb, yb := x.Block(), y.Block(); xb != yb {
		return xb.Dominates(yb)
	}
	for _, instr := range y.Block().Instrs {
		switch instr {
		case x:
			return true
		case y:
			return false
		}
	}
	return false
}

// onlyLoaded reports whether the literal of mc only reads the variables
// bound to al (and, with fields, the fields of a struct variable).
func onlyLoaded(mc *ssa.MakeClosure, al *ssa.Alloc, fields bool) bool {
	lit, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	for i, b := range mc.Bindings {
		if b != ssa.Value(al) || i >= len(lit.FreeVars) {
			continue
		}
		for _, r := range *lit.FreeVars[i].Referrers() {
			switch r := r.(type) {
			case *ssa.UnOp, *ssa.DebugRef:
			case *ssa.FieldAddr:
				if !fields || !onlyLoads(r) {
					return false
				}
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
		// fv holds the address of a variable: of a pointer or a struct,
		// for guards.
		if ptr, ok := fv.Type().Underlying().(*types.Pointer); ok {
			if strct := pointee(ptr.Elem()); strct != nil {
				a.capturedFields(st, fv, pathKey{fv, -1}, strct)
			} else if strct, ok := ptr.Elem().Underlying().(*types.Struct); ok {
				a.capturedFields(st, fv, fv, strct)
			}
		}
		if s := a.env.Captured(Capture{fv, -1, -1}); s.Kind.MayBeNil() {
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

// capturedFields sets the guarded fields of the struct at base (see
// captureGuards) non-nil on entry, and those of what they point to.
func (a *analysis) capturedFields(st facts, fv *ssa.FreeVar, base any, strct *types.Struct) {
	for f := 0; f < strct.NumFields(); f++ {
		s := a.env.Captured(Capture{fv, f, -1})
		if s.Kind != nilstate.NonNil {
			continue
		}
		field := pathKey{base, f}
		st[field] = s.State
		sub := pointee(strct.Field(f).Type())
		if sub == nil {
			continue
		}
		for g := 0; g < sub.NumFields(); g++ {
			if s := a.env.Captured(Capture{fv, f, g}); s.Kind == nilstate.NonNil {
				st[pathKey{field, g}] = s.State
			}
		}
	}
}
