package driver

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// fakeAnalyzer stands in for the engine: it reports every x.y whose x is
// a local variable, with the variable's declaration as the one Related
// step and a fix that inserts a comment, so the driver can be tested
// without the real analysis. Its -skip flag (a variable name not to
// report) tests that analyzer flags reach the analyzer.
func fakeAnalyzer() *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name: "fake",
		Doc:  "fake reports every selector on a local variable\n\nIt exists for the driver's tests.",
		URL:  "https://example.com/fake#rules",
	}
	skip := a.Flags.String("skip", "", "a variable `name` not to report")
	a.Run = func(pass *analysis.Pass) (any, error) {
		logRun(pass)
		for _, file := range pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				id, ok := sel.X.(*ast.Ident)
				if !ok || id.Name == *skip {
					return true
				}
				v, ok := pass.TypesInfo.Uses[id].(*types.Var)
				if !ok || v.IsField() || v.Parent() == pass.Pkg.Scope() || v.Pkg() != pass.Pkg {
					return true
				}
				decl := pass.Fset.Position(v.Pos())
				pass.Report(analysis.Diagnostic{
					Pos:      sel.Pos(),
					End:      sel.End(),
					Category: "nil-deref",
					Message: fmt.Sprintf("nil dereference: %s may be nil here (declared without a value at %s:%d)",
						id.Name, filepath.Base(decl.Filename), decl.Line),
					Related: []analysis.RelatedInformation{{
						Pos:     v.Pos(),
						End:     v.Pos() + token.Pos(len(v.Name())),
						Message: "declared without a value",
					}},
					SuggestedFixes: []analysis.SuggestedFix{{
						Message:   "mark it",
						TextEdits: []analysis.TextEdit{{Pos: sel.Pos(), End: sel.Pos(), NewText: []byte("/*!*/")}},
					}},
				})
				return true
			})
		}
		return nil, nil
	}
	return a
}

// With NILSENTRY_DRIVER_TEST_RUNLOG set, each run of the fake analyzer
// appends a line to that file: the package and its files, so that tests
// see which packages were analyzed (not replayed from go vet's cache)
// and with which files.
func logRun(pass *analysis.Pass) {
	name := os.Getenv("NILSENTRY_DRIVER_TEST_RUNLOG")
	if name == "" {
		return
	}
	var files []string
	for _, f := range pass.Files {
		files = append(files, filepath.Base(pass.Fset.Position(f.Pos()).Filename))
	}
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s\n", pass.Pkg.Path(), strings.Join(files, ","))
}
