package driver

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVetErrors(t *testing.T) {
	var stderr strings.Builder
	stderr.WriteString("go: downloading example.com/dep v1.0.0\n")
	stderr.WriteString("no required module provides package example.com/missing; to add it:\n\tgo get example.com/missing\n")
	stderr.WriteString("# example.com/m/bad\nbad/bad.go:3:23: undefined: undefinedThing\n")
	stderr.WriteString("# example.com/m/many [example.com/m/many.test]\n")
	for i := range 15 {
		fmt.Fprintf(&stderr, "many/m.go:%d:1: undefined: x\n", i+1)
	}
	stderr.WriteString("# example.com/m/crash\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/w/main.go:3 +0x1d\n")

	var lines []string
	for _, e := range vetErrors(stderr.String(), "nilsentry") {
		assert.Equal(t, "nilsentry", e.Analyzer)
		lines = append(lines, e.Package+" | "+e.Err)
	}
	want := []string{
		" | no required module provides package example.com/missing; to add it:\n\tgo get example.com/missing",
		"example.com/m/bad | package example.com/m/bad does not type-check: bad/bad.go:3:23: undefined: undefinedThing",
	}
	for i := range 10 {
		want = append(want, fmt.Sprintf("example.com/m/many [example.com/m/many.test] | package example.com/m/many does not type-check: many/m.go:%d:1: undefined: x", i+1))
	}
	want = append(want, "example.com/m/many [example.com/m/many.test] | package example.com/m/many: more errors",
		"example.com/m/crash | package example.com/m/crash: panic: boom",
		"example.com/m/crash | package example.com/m/crash: goroutine 1 [running]:",
		"example.com/m/crash | package example.com/m/crash: main.main()\n\t/w/main.go:3 +0x1d")
	assert.Equal(t, want, lines)
}

func TestReadRecords(t *testing.T) {
	f := Finding{Package: "example.com/m", Analyzer: "fake", Message: "nil dereference"}
	var in bytes.Buffer
	for _, r := range []record{{Finding: &f}, {Done: "example.com/m"}, {Facts: "fmt"}, {Done: "example.com/m_test"}} {
		require.NoError(t, encodeRecord(&in, r))
	}
	in.WriteString("\n")
	p := &progress{quit: make(chan struct{})}
	res := vetResult{analyzed: make(map[string]bool)}
	require.NoError(t, readRecords(&in, &res, p))
	assert.Equal(t, []Finding{f}, res.findings)
	assert.Equal(t, map[string]bool{"example.com/m": true, "example.com/m_test": true}, res.analyzed)
	assert.Equal(t, 2, p.done)
	assert.Equal(t, 1, p.deps)

	err := readRecords(strings.NewReader("not a record\n"), &res, nil)
	assert.ErrorContains(t, err, "not a record")
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
	none.setTotal(3)
	none.packageDone()
	none.dependencyDone()
	none.stop()

	var buf bytes.Buffer
	p := &progress{w: &buf, name: "nilsentry", quit: make(chan struct{})}
	p.draw()
	p.draw() // unchanged: not redrawn
	p.dependencyDone()
	p.setTotal(2)
	p.packageDone()
	p.packageDone()
	p.draw()
	p.packageDone() // more than counted (a pattern matched more): the total follows
	p.draw()
	p.stop()
	assert.Equal(t, "\r\x1b[Knilsentry: analyzed 0/? packages, 0 dependencies"+
		"\r\x1b[Knilsentry: analyzed 2/2 packages, 1 dependencies"+
		"\r\x1b[Knilsentry: analyzed 3/3 packages, 1 dependencies\r\x1b[K", buf.String())
	assert.False(t, strings.Contains(buf.String(), "\n"), "progress stays on one line")
}

func TestReplayedRoots(t *testing.T) {
	res := vetResult{
		analyzed: map[string]bool{"example.com/m [example.com/m.test]": true, "example.com/m_test": true},
		errs:     []PackageError{{Package: "example.com/bad", Err: "does not type-check"}},
	}
	plain := map[string]bool{"example.com/m": true, "example.com/dep": true, "example.com/bad": true, "example.com/a": true}
	assert.Equal(t, []string{"example.com/a", "example.com/dep"}, replayedRoots(res, plain),
		"vetted packages with no run reported and no error")
}

func TestRerunArgs(t *testing.T) {
	args := []string{"vet", "-json", "-vettool=/bin/n", "-" + streamFlag + "=", "-tags=x", "./...", "./cmd/..."}
	assert.Equal(t, []string{"vet", "-json", "-vettool=/bin/n", "-" + streamFlag + "=" + fullSalt, "-tags=x", "example.com/a"},
		rerunArgs(args, []string{"example.com/a"}))
}
