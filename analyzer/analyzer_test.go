package analyzer_test

import (
	"path/filepath"
	"testing"

	"github.com/nilsentry/nilsentry/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// testdata is the repository's top-level testdata folder.
var testdata, _ = filepath.Abs(filepath.Join("..", "testdata"))

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, testdata, analyzer.Analyzer, "basic", "sinks", "sources", "guards", "typednil", "precision")
}

// TestCrossPackage runs with facts: summaries and field evidence of
// package store reach package api.
func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata, analyzer.Analyzer, "xpkg/store", "xpkg/api")
}
