package driver

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nilsentry/nilsentry/analyzer"
)

// writeModule writes a module example.com/m from a map of file names to
// contents into a fresh directory and makes it the working directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	dir, err := filepath.EvalSymlinks(dir) // go list reports resolved paths
	require.NoError(t, err)
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, content := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	t.Chdir(dir)
	return dir
}

const userGo = `package m

type User struct{ Name string }

func Name(ok bool) string {
	var u *User
	if ok {
		u = &User{}
	}
	return u.Name
}
`

const otherGo = `package sub

import "example.com/m"

func Both() string {
	var v *m.User
	w := v
	return w.Name + v.Name
}
`

const userTestGo = `package m

import "testing"

func TestName(t *testing.T) {
	var x *User
	_ = x.Name
}
`

// run calls Run with the fake analyzer and returns its exit code, stdout
// and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(args, &stdout, &stderr, fakeAnalyzer())
	return code, stdout.String(), stderr.String()
}

func TestRunText(t *testing.T) {
	writeModule(t, map[string]string{"user.go": userGo, "user_test.go": userTestGo, "sub/sub.go": otherGo})

	code, out, errOut := run(t, "./...")
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, errOut)
	// Sorted by file, line, column; paths relative to the working
	// directory; the finding in user.go reported once although tests
	// load the package twice.
	assert.Equal(t, `sub/sub.go:8:9: nil dereference: w may be nil here (declared without a value at sub.go:7)
sub/sub.go:8:18: nil dereference: v may be nil here (declared without a value at sub.go:6)
user.go:10:9: nil dereference: u may be nil here (declared without a value at user.go:6)
user_test.go:7:6: nil dereference: x may be nil here (declared without a value at user_test.go:6)
`, out)

	code, out, _ = run(t, "-explain", "-test=false", ".")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, `user.go:10:9: nil dereference: u may be nil here (declared without a value at user.go:6)
	user.go:6:6: declared without a value
`, out)
}

// runLog makes the fake analyzer log its runs and returns a function that
// reads and clears the log: "package|files" per run, sorted.
func runLog(t *testing.T) func() []string {
	t.Helper()
	runlog := filepath.Join(t.TempDir(), "runs")
	t.Setenv("NILSENTRY_DRIVER_TEST_RUNLOG", runlog)
	return func() []string {
		data, _ := os.ReadFile(runlog)
		_ = os.Remove(runlog)
		lines := strings.Fields(strings.ReplaceAll(string(data), " ", "|"))
		slices.Sort(lines)
		return lines
	}
}

// The second run on unchanged code replays go vet's cache; -cache=false
// and a changed file analyze again; -test=false drops test files.
func TestRunCache(t *testing.T) {
	dir := writeModule(t, map[string]string{"user.go": userGo, "user_test.go": userTestGo, "sub/sub.go": otherGo})
	runs := runLog(t)

	code, first, _ := run(t, "./...")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, []string{"example.com/m/sub|sub.go", "example.com/m|user.go,user_test.go"}, runs())

	code, again, _ := run(t, "./...")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, first, again, "a replay prints the same")
	assert.Empty(t, runs(), "nothing analyzed again")

	code, again, _ = run(t, "-cache=false", "./...")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, first, again)
	assert.Len(t, runs(), 2)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "sub.go"), []byte(otherGo+"\n// changed\n"), 0o644))
	_, _, _ = run(t, "./...")
	assert.Equal(t, []string{"example.com/m/sub|sub.go"}, runs(), "only the changed package")

	// go vet replays the cached output of example.com/m when it analyzes
	// it for facts only, as a dependency of sub: its findings are not
	// sub's.
	code, out, _ := run(t, "./sub")
	assert.Equal(t, exitFindings, code)
	assert.NotContains(t, out, "user.go")
	assert.Contains(t, out, "sub/sub.go:8:9")

	code, out, _ = run(t, "-test=false", "./...")
	assert.Equal(t, exitFindings, code)
	assert.NotContains(t, out, "user_test.go")
	assert.Equal(t, []string{"example.com/m/sub|sub.go", "example.com/m|user.go"}, runs())
}

// TestRunAfterDependencyRun: go vet's cache key for a package does not
// say whether it was analyzed for facts only, so after `./sub` (where
// example.com/m is a dependency) a run of `./...` gets m's facts-only
// output replayed, without findings; the command analyzes m again, in
// full, and the run after that replays everything.
func TestRunAfterDependencyRun(t *testing.T) {
	writeModule(t, map[string]string{"user.go": userGo, "sub/sub.go": otherGo})
	runs := runLog(t)

	code, out, _ := run(t, "./sub")
	assert.Equal(t, exitFindings, code)
	assert.NotContains(t, out, "user.go")
	runs()

	code, all, _ := run(t, "./...")
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, all, "user.go:10:9", "m's findings, although go vet replayed its facts-only run")
	assert.Contains(t, all, "sub/sub.go:8:9")
	assert.Equal(t, []string{"example.com/m|user.go"}, runs(), "m analyzed again in full, sub replayed")

	code, again, _ := run(t, "./...")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, all, again)
	assert.Empty(t, runs(), "nothing analyzed again")

	_, fresh, _ := run(t, "-cache=false", "./...")
	assert.Equal(t, fresh, all, "the same as a run without the cache")
}

func TestRunNoFindings(t *testing.T) {
	writeModule(t, map[string]string{"ok.go": "package m\n\nfunc F() int { return 1 }\n"})
	for _, format := range []string{"text", "json", "sarif"} {
		code, out, errOut := run(t, "-format="+format, "./...")
		assert.Equal(t, exitClean, code, format)
		assert.Empty(t, errOut, format)
		if format == "text" {
			assert.Empty(t, out)
		}
	}
}

func TestRunAnalyzerFlags(t *testing.T) {
	writeModule(t, map[string]string{"user.go": userGo})
	for _, flagName := range []string{"-skip", "-fake.skip"} {
		code, out, errOut := run(t, flagName+"=u", "./...")
		assert.Equal(t, exitClean, code, "%s: %s", flagName, errOut)
		assert.Empty(t, out, flagName)
	}
}

func TestRunJSON(t *testing.T) {
	dir := writeModule(t, map[string]string{"user.go": userGo, "sub/sub.go": otherGo})
	code, out, errOut := run(t, "-json", "-test=false", "./...")
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, errOut)
	var tree map[string]map[string][]jsonDiagnostic
	require.NoError(t, json.Unmarshal([]byte(out), &tree), out)
	require.Len(t, tree["example.com/m"]["fake"], 1)
	d := tree["example.com/m"]["fake"][0]
	assert.Equal(t, filepath.Join(dir, "user.go")+":10:9", d.Posn)
	assert.Equal(t, filepath.Join(dir, "user.go")+":10:15", d.End)
	assert.Equal(t, "nil-deref", d.Category)
	require.Len(t, d.Related, 1)
	assert.Equal(t, filepath.Join(dir, "user.go")+":6:6", d.Related[0].Posn)
	require.Len(t, d.SuggestedFixes, 1)
	assert.Equal(t, "/*!*/", d.SuggestedFixes[0].Edits[0].New)
	assert.Len(t, tree["example.com/m/sub"]["fake"], 2)
}

func TestRunSARIF(t *testing.T) {
	dir := writeModule(t, map[string]string{"user.go": userGo, "sub/sub.go": otherGo})
	require.NoError(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	t.Chdir(filepath.Join(dir, "sub")) // URIs stay relative to the repository root

	code, out, errOut := run(t, "-sarif", "-test=false", "example.com/m/...")
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, errOut)
	doc := decodeSARIF(t, []byte(out))
	assert.Equal(t, "fake", obj(t, doc, "runs", 0, "tool", "driver", "name"))
	results := obj(t, doc, "runs", 0, "results").([]any)
	require.Len(t, results, 3)
	var uris []string
	for _, r := range results {
		uris = append(uris, obj(t, r, "locations", 0, "physicalLocation", "artifactLocation", "uri").(string))
	}
	assert.Equal(t, []string{"sub/sub.go", "sub/sub.go", "user.go"}, uris)
	assert.Equal(t, "https://example.com/fake#nil-deref", obj(t, doc, "runs", 0, "tool", "driver", "rules", 0, "helpUri"))

	code, out, _ = run(t, "-format=sarif", "-srcroot="+filepath.Join(dir, "sub"), "-test=false", ".")
	assert.Equal(t, exitFindings, code)
	doc = decodeSARIF(t, []byte(out))
	assert.Equal(t, "sub.go", obj(t, doc, "runs", 0, "results", 0, "locations", 0, "physicalLocation", "artifactLocation", "uri"))
}

func TestRunLoadErrors(t *testing.T) {
	writeModule(t, map[string]string{
		"user.go":    userGo,
		"bad/bad.go": "package bad\n\nfunc G() int { return undefinedThing }\n",
	})
	code, out, errOut := run(t, "./...")
	assert.Equal(t, exitError, code)
	assert.Equal(t, "fake: package example.com/m/bad does not type-check: bad/bad.go:3:23: undefined: undefinedThing\n", errOut)
	// The packages that type-check are still analyzed.
	assert.Contains(t, out, "user.go:10:9: nil dereference")

	code, out, errOut = run(t, "-json", "./bad")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "does not type-check")
	assert.Contains(t, out, `"error": "package example.com/m/bad does not type-check`)

	// go vet's own words on what does not load.
	code, _, errOut = run(t, "./nonexistent")
	assert.Equal(t, exitError, code)
	assert.Regexp(t, `^fake: stat .*/nonexistent: directory not found\n$`, errOut)
	code, _, errOut = run(t, "example.com/elsewhere")
	assert.Equal(t, exitError, code)
	assert.Equal(t, "fake: no required module provides package example.com/elsewhere; to add it:\n\tgo get example.com/elsewhere\n", errOut)
	assert.NotContains(t, errOut, "goroutine", "no stack trace")
}

func TestRunUsage(t *testing.T) {
	writeModule(t, map[string]string{"user.go": userGo})
	tests := []struct {
		name       string
		args       []string
		code       int
		stderr     string // substring
		stdoutHave string // substring
	}{
		{"unknown flag", []string{"-bogus", "./..."}, exitUsage, "flag provided but not defined: -bogus\nusage: fake [flags] packages...", ""},
		{"no packages", nil, exitUsage, "fake: no packages to analyze", ""},
		{"bad format", []string{"-format=xml", "."}, exitUsage, `unknown output format "xml"`, ""},
		{"json and sarif", []string{"-json", "-sarif", "."}, exitUsage, "-json and -sarif ask for different output formats", ""},
		{"format and json", []string{"-format=text", "-json", "."}, exitUsage, "-format=text and -json ask for different output formats", ""},
		{"bad flag value", []string{"-test=maybe", "."}, exitUsage, `invalid boolean value "maybe" for -test`, ""},
		{"help", []string{"-help"}, exitClean, "", "Usage:"},
		{"version", []string{"-version"}, exitClean, "", "fake devel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, errOut, tt.stderr)
			assert.Contains(t, out, tt.stdoutHave)
			assert.NotContains(t, errOut, "panic")
		})
	}

	// Agreeing format flags are fine.
	code, out, _ := run(t, "-format=json", "-json", "-test=false", ".")
	assert.Equal(t, exitFindings, code)
	assert.True(t, json.Valid([]byte(out)))
}

func TestInvokedByVet(t *testing.T) {
	for args, want := range map[string]bool{
		"-V=full":                         true,
		"-flags":                          true,
		"--flags":                         true,
		"/tmp/go-build1/b001/vet.cfg":     true,
		"-json -c=2 /tmp/b001/vet.cfg":    true,
		"-nilsentry.explain /tmp/vet.cfg": true,
		"./...":                           false,
		"-json ./...":                     false,
		"./... x.cfg":                     false,
		"":                                false,
	} {
		assert.Equal(t, want, invokedByVet(strings.Fields(args)), args)
	}
}

// The analyzer's flags must not collide with a driver's: such a name
// makes go vet pass it to go build too, or hides it under singlechecker.
func TestAnalyzerFlagsAreNotReserved(t *testing.T) {
	analyzer.Analyzer.Flags.VisitAll(func(f *flag.Flag) {
		assert.NotContains(t, reservedFlags, f.Name, "analyzer flag -%s is taken by a driver; rename it", f.Name)
	})
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Bool("json", false, "")
	a := fakeAnalyzer()
	a.Flags.Bool("json", false, "collides")
	registerAnalyzerFlags(fs, a) // must not panic on the duplicate
	assert.NotNil(t, fs.Lookup("skip"))
}

// Every category of docs/messages.md has a rule with help for SARIF.
func TestRulesCoverMessagesDoc(t *testing.T) {
	doc, err := os.ReadFile("../../docs/messages.md")
	require.NoError(t, err)
	categories := regexp.MustCompile(`(?m)^\| ([a-z-]+) +\|`).FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, categories)
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
		assert.NotEmpty(t, r.Short, r.ID)
		assert.NotEmpty(t, r.Help, r.ID)
		assert.NotEqual(t, r.ID, r.Name, r.ID)
	}
	var documented []string
	for _, m := range categories {
		if m[1] != "category" {
			documented = append(documented, m[1])
			assert.Contains(t, ids, m[1], "docs/messages.md category without a SARIF rule in rules.go")
		}
	}
	for _, id := range ids {
		assert.Contains(t, documented, id, "rules.go rule without a row in the table of docs/messages.md")
	}
}

// The real command under go vet: the -vettool protocol end to end.
func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "nilsentry")
	build := exec.Command("go", "build", "-o", bin, "github.com/nilsentry/nilsentry/cmd/nilsentry")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	out, err = exec.Command(bin, "-flags").Output()
	require.NoError(t, err)
	var flags []struct{ Name string }
	require.NoError(t, json.Unmarshal(out, &flags), "%s", out)
	assert.True(t, slices.ContainsFunc(flags, func(f struct{ Name string }) bool { return f.Name == "json" }))

	out, err = exec.Command(bin, "-V=full").Output()
	require.NoError(t, err)
	assert.Regexp(t, `nilsentry version .* buildID=[0-9a-f]+\n$`, string(out))

	writeModule(t, map[string]string{"ok.go": "package m\n\nfunc F() int { return 1 }\n"})
	vet := exec.Command("go", "vet", "-vettool="+bin, "./...")
	out, err = vet.CombinedOutput()
	assert.NoError(t, err, "%s", out)

	out, err = exec.Command(bin, "-test=false", "./...").CombinedOutput()
	assert.NoError(t, err, "%s", out)
	assert.Empty(t, string(out))
}
