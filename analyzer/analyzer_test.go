package analyzer_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nilsentry/nilsentry/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata is the repository's top-level testdata folder.
var testdata, _ = filepath.Abs(filepath.Join("..", "testdata"))

// set sets the analyzer's flag name for the test.
func set(t *testing.T, name, value string) {
	t.Helper()
	f := analyzer.Analyzer.Flags.Lookup(name)
	require.NotNil(t, f, "flag %s", name)
	old := f.Value.String()
	require.NoError(t, analyzer.Analyzer.Flags.Set(name, value))
	t.Cleanup(func() { _ = analyzer.Analyzer.Flags.Set(name, old) })
}

// TestAnalyzer runs the rules with -strict: most of what they find may
// be nil on some path, which the default leaves out (TestDefault).
func TestAnalyzer(t *testing.T) {
	set(t, "strict", "true")
	analysistest.Run(t, testdata, analyzer.Analyzer, "basic", "closures", "sinks", "sources", "guards", "typednil", "precision", "suppress", "recursion", "callers", "testfiles", "paths", "definite", "hints")
}

// TestDefault: without -strict only what holds on every path is
// reported, and an ignore directive that silences a -strict finding
// still silences something.
func TestDefault(t *testing.T) {
	analysistest.Run(t, testdata, analyzer.Analyzer, "definite", "certain")
}

// TestCrossPackage runs with facts: summaries and field evidence of
// package store reach package api.
func TestCrossPackage(t *testing.T) {
	set(t, "strict", "true")
	analysistest.Run(t, testdata, analyzer.Analyzer, "xpkg/store", "xpkg/admin", "xpkg/api", "xpkg/roster")
}

// TestSettings checks the flags that select what is reported.
func TestSettings(t *testing.T) {
	set(t, "strict", "true") // the packages' findings may be nil on some path
	t.Run("exclude silences a package", func(t *testing.T) {
		set(t, "exclude", "^settings/excluded$")
		// settings/excluded has a finding and no expectation: if exclude
		// failed, the finding would be unexpected.
		analysistest.Run(t, testdata, analyzer.Analyzer, "settings/excluded")
	})
	t.Run("generated files are reported on request", func(t *testing.T) {
		set(t, "generated", "true")
		set(t, "include", "^settings/generated$")
		analysistest.Run(t, testdata, analyzer.Analyzer, "settings/generated")
	})
	t.Run("hints reports a field checked in another function", func(t *testing.T) {
		set(t, "hints", "true")
		analysistest.Run(t, testdata, analyzer.Analyzer, "strict")
	})
	t.Run("bad pattern is a flag error", func(t *testing.T) {
		err := analyzer.Analyzer.Flags.Set("include", "(")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "not a valid regular expression")
	})
}

// TestStdlib checks contracts inferred from the standard library's own
// code through facts: the analysis runs over every dependency.
func TestStdlib(t *testing.T) {
	if testing.Short() {
		t.Skip("analyzes net/http and its dependencies")
	}
	set(t, "strict", "true")
	analysistest.Run(t, testdata, analyzer.Analyzer, "stdlib")
}

// TestSuggestedFixes applies the fixes and compares with .golden files.
func TestSuggestedFixes(t *testing.T) {
	set(t, "strict", "true")
	analysistest.RunWithSuggestedFixes(t, testdata, analyzer.Analyzer, "fixes")
}
