// Package e2e runs the built commands (cmd/nilsentry, cmd/nilvet) the way
// users do: standalone on a module and as go vet -vettool, and checks
// their output and exit status.
//
// The fixtures are separate modules under testdata/e2e. Expected findings
// are written next to the code as line comments:
//
//	x.f // e2e `anchor`: message
//	x.f // e2e-vet `anchor`: message
//
// "e2e" is a nilsentry finding, "e2e-vet" one of a standard vet analyzer
// (only nilvet reports those). The finding must be on that line, its
// column inside the first occurrence of anchor on the line, and its
// message exactly message.
package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	// The commands are built from source by the tests; importing what
	// they are made of puts it in this test's cache key, so go test does
	// not replay a pass of the tests on commands that have changed.
	_ "github.com/nilsentry/nilsentry/analyzer"
	_ "github.com/nilsentry/nilsentry/internal/driver"
)

// Exit status of a checker (singlechecker/multichecker conventions).
const (
	exitClean    = 0
	exitError    = 1
	exitUsage    = 2
	exitFindings = 3
)

const cmdTimeout = 5 * time.Minute

func TestNilsentry(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: builds and runs binaries; skipped in -short mode")
	}
	bin := buildCmd(t, "nilsentry")
	mod := fixture(t, "mod")
	want := readWants(t, mod, "e2e")
	require.NotEmpty(t, want, "no // e2e markers in %s", mod)

	t.Run("standalone/findings", func(t *testing.T) {
		r := run(t, mod, bin, "-strict", "./...")
		r.noCrash(t)
		assert.Equal(t, exitFindings, r.code, "exit status with findings\n%s", r)
		r.hasFindings(t, want)
		r.hasNoFindingsOf(t, readWants(t, mod, "e2e-vet"))
	})

	t.Run("standalone/clean", func(t *testing.T) {
		r := run(t, mod, bin, "./clean")
		r.noCrash(t)
		assert.Equal(t, exitClean, r.code, "exit status on a clean package\n%s", r)
		assert.Empty(t, r.stdout, "stdout on a clean package")
		assert.Empty(t, r.stderr, "stderr on a clean package")
	})

	t.Run("standalone/type-error", func(t *testing.T) {
		r := run(t, fixture(t, "broken"), bin, "./...")
		r.noCrash(t)
		assert.Equal(t, exitError, r.code, "exit status on a package that does not type-check\n%s", r)
		assert.Regexp(t, `broken\.go:7:\d+: cannot use "three"`, r.stderr,
			"the type error, with its position, is reported")
	})

	// The next two run on a small module without imports: a run on mod
	// analyzes fmt and os too, for facts, which takes seconds.
	t.Run("standalone/settings", func(t *testing.T) {
		dir := smallModule(t)
		r := run(t, dir, bin, "-exclude=^example.com/small$", "./...")
		r.noCrash(t)
		assert.Equal(t, exitClean, r.code, "-exclude matching the package\n%s", r)
		assert.Empty(t, r.stdout+r.stderr)

		r = run(t, dir, bin, "-strict", "-nilsentry.include=^example.com/small$", "./...")
		assert.Equal(t, exitFindings, r.code, "-include matching the package\n%s", r)
		r.hasFindings(t, readWants(t, dir, "e2e"))

		r = run(t, dir, bin, "-include=(", "./...")
		r.noCrash(t)
		assert.Equal(t, exitUsage, r.code, "a bad pattern is a usage error\n%s", r)
		assert.Contains(t, r.stderr, `invalid value "(" for flag -include: not a valid regular expression`)
	})

	// A field of another module's type is judged by this module's
	// evidence alone (analyzer.env.inModule); the module's own types keep
	// the evidence of its other packages. The marked lines are the
	// messages each would have.
	t.Run("standalone/modules", func(t *testing.T) {
		dir := filepath.Join(repoRoot(t), "testdata", "e2e", "modules", "app")
		r := run(t, dir, bin, "-strict", "./...")
		r.noCrash(t)
		assert.Equal(t, exitFindings, r.code, "%s", r)
		r.hasFindings(t, readWants(t, dir, "e2e"))
		none := readWants(t, dir, "e2e-none")
		require.NotEmpty(t, none)
		r.hasNoFindingsOf(t, none)
	})

	// Without -strict only what is nil on every path is reported: the
	// small module's nil is on one path.
	t.Run("standalone/default", func(t *testing.T) {
		r := run(t, smallModule(t), bin, "./...")
		r.noCrash(t)
		assert.Equal(t, exitClean, r.code, "%s", r)
		assert.Empty(t, r.stdout+r.stderr)
	})

	// -explain prints the nil's chain and the branches of a path on which
	// it reaches the line.
	t.Run("standalone/explain", func(t *testing.T) {
		dir := smallModule(t)
		r := run(t, dir, bin, "-strict", "-explain", "./...")
		r.noCrash(t)
		assert.Equal(t, exitFindings, r.code, "%s", r)
		assert.Equal(t, "small.go:11:9: nil dereference: u may be nil here (declared without a value at small.go:7)\n"+
			"\tsmall.go:7:6: declared without a value\n"+
			"\tsmall.go:6:11: on this path: ok is false\n", r.stdout)
	})

	t.Run("standalone/baseline", func(t *testing.T) {
		dir := smallModule(t)
		r := run(t, dir, bin, "-strict", "-baseline-write", "baseline.json", "./...")
		r.noCrash(t)
		require.Equal(t, exitClean, r.code, "%s", r)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "wrote 1 findings (1 entries) to baseline baseline.json")

		r = run(t, dir, bin, "-strict", "-baseline", "baseline.json", "./...")
		assert.Equal(t, exitClean, r.code, "everything is in the baseline\n%s", r)
		assert.Empty(t, r.stdout+r.stderr)

		// Lines shift above the finding: still baselined. A new finding
		// in a new file is reported, alone.
		small := filepath.Join(dir, "small.go")
		src, err := os.ReadFile(small)
		require.NoError(t, err)
		shifted := strings.Replace(string(src), "package small\n", "package small\n\n// Lines added above.\n\n", 1)
		require.NoError(t, os.WriteFile(small, []byte(shifted), 0o644))
		newGo := "package small\n\nfunc title(ok bool) string {\n\tvar t *User\n\tif ok {\n\t\tt = &User{}\n\t}\n" +
			"\treturn t.Name // e2e `t.Name`: nil dereference: t may be nil here (declared without a value at new.go:4)\n}\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "new.go"), []byte(newGo), 0o644))
		r = run(t, dir, bin, "-strict", "-baseline", "baseline.json", "./...")
		r.noCrash(t)
		assert.Equal(t, exitFindings, r.code, "%s", r)
		assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "only the new finding\n%s", r)
		all := readWants(t, dir, "e2e")
		added := all[:0]
		for _, w := range all {
			if w.file == "new.go" {
				added = append(added, w)
			}
		}
		require.Len(t, added, 1)
		r.hasFindings(t, added)

		r = run(t, dir, bin, "-baseline", "missing.json", "./...")
		assert.Equal(t, exitError, r.code, "%s", r)
		assert.Contains(t, r.stderr, "reading baseline missing.json")
	})

	t.Run("vettool/findings", func(t *testing.T) {
		r := run(t, mod, goCmd(), "vet", "-vettool="+bin, "-nilsentry.strict", "./...")
		r.noCrash(t)
		assert.NotEqual(t, exitClean, r.code, "go vet exit status with findings\n%s", r)
		r.hasFindings(t, want)
		// Exactly the expected lines: go vet prints one line a finding.
		lines := regexp.MustCompile(`(?m)^\S+\.go:\d+:\d+: [^\t]`).FindAllString(r.stderr, -1) // related lines are tab-indented
		assert.Len(t, lines, len(want), "go vet reports exactly the marked findings\n%s", r)
	})

	t.Run("vettool/clean", func(t *testing.T) {
		r := run(t, mod, goCmd(), "vet", "-vettool="+bin, "./clean")
		r.noCrash(t)
		assert.Equal(t, exitClean, r.code, "go vet exit status on a clean package\n%s", r)
		assert.Empty(t, r.stdout+r.stderr, "go vet output on a clean package")
	})

	t.Run("vettool/type-error", func(t *testing.T) {
		r := run(t, fixture(t, "broken"), goCmd(), "vet", "-vettool="+bin, "./...")
		r.noCrash(t)
		assert.NotEqual(t, exitClean, r.code, "go vet exit status on a type error\n%s", r)
		assert.Regexp(t, `broken\.go:7:\d+: cannot use "three"`, r.stderr)
	})
}

func TestNilvet(t *testing.T) {
	if testing.Short() {
		t.Skip("e2e: builds and runs binaries; skipped in -short mode")
	}
	bin := buildCmd(t, "nilvet")
	mod := fixture(t, "mod")

	// One go vet run; the subtests read its output.
	r := run(t, mod, goCmd(), "vet", "-vettool="+bin, "-nilsentry.strict", "./...")
	r.noCrash(t)
	assert.NotEqual(t, exitClean, r.code, "go vet exit status with findings\n%s", r)

	t.Run("vet-analyzers", func(t *testing.T) {
		want := readWants(t, mod, "e2e-vet")
		require.NotEmpty(t, want)
		r.hasFindings(t, want)
	})

	t.Run("nilsentry", func(t *testing.T) {
		r.hasFindings(t, readWants(t, mod, "e2e"))
	})

	t.Run("clean", func(t *testing.T) {
		r := run(t, mod, goCmd(), "vet", "-vettool="+bin, "./clean")
		r.noCrash(t)
		assert.Equal(t, exitClean, r.code, "%s", r)
		assert.Empty(t, r.stdout+r.stderr)
	})
}

// repoRoot is the nilsentry module's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, "go.mod"))
	return root
}

// fixture is the absolute directory of testdata/e2e/name.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "testdata", "e2e", name)
	require.FileExists(t, filepath.Join(dir, "go.mod"))
	return dir
}

// smallModule writes a module example.com/small without imports and
// with one finding (marked // e2e) into a temporary directory.
func smallModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/small\n\ngo 1.22\n",
		"small.go": "package small\n\n// User is a user.\ntype User struct{ Name string }\n\n" +
			"func name(ok bool) string {\n\tvar u *User\n\tif ok {\n\t\tu = &User{}\n\t}\n" +
			"\treturn u.Name // e2e `u.Name`: nil dereference: u may be nil here (declared without a value at small.go:7)\n}\n",
	}
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

// goCmd is the go command; go test puts its own GOROOT/bin first in PATH.
func goCmd() string {
	return "go"
}

// env is the environment of every command the test runs: fixtures are
// their own modules, never part of a workspace, and the toolchain is the
// one running the test.
func env() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
}

// buildCmd builds ./cmd/name into a temporary directory.
func buildCmd(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	r := run(t, repoRoot(t), goCmd(), "build", "-o", bin, "./cmd/"+name)
	require.Equal(t, 0, r.code, "go build ./cmd/%s\n%s", name, r)
	return bin
}

type result struct {
	args           []string
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("$ %s\nexit status %d\n--- stdout\n%s--- stderr\n%s",
		strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
}

func run(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{args: cmd.Args, stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	default:
		require.NoError(t, err, "running %s", strings.Join(cmd.Args, " "))
	}
	require.NoError(t, ctx.Err(), "timed out after %v\n%s", cmdTimeout, r)
	return r
}

// noCrash fails if the output carries a Go panic or stack trace.
func (r result) noCrash(t *testing.T) {
	t.Helper()
	out := r.stdout + r.stderr
	for _, s := range []string{"panic:", "goroutine ", "internal error"} {
		assert.NotContains(t, out, s, "crash or internal error\n%s", r)
	}
}

// A finding expected on a line of a fixture file.
type want struct {
	file     string // path relative to the module, slash-separated
	line     int
	col, end int // the column must be in [col, end)
	msg      string
}

func (w want) String() string {
	return fmt.Sprintf("%s:%d:[%d,%d): %s", w.file, w.line, w.col, w.end, w.msg)
}

// hasFindings checks that each want is printed as a diagnostic line
// "PATH/FILE:LINE:COL: MESSAGE" (PATH absolute or relative, as the
// driver prints it) on stdout or stderr.
func (r result) hasFindings(t *testing.T, wants []want) {
	t.Helper()
	for _, w := range wants {
		if !r.found(w) {
			t.Errorf("missing finding %v\n%s", w, r)
		}
	}
}

// hasNoFindingsOf checks that none of wants is reported.
func (r result) hasNoFindingsOf(t *testing.T, wants []want) {
	t.Helper()
	for _, w := range wants {
		if r.found(w) {
			t.Errorf("unexpected finding %v\n%s", w, r)
		}
	}
}

func (r result) found(w want) bool {
	out := r.stdout + "\n" + r.stderr
	re := regexp.MustCompile(`(?m)(\S*):` + strconv.Itoa(w.line) + `:(\d+): ` + regexp.QuoteMeta(w.msg) + `\r?$`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		path := "/" + filepath.ToSlash(m[1])
		col, _ := strconv.Atoi(m[2])
		if strings.HasSuffix(path, "/"+w.file) && w.col <= col && col < w.end {
			return true
		}
	}
	return false
}

var markerRE = regexp.MustCompile("//\\s*([a-z0-9-]+)\\s+`([^`]+)`:\\s*(.+?)\\s*$")

// readWants collects the markers of the given kind from the .go files of
// the module at dir.
func readWants(t *testing.T, dir, kind string) []want {
	t.Helper()
	var wants []want
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			m := markerRE.FindStringSubmatch(text)
			if m == nil || m[1] != kind {
				continue
			}
			code := text[:markerRE.FindStringIndex(text)[0]]
			i := strings.Index(code, m[2])
			if i < 0 {
				return fmt.Errorf("%s:%d: anchor %q not found before the marker", rel, line, m[2])
			}
			// Columns count bytes from 1, as go/token does.
			wants = append(wants, want{
				file: filepath.ToSlash(rel), line: line,
				col: i + 1, end: i + 1 + len(m[2]),
				msg: m[3],
			})
		}
		return sc.Err()
	})
	require.NoError(t, err)
	return wants
}

// TestHarness checks the matching of findings against markers, without
// building anything.
func TestHarness(t *testing.T) {
	wants := readWants(t, fixture(t, "mod"), "e2e-vet")
	require.Len(t, wants, 1)
	w := wants[0]
	assert.Equal(t, want{file: "report.go", line: 13, col: 14, end: 16,
		msg: "fmt.Printf format %d has arg name of wrong type string"}, w)

	for _, tc := range []struct {
		out   string
		found bool
	}{
		{"report.go:13:14: " + w.msg, true},
		{"./report.go:13:15: " + w.msg + "\n", true},
		{"x\n/abs/dir/report.go:13:14: " + w.msg + "\ny", true},
		{"report.go:13:16: " + w.msg, false},       // column past the anchor
		{"report.go:12:14: " + w.msg, false},       // other line
		{"xreport.go:13:14: " + w.msg, false},      // other file
		{"sub/report.go:13:14: " + w.msg, true},    // (directories are not pinned for root files)
		{"report.go:13:14: " + w.msg + "!", false}, // other message
	} {
		got := result{stderr: tc.out}.found(w)
		assert.Equal(t, tc.found, got, "%q", tc.out)
	}

	sub := want{file: "clean/clean.go", line: 1, col: 1, end: 2, msg: "m"}
	assert.True(t, result{stdout: "/a/clean/clean.go:1:1: m"}.found(sub))
	assert.True(t, result{stdout: "clean/clean.go:1:1: m"}.found(sub))
	assert.False(t, result{stdout: "/a/other/clean.go:1:1: m"}.found(sub))
}
