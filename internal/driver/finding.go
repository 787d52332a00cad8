package driver

import (
	"cmp"
	"go/token"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A Finding is one diagnostic with every position resolved, so that the
// formatters need no token.FileSet and tests can build findings by hand.
type Finding struct {
	Package  string // package ID, the key of go vet -json output
	Analyzer string // analyzer name
	Category string // rule id; empty if the analyzer set none
	URL      string // documentation of the rule, resolved against Analyzer.URL
	Posn     token.Position
	End      token.Position // may be invalid
	Message  string
	Related  []Step // the nil chain, origin first
	Fixes    []Fix
}

// A Step is one entry of a finding's Related information.
type Step struct {
	Posn    token.Position
	End     token.Position // may be invalid
	Message string
}

// A Fix is a suggested fix: edits applied together or not at all.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces the bytes Posn.Offset..End.Offset of Posn.Filename by New.
type Edit struct {
	Posn, End token.Position
	New       string
}

// newFinding resolves the positions of d against fset.
func newFinding(fset *token.FileSet, pkgID string, a *analysis.Analyzer, d analysis.Diagnostic) Finding {
	f := Finding{
		Package:  pkgID,
		Analyzer: a.Name,
		Category: d.Category,
		URL:      resolveURL(a, d),
		Posn:     fset.Position(d.Pos),
		End:      position(fset, d.End),
		Message:  d.Message,
	}
	for _, r := range d.Related {
		f.Related = append(f.Related, Step{
			Posn:    fset.Position(r.Pos),
			End:     position(fset, r.End),
			Message: r.Message,
		})
	}
	for _, sf := range d.SuggestedFixes {
		fix := Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			end := e.End
			if !end.IsValid() {
				end = e.Pos // an insertion
			}
			fix.Edits = append(fix.Edits, Edit{
				Posn: fset.Position(e.Pos),
				End:  fset.Position(end),
				New:  string(e.NewText),
			})
		}
		f.Fixes = append(f.Fixes, fix)
	}
	return f
}

// resolveURL resolves a diagnostic's URL against the analyzer's, the
// category naming the anchor when the diagnostic has no URL of its own,
// as go/analysis drivers do.
func resolveURL(a *analysis.Analyzer, d analysis.Diagnostic) string {
	raw := d.URL
	if raw == "" && d.Category != "" {
		raw = "#" + d.Category
	}
	if raw == "" {
		return a.URL
	}
	ref, err := url.Parse(raw)
	base, berr := url.Parse(a.URL)
	if err != nil || berr != nil {
		return d.URL
	}
	return base.ResolveReference(ref).String()
}

func position(fset *token.FileSet, pos token.Pos) token.Position {
	if !pos.IsValid() {
		return token.Position{}
	}
	return fset.Position(pos)
}

// sortFindings orders findings by file, line, column and message, then by
// the rest so that the order never depends on map or goroutine order.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.Posn.Filename, b.Posn.Filename),
			cmp.Compare(a.Posn.Line, b.Posn.Line),
			cmp.Compare(a.Posn.Column, b.Posn.Column),
			strings.Compare(a.Message, b.Message),
			strings.Compare(a.Category, b.Category),
			cmp.Compare(a.End.Line, b.End.Line),
			cmp.Compare(a.End.Column, b.End.Column),
			strings.Compare(a.Package, b.Package),
		)
	})
}

// dedupFindings drops a finding reported again at the same place with the
// same text: a file of package p is analyzed twice when tests are
// loaded (as p and as "p [p.test]"). The first occurrence is kept, so
// callers should pass findings of p before those of its test variant.
func dedupFindings(fs []Finding) []Finding {
	type key struct {
		posn, end         token.Position
		category, message string
	}
	seen := make(map[key]bool)
	out := fs[:0]
	for _, f := range fs {
		k := key{f.Posn, f.End, f.Category, f.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// relPath returns name relative to dir when name lies inside dir, and
// name unchanged otherwise.
func relPath(dir, name string) string {
	if dir == "" || !filepath.IsAbs(name) {
		return name
	}
	rel, err := filepath.Rel(dir, name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return name
	}
	return rel
}
