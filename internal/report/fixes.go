package report

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// deferFix proposes the one fix that is unambiguous: a deferred call on
// a maybe-nil value placed right above the error check of the call that
// produced it,
//
//	resp, err := http.Get(u)
//	defer resp.Body.Close()
//	if err != nil {
//		return err
//	}
//
// moves below the check.
func deferFix(fset *token.FileSet, file *ast.File, node ast.Node) []analysis.SuggestedFix {
	path, _ := astutil.PathEnclosingInterval(file, node.Pos(), node.End())
	var def *ast.DeferStmt
	var block *ast.BlockStmt
	for _, n := range path {
		switch n := n.(type) {
		case *ast.DeferStmt:
			def = n
		case *ast.BlockStmt:
			if def != nil {
				block = n
			}
		case *ast.FuncDecl, *ast.FuncLit:
			if block == nil {
				return nil
			}
		}
		if block != nil {
			break
		}
	}
	if def == nil || block == nil {
		return nil
	}
	i := indexOf(block.List, def)
	if i < 0 || i+1 >= len(block.List) {
		return nil
	}
	check, ok := block.List[i+1].(*ast.IfStmt)
	if !ok || check.Init != nil || check.Else != nil || !isErrCheck(check.Cond) {
		return nil
	}
	var text bytes.Buffer
	if err := format.Node(&text, fset, def); err != nil {
		return nil
	}
	indent := strings.Repeat("\t", fset.Position(def.Pos()).Column-1)
	return []analysis.SuggestedFix{{
		Message: "Move the defer below the error check",
		TextEdits: []analysis.TextEdit{
			{Pos: def.Pos(), End: check.Pos()},
			{Pos: check.End(), End: check.End(), NewText: []byte("\n" + indent + text.String())},
		},
	}}
}

func indexOf(list []ast.Stmt, s ast.Stmt) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// isErrCheck matches `err != nil`.
func isErrCheck(cond ast.Expr) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return false
	}
	id, ok := ast.Unparen(b.Y).(*ast.Ident)
	return ok && id.Name == "nil"
}
