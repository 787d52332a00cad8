package driver

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nilsentry/nilsentry/analyzer"
)

// With NILSENTRY_DRIVER_TEST_VETTOOL=1 the test binary is the nilsentry
// command around the fake analyzer, so that go vet can run it as its
// -vettool: the go vet path is tested with an analyzer that has a flag
// and reports findings with fixes, whatever the engine does. With
// "real" it is the command around the real analyzer (runReal).
// The tests call Run, which runs go vet with the test binary as its
// vet tool, so the variable is set for them.
func TestMain(m *testing.M) {
	switch os.Getenv(vetToolEnv) {
	case "1":
		Main(fakeAnalyzer(), nil)
	case "real":
		Main(analyzer.Analyzer, analyzer.FactsOnly)
	}
	os.Setenv(vetToolEnv, "1")
	os.Exit(m.Run())
}

const vetToolEnv = "NILSENTRY_DRIVER_TEST_VETTOOL"

// goVet runs go vet with the test binary as -vettool in the current
// directory and returns its exit code and combined output.
func goVet(t *testing.T, args ...string) (int, string) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + exe}, args...)...)
	out, err := cmd.CombinedOutput()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return exitErr.ExitCode(), string(out)
	}
	require.NoError(t, err, "%s", out)
	return 0, string(out)
}

func TestGoVetProtocol(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	dir := writeModule(t, map[string]string{"user.go": userGo})

	code, out := goVet(t, "./...")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "user.go:10:9: nil dereference: u may be nil here (declared without a value at user.go:6)")

	// The analyzer's flags, in both forms.
	for _, f := range []string{"-skip=u", "-fake.skip=u"} {
		code, out = goVet(t, f, "./...")
		assert.Equal(t, 0, code, "%s: %s", f, out)
	}

	code, out = goVet(t, "-json", "./...")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, `"fake": [`)
	assert.Contains(t, out, `"category": "nil-deref"`)

	// go vet -fix applies the first fix of each finding.
	code, out = goVet(t, "-fix", "./...")
	assert.Equal(t, 0, code, out)
	src, err := os.ReadFile(dir + "/user.go")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(src), "return /*!*/ u.Name"), "fix not applied:\n%s", src)
}

func TestGoFixTool(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go fix")
	}
	dir := writeModule(t, map[string]string{"user.go": userGo})
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command("go", "fix", "-fixtool="+exe, "./...")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	src, err := os.ReadFile(dir + "/user.go")
	require.NoError(t, err)
	assert.Contains(t, string(src), "return /*!*/ u.Name")
}
