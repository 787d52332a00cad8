package report

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// IgnoreDirective silences a finding on its own line or the line below:
//
//	x := u.Profile.ID //nilsentry:ignore Profile is set by the loader
//
// A directive must give a reason, and must silence something: otherwise
// it is reported itself, so suppressions do not rot.
const IgnoreDirective = "//nilsentry:ignore"

type directive struct {
	pos    token.Pos
	reason string
	used   bool
}

// suppressions indexes the package's ignore directives by file and line.
type suppressions map[string]map[int]*directive

func collectSuppressions(pass *analysis.Pass) suppressions {
	s := make(suppressions)
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				rest, ok := strings.CutPrefix(c.Text, IgnoreDirective)
				if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
					continue
				}
				p := pass.Fset.Position(c.Slash)
				if s[p.Filename] == nil {
					s[p.Filename] = make(map[int]*directive)
				}
				reason := strings.TrimSpace(rest)
				if strings.HasPrefix(reason, "//") {
					reason = "" // a trailing comment is not a reason
				}
				s[p.Filename][p.Line] = &directive{pos: c.Slash, reason: reason}
			}
		}
	}
	return s
}

// suppress reports whether a directive on the diagnostic's line or the
// line above silences it, marking the directive used.
func (s suppressions) suppress(fset *token.FileSet, d analysis.Diagnostic) bool {
	p := fset.Position(d.Pos)
	lines := s[p.Filename]
	for _, line := range []int{p.Line, p.Line - 1} {
		if dir, ok := lines[line]; ok {
			dir.used = true
			return true
		}
	}
	return false
}

// problems reports directives without a reason or that silenced nothing.
func (s suppressions) problems() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, lines := range s {
		for _, dir := range lines {
			switch {
			case dir.reason == "":
				out = append(out, analysis.Diagnostic{Pos: dir.pos, Category: "ignore-directive",
					Message: "nilsentry:ignore needs a reason: say why the value cannot be nil here"})
			case !dir.used:
				out = append(out, analysis.Diagnostic{Pos: dir.pos, Category: "ignore-directive",
					Message: "nilsentry:ignore silences nothing: remove it"})
			}
		}
	}
	return out
}
