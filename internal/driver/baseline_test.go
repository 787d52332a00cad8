package driver

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeMessage(t *testing.T) {
	for in, want := range map[string]string{
		"nil dereference: u may be nil here (declared without a value at user.go:6)": "nil dereference: u may be nil here (declared without a value at user.go)",
		"x (assigned nil at a.go:10; passed as parameter p of F at b_test.go:123:4)": "x (assigned nil at a.go; passed as parameter p of F at b_test.go)",
		"nilsentry:ignore silences nothing: remove it":                               "nilsentry:ignore silences nothing: remove it",
		"cargo:12 and x.gopher:3 are not positions":                                  "cargo:12 and x.gopher:3 are not positions",
		"x (field TLS not set at net/http/client.go:238; checked for nil at a.go:3)": "x (field TLS not set at client.go; checked for nil at a.go)",
		"u (Load returns nil with an error at example.com/m/store/store.go:37)":      "u (Load returns nil with an error at store.go)",
		"a/b and c/d.gopher:3 are not positions":                                     "a/b and c/d.gopher:3 are not positions",
	} {
		assert.Equal(t, want, normalizeMessage(in), in)
	}
	assert.Equal(t, "example.com/m", packagePath("example.com/m [example.com/m.test]"))
	assert.Equal(t, "example.com/m_test", packagePath("example.com/m_test [example.com/m.test]"))
	assert.Equal(t, "example.com/m", packagePath("example.com/m"))
}

// srcFinding is a finding of the fake analyzer's shape at a line of a
// file written by the test.
func srcFinding(file string, line int, variable string, declLine int) Finding {
	return Finding{
		Package: "example.com/m", Analyzer: "fake", Category: "nil-deref",
		Posn: pos(file, line, 2),
		Message: "nil dereference: " + variable + " may be nil here (declared without a value at " +
			filepath.Base(file) + ":" + strconv.Itoa(declLine) + ")",
	}
}

func writeLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
}

func TestApplyBaseline(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.go")
	writeLines(t, file,
		"package m", // 1
		"func F() {",
		"	var u *T",   // 3
		"	_ = u.Name", // 4
		"	_ = u.Name", // 5: the same statement again
		"}")
	old := []Finding{srcFinding(file, 4, "u", 3), srcFinding(file, 5, "u", 3)}
	b := newBaseline(old, make(sourceLines))
	require.Len(t, b.Findings, 1)
	assert.Equal(t, baselineEntry{
		Package: "example.com/m", File: "a.go", Category: "nil-deref",
		Message: "nil dereference: u may be nil here (declared without a value at a.go)",
		Line:    "_ = u.Name", Count: 2,
	}, b.Findings[0])
	var buf bytes.Buffer
	require.NoError(t, encodeBaseline(&buf, b))
	base, err := parseBaseline(buf.Bytes())
	require.NoError(t, err)
	analyzed := map[string]bool{"example.com/m": true}

	t.Run("unchanged", func(t *testing.T) {
		fresh, stale := applyBaseline(old, base, analyzed)
		assert.Empty(t, fresh)
		assert.Zero(t, stale)
	})

	t.Run("lines shifted", func(t *testing.T) {
		writeLines(t, file,
			"package m",
			"",
			"// F has moved down, and the indentation changed.",
			"func F() {",
			"	var u *T",        // 5
			"	_ =   u.Name   ", // 6
			"  _ = u.Name",     // 7
			"}")
		fresh, stale := applyBaseline([]Finding{srcFinding(file, 6, "u", 5), srcFinding(file, 7, "u", 5)}, base, analyzed)
		assert.Empty(t, fresh)
		assert.Zero(t, stale)
	})

	t.Run("changed message is new", func(t *testing.T) {
		f := srcFinding(file, 6, "u", 5)
		f.Message = "nil dereference: u may be nil here (assigned nil at a.go:5)"
		fresh, stale := applyBaseline([]Finding{f, srcFinding(file, 7, "u", 5)}, base, analyzed)
		assert.Equal(t, []Finding{f}, fresh)
		assert.Equal(t, 1, stale)
	})

	t.Run("changed line is new", func(t *testing.T) {
		writeLines(t, file, "package m", "func F() {", "	var u *T", "	_ = u.Name", "	_ = u.Name + u.Name", "}")
		src := make(sourceLines)
		f := srcFinding(file, 5, "u", 3)
		fresh, _ := applyBaseline([]Finding{srcFinding(file, 4, "u", 3), f}, base, analyzed)
		assert.Equal(t, []Finding{f}, fresh)
		assert.Equal(t, "_ = u.Name + u.Name", src.line(file, 5))
	})

	t.Run("duplicates are counted", func(t *testing.T) {
		writeLines(t, file, "package m", "func F() {", "	var u *T", "	_ = u.Name", "	_ = u.Name", "	_ = u.Name", "}")
		three := []Finding{srcFinding(file, 4, "u", 3), srcFinding(file, 5, "u", 3), srcFinding(file, 6, "u", 3)}
		fresh, stale := applyBaseline(three, base, analyzed)
		assert.Equal(t, three[2:], fresh, "the third occurrence is new")
		assert.Zero(t, stale)

		fresh, stale = applyBaseline(three[:1], base, analyzed)
		assert.Empty(t, fresh)
		assert.Equal(t, 1, stale, "one of the two recorded is gone")

		_, stale = applyBaseline(nil, base, map[string]bool{"example.com/other": true})
		assert.Zero(t, stale, "entries of packages not analyzed are not stale")
	})

	t.Run("other package or file is new", func(t *testing.T) {
		writeLines(t, file, "package m", "func F() {", "	var u *T", "	_ = u.Name", "	_ = u.Name", "}")
		other := srcFinding(file, 4, "u", 3)
		other.Package = "example.com/m/sub"
		copyFile := filepath.Join(dir, "b.go")
		writeLines(t, copyFile, "package m", "func F() {", "	var u *T", "	_ = u.Name", "}")
		moved := srcFinding(copyFile, 4, "u", 3)
		moved.Message = strings.ReplaceAll(moved.Message, "b.go", "a.go")
		fresh, _ := applyBaseline([]Finding{other, moved}, base, analyzed)
		assert.Equal(t, []Finding{other, moved}, fresh)

		// A test variant is the same package.
		variant := srcFinding(file, 4, "u", 3)
		variant.Package = "example.com/m [example.com/m.test]"
		fresh, _ = applyBaseline([]Finding{variant}, base, analyzed)
		assert.Empty(t, fresh)
	})
}

func TestBaselineFileIsStable(t *testing.T) {
	root := "/nonexistent/repo" // no source: the line text is empty
	findings := sampleFindings(root)
	findings = append(findings, findings[1]) // a duplicate
	var want bytes.Buffer
	require.NoError(t, encodeBaseline(&want, newBaseline(findings, make(sourceLines))))
	for i := range 10 {
		shuffled := slices.Clone(findings)
		rand.New(rand.NewPCG(uint64(i), 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		var got bytes.Buffer
		require.NoError(t, encodeBaseline(&got, newBaseline(shuffled, make(sourceLines))))
		require.Equal(t, want.String(), got.String())
	}
	// Sorted by package, file, message; one field a line; no line
	// numbers; & and < not escaped.
	assert.Equal(t, `{
  "version": 1,
  "findings": [
    {
      "package": "example.com/m",
      "file": "b.go",
      "category": "nil-call",
      "message": "nil function call: f may be nil here (map lookup may miss at b.go)",
      "line": "",
      "count": 1
    },
    {
      "package": "example.com/m/a",
      "file": "a.go",
      "category": "nil-deref",
      "message": "nil dereference: u may be nil here (declared without a value at a.go; assigned nil at a.go)",
      "line": "",
      "count": 1
    },
    {
      "package": "example.com/m/a",
      "file": "a.go",
      "category": "nil-map-write",
      "message": "nil map write: m is nil here (declared without a value at a.go)",
      "line": "",
      "count": 2
    }
  ]
}
`, want.String())

	var buf bytes.Buffer
	require.NoError(t, encodeBaseline(&buf, baselineFile{Version: 1, Findings: []baselineEntry{{Line: "m[k] = &T{} // <-ch", Count: 1}}}))
	assert.Contains(t, buf.String(), `"line": "m[k] = &T{} // <-ch"`)

	empty := newBaseline(nil, make(sourceLines))
	buf.Reset()
	require.NoError(t, encodeBaseline(&buf, empty))
	assert.Equal(t, "{\n  \"version\": 1,\n  \"findings\": []\n}\n", buf.String())
}

func TestParseBaselineErrors(t *testing.T) {
	for _, tt := range []struct{ name, data, err string }{
		{"empty", "", "not a nilsentry baseline: EOF"},
		{"truncated", `{"version": 1, "findings": [`, "not a nilsentry baseline: unexpected EOF"},
		{"not an object", `[1, 2]`, "not a nilsentry baseline: json: cannot unmarshal array"},
		{"no version", `{"findings": []}`, `not a nilsentry baseline: no "version"`},
		{"future version", `{"version": 2, "findings": []}`, "baseline version 2, but this nilsentry reads version 1"},
		{"unknown field", `{"version": 1, "findings": [], "extra": true}`, `unknown field "extra"`},
		{"trailing data", `{"version": 1, "findings": []} {}`, "data after the JSON object"},
		{"zero count", `{"version": 1, "findings": [{"file": "a.go", "message": "m", "count": 0}]}`, "baseline entry 1 (a.go, m): count must be at least 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBaseline([]byte(tt.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}

	// An entry repeated (say, by a merge) adds up.
	base, err := parseBaseline([]byte(`{"version": 1, "findings": [
		{"package": "p", "file": "a.go", "category": "c", "message": "m", "line": "l", "count": 2},
		{"package": "p", "file": "a.go", "category": "c", "message": "m", "line": "l", "count": 1}]}`))
	require.NoError(t, err)
	assert.Equal(t, map[baselineKey]int{{"p", "a.go", "c", "m", "l"}: 3}, base)
}

const dupGo = `package m

func Dup() string {
	var d *User
	_ = d.Name
	_ = d.Name
	return ""
}
`

// The baseline through the command: write, then check against it while
// the code changes.
func TestRunBaseline(t *testing.T) {
	dir := writeModule(t, map[string]string{"user.go": userGo, "dup.go": dupGo, "sub/sub.go": otherGo})
	code, out, errOut := run(t, "-baseline-write", "nilsentry-baseline.json", "./...")
	assert.Equal(t, exitClean, code, errOut)
	assert.Empty(t, out)
	assert.Equal(t, "fake: wrote 5 findings (4 entries) to baseline nilsentry-baseline.json\n", errOut)
	data, err := os.ReadFile(filepath.Join(dir, "nilsentry-baseline.json"))
	require.NoError(t, err)
	assert.Contains(t, string(data), `"line": "_ = d.Name",`)
	assert.Contains(t, string(data), `"count": 2`)
	assert.Contains(t, string(data), `"package": "example.com/m/sub",`)
	assert.NotContains(t, string(data), "dup.go:4")

	code, out, errOut = run(t, "-baseline", "nilsentry-baseline.json", "./...")
	assert.Equal(t, exitClean, code, "all findings are in the baseline")
	assert.Empty(t, out)
	assert.Empty(t, errOut)

	// Unrelated edits move every finding down and reindent one.
	shifted := strings.Replace(userGo, "type User", "// User is a user.\n\n// It has a name.\ntype User", 1)
	shifted = strings.Replace(shifted, "\treturn u.Name", "\treturn   u.Name", 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "user.go"), []byte(shifted), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dup.go"), []byte(strings.Replace(dupGo, "package m\n", "package m\n\n\n", 1)), 0o644))
	code, out, errOut = run(t, "-baseline=nilsentry-baseline.json", "./...")
	assert.Equal(t, exitClean, code, out)
	assert.Empty(t, out)
	assert.Empty(t, errOut)

	// A new finding, and a third copy of a recorded one, are reported,
	// in every format.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dup.go"),
		[]byte(strings.Replace(dupGo, "\treturn \"\"", "\t_ = d.Name\n\tvar n *User\n\treturn n.Name", 1)), 0o644))
	code, out, errOut = run(t, "-baseline", "nilsentry-baseline.json", "./...")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, `dup.go:7:6: nil dereference: d may be nil here (declared without a value at dup.go:4)
dup.go:9:9: nil dereference: n may be nil here (declared without a value at dup.go:8)
`, out)
	assert.Empty(t, errOut)
	code, out, _ = run(t, "-baseline", "nilsentry-baseline.json", "-json", "./...")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, 2, strings.Count(out, `"message": "nil dereference`), out)

	// A fixed finding leaves a stale entry: noted, not an error.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "user.go"), []byte(strings.Replace(userGo, "\treturn u.Name", "\t_ = u\n\treturn \"\"", 1)), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dup.go"), []byte(dupGo), 0o644))
	code, out, errOut = run(t, "-baseline", "nilsentry-baseline.json", "./...")
	assert.Equal(t, exitClean, code, out)
	assert.Equal(t, "fake: 1 findings of baseline nilsentry-baseline.json no longer occur (fixed, or not analyzed in this run); "+
		"-baseline-write nilsentry-baseline.json drops them\n", errOut)
	// ... but only for the packages analyzed.
	code, _, errOut = run(t, "-baseline", "nilsentry-baseline.json", "./sub")
	assert.Equal(t, exitClean, code)
	assert.Empty(t, errOut)
}

func TestRunBaselineErrors(t *testing.T) {
	dir := writeModule(t, map[string]string{"user.go": userGo})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "corrupt.json"), []byte(`{"version": 1, "findings": [`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"runs": []}`), 0o644))
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"missing", []string{"-baseline", "missing.json", "."}, exitError,
			"fake: reading baseline missing.json: open missing.json: no such file or directory\n"},
		{"corrupt", []string{"-baseline", "corrupt.json", "."}, exitError,
			"fake: reading baseline corrupt.json: not a nilsentry baseline: unexpected EOF\n"},
		{"other JSON", []string{"-baseline", "other.json", "."}, exitError,
			"fake: reading baseline other.json: not a nilsentry baseline: json: unknown field \"runs\"\n"},
		{"directory", []string{"-baseline", ".", "."}, exitError, "fake: reading baseline .: read .: is a directory\n"},
		{"both", []string{"-baseline", "a.json", "-baseline-write", "b.json", "."}, exitUsage,
			"fake: -baseline and -baseline-write cannot be combined"},
		{"unwritable", []string{"-baseline-write", filepath.Join("no", "such", "dir", "b.json"), "."}, exitError,
			"fake: writing baseline: no/such/dir/b.json: no such file or directory\n"},
		{"no value", []string{"-baseline"}, exitUsage, "flag needs an argument: -baseline"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.stderr)
			assert.NotContains(t, errOut, "panic")
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), "."), "temporary file left behind: %s", e.Name())
	}

	// Packages that do not type-check: the baseline is written with what
	// was found, and the exit status says the run failed.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.go"), []byte("package m\n\nvar _ int = \"x\"\n"), 0o644))
	code, _, errOut := run(t, "-baseline-write", "b.json", ".")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "does not type-check")
	assert.Contains(t, errOut, "wrote 0 findings (0 entries) to baseline b.json")
}
