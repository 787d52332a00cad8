package flow

import (
	"go/token"
	"go/types"
	"reflect"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/ssa"
)

// FieldEvidence scans a package's functions for evidence that struct
// fields may be nil. It is a pre-pass: the per-function flow then treats
// a load of such a field as maybe-nil (sources.go), so
// `user.Profile.ID` is reported where no check guards it.
//
// Evidence, at most one step of each kind per field, first in source
// order:
//   - `x.F = nil` anywhere in the package;
//   - `x.F == nil` / `x.F != nil`: the author believes F can be nil;
//   - json.Unmarshal / (*json.Decoder).Decode into a struct: a missing
//     key leaves its pointer fields nil (not those tagged `json:"-"`,
//     which the decoder never sets, and not in a type with its own
//     UnmarshalJSON);
//   - `&T{...}` or `new(T)` that leaves F unset and leaves the function
//     (returned or stored) without being handed to a call that might
//     set it: the constructor does not set F.
//
// Like every kind of field evidence it is reported only where the package
// guards the field more than not (summary.Credible).
func FieldEvidence(fns []*ssa.Function, where func(token.Pos) string) map[*types.Var]*nilstate.Evidence {
	out := make(map[*types.Var]*nilstate.Evidence)
	seen := make(map[*types.Var]map[string]bool)
	add := func(v *types.Var, pos token.Pos, what string) {
		if v == nil || !pos.IsValid() {
			return
		}
		if seen[v] == nil {
			seen[v] = make(map[string]bool)
		}
		if seen[v][what] {
			return
		}
		seen[v][what] = true
		step := nilstate.Step{Pos: pos, Where: where(pos), What: "field " + v.Name() + " " + what}
		out[v] = out[v].Then(step)
	}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Store:
					if fa, ok := instr.Addr.(*ssa.FieldAddr); ok && isNilConst(instr.Val) && nilable(instr.Val.Type()) {
						add(fieldOf(fa), instr.Pos(), "assigned nil")
					}
				case *ssa.BinOp:
					if x, ok := nilComparand(instr); ok {
						if load, ok := x.(*ssa.UnOp); ok && load.Op == token.MUL {
							if fa, ok := load.X.(*ssa.FieldAddr); ok && !defaulting(instr, fa) {
								add(fieldOf(fa), instr.Pos(), nilstate.CheckedForNil)
							}
						}
					}
				case *ssa.Alloc:
					for _, f := range unsetFields(instr) {
						add(f, instr.Pos(), "not set")
					}
				case *ssa.Call:
					if target := jsonTarget(instr.Common()); target != nil {
						for i := 0; i < target.NumFields(); i++ {
							f := target.Field(i)
							if f.Exported() && nilable(f.Type()) && reflect.StructTag(target.Tag(i)).Get("json") != "-" {
								add(f, instr.Pos(), "may be missing from JSON decoded")
							}
						}
					}
				}
			}
		}
	}
	return out
}

// FieldCheckIn returns the position of the first nil check of field v
// in the function declaration that contains fn (its function literals
// included), or token.NoPos. A check is a comparison of the field with
// nil (not one that only fills in a default, as in FieldEvidence), a
// call of a predicate on the field (summary fields-if-true/false:
// `l.IsEmpty()`), or a call that hands the field's value to an assertion
// helper that returns only if it is non-nil (`mustNotBeNil(f.Symtab,
// "symtab")`). A field's nil check in another function is only a hint
// that a dereference may see nil; a check in the same declaration shows
// that its author knows the field may be nil there.
func FieldCheckIn(fn *ssa.Function, v *types.Var, env Env) token.Pos {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	first := token.NoPos
	found := func(pos token.Pos) {
		if pos.IsValid() && (!first.IsValid() || pos < first) {
			first = pos
		}
	}
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.BinOp:
					if x, ok := nilComparand(instr); ok {
						if load, ok := x.(*ssa.UnOp); ok && load.Op == token.MUL {
							if fa, ok := load.X.(*ssa.FieldAddr); ok && fieldOf(fa) == v && !defaulting(instr, fa) {
								found(instr.Pos())
							}
						}
					}
				case *ssa.Call:
					if checksField(instr.Common(), v, env) {
						found(instr.Pos())
					}
				}
			}
		}
		for _, lit := range fn.AnonFuncs {
			visit(lit)
		}
	}
	visit(fn)
	return first
}

// checksField reports whether the call checks field v: a predicate whose
// result says whether v of a pointer argument is nil (fields-if-true or
// -false: `l.isEmpty()`), or an assertion helper that returns only for a
// non-nil argument loaded from v (returns-when p=nonnil: `mustNotBeNil(x.F, "F")`,
// also through an interface conversion, which may defeat the check but
// shows the intent). A function that merely tolerates nil (nilsafe) is no
// check: nil is a normal input there.
func checksField(c *ssa.CallCommon, v *types.Var, env Env) bool {
	callee := c.StaticCallee()
	if callee == nil {
		return false
	}
	sum := env.Summary(callee)
	if sum == nil {
		return false
	}
	for i, arg := range c.Args {
		if i >= len(sum.Params) {
			break
		}
		p := sum.Params[i]
		if sum.After(i) < 0 && loadedFrom(arg, v) || maskHas(arg.Type(), p.FieldsIfTrue|p.FieldsIfFalse, v) {
			return true
		}
	}
	return false
}

// loadedFrom reports whether v, through interface and type conversions, is
// a load of field f.
func loadedFrom(v ssa.Value, f *types.Var) bool {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			fa, ok := x.X.(*ssa.FieldAddr)
			return ok && x.Op == token.MUL && fieldOf(fa) == f
		default:
			return false
		}
	}
}

// maskHas reports whether field f is in mask (bit i for field index i) of
// the struct that pointer type t points to.
func maskHas(t types.Type, mask uint64, f *types.Var) bool {
	st := pointee(t)
	if mask == 0 || st == nil {
		return false
	}
	for j := 0; j < st.NumFields() && j < 64; j++ {
		if mask&(1<<j) != 0 && st.Field(j) == f {
			return true
		}
	}
	return false
}

// defaulting reports whether the nil check cmp of the field fa only
// fills in a default: on every path from its nil branch the function
// stores a non-nil value into that same field or leaves (returns or
// panics) before it gets past the branch (`if resp.Body == nil { if n > 0
// { return err }; resp.Body = NoBody }`). Such a check says the field is
// set from here on, not that it may be nil where it is read (triage
// P-fresh-literal and P-init-method: net/http's Response.Body, asmdecl's
// arch.sizes).
func defaulting(cmp *ssa.BinOp, fa *ssa.FieldAddr) bool {
	refs := cmp.Referrers()
	if refs == nil || len(*refs) != 1 {
		return false
	}
	br, ok := (*refs)[0].(*ssa.If)
	if !ok {
		return false
	}
	nilBranch := br.Block().Succs[0]
	if cmp.Op == token.NEQ {
		nilBranch = br.Block().Succs[1]
	}
	if len(nilBranch.Preds) != 1 {
		return false
	}
	budget := maxDefaultingBlocks
	stores := false // a check whose nil branch only returns or panics is not a default
	seen := make(map[*ssa.BasicBlock]bool)
	var fills func(b *ssa.BasicBlock) bool
	fills = func(b *ssa.BasicBlock) bool {
		if seen[b] {
			return true // a loop inside the branch: its other paths decide
		}
		if budget--; budget < 0 {
			return false
		}
		seen[b] = true
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if to, ok := st.Addr.(*ssa.FieldAddr); ok && to.X == fa.X && to.Field == fa.Field {
					stores = true
					return !isNilConst(st.Val)
				}
			}
		}
		switch b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return, *ssa.Panic:
			return true
		}
		for _, s := range b.Succs {
			if !nilBranch.Dominates(s) || !fills(s) {
				return false
			}
		}
		return len(b.Succs) > 0
	}
	return fills(nilBranch) && stores
}

// maxDefaultingBlocks bounds the nil branch defaulting looks at.
const maxDefaultingBlocks = 16

// unsetFields returns the nilable fields of a fresh struct that the
// function never stores, if the struct leaves the function only by being
// returned or stored somewhere: a struct handed to a call, a method or an
// interface may be filled in there.
func unsetFields(al *ssa.Alloc) []*types.Var {
	if !al.Heap {
		return nil
	}
	strct, ok := al.Type().(*types.Pointer).Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	set := make([]bool, strct.NumFields())
	stores := func(fa *ssa.FieldAddr) {
		for _, rr := range *fa.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ssa.Value(fa) {
				set[fa.Field] = true
			}
		}
	}
	leaves := false
	for _, r := range *al.Referrers() {
		switch r := r.(type) {
		case *ssa.FieldAddr:
			stores(r)
		case *ssa.Return:
			leaves = true
		case *ssa.Store:
			if r.Addr == ssa.Value(al) {
				return nil // *p = v sets every field
			}
			leaves = true
			if v, ok := r.Addr.(*ssa.Alloc); ok {
				// Kept in a variable (captured by a closure, so in memory):
				// `p := new(T); p.F = x` sets F through the variable.
				for _, load := range *v.Referrers() {
					if load, ok := load.(*ssa.UnOp); ok && load.Op == token.MUL {
						for _, fa := range *load.Referrers() {
							if fa, ok := fa.(*ssa.FieldAddr); ok {
								stores(fa)
							}
						}
					}
				}
			}
		case *ssa.UnOp, *ssa.DebugRef:
		default:
			return nil
		}
	}
	if !leaves {
		return nil
	}
	var out []*types.Var
	for i := range set {
		if f := strct.Field(i); !set[i] && nilable(f.Type()) {
			out = append(out, f)
		}
	}
	return out
}

func fieldOf(fa *ssa.FieldAddr) *types.Var {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	s, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	return s.Field(fa.Field)
}

// jsonTarget returns the struct that json.Unmarshal(data, &v) or
// dec.Decode(&v) fills, if the call is one of those and the type does not
// decode itself (an UnmarshalJSON method decides what it sets).
func jsonTarget(c *ssa.CallCommon) *types.Struct {
	callee := c.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "encoding/json" || len(c.Args) == 0 {
		return nil
	}
	if callee.Name() != "Unmarshal" && callee.Name() != "Decode" {
		return nil
	}
	arg := c.Args[len(c.Args)-1]
	if mi, ok := arg.(*ssa.MakeInterface); ok {
		arg = mi.X
	}
	ptr, ok := arg.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	if obj, _, _ := types.LookupFieldOrMethod(ptr, true, nil, "UnmarshalJSON"); obj != nil {
		return nil // the decoder calls it: what it leaves nil is its own code's business
	}
	s, _ := ptr.Elem().Underlying().(*types.Struct)
	return s
}
