package driver

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
)

// The JSON output has the shape `go vet -json` prints (see
// golang.org/x/tools/internal/analysis/driverutil.JSONTree), so that
// tools reading one read the other:
//
//	{"<package ID>": {"<analyzer>": [<diagnostic>...]}}
//	{"<package ID>": {"<analyzer>": {"error": "..."}}}
//
// Positions are file:line:col with the file name as loaded (absolute),
// as go vet prints them.

type jsonDiagnostic struct {
	Category       string           `json:"category,omitempty"`
	Posn           string           `json:"posn"`
	End            string           `json:"end"`
	Message        string           `json:"message"`
	SuggestedFixes []jsonFix        `json:"suggested_fixes,omitempty"`
	Related        []jsonRelatedPos `json:"related,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonRelatedPos struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

type jsonError struct {
	Err string `json:"error"`
}

// writeJSON prints findings and errors as one JSON object. Findings must
// already be sorted; map keys are sorted by encoding/json.
func writeJSON(w io.Writer, findings []Finding, errs []PackageError) error {
	tree := make(map[string]map[string]any)
	entry := func(pkg string) map[string]any {
		if tree[pkg] == nil {
			tree[pkg] = make(map[string]any)
		}
		return tree[pkg]
	}
	for _, e := range errs {
		entry(e.Package)[e.Analyzer] = jsonError{e.Err}
	}
	for _, f := range findings {
		m := entry(f.Package)
		switch list := m[f.Analyzer].(type) {
		case jsonError:
			// The analysis failed; go vet shows only the error.
		case []jsonDiagnostic:
			m[f.Analyzer] = append(list, toJSONDiagnostic(f))
		default:
			m[f.Analyzer] = []jsonDiagnostic{toJSONDiagnostic(f)}
		}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func toJSONDiagnostic(f Finding) jsonDiagnostic {
	d := jsonDiagnostic{
		Category: f.Category,
		Posn:     f.Posn.String(),
		End:      endOrStart(f.Posn, f.End).String(),
		Message:  f.Message,
	}
	for _, fix := range f.Fixes {
		jf := jsonFix{Message: fix.Message, Edits: []jsonEdit{}}
		for _, e := range fix.Edits {
			jf.Edits = append(jf.Edits, jsonEdit{
				Filename: e.Posn.Filename,
				Start:    e.Posn.Offset,
				End:      e.End.Offset,
				New:      e.New,
			})
		}
		d.SuggestedFixes = append(d.SuggestedFixes, jf)
	}
	for _, s := range f.Related {
		d.Related = append(d.Related, jsonRelatedPos{
			Posn:    s.Posn.String(),
			End:     endOrStart(s.Posn, s.End).String(),
			Message: s.Message,
		})
	}
	return d
}

func endOrStart(posn, end token.Position) token.Position {
	if end.IsValid() {
		return end
	}
	return posn
}
