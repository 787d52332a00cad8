package driver

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// SARIF 2.1.0 output, shaped for GitHub code scanning (upload-sarif) and
// SARIF viewers. Notes on what consumers do with it, learnt from
// staticcheck's lintcmd/sarif.go and GitHub's documentation:
//
//   - Results are matched across runs by ruleId and location, so rule ids
//     are the stable diagnostic categories.
//   - Artifact URIs are relative to the repository root with uriBaseId
//     %SRCROOT%; GitHub resolves them against the checkout.
//   - GitHub does not show relatedLocations unless the message links to
//     them as [text](id), so each step of the nil chain is appended to
//     the message as such a link. codeFlows carry the same chain, origin
//     first and the sink last, for viewers that show data flows.
//   - Columns are counted in UTF-16 code units (the SARIF default
//     columnKind); Go positions count bytes, so they are converted using
//     the file's text.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	srcRootID    = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri,omitempty"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      sarifMessage    `json:"fullDescription"`
	Help                 sarifMessage    `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	CodeFlows        []sarifCodeFlow `json:"codeFlows,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               int                   `json:"id,omitempty"` // 1-based; 0 means none
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifCodeFlow struct {
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifThreadFlowLocation `json:"locations"`
}

type sarifThreadFlowLocation struct {
	Location sarifLocation `json:"location"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion          `json:"deletedRegion"`
	InsertedContent sarifArtifactContent `json:"insertedContent"`
}

type sarifArtifactContent struct {
	Text string `json:"text"`
}

// toolInfo is what the SARIF log says about the tool.
type toolInfo struct {
	Name           string // "nilsentry"
	Version        string // as printed by -version
	InformationURI string // project home
	AnalyzerURL    string // analysis.Analyzer.URL; rule anchors resolve against it
}

// sarifWriter turns findings into a SARIF log.
type sarifWriter struct {
	tool     toolInfo
	root     string // absolute directory URIs are relative to (the repository root)
	readFile func(string) ([]byte, error)
	files    map[string][]byte // cache of readFile; nil entry: unreadable
}

// writeSARIF prints findings (already sorted) and errors as a SARIF log
// with a single run.
func writeSARIF(w io.Writer, tool toolInfo, root string, findings []Finding, errs []PackageError) error {
	sw := &sarifWriter{tool: tool, root: root, readFile: os.ReadFile, files: make(map[string][]byte)}
	data, err := json.MarshalIndent(sw.log(findings, errs), "", "  ")
	if err != nil {
		return fmt.Errorf("encoding SARIF: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

func (sw *sarifWriter) log(findings []Finding, errs []PackageError) sarifLog {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            sw.tool.Name,
			Version:         numericVersion(sw.tool.Version),
			SemanticVersion: semanticVersion(sw.tool.Version),
			InformationURI:  sw.tool.InformationURI,
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(errs) == 0}},
		ColumnKind:  "utf16CodeUnits",
		Results:     []sarifResult{}, // present and empty: analyzed, nothing found
	}
	if sw.root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{
			srcRootID: {URI: fileURI(sw.root) + "/"},
		}
	}
	for _, e := range errs {
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{Text: e.Package + ": " + e.Err}})
	}

	// Rules: every known rule, in table order, then any other category
	// met, in order of appearance.
	index := make(map[string]int)
	addRule := func(r rule) {
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 r.Name,
			ShortDescription:     sarifMessage{Text: r.Short},
			FullDescription:      sarifMessage{Text: firstParagraph(r.Help)},
			Help:                 sarifMessage{Text: r.Help, Markdown: r.Help},
			HelpURI:              helpURI(sw.tool.AnalyzerURL, r.ID),
			DefaultConfiguration: sarifRuleConfig{Level: "warning"},
			Properties:           sarifRuleProps{Tags: []string{"correctness", "nil-safety"}},
		})
	}
	for _, r := range rules {
		addRule(r)
	}
	for _, f := range findings {
		if r := ruleFor(f.Category); !hasKey(index, r.ID) {
			addRule(r)
		}
	}

	for _, f := range findings {
		id := ruleFor(f.Category).ID
		res := sarifResult{
			RuleID:    id,
			RuleIndex: index[id],
			Level:     "warning",
			Message:   sarifMessage{Text: f.Message + sarifChainLinks(f.Related)},
			Locations: []sarifLocation{{PhysicalLocation: sw.physical(f.Posn, f.End)}},
		}
		if len(f.Related) > 0 {
			var flow []sarifThreadFlowLocation
			for i, s := range f.Related {
				loc := sarifLocation{
					ID:               i + 1,
					PhysicalLocation: sw.physical(s.Posn, s.End),
					Message:          &sarifMessage{Text: s.Message},
				}
				res.RelatedLocations = append(res.RelatedLocations, loc)
				loc.ID = 0
				flow = append(flow, sarifThreadFlowLocation{Location: loc})
			}
			flow = append(flow, sarifThreadFlowLocation{Location: sarifLocation{
				PhysicalLocation: sw.physical(f.Posn, f.End),
				Message:          &sarifMessage{Text: f.Message},
			}})
			res.CodeFlows = []sarifCodeFlow{{ThreadFlows: []sarifThreadFlow{{Locations: flow}}}}
		}
		for _, fix := range f.Fixes {
			res.Fixes = append(res.Fixes, sw.fix(fix))
		}
		run.Results = append(run.Results, res)
	}

	return sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// sarifChainLinks renders the steps of the nil chain as links to the
// result's relatedLocations, the only way GitHub shows them.
func sarifChainLinks(steps []Step) string {
	var b strings.Builder
	for i, s := range steps {
		fmt.Fprintf(&b, "\n[%s](%d)", escapeLinkText(s.Message), i+1)
	}
	return b.String()
}

// escapeLinkText escapes the characters SARIF gives a meaning inside
// the text of an embedded link.
func escapeLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

func (sw *sarifWriter) fix(fix Fix) sarifFix {
	sf := sarifFix{Description: sarifMessage{Text: fix.Message}}
	byFile := make(map[string]int) // file name -> index in ArtifactChanges
	for _, e := range fix.Edits {
		i, ok := byFile[e.Posn.Filename]
		if !ok {
			i = len(sf.ArtifactChanges)
			byFile[e.Posn.Filename] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{
				ArtifactLocation: sw.artifact(e.Posn.Filename),
			})
		}
		sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, sarifReplacement{
			DeletedRegion: sarifRegion{
				StartLine:   e.Posn.Line,
				StartColumn: sw.column(e.Posn),
				EndLine:     e.End.Line,
				EndColumn:   sw.column(e.End),
			},
			InsertedContent: sarifArtifactContent{Text: e.New},
		})
	}
	return sf
}

func (sw *sarifWriter) physical(posn, end token.Position) sarifPhysicalLocation {
	r := sarifRegion{StartLine: posn.Line, StartColumn: sw.column(posn)}
	if end.IsValid() && end.Filename == posn.Filename {
		r.EndLine = end.Line
		r.EndColumn = sw.column(end)
	}
	if r.StartLine < 1 { // a finding about a whole file
		r.StartLine = 1
	}
	return sarifPhysicalLocation{ArtifactLocation: sw.artifact(posn.Filename), Region: r}
}

// artifact names a file relative to the source root when it lies inside
// it, and by an absolute file URI otherwise.
func (sw *sarifWriter) artifact(name string) sarifArtifactLocation {
	if rel := relPath(sw.root, name); rel != name || !filepath.IsAbs(name) {
		u := url.URL{Path: filepath.ToSlash(rel)}
		return sarifArtifactLocation{URI: u.EscapedPath(), URIBaseID: srcRootID}
	}
	return sarifArtifactLocation{URI: fileURI(name)}
}

func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// column converts the byte column of p into UTF-16 code units. It falls
// back to the byte column when the file cannot be read or p does not
// fit it (the two agree on ASCII lines).
func (sw *sarifWriter) column(p token.Position) int {
	if p.Column <= 1 || p.Filename == "" {
		return p.Column
	}
	data, ok := sw.files[p.Filename]
	if !ok {
		data, _ = sw.readFile(p.Filename)
		sw.files[p.Filename] = data
	}
	lineStart := p.Offset - (p.Column - 1)
	if data == nil || lineStart < 0 || p.Offset > len(data) {
		return p.Column
	}
	prefix := data[lineStart:p.Offset]
	if strings.ContainsRune(string(prefix), '\n') {
		return p.Column // the offset does not belong to this file's text
	}
	n := 0
	for len(prefix) > 0 {
		r, size := utf8.DecodeRune(prefix)
		prefix = prefix[size:]
		n += utf16.RuneLen(r)
	}
	return n + 1
}

// numericVersion returns v in the form SARIF consumers compare: starting
// with a digit ("v0.3.1" gives "0.3.1", "devel-0123abcd" gives
// "0.0.0-devel-0123abcd").
func numericVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		v = "0.0.0-" + strings.Trim(v, "()")
	}
	return v
}

// semanticVersion returns v without its "v" when it is a release version
// such as v1.2.3, and "" otherwise (SARIF wants semantic versions bare).
func semanticVersion(v string) string {
	s, ok := strings.CutPrefix(v, "v")
	if !ok || s == "" || !('0' <= s[0] && s[0] <= '9') || strings.ContainsAny(s, " ()") {
		return ""
	}
	return s
}

// firstParagraph returns the text before the first blank line.
func firstParagraph(s string) string {
	p, _, _ := strings.Cut(s, "\n\n")
	return p
}
