// Package report turns flow findings into go/analysis diagnostics: it
// finds the syntax that performs each sink, words the message so that it
// stands on its own (golangci-lint and go vet keep only position and
// text), attaches the evidence chain as Related information, and orders
// the result deterministically.
//
// It does not decide what is a finding (package flow does).
package report

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"github.com/nilsentry/nilsentry/internal/flow"
	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// what names each rule's operation at the start of its message.
var what = map[string]string{
	"nil-deref":          "nil dereference",
	"nil-receiver":       "nil dereference",
	"nil-argument":       "nil dereference",
	"deref-before-check": "nil dereference",
	"nil-call":           "nil function call",
	"nil-interface-call": "nil interface method call",
	"nil-map-write":      "nil map write",
	"nil-chan-close":     "close of nil channel",
	"typed-nil":          "nil pointer in non-nil interface",
	"nil-index":          "index of nil slice",
	"nil-range":          "range over nil",
	"nil-assert":         "type assertion on nil interface",
	"nil-chan-recv":      "receive from nil channel",
	"nil-chan-send":      "send to nil channel",
	"nil-panic":          "panic with nil value",
	"nil-conversion":     "conversion of nil slice to a non-empty array",
}

// Reporter collects the diagnostics of one package.
type Reporter struct {
	pass   *analysis.Pass
	filter Filter
	diags  []analysis.Diagnostic
	seen   map[token.Pos]int // the index of the diagnostic at each node
	// mayNil holds the positions of the diagnostics about what may be nil
	// on some path, shown only with Filter.MayNil; they are still made, so
	// that an ignore directive that silences one is not "silencing
	// nothing" without it.
	mayNil map[token.Pos]bool
}

// Filter says which files get reports; facts are computed for all.
type Filter struct {
	Generated bool // report in generated files (// Code generated ... DO NOT EDIT.)
	Tests     bool // report in _test.go files
	MayNil    bool // report what may be nil on some path, not only what is certain
}

func New(pass *analysis.Pass, filter Filter) *Reporter {
	return &Reporter{pass: pass, filter: filter, seen: make(map[token.Pos]int), mayNil: make(map[token.Pos]bool)}
}

// Add words a finding. Findings whose syntax cannot be found (code the
// compiler synthesized) are dropped: there is nothing to point at.
func (r *Reporter) Add(f flow.Finding) {
	file := r.fileOf(f.Pos)
	if file == nil || !r.wanted(file) {
		return // generated and test files are filtered before any work
	}
	node, operand := locate(file, f)
	if node == nil || operand == nil || isNilLiteral(operand) && f.Category != "nil-panic" && f.Category != "nil-condition" {
		// `*(*int)(nil) = 0` crashes on purpose.
		return
	}
	at, seen := r.seen[node.Pos()]
	if seen && !(f.Certain() && r.mayNil[node.Pos()]) {
		return // one report per dereferencing expression: the first, unless a certain one follows
	}

	verb := "may be nil here"
	if f.State.Kind == nilstate.Nil {
		verb = "is nil here"
	}
	why := f.State.Ev.String()
	if f.Detail != "" {
		why += "; " + f.Detail
	}
	msg := what[f.Category] + ": " + r.operandText(f, node, operand) + " " + verb + " (" + why + ")"
	switch {
	case f.Category == "nil-condition":
		msg = conditionMessage(f, node, operand, switchTag(file, f.Pos))
	case isNilLiteral(operand): // panic(nil)
		msg = what[f.Category] + ": panic(nil) panics with a *runtime.PanicNilError"
	}
	d := analysis.Diagnostic{
		Pos:      node.Pos(),
		End:      node.End(),
		Category: f.Category,
		Message:  msg,
	}
	d.SuggestedFixes = deferFix(r.pass.Fset, file, node)
	if f.State.Ev != nil {
		for _, s := range f.State.Ev.Steps {
			if s.Pos.IsValid() && r.fileOf(s.Pos) != nil {
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: s.Pos, Message: s.What})
			}
		}
	}
	d.Related = append(d.Related, r.branches(f.Path)...)
	if seen {
		r.diags[at] = d // the definite check's, shown without -strict too
	} else {
		r.seen[node.Pos()] = len(r.diags)
		r.diags = append(r.diags, d)
	}
	r.mayNil[d.Pos] = !f.Certain()
}

// tupleResult is the variable assigned result i of the call or comma-ok
// expression innermost in encl (`ok` in `v, ok := m[k]`).
func tupleResult(encl []ast.Node, i int) ast.Expr {
	for _, n := range encl {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if i < len(n.Lhs) && len(n.Rhs) == 1 {
				return n.Lhs[i]
			}
			return nil
		case *ast.ValueSpec:
			if i < len(n.Names) && len(n.Values) == 1 {
				return n.Names[i]
			}
			return nil
		}
	}
	return nil
}

// branches words the branches on the path of a finding ("on this path:
// ok is false"), for -explain and editors: the way the nil takes to the
// line. A comma-ok's condition points at the variable it assigns.
func (r *Reporter) branches(path []flow.Branch) []analysis.RelatedInformation {
	var rel []analysis.RelatedInformation
	for _, b := range path {
		file := r.fileOf(b.Pos)
		if file == nil {
			continue
		}
		encl, _ := astutil.PathEnclosingInterval(file, b.Pos, b.Pos)
		if len(encl) == 0 {
			continue
		}
		cond, ok := encl[0].(ast.Expr)
		if b.Index >= 0 {
			cond = tupleResult(encl, b.Index)
		}
		if !ok || cond == nil {
			continue
		}
		verb := " is false"
		if b.Taken {
			verb = " is true"
		}
		rel = append(rel, analysis.RelatedInformation{Pos: cond.Pos(),
			Message: "on this path: " + types.ExprString(cond) + verb})
	}
	return rel
}

// Flush applies the file filter and the ignore directives, and reports
// what remains in source order.
func (r *Reporter) Flush() {
	sup := collectSuppressions(r.pass)
	var kept []analysis.Diagnostic
	for _, d := range r.diags {
		if !sup.suppress(r.pass.Fset, d) && (r.filter.MayNil || !r.mayNil[d.Pos]) {
			kept = append(kept, d)
		}
	}
	kept = append(kept, sup.problems()...)
	r.diags = r.diags[:0]
	for _, d := range kept {
		if f := r.fileOf(d.Pos); f != nil && r.wanted(f) {
			r.diags = append(r.diags, d)
		}
	}
	sort.SliceStable(r.diags, func(i, j int) bool {
		if r.diags[i].Pos != r.diags[j].Pos {
			return r.diags[i].Pos < r.diags[j].Pos
		}
		return r.diags[i].Message < r.diags[j].Message
	})
	for _, d := range r.diags {
		r.pass.Report(d)
	}
	r.diags = nil
}

func (r *Reporter) fileOf(pos token.Pos) *ast.File {
	if !pos.IsValid() {
		return nil
	}
	for _, f := range r.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// locate finds the expression that performs the sink (node) and the
// expression that may be nil (operand).
func locate(file *ast.File, f flow.Finding) (node ast.Node, operand ast.Expr) {
	for _, n := range enclosing(file, f.Pos) {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// x.M as a method value of an interface asserts x non-nil.
			if f.Shape == flow.ShapeSelector || f.Shape == flow.ShapeStar || f.Shape == flow.ShapeAssert {
				return n, n.X
			}
		case *ast.StarExpr:
			if f.Shape == flow.ShapeStar {
				return n, n.X
			}
		case *ast.IndexExpr:
			if f.Shape == flow.ShapeIndex || f.Shape == flow.ShapeMapIndex || f.Shape == flow.ShapeStar || f.Shape == flow.ShapeRange {
				return n, n.X
			}
		case *ast.SliceExpr:
			if f.Shape == flow.ShapeSlice {
				return n, n.X
			}
		case *ast.CallExpr:
			switch f.Shape {
			case flow.ShapeCall:
				fun := ast.Unparen(n.Fun)
				if sel, ok := fun.(*ast.SelectorExpr); ok && f.Category != "nil-call" {
					return n, sel.X
				}
				return n, fun
			case flow.ShapeCallArg:
				if f.Arg < len(n.Args) {
					return n, n.Args[f.Arg]
				}
				return nil, nil
			}
		case *ast.ReturnStmt:
			if f.Shape == flow.ShapeReturn && f.Arg < len(n.Results) {
				return n.Results[f.Arg], n.Results[f.Arg]
			}
			return nil, nil
		case *ast.AssignStmt:
			// A store: `*p = v` (the position is the assignment's).
			for _, lhs := range n.Lhs {
				if star, ok := ast.Unparen(lhs).(*ast.StarExpr); ok {
					return star, star.X
				}
			}
			return nil, nil
		case *ast.RangeStmt:
			if f.Shape == flow.ShapeRange || f.Shape == flow.ShapeRecv || f.Shape == flow.ShapeIndex {
				return n, n.X
			}
		case *ast.TypeAssertExpr:
			if f.Shape == flow.ShapeAssert {
				return n, n.X
			}
		case *ast.UnaryExpr:
			if f.Shape == flow.ShapeRecv && n.Op == token.ARROW {
				return n, n.X
			}
		case *ast.SendStmt:
			if f.Shape == flow.ShapeSend {
				return n, n.Chan
			}
		case *ast.BinaryExpr:
			if f.Shape == flow.ShapeCond && n.OpPos == f.Pos {
				return n, nilComparand(n)
			}
		case *ast.CaseClause:
			if f.Shape == flow.ShapeCond {
				for _, e := range n.List {
					if e.Pos() <= f.Pos && f.Pos < e.End() {
						return e, e
					}
				}
			}
			return nil, nil
		case *ast.FuncDecl, *ast.FuncLit, *ast.BlockStmt:
			return nil, nil
		}
	}
	return nil, nil
}

// switchTag is the value a switch case at pos compares: the tag of an
// expression switch, the operand of a type switch's x.(type); nil if
// none.
func switchTag(file *ast.File, pos token.Pos) ast.Expr {
	for _, n := range enclosing(file, pos) {
		switch n := n.(type) {
		case *ast.SwitchStmt:
			return n.Tag
		case *ast.TypeSwitchStmt:
			var x ast.Expr
			switch a := n.Assign.(type) {
			case *ast.ExprStmt:
				x = a.X
			case *ast.AssignStmt:
				if len(a.Rhs) == 1 {
					x = a.Rhs[0]
				}
			}
			if ta, ok := ast.Unparen(x).(*ast.TypeAssertExpr); ok {
				return ta.X
			}
			return nil
		case *ast.FuncDecl, *ast.FuncLit:
			return nil
		}
	}
	return nil
}

// operandText names the value that may be nil. Through a promoted field
// or method (`s.Log()` with `type Server struct{ *Logger }`) whose
// embedded pointer is the nil one (f.Via), that is `s.Logger`, not s.
func (r *Reporter) operandText(f flow.Finding, node ast.Node, operand ast.Expr) string {
	text := types.ExprString(operand)
	if f.Via == "" {
		return text
	}
	var sel *ast.SelectorExpr
	switch n := node.(type) {
	case *ast.SelectorExpr:
		sel = n
	case *ast.CallExpr:
		sel, _ = ast.Unparen(n.Fun).(*ast.SelectorExpr)
	}
	if sel == nil || sel.X != operand || r.pass.TypesInfo == nil {
		return text
	}
	selection := r.pass.TypesInfo.Selections[sel]
	if selection == nil || len(selection.Index()) < 2 {
		return text
	}
	t := selection.Recv()
	path := text
	for _, i := range selection.Index()[:len(selection.Index())-1] {
		st, ok := derefStruct(t)
		if !ok || i >= st.NumFields() {
			return text
		}
		field := st.Field(i)
		path += "." + field.Name()
		if field.Name() == f.Via {
			return path
		}
		t = field.Type()
	}
	return text
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// nilComparand is the side of a comparison that is not a nil literal.
func nilComparand(b *ast.BinaryExpr) ast.Expr {
	if isNilLiteral(b.X) && !isNilLiteral(b.Y) {
		return b.Y
	}
	return b.X
}

// conditionMessage words a nil comparison whose outcome is known:
//
//	impossible condition: err != nil is never true (err is nil here: checked for nil at a.go:66)
//
// For a switch case, node is the case's expression and the compared
// value is the switch's tag.
func conditionMessage(f flow.Finding, node ast.Node, operand, tag ast.Expr) string {
	cond := types.ExprString(node.(ast.Expr))
	if _, ok := node.(*ast.BinaryExpr); !ok {
		cond = "case " + cond
		operand = tag
	}
	outcome := "always true"
	if f.Detail == "impossible" {
		outcome = "never true"
	}
	state := "nil"
	if f.State.Kind == nilstate.NonNil {
		state = "non-nil"
	}
	if operand == nil {
		return f.Detail + " condition: " + cond + " is " + outcome + " (the value is " + state + " here: " + f.State.Ev.String() + ")"
	}
	return f.Detail + " condition: " + cond + " is " + outcome + " (" + types.ExprString(operand) + " is " + state + " here: " + f.State.Ev.String() + ")"
}

// enclosing returns the nodes that contain pos, innermost first. Unlike
// astutil.PathEnclosingInterval it descends only into nodes that contain
// pos, which matters in generated files of tens of thousands of lines.
func enclosing(file *ast.File, pos token.Pos) []ast.Node {
	var path []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		path = append(path, n)
		return true
	})
	slices.Reverse(path)
	return path
}

// isNilLiteral reports whether e is `nil` or a conversion of it.
func isNilLiteral(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name == "nil"
	case *ast.CallExpr:
		return len(e.Args) == 1 && isNilLiteral(e.Args[0])
	}
	return false
}

func (r *Reporter) wanted(f *ast.File) bool {
	if !r.filter.Generated && ast.IsGenerated(f) {
		return false
	}
	if !r.filter.Tests && strings.HasSuffix(r.pass.Fset.Position(f.FileStart).Filename, "_test.go") {
		return false
	}
	return true
}
