package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/ssa"
)

// The definite check reports what go vet's nilness reports, so that
// nilsentry can replace it: operations on a value that is nil by the nil
// comparisons dominating them or by what the value is (a nil constant),
// and nil comparisons whose outcome those facts decide. It walks the
// dominator tree once with a stack of facts, apart from the data flow:
// the flow treats the code after a panicking dereference as unreachable
// and so stays silent about a second dereference of the same nil, while
// every such line is a bug to fix.
//
// Its findings are emitted after the flow's: where both report the same
// operation, the flow's evidence (which may say more) is kept.

// definiteFact records that a block is dominated by v == nil (isNil) or
// v != nil, and why.
type definiteFact struct {
	v     ssa.Value
	isNil bool
	why   nilstate.Step
}

// definiteState is nil, non-nil or unknown (ok false), with the reason.
type definiteState struct {
	ok    bool
	isNil bool
	why   nilstate.Step
}

func (a *analysis) definite() {
	if len(a.fn.Blocks) == 0 {
		return
	}
	seen := make([]bool, len(a.fn.Blocks))
	var visit func(b *ssa.BasicBlock, stack []definiteFact)
	visit = func(b *ssa.BasicBlock, stack []definiteFact) {
		if seen[b.Index] {
			return
		}
		seen[b.Index] = true
		for _, instr := range b.Instrs {
			a.definiteSinks(stack, instr)
		}
		if bin, tsucc, fsucc := nilEquality(b); bin != nil {
			x, y := a.nilnessOf(stack, bin.X, bin), a.nilnessOf(stack, bin.Y, bin)
			if x.ok && y.ok && (x.isNil || y.isNil) {
				// Both sides known, one nil: the outcome is decided.
				a.condition(bin, x, y)
				dead := tsucc
				if x.isNil == y.isNil {
					dead = fsucc
				}
				for _, d := range b.Dominees() {
					if d != dead || len(d.Preds) != 1 {
						visit(d, stack)
					}
				}
				return
			}
			if x.ok && x.isNil || y.ok && y.isNil {
				v := bin.X
				if x.ok && x.isNil {
					v = bin.Y
				}
				why := a.step(bin.Pos(), nilstate.CheckedForNil)
				for _, d := range b.Dominees() {
					s := stack
					// Only an edge that is the block's sole entry
					// carries the fact.
					if len(d.Preds) == 1 && (d == tsucc || d == fsucc) {
						s = append(s[:len(s):len(s)], expandFact(v, d == tsucc, why)...)
					}
					visit(d, s)
				}
				return
			}
		}
		// `if p, ok := x.(*T); ok { ... } else { here p is nil }`
		if fsucc, p := failedAssertion(b); p != nil {
			why := a.step(p.Tuple.Pos(), "type assertion may fail")
			for _, d := range b.Dominees() {
				s := stack
				if d == fsucc && len(d.Preds) == 1 {
					s = append(s[:len(s):len(s)], definiteFact{p, true, why})
				}
				visit(d, s)
			}
			return
		}
		for _, d := range b.Dominees() {
			visit(d, stack)
		}
	}
	visit(a.fn.Blocks[0], nil)
}

// definiteSinks reports instr if it operates on a value that is nil.
func (a *analysis) definiteSinks(stack []definiteFact, instr ssa.Instruction) {
	check := func(v ssa.Value, f Finding) {
		if !f.Pos.IsValid() {
			f.Pos = instr.Pos()
		}
		if s := a.nilnessOf(stack, v, instr); s.ok && s.isNil {
			f.State = nilstate.NilBecause(nilstate.NewEvidence(s.why))
			f.Via = embeddedVia(v)
			a.emit(f)
		}
	}
	switch instr := instr.(type) {
	case ssa.CallInstruction:
		c := instr.Common()
		switch {
		case c.IsInvoke():
			// A method of a type parameter may accept a nil receiver.
			if _, tparam := types.Unalias(c.Value.Type()).(*types.TypeParam); !tparam {
				check(c.Value, Finding{Category: "nil-interface-call", Shape: ShapeCall, Pos: c.Pos()})
			}
		case isBuiltin(c.Value, "close") && len(c.Args) == 1:
			check(c.Args[0], Finding{Category: "nil-chan-close", Shape: ShapeCallArg, Pos: c.Pos()})
		case c.StaticCallee() == nil && !isBuiltin(c.Value, ""):
			check(c.Value, Finding{Category: "nil-call", Shape: ShapeCall, Pos: c.Pos()})
		}
	case *ssa.FieldAddr:
		check(instr.X, Finding{Category: "nil-deref", Shape: ShapeSelector})
	case *ssa.IndexAddr:
		switch instr.X.Type().Underlying().(type) {
		case *types.Pointer:
			shape := ShapeIndex
			if inRangeLoop(instr) {
				shape = ShapeRange // `for _, v := range p` over a *[N]T
			}
			check(instr.X, Finding{Category: "nil-deref", Shape: shape})
		case *types.Slice:
			if rangeIndex(instr) {
				check(instr.X, Finding{Category: "nil-range", Shape: ShapeRange})
			} else {
				check(instr.X, Finding{Category: "nil-index", Shape: ShapeIndex})
			}
		}
	case *ssa.Slice:
		if isPointerToArray(instr.X.Type()) {
			check(instr.X, Finding{Category: "nil-deref", Shape: ShapeSlice})
		}
	case *ssa.Store:
		check(instr.Addr, Finding{Category: "nil-deref", Shape: ShapeStar})
	case *ssa.MapUpdate:
		check(instr.Map, Finding{Category: "nil-map-write", Shape: ShapeMapIndex})
	case *ssa.Range:
		if _, isMap := instr.X.Type().Underlying().(*types.Map); isMap {
			check(instr.X, Finding{Category: "nil-range", Shape: ShapeRange})
		}
	case *ssa.TypeAssert:
		if !instr.CommaOk {
			check(instr.X, Finding{Category: "nil-assert", Shape: ShapeAssert})
		}
	case *ssa.UnOp:
		switch instr.Op {
		case token.MUL:
			check(instr.X, implicitLoad(instr))
		case token.ARROW:
			check(instr.X, Finding{Category: "nil-chan-recv", Shape: ShapeRecv})
		}
	case *ssa.Send:
		check(instr.Chan, Finding{Category: "nil-chan-send", Shape: ShapeSend})
	case *ssa.Panic:
		check(instr.X, Finding{Category: "nil-panic", Shape: ShapeCallArg})
	case *ssa.SliceToArrayPointer:
		if arrayLen(instr) > 0 {
			check(instr.X, Finding{Category: "nil-conversion", Shape: ShapeCallArg})
		}
	}
}

// condition reports a nil comparison decided by what is known of both
// sides (x, y), at least one of them nil.
func (a *analysis) condition(bin *ssa.BinOp, x, y definiteState) {
	// Explain the side that is not a nil literal; when both are values,
	// the left one.
	s, v := x, bin.X
	if isNilConst(bin.X) && !isNilConst(bin.Y) {
		s, v = y, bin.Y
	}
	f := Finding{Category: "nil-condition", Shape: ShapeCond, Pos: bin.Pos(), Detail: "impossible"}
	if (x.isNil == y.isNil) == (bin.Op == token.EQL) {
		f.Detail = "tautological"
	}
	if s.isNil {
		f.State = nilstate.NilBecause(nilstate.NewEvidence(s.why))
	} else {
		f.State = nilstate.State{Kind: nilstate.NonNil, Ev: nilstate.NewEvidence(s.why)}
	}
	_ = v
	a.emit(f)
}

// nilnessOf is what the dominating facts and v itself say about v at at.
func (a *analysis) nilnessOf(stack []definiteFact, v ssa.Value, at ssa.Instruction) definiteState {
	switch x := v.(type) {
	case *ssa.ChangeInterface:
		if s := a.nilnessOf(stack, x.X, at); s.ok {
			return s
		}
	case *ssa.Slice:
		if s := a.nilnessOf(stack, x.X, at); s.ok {
			return s
		}
	case *ssa.SliceToArrayPointer:
		s := a.nilnessOf(stack, x.X, at)
		if arrayLen(x) > 0 {
			// Converting a nil slice panics (reported there); otherwise
			// the result points to the slice's array.
			if s.ok && s.isNil {
				return definiteState{}
			}
			return definiteState{ok: true, why: a.step(x.Pos(), "converted from a slice")}
		}
		if s.ok {
			return s
		}
	case *ssa.MakeInterface:
		if !mayBeInterface(x.X.Type()) {
			return definiteState{ok: true, why: a.step(x.Pos(), "boxed into an interface")}
		}
	case *ssa.Alloc, *ssa.MakeChan, *ssa.MakeMap, *ssa.MakeSlice, *ssa.MakeClosure:
		return definiteState{ok: true, why: a.step(v.Pos(), "made")}
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Function, *ssa.Global:
		return definiteState{ok: true, why: a.step(v.Pos(), "an address")}
	case *ssa.Const:
		if x.IsNil() && nillable(x.Type()) {
			var name string
			if bin, ok := at.(*ssa.BinOp); ok && bin.Y == v {
				name = exprName(bin.X)
			}
			return definiteState{ok: true, isNil: true, why: a.nilSite(constCtx{name: name, before: at.Pos()})}
		}
		return definiteState{}
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].v == v {
			return definiteState{ok: true, isNil: stack[i].isNil, why: stack[i].why}
		}
	}
	return definiteState{}
}

// exprName is the source name of a value, for nilSite.
func exprName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.UnOp:
		if al, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL {
			return al.Comment
		}
	}
	return ""
}

// expandFact is the fact that v is (or is not) nil, and the same of the
// interfaces it was converted from.
func expandFact(v ssa.Value, isNil bool, why nilstate.Step) []definiteFact {
	ff := []definiteFact{{v, isNil, why}}
	for {
		ci, ok := v.(*ssa.ChangeInterface)
		if !ok {
			return ff
		}
		v = ci.X
		ff = append(ff, definiteFact{v, isNil, why})
	}
}

// nilEquality returns the nil comparison b ends with (a `==` or `!=`
// with a nil constant or between nillable values) and its true (equal)
// and false successors.
func nilEquality(b *ssa.BasicBlock) (*ssa.BinOp, *ssa.BasicBlock, *ssa.BasicBlock) {
	if len(b.Instrs) == 0 {
		return nil, nil, nil
	}
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, nil, nil
	}
	bin, ok := iff.Cond.(*ssa.BinOp)
	if !ok || !nillable(bin.X.Type()) {
		return nil, nil, nil
	}
	switch bin.Op {
	case token.EQL:
		return bin, b.Succs[0], b.Succs[1]
	case token.NEQ:
		return bin, b.Succs[1], b.Succs[0]
	}
	return nil, nil, nil
}

// failedAssertion matches a block ending in `if ok` (or `if !ok`) on a
// comma-ok assertion to a nillable type: it returns the successor where
// the assertion failed and the asserted value, nil there.
func failedAssertion(b *ssa.BasicBlock) (*ssa.BasicBlock, *ssa.Extract) {
	if len(b.Instrs) == 0 {
		return nil, nil
	}
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, nil
	}
	cond, fsucc := iff.Cond, b.Succs[1]
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond, fsucc = not.X, b.Succs[0]
	}
	okv, ok := cond.(*ssa.Extract)
	if !ok || okv.Index != 1 {
		return nil, nil
	}
	ta, ok := okv.Tuple.(*ssa.TypeAssert)
	if !ok || !nillable(ta.AssertedType) {
		return nil, nil
	}
	for _, e := range extracts(ta, 0) {
		return fsucc, e
	}
	return nil, nil
}

// nillable reports whether t has nil among its values (slices too,
// unlike nilable: a nil slice is a value to compare, not a panic).
func nillable(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Slice); ok {
		return true
	}
	return nilable(t)
}

// mayBeInterface reports whether a type parameter's type set can hold an
// interface type, so that boxing a value of it may give a nil interface.
// A type set restricted by a union or type term without an interface
// among them cannot.
func mayBeInterface(t types.Type) bool {
	tp, ok := types.Unalias(t).(*types.TypeParam)
	if !ok {
		return false
	}
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	if !ok {
		return true
	}
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			concrete := true
			for j := 0; j < e.Len(); j++ {
				if types.IsInterface(e.Term(j).Type()) {
					concrete = false
				}
			}
			if concrete {
				return false
			}
		default:
			if !types.IsInterface(e) {
				return false
			}
		}
	}
	return true
}

// rangeIndex reports whether ia indexes a slice by the counter of a
// range loop over it (`for i := range s { s[i] }`, or the element of
// `for _, v := range s`). go/ssa lowers the loop to a block commented
// "rangeindex.loop" that compares the incremented counter with len(s).
func rangeIndex(ia *ssa.IndexAddr) bool {
	if !inRangeLoop(ia) {
		return false
	}
	incr := ia.Index.(*ssa.BinOp)
	b := incr.Block()
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	cond, ok := iff.Cond.(*ssa.BinOp)
	if !ok || cond.X != incr || cond.Op != token.LSS {
		return false
	}
	n, ok := cond.Y.(*ssa.Call)
	return ok && isBuiltin(n.Call.Value, "len") && len(n.Call.Args) == 1 && n.Call.Args[0] == ia.X
}

// inRangeLoop reports whether ia indexes by the counter of a range
// loop (its increment in the "rangeindex.loop" block).
func inRangeLoop(ia *ssa.IndexAddr) bool {
	incr, ok := ia.Index.(*ssa.BinOp)
	return ok && incr.Op == token.ADD && incr.Block().Comment == "rangeindex.loop"
}

func isBuiltin(v ssa.Value, name string) bool {
	b, ok := v.(*ssa.Builtin)
	return ok && (name == "" || b.Name() == name)
}

func arrayLen(v *ssa.SliceToArrayPointer) int64 {
	return v.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Array).Len()
}

// cgoUnsafeArgs reports whether fn (or a function it is nested in) is
// marked //go:cgo_unsafe_args: cgo's generated wrappers reach their
// arguments through memory SSA cannot see, so nothing said about them
// would be true.
func cgoUnsafeArgs(fn *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if decl, ok := fn.Syntax().(*ast.FuncDecl); ok && decl.Doc != nil {
			for _, c := range decl.Doc.List {
				if strings.HasPrefix(c.Text, "//go:cgo_unsafe_args") {
					return true
				}
			}
		}
	}
	return false
}
