package analyzer

import (
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"

	"github.com/nilsentry/nilsentry/internal/flow"
	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/report"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// maxSCCRounds bounds the fixed point over mutually recursive functions.
const maxSCCRounds = 4

func run(pass *analysis.Pass) (any, error) {
	ssainput := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	env := &env{pass: pass, local: make(map[*ssa.Function]*summary.Summary)}
	env.fields = flow.FieldEvidence(ssainput.SrcFuncs, env.Where)
	for f, ev := range env.fields {
		if f.Pkg() == pass.Pkg && f.Exported() { // others cannot reach unexported fields
			pass.ExportObjectFact(f, &summary.FieldFact{Ev: summary.StripPos(ev)})
		}
	}
	rep := report.New(pass)

	for _, scc := range summary.Order(ssainput.SrcFuncs) {
		results := analyzeSCC(scc, env)
		for i, fn := range scc {
			res := results[i]
			if res.Degraded != "" && debug {
				pass.Reportf(fn.Pos(), "nilsentry: %s skipped: %s", fn.Name(), res.Degraded)
			}
			for _, f := range res.Findings {
				rep.Add(f)
			}
			// Only exported functions can be called statically from another
			// package, so only they need facts.
			if obj := fn.Object(); obj != nil && obj.Exported() && fn.Parent() == nil && res.Summary.Interesting() {
				pass.ExportObjectFact(obj, summary.Portable(res.Summary))
			}
		}
	}
	rep.Flush()
	return nil, nil
}

// analyzeSCC analyzes a component of the call graph, iterating recursive
// components until their summaries stop changing.
func analyzeSCC(scc []*ssa.Function, env *env) []flow.Result {
	results := make([]flow.Result, len(scc))
	rounds := 1
	if summary.IsRecursive(scc) {
		rounds = maxSCCRounds
	}
	for round := 0; round < rounds; round++ {
		changed := false
		for i, fn := range scc {
			results[i] = flow.Analyze(fn, env)
			if !results[i].Summary.Equal(env.local[fn]) {
				changed = true
			}
			env.local[fn] = results[i].Summary
		}
		if !changed {
			break
		}
	}
	return results
}

// env gives the flow analysis the summaries of callees: computed in this
// pass for the package's own functions, imported as facts otherwise.
type env struct {
	pass     *analysis.Pass
	local    map[*ssa.Function]*summary.Summary
	imported map[*ssa.Function]*summary.Summary
	fields   map[*types.Var]*nilstate.Evidence // found in this package (fields of any package)

	importedFields map[*types.Var]*nilstate.Evidence // fields of other packages, fact and local evidence merged
}

// Field returns the evidence about a field: the defining package's fact
// first, then what this package adds (its own stores and checks).
func (e *env) Field(f *types.Var) *nilstate.Evidence {
	if f.Pkg() == nil || f.Pkg() == e.pass.Pkg {
		return e.fields[f]
	}
	if ev, ok := e.importedFields[f]; ok {
		return ev
	}
	var ev *nilstate.Evidence
	var fact summary.FieldFact
	if e.pass.ImportObjectFact(f, &fact) {
		ev = fact.Ev
	}
	for _, step := range e.fields[f].All() {
		ev = ev.Then(step)
	}
	if e.importedFields == nil {
		e.importedFields = make(map[*types.Var]*nilstate.Evidence)
	}
	e.importedFields[f] = ev
	return ev
}

func (e *env) Summary(callee *ssa.Function) *summary.Summary {
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if s, ok := e.local[callee]; ok {
		return s
	}
	if s, ok := e.imported[callee]; ok {
		return s
	}
	var s *summary.Summary
	if obj := callee.Object(); obj != nil && obj.Pkg() != e.pass.Pkg {
		var fact summary.Fact
		if e.pass.ImportObjectFact(obj, &fact) {
			s = &fact.Summary
		}
	}
	if e.imported == nil {
		e.imported = make(map[*ssa.Function]*summary.Summary)
	}
	e.imported[callee] = s
	return s
}

func (e *env) Where(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := e.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}
