// Command nilsentry runs the nilsentry analyzer standalone
// (nilsentry [flags] ./...) or as a vet tool
// (go vet -vettool=$(command -v nilsentry) ./...). See internal/driver.
package main

import (
	"github.com/nilsentry/nilsentry/analyzer"
	"github.com/nilsentry/nilsentry/internal/driver"
)

func main() { driver.Main(analyzer.Analyzer, analyzer.FactsOnly) }
