package driver

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// A PackageError is an error that kept a package from being analyzed.
type PackageError struct {
	Package  string // package ID
	Analyzer string // analyzer name, the key of go vet -json output
	Err      string // the whole message, without the program name
}

// maxErrorsPerPackage bounds what a broken package prints: the first
// errors are what one fixes first.
const maxErrorsPerPackage = 10

// load loads the packages matched by patterns with go/packages, from
// source, as singlechecker does. With allSyntax, dependencies are loaded
// from source too, because the analyzer computes facts on them.
func load(patterns []string, tests bool, tags string, allSyntax bool) ([]*packages.Package, error) {
	mode := packages.LoadSyntax
	if allSyntax {
		mode = packages.LoadAllSyntax
	}
	cfg := &packages.Config{Mode: mode | packages.NeedModule, Tests: tests}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	initial, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	// Drop the generated test main packages (p.test): they hold no code
	// of the user's, and go vet does not analyze them either.
	initial = slices.DeleteFunc(initial, isTestMain)
	if len(initial) == 0 {
		return nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return initial, nil
}

// isTestMain reports whether p is the main package go test generates
// for a package with tests; its only file is in the build cache and has
// no .go suffix.
func isTestMain(p *packages.Package) bool {
	return p.Name == "main" && strings.HasSuffix(p.ID, ".test") &&
		len(p.GoFiles) == 1 && !strings.HasSuffix(p.GoFiles[0], ".go")
}

// loadErrors describes every package, among initial and their
// dependencies, that failed to load, parse or type-check. It returns the
// errors in package order and the set of IDs of those packages.
func loadErrors(initial []*packages.Package, analyzer, cwd string) ([]PackageError, map[string]bool) {
	var bad []*packages.Package
	packages.Visit(initial, nil, func(p *packages.Package) {
		if len(p.Errors) > 0 || p.Module != nil && p.Module.Error != nil {
			bad = append(bad, p)
		}
	})
	slices.SortFunc(bad, func(x, y *packages.Package) int { return strings.Compare(x.ID, y.ID) })

	broken := make(map[string]bool)
	seen := make(map[string]bool) // "p" and "p [p.test]" share most errors
	var errs []PackageError
	for _, p := range bad {
		broken[p.ID] = true
		var msgs []string
		if p.Module != nil && p.Module.Error != nil {
			msgs = append(msgs, fmt.Sprintf("module %s: %s", p.Module.Path, p.Module.Error.Err))
		}
		// When export data is built for a package that does not compile,
		// go list reports the compiler's errors as one list error; the
		// type checker's errors, when there are some, say the same.
		typeErrs := slices.ContainsFunc(p.Errors, func(e packages.Error) bool { return e.Kind != packages.ListError })
		for _, e := range p.Errors {
			switch {
			case e.Kind != packages.ListError:
				msgs = append(msgs, fmt.Sprintf("package %s does not type-check: %s", p.PkgPath, relError(e, cwd)))
			case strings.HasPrefix(e.Msg, "# "):
				// Compiler output, "# path" then one error a line: a
				// dependency built for export data does not compile.
				if typeErrs {
					continue
				}
				_, lines, _ := strings.Cut(e.Msg, "\n")
				for line := range strings.Lines(lines) {
					if line = strings.TrimSpace(line); line != "" {
						msgs = append(msgs, fmt.Sprintf("package %s does not type-check: %s", p.PkgPath, line))
					}
				}
			default:
				msgs = append(msgs, fmt.Sprintf("cannot load package %s: %s", p.PkgPath, relError(e, cwd)))
			}
		}
		var fresh []string
		for _, m := range msgs {
			if !seen[m] {
				seen[m] = true
				fresh = append(fresh, m)
			}
		}
		if len(fresh) > maxErrorsPerPackage {
			more := fmt.Sprintf("package %s: %d more errors", p.PkgPath, len(fresh)-maxErrorsPerPackage)
			fresh = append(fresh[:maxErrorsPerPackage], more)
		}
		for _, m := range fresh {
			errs = append(errs, PackageError{Package: p.ID, Analyzer: analyzer, Err: m})
		}
	}
	return errs, broken
}

// relError formats e as "file:line:col: msg" with the file relative to
// cwd where it lies inside cwd.
func relError(e packages.Error, cwd string) string {
	if e.Pos == "" || e.Pos == "-" {
		return e.Msg
	}
	pos := e.Pos
	if prefix := cwd + string(filepath.Separator); cwd != "" && strings.HasPrefix(pos, prefix) {
		pos = strings.TrimPrefix(pos, prefix)
	}
	return pos + ": " + e.Msg
}

// needFacts reports whether a or an analyzer it requires uses facts, in
// which case it runs on every dependency too (from source).
func needFacts(a *analysis.Analyzer) bool {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(*analysis.Analyzer) bool
	visit = func(a *analysis.Analyzer) bool {
		if seen[a] {
			return false
		}
		seen[a] = true
		return len(a.FactTypes) > 0 || slices.ContainsFunc(a.Requires, visit)
	}
	return visit(a)
}

// countAnalyzed is the number of packages an analyzer runs on: the
// initial ones, and with allDeps (the analyzer has facts) their
// dependencies too.
func countAnalyzed(initial []*packages.Package, allDeps bool) int {
	if !allDeps {
		return len(initial)
	}
	n := 0
	packages.Visit(initial, nil, func(*packages.Package) { n++ })
	return n
}
