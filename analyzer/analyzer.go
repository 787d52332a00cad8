// Package analyzer exposes nilsentry as a go/analysis Analyzer.
//
// It is the only public entry point: drivers (cmd/nilsentry, go vet
// -vettool, golangci-lint, nogo, gopls) all run this Analyzer. The engine
// lives under internal/.
package analyzer

import (
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
)

// Analyzer reports dereferences and other nil panics that can run with a
// nil value for which the code itself gives evidence.
var Analyzer = &analysis.Analyzer{
	Name:      "nilsentry",
	Doc:       doc,
	URL:       "https://github.com/nilsentry/nilsentry#rules",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer, ctrlflow.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(summary.Fact), new(summary.FieldFact), new(summary.ForeignFields)},
}

const doc = `report nil dereferences that nil evidence can reach

nilsentry reports an operation that panics on nil (field access through a
pointer, *p, indexing a nil pointer to array, calling a nil func value or a
method on a nil interface, writing to a nil map, closing a nil channel,
calling a method that dereferences its nil receiver) when the code gives
evidence that the operand may be nil on some path and no check guards it.`
