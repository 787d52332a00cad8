package driver

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

func TestLoadErrors(t *testing.T) {
	var many []packages.Error
	for i := range 15 {
		many = append(many, packages.Error{Pos: fmt.Sprintf("/w/many/m.go:%d:1", i+1), Msg: "undefined: x", Kind: packages.TypeError})
	}
	dep := &packages.Package{ID: "example.com/dep", PkgPath: "example.com/dep", Errors: []packages.Error{
		{Msg: "# example.com/dep\ndep/dep.go:3:9: undefined: y\ndep/dep.go:4:9: undefined: z\n", Kind: packages.ListError},
	}}
	both := &packages.Package{ID: "example.com/both", PkgPath: "example.com/both", Errors: []packages.Error{
		{Pos: "/w/both/b.go:2:2", Msg: "undefined: q", Kind: packages.TypeError},
		{Msg: "# example.com/both\nboth/b.go:2:2: undefined: q\n", Kind: packages.ListError},
	}}
	missing := &packages.Package{ID: "example.com/missing", PkgPath: "example.com/missing", Errors: []packages.Error{
		{Msg: "no required module provides package example.com/missing", Kind: packages.ListError},
	}}
	root := &packages.Package{ID: "example.com/root", PkgPath: "example.com/root", Imports: map[string]*packages.Package{
		"example.com/dep": dep, "example.com/both": both, "example.com/missing": missing,
	}}
	manyPkg := &packages.Package{ID: "example.com/many", PkgPath: "example.com/many", Errors: many}
	testVariant := &packages.Package{ID: "example.com/many [example.com/many.test]", PkgPath: "example.com/many", Errors: many}

	errs, broken := loadErrors([]*packages.Package{root, manyPkg, testVariant}, "nilsentry", "/w")
	var lines []string
	for _, e := range errs {
		assert.Equal(t, "nilsentry", e.Analyzer)
		lines = append(lines, e.Err)
	}
	want := []string{
		"package example.com/both does not type-check: both/b.go:2:2: undefined: q",
		"package example.com/dep does not type-check: dep/dep.go:3:9: undefined: y",
		"package example.com/dep does not type-check: dep/dep.go:4:9: undefined: z",
	}
	for i := range 10 {
		want = append(want, fmt.Sprintf("package example.com/many does not type-check: many/m.go:%d:1: undefined: x", i+1))
	}
	want = append(want, "package example.com/many: 5 more errors",
		"cannot load package example.com/missing: no required module provides package example.com/missing")
	assert.Equal(t, want, lines)
	assert.Equal(t, map[string]bool{
		"example.com/both": true, "example.com/dep": true, "example.com/missing": true,
		"example.com/many": true, "example.com/many [example.com/many.test]": true,
	}, broken)
}

func TestIsTestMain(t *testing.T) {
	assert.True(t, isTestMain(&packages.Package{ID: "m.test", Name: "main", GoFiles: []string{"/cache/90/abc-d"}}))
	assert.False(t, isTestMain(&packages.Package{ID: "m", Name: "m", GoFiles: []string{"/w/m.go"}}))
	assert.False(t, isTestMain(&packages.Package{ID: "tool.test", Name: "main", GoFiles: []string{"/w/main.go"}}))
}

func TestProgress(t *testing.T) {
	assert.False(t, isTerminal(&bytes.Buffer{}))
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, isTerminal(w), "a pipe is not a terminal")
	assert.Nil(t, startProgress(w, "nilsentry"), "no progress unless stderr is a terminal")

	// A nil progress is inert.
	var none *progress
	a := fakeAnalyzer()
	assert.Same(t, a, none.wrap(a))
	none.analyzing(3)
	none.stop()

	var buf bytes.Buffer
	p := &progress{w: &buf, name: "nilsentry", phase: "loading", quit: make(chan struct{})}
	p.draw()
	p.draw() // unchanged: not redrawn
	p.analyzing(2)
	counted := p.wrap(&analysis.Analyzer{Name: "x", Run: func(*analysis.Pass) (any, error) { return nil, nil }})
	for range 2 {
		_, err := counted.Run(nil)
		require.NoError(t, err)
	}
	p.draw()
	p.stop()
	assert.Equal(t, "\r\x1b[Knilsentry: loading packages\r\x1b[Knilsentry: analyzed 2/2 packages\r\x1b[K", buf.String())
	assert.False(t, strings.Contains(buf.String(), "\n"), "progress stays on one line")
}
