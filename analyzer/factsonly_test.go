package analyzer_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nilsentry/nilsentry/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// discard is an analysistest.Testing that ignores what does not match:
// the runs below compare facts, not expectations.
type discard struct{}

func (discard) Errorf(string, ...any) {}

// In a facts-only run (go vet's VetxOnly, for dependencies) the analyzer
// reports nothing and exports exactly the facts of a full run.
func TestFactsOnly(t *testing.T) {
	set(t, "strict", "true") // so that the full run reports
	facts := func() ([]string, int) {
		var out []string
		diags := 0
		for _, r := range analysistest.Run(discard{}, testdata, analyzer.Analyzer, "xpkg/store", "xpkg/admin", "xpkg/api", "testfiles") {
			diags += len(r.Action.Diagnostics)
			for _, f := range r.Action.AllObjectFacts() {
				out = append(out, fmt.Sprintf("%s %s: %s", r.Action.Package.ID, f.Object, f.Fact))
			}
			for _, f := range r.Action.AllPackageFacts() {
				out = append(out, fmt.Sprintf("%s package %s: %s", r.Action.Package.ID, f.Package.Path(), f.Fact))
			}
		}
		slices.Sort(out)
		return out, diags
	}
	full, diags := facts()
	require.NotEmpty(t, full)
	require.NotZero(t, diags)

	analyzer.SetFactsOnly(true)
	t.Cleanup(func() { analyzer.SetFactsOnly(false) })
	only, none := facts()
	assert.Equal(t, full, only)
	assert.Zero(t, none, "a facts-only run reports nothing")
}
