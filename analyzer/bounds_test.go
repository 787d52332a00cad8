package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nilsentry/nilsentry/analyzer"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestBounds runs the analyzer over generated pathological code: giant
// functions, huge switches, deep nesting, thousands of closures, long
// call chains. Each must end with a clean result (findings where the
// code has them) or a reported skip, never a hang or a crash. There is no
// timed assertion: benchmarks measure speed; this proves the bounds.
func TestBounds(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyzes large inputs")
	}
	cases := map[string]string{
		"giant":    giantFunction(3000),
		"switches": hugeSwitch(4000),
		"nesting":  deepNesting(300),
		"closures": manyClosures(2000),
		"chain":    callChain(400),
		"overflow": overBudget(11000),
		"paths":    manyPaths(400),
	}
	dir := t.TempDir()
	var pkgs []string
	for name, src := range cases {
		pkgDir := filepath.Join(dir, "src", "bounds", name)
		require.NoError(t, os.MkdirAll(pkgDir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(pkgDir, name+".go"), []byte(src), 0o644))
		pkgs = append(pkgs, "bounds/"+name)
	}
	set(t, "degraded", "true")
	set(t, "strict", "true")
	analysistest.Run(t, dir, analyzer.Analyzer, pkgs...)
}

func header(name string) string {
	return "package " + name + "\n\ntype T struct{ N int }\n\n"
}

// giantFunction: n branches that may nil p, then one dereference.
func giantFunction(n int) string {
	var b strings.Builder
	b.WriteString(header("giant"))
	b.WriteString("func f(xs []int) int {\n\tp := &T{}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tif xs[%d] == %d {\n\t\tp = nil\n\t}\n", i%7, i)
	}
	b.WriteString("\treturn p.N // want `nil dereference: p may be nil here`\n}\n")
	return b.String()
}

// hugeSwitch: n cases, one of which leaves p nil.
func hugeSwitch(n int) string {
	var b strings.Builder
	b.WriteString(header("switches"))
	b.WriteString("func f(k int) int {\n\tvar p *T\n\tswitch k {\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tcase %d:\n\t\tp = &T{N: %d}\n", i, i)
	}
	b.WriteString("\t}\n\treturn p.N // want `nil dereference: p may be nil here \\(declared without a value`\n}\n")
	return b.String()
}

// deepNesting: n nested ifs around a guarded dereference.
func deepNesting(n int) string {
	var b strings.Builder
	b.WriteString(header("nesting"))
	b.WriteString("func f(p *T, xs []int) int {\n\ts := 0\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%sif xs[%d] > 0 {\n", strings.Repeat("\t", i+1), i%5)
	}
	fmt.Fprintf(&b, "%sif p != nil {\n%s\ts += p.N\n%s}\n", strings.Repeat("\t", n+1), strings.Repeat("\t", n+1), strings.Repeat("\t", n+1))
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "%s}\n", strings.Repeat("\t", i+1))
	}
	b.WriteString("\treturn s\n}\n")
	return b.String()
}

// manyClosures: n function literals, each returning nil, each called.
func manyClosures(n int) string {
	var b strings.Builder
	b.WriteString(header("closures"))
	b.WriteString("func f() int {\n\ts := 0\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tf%d := func() *T { return nil }\n\ts += f%d().N // want `nil dereference: f%d\\(\\) is nil here|may be nil here`\n", i, i, i)
	}
	b.WriteString("\treturn s\n}\n")
	return b.String()
}

// callChain: f0 calls f1 ... calls fn, which returns nil.
func callChain(n int) string {
	var b strings.Builder
	b.WriteString(header("chain"))
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "func f%d() *T { return f%d() }\n", i, i+1)
	}
	fmt.Fprintf(&b, "func f%d() *T { return nil }\n", n)
	b.WriteString("func use() int { return f0().N } // want `nil dereference: f0\\(\\) may be nil here`\n")
	return b.String()
}

// manyPaths: a pointer set under one condition and used under the same
// one, with n independent branches in between: 2^n paths for the
// feasibility walk, which runs out of budget, so the finding stands.
func manyPaths(n int) string {
	var b strings.Builder
	b.WriteString(header("paths"))
	b.WriteString("func f(c bool, xs []int) int {\n\tvar p *T\n\ts := 0\n\tif c {\n\t\tp = &T{}\n\t}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tif xs[%d] > %d {\n\t\ts++\n\t}\n", i, i)
	}
	b.WriteString("\tif c {\n\t\treturn p.N + s // want `nil dereference: p may be nil here`\n\t}\n\treturn s\n}\n")
	return b.String()
}

// overBudget: a function with more blocks than the flow's budget is
// skipped, and -degraded says so.
func overBudget(n int) string {
	var b strings.Builder
	b.WriteString(header("overflow"))
	b.WriteString("func f(xs []int) int { // want `nilsentry: f skipped: .* blocks exceed the budget`\n\tp := &T{}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\tif xs[%d] == %d {\n\t\tp = nil\n\t}\n", i%7, i)
	}
	b.WriteString("\treturn p.N\n}\n")
	return b.String()
}
