// Command nilsentry runs the nilsentry analyzer standalone
// (nilsentry ./...) or as a vet tool (go vet -vettool=$(which nilsentry)).
package main

import (
	"github.com/nilsentry/nilsentry/analyzer"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
