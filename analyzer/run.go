package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nilsentry/nilsentry/internal/flow"
	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/report"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/objectpath"
)

// maxSCCRounds bounds the fixed point over mutually recursive functions.
const maxSCCRounds = 4

func run(pass *analysis.Pass) (any, error) {
	ssainput := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	env := &env{pass: pass, local: make(map[*ssa.Function]*summary.Summary)}
	codeFuncs := packageCode(pass, ssainput.SrcFuncs)
	env.fields = flow.FieldEvidence(codeFuncs, env.Where)
	env.mapLits = flow.MapLiterals(ssainput.Pkg, codeFuncs)
	rep := report.New(pass, report.Filter{Generated: settings.Generated, Tests: settings.Tests, MayNil: settings.mayNil()})

	results := make(map[*ssa.Function]flow.Result, len(ssainput.SrcFuncs))
	for _, scc := range summary.Order(ssainput.SrcFuncs) {
		for i, res := range analyzeSCC(scc, env) {
			fn := scc[i]
			results[fn] = res
			// Only exported functions can be called statically from another
			// package, so only they need facts.
			if obj := fn.Object(); obj != nil && obj.Exported() && fn.Parent() == nil && res.Summary.Interesting() {
				pass.ExportObjectFact(obj, summary.Portable(res.Summary, pass.Pkg.Path()))
			}
		}
	}
	reanalyzeLiterals(ssainput.SrcFuncs, results, env)

	for _, fn := range ssainput.SrcFuncs {
		if res := results[fn]; res.Degraded != "" && settings.Degraded {
			pass.Reportf(fn.Pos(), "nilsentry: %s skipped: %s", fn.Name(), res.Degraded)
		}
	}

	// Field evidence is judged once the whole package's use of each field
	// is known (summary.Credible), and callers' guards once every call is
	// (callers.go). Findings outside test files are judged by the
	// package's code alone (packageCode), findings in test files with the
	// tests' uses and calls too.
	uses := countUses(codeFuncs, results)
	reporting := !factsOnly && settings.reports(pass.Pkg.Path())
	if reporting {
		code := judge{uses, newCallers(pass, codeFuncs, results, testsOnly(pass))}
		all := code
		if len(codeFuncs) < len(ssainput.SrcFuncs) {
			all = judge{countUses(ssainput.SrcFuncs, results), newCallers(pass, ssainput.SrcFuncs, results, true)}
		}
		for _, fn := range ssainput.SrcFuncs {
			j := code
			if isTestFile(pass, fn.Pos()) {
				j = all
			}
			for _, f := range results[fn].Findings {
				if j.callers.moot(fn, f) || !env.credible(f.Judged, j.uses[f.Judged]) {
					continue
				}
				if f, ok := env.hinted(fn, f); ok {
					rep.Add(f)
				}
			}
		}
	}
	var foreign summary.ForeignFields // this package's evidence about other packages' fields
	for f, ev := range env.fields {
		if !f.Exported() { // others cannot reach unexported fields
			continue
		}
		fact := summary.FieldFact{Ev: summary.Export(ev, pass.Pkg.Path()), Uses: uses[types.Object(f)]}
		if f.Pkg() == pass.Pkg {
			pass.ExportObjectFact(f, &fact)
		} else if path, err := env.paths.For(f); err == nil && f.Pkg() != nil {
			foreign.Fields = append(foreign.Fields, summary.ForeignField{Pkg: f.Pkg().Path(), Path: string(path), From: pass.Pkg.Path(), Fact: fact})
		}
	}
	if len(foreign.Fields) > 0 {
		sort.Slice(foreign.Fields, func(i, j int) bool {
			a, b := foreign.Fields[i], foreign.Fields[j]
			if a.Pkg != b.Pkg {
				return a.Pkg < b.Pkg
			}
			if a.Path != b.Path {
				return a.Path < b.Path
			}
			return a.From < b.From
		})
		pass.ExportPackageFact(&foreign)
	}
	if reporting {
		rep.Flush()
	}
	return nil, nil
}

// A judge holds what judging a finding needs to know of a set of
// functions: how they use fields and results, and how they call.
type judge struct {
	uses    map[types.Object]summary.FieldUses
	callers *callers
}

// countUses sums the uses of judged fields and results in fns.
func countUses(fns []*ssa.Function, results map[*ssa.Function]flow.Result) map[types.Object]summary.FieldUses {
	uses := make(map[types.Object]summary.FieldUses)
	for _, fn := range fns {
		for f, u := range results[fn].Uses {
			uses[f] = uses[f].Add(u)
		}
	}
	return uses
}

// packageCode returns the functions whose use of fields, results and
// callees stands for the package: those outside _test.go files, or all
// of them in a package made only of test files (an external test). What
// tests do is not evidence about the package's code, and the drivers
// differ in whether they load tests (go vet always does, in the variant
// "p [p.test]", while importers see facts from "p"): so field evidence,
// use counts, callers and foreign evidence come from non-test files, and
// loading tests never changes a finding outside them.
func packageCode(pass *analysis.Pass, fns []*ssa.Function) []*ssa.Function {
	if testsOnly(pass) {
		return fns
	}
	return slices.DeleteFunc(slices.Clone(fns), func(fn *ssa.Function) bool { return isTestFile(pass, fn.Pos()) })
}

// testsOnly reports whether every file of the package is a test file.
func testsOnly(pass *analysis.Pass) bool {
	return !slices.ContainsFunc(pass.Files, func(f *ast.File) bool { return !isTestFile(pass, f.Pos()) })
}

// isTestFile reports whether pos lies in a _test.go file.
func isTestFile(pass *analysis.Pass, pos token.Pos) bool {
	f := pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// reanalyzeLiterals analyzes again the function literals that capture a
// variable which may be nil where the closure is made. Literals come
// before their enclosing function in call order (it calls them), so those
// states are known only now; the literal's summary, already used by its
// callers, stays as it was. fns lists enclosing functions before their
// literals, so nested literals see what their re-analyzed parent captured.
func reanalyzeLiterals(fns []*ssa.Function, results map[*ssa.Function]flow.Result, env *env) {
	for _, fn := range fns {
		if env.capturesOf[fn] {
			results[fn] = flow.Analyze(fn, env)
		}
		for c, s := range results[fn].Captures {
			if env.captured == nil {
				env.captured = make(map[flow.Capture]flow.CapturedState)
				env.capturesOf = make(map[*ssa.Function]bool)
			}
			env.captured[c] = s
			env.capturesOf[c.FV.Parent()] = true
		}
	}
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
			env.setEntries(fn, results[i].Findings)
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
	mapLits  map[*ssa.Global]map[string]bool   // package-level maps only their literal fills

	importedFields map[*types.Var]*summary.FieldFact   // fields of other packages, fact and local evidence merged
	captured       map[flow.Capture]flow.CapturedState // states of variables at the closures that capture them
	capturesOf     map[*ssa.Function]bool              // literals with captured states
	entries        map[*ssa.Function][]flow.EntryPath  // paths the findings depend on, for callers (flow/entry.go)

	paths       objectpath.Encoder
	foreign     map[string][]summary.FieldFact // other packages' evidence about fields, by pkg + objectpath (see foreignFacts)
	foreignList []summary.ForeignField         // the same, as the direct imports export it
}

// Field returns the evidence about a field: the defining package's fact
// first, then what this package adds (its own stores and checks).
func (e *env) Field(f *types.Var) *nilstate.Evidence {
	if f.Pkg() == nil || f.Pkg() == e.pass.Pkg {
		return e.fields[f]
	}
	return e.importField(f).Ev
}

// credible says whether a finding whose only evidence is obj's (a field
// or an imported function's result) is reported, given this package's
// uses of obj.
func (e *env) credible(obj types.Object, uses summary.FieldUses) bool {
	switch obj := obj.(type) {
	case nil:
		return true
	case flow.MapElems:
		return summary.CredibleResult(uses)
	case *types.Var:
		return summary.Credible(e.Field(obj), e.fieldUses(obj).Add(uses))
	}
	return summary.CredibleResult(uses)
}

// hinted decides a finding whose only evidence is nil checks of a field
// (summary.CheckedOnly). That another function checks the field says
// its author thinks the field may be nil somewhere, not that it may be
// nil where this function reads it: by default such a finding is kept
// only when the declaration that dereferences the field also checks it
// (on any value), and its message then names that check. With -hints
// the others are kept too.
func (e *env) hinted(fn *ssa.Function, f flow.Finding) (flow.Finding, bool) {
	v, ok := f.Judged.(*types.Var)
	if !ok || !summary.CheckedOnly(e.Field(v)) {
		return f, true
	}
	pos := flow.FieldCheckIn(fn, v, e)
	if !pos.IsValid() {
		return f, settings.Hints
	}
	what := "field " + v.Name() + " " + nilstate.CheckedForNil
	if f.State.Ev.Origin().What == what {
		f.State.Ev = f.State.Ev.WithOrigin(nilstate.Step{Pos: pos, Where: e.Where(pos), What: what})
	}
	return f, true
}

// fieldUses is the defining package's count of a field's dereferences,
// for fields of other packages.
func (e *env) fieldUses(f *types.Var) summary.FieldUses {
	if f.Pkg() == nil || f.Pkg() == e.pass.Pkg {
		return summary.FieldUses{}
	}
	return e.importField(f).Uses
}

func (e *env) importField(f *types.Var) *summary.FieldFact {
	if fact, ok := e.importedFields[f]; ok {
		return fact
	}
	fact := new(summary.FieldFact)
	e.pass.ImportObjectFact(f, fact)
	// Where the defining package has evidence of its own, its count of
	// uses decides (as before other packages had a say); a field it
	// trusts is judged by the packages that do nil or check it.
	trusted := fact.Ev == nil
	if !e.inModule(f.Pkg().Path()) {
		// Another module's evidence is its own business (inModule); how
		// it uses the field still says whether it relies on it being set.
		fact.Ev = nil
	}
	known := make(map[string]bool)
	for _, step := range fact.Ev.All() {
		known[step.What] = true
	}
	add := func(ev *nilstate.Evidence) {
		for _, step := range ev.All() {
			if !known[step.What] {
				known[step.What] = true
				fact.Ev = fact.Ev.Then(step)
			}
		}
	}
	for _, other := range e.foreignFacts(f) {
		add(other.Ev)
		if trusted {
			fact.Uses = fact.Uses.Add(other.Uses)
		}
	}
	add(e.fields[f])
	if e.importedFields == nil {
		e.importedFields = make(map[*types.Var]*summary.FieldFact)
	}
	e.importedFields[f] = fact
	return fact
}

// inModule reports whether the package at path belongs to the module of
// the package analyzed (by path: a nested module counts as its parent's;
// std is the packages whose first element has no dot). A field of a type
// from another module is judged by this module's evidence alone: how the
// other module builds and checks its values (net/http's client requests
// without a Body) says nothing of the values this module gets (a server
// request's Body is never nil). Without module information (some
// drivers, GOPATH mode) every package counts as in the module.
func (e *env) inModule(path string) bool {
	m := e.pass.Module
	if m == nil || m.Path == "" {
		return true
	}
	if m.Path == "std" {
		first, _, _ := strings.Cut(path, "/")
		return !strings.Contains(first, ".")
	}
	return path == m.Path || strings.HasPrefix(path, m.Path+"/")
}

// importedForeign returns the ForeignFields entries of the direct
// imports, one per field and finding package, in a fixed order. Only
// direct imports count, under every driver: go vet hands a package the
// package facts of its direct imports only, the standalone checker those
// of all its dependencies, and the two must agree.
func (e *env) importedForeign() []summary.ForeignField {
	if e.foreignList != nil {
		return e.foreignList
	}
	direct := make(map[*types.Package]bool)
	for _, imp := range e.pass.Pkg.Imports() {
		direct[imp] = true
	}
	// Imports of test files alone do not count (see packageCode).
	if !testsOnly(e.pass) {
		code := nonTestImports(e.pass)
		for imp := range direct {
			if !code[imp.Path()] {
				delete(direct, imp)
			}
		}
	}
	seen := make(map[[3]string]bool)
	e.foreignList = []summary.ForeignField{}
	for _, pf := range e.pass.AllPackageFacts() {
		ff, ok := pf.Fact.(*summary.ForeignFields)
		if !ok || !direct[pf.Package] {
			continue
		}
		for _, x := range ff.Fields {
			if k := [3]string{x.Pkg, x.Path, x.From}; !seen[k] {
				seen[k] = true
				e.foreignList = append(e.foreignList, x)
			}
		}
	}
	sort.Slice(e.foreignList, func(i, j int) bool {
		a, b := e.foreignList[i], e.foreignList[j]
		return a.Pkg+"\x00"+a.Path+"\x00"+a.From < b.Pkg+"\x00"+b.Path+"\x00"+b.From
	})
	return e.foreignList
}

// nonTestImports returns the import paths of the package's non-test files.
func nonTestImports(pass *analysis.Pass) map[string]bool {
	paths := make(map[string]bool)
	for _, f := range pass.Files {
		if isTestFile(pass, f.Pos()) {
			continue
		}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil {
				paths[p] = true
			}
		}
	}
	return paths
}

// foreignFacts returns what other packages found about another package's
// field f (see importedForeign), in the order of the packages that found it.
func (e *env) foreignFacts(f *types.Var) []summary.FieldFact {
	if e.foreign == nil {
		e.foreign = make(map[string][]summary.FieldFact)
		for _, x := range e.importedForeign() {
			if !e.inModule(x.Pkg) && !e.inModule(x.From) {
				continue // another module's business (inModule)
			}
			k := x.Pkg + "\x00" + x.Path
			e.foreign[k] = append(e.foreign[k], x.Fact)
		}
	}
	if len(e.foreign) == 0 || f.Pkg() == nil {
		return nil
	}
	path, err := e.paths.For(f)
	if err != nil {
		return nil
	}
	return e.foreign[f.Pkg().Path()+"\x00"+string(path)]
}

func (e *env) Summary(callee *ssa.Function) *summary.Summary {
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if s := flow.Model(callee); s != nil {
		return s
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

// setEntries records the entry paths fn's findings depend on, for its
// callers (flow.Env.Entries).
func (e *env) setEntries(fn *ssa.Function, findings []flow.Finding) {
	seen := make(map[string]bool)
	var paths []flow.EntryPath
	for _, f := range findings {
		if f.Entry != nil && !seen[f.Entry.String()] {
			seen[f.Entry.String()] = true
			paths = append(paths, *f.Entry)
		}
	}
	if e.entries == nil {
		e.entries = make(map[*ssa.Function][]flow.EntryPath)
	}
	e.entries[fn] = paths
}

func (e *env) MapLiteral(g *ssa.Global) map[string]bool {
	return e.mapLits[g]
}

func (e *env) Entries(callee *ssa.Function) []flow.EntryPath {
	return e.entries[callee]
}

func (e *env) Captured(c flow.Capture) flow.CapturedState {
	return e.captured[c]
}

func (e *env) File(pos token.Pos) string {
	if f := e.pass.Fset.File(pos); f != nil {
		return f.Name()
	}
	return ""
}

func (e *env) Where(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := e.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}
