package driver

import (
	"bytes"
	"encoding/json"
	"go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pos builds a position; offset is only needed where a test reads files.
func pos(file string, line, col int) token.Position {
	return token.Position{Filename: file, Line: line, Column: col}
}

// sampleFindings are synthetic findings under root: one with a two-step
// chain and a fix, one without Related, one in a second package.
func sampleFindings(root string) []Finding {
	a := filepath.Join(root, "a", "a.go")
	b := filepath.Join(root, "b.go")
	return []Finding{
		{
			Package: "example.com/m/a", Analyzer: "nilsentry", Category: "nil-deref",
			Posn: pos(a, 12, 6), End: pos(a, 12, 12),
			Message: "nil dereference: u may be nil here (declared without a value at a.go:9; assigned nil at a.go:10)",
			Related: []Step{
				{Posn: pos(a, 9, 6), End: pos(a, 9, 7), Message: "declared without a value"},
				{Posn: pos(a, 10, 3), End: pos(a, 10, 10), Message: "assigned nil"},
			},
			Fixes: []Fix{{Message: "check u", Edits: []Edit{
				{Posn: token.Position{Filename: a, Offset: 100, Line: 12, Column: 2}, End: token.Position{Filename: a, Offset: 100, Line: 12, Column: 2}, New: "if u != nil {"},
			}}},
		},
		{
			Package: "example.com/m/a", Analyzer: "nilsentry", Category: "nil-map-write",
			Posn: pos(a, 3, 2), End: pos(a, 3, 10),
			Message: "nil map write: m is nil here (declared without a value at a.go:2)",
		},
		{
			Package: "example.com/m", Analyzer: "nilsentry", Category: "nil-call",
			Posn:    pos(b, 7, 9),
			Message: "nil function call: f may be nil here (map lookup may miss at b.go:6)",
			Related: []Step{{Posn: pos(b, 6, 7), Message: "map lookup may miss"}},
		},
	}
}

func TestSortFindingsIsDeterministic(t *testing.T) {
	root := "/src/repo"
	want := sampleFindings(root)
	sortFindings(want)
	got := slices.Clone(want)
	for i := range 20 {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		sortFindings(got)
		require.Equal(t, want, got)
	}
	// by file, then line, then column, then message
	files := []string{want[0].Posn.Filename, want[1].Posn.Filename, want[2].Posn.Filename}
	assert.Equal(t, []string{"/src/repo/a/a.go", "/src/repo/a/a.go", "/src/repo/b.go"}, files)
	assert.Equal(t, 3, want[0].Posn.Line)
	assert.Equal(t, 12, want[1].Posn.Line)

	sameLine := []Finding{
		{Posn: pos("f.go", 1, 5), Message: "b"},
		{Posn: pos("f.go", 1, 5), Message: "a"},
		{Posn: pos("f.go", 1, 2), Message: "z"},
	}
	sortFindings(sameLine)
	assert.Equal(t, []string{"z", "a", "b"}, []string{sameLine[0].Message, sameLine[1].Message, sameLine[2].Message})
}

func TestDedupFindingsKeepsFirst(t *testing.T) {
	f := sampleFindings("/r")[1]
	g := f
	g.Package = "example.com/m/a [example.com/m/a.test]"
	got := dedupFindings([]Finding{f, g})
	require.Len(t, got, 1)
	assert.Equal(t, "example.com/m/a", got[0].Package)
}

func TestWriteText(t *testing.T) {
	root := "/src/repo"
	fs := sampleFindings(root)
	sortFindings(fs)

	tests := []struct {
		name    string
		dir     string
		explain bool
		want    string
	}{
		{"relative to cwd", root, false, `a/a.go:3:2: nil map write: m is nil here (declared without a value at a.go:2)
a/a.go:12:6: nil dereference: u may be nil here (declared without a value at a.go:9; assigned nil at a.go:10)
b.go:7:9: nil function call: f may be nil here (map lookup may miss at b.go:6)
`},
		{"outside cwd stays absolute", "/src/repo/a", false, `a.go:3:2: nil map write: m is nil here (declared without a value at a.go:2)
a.go:12:6: nil dereference: u may be nil here (declared without a value at a.go:9; assigned nil at a.go:10)
/src/repo/b.go:7:9: nil function call: f may be nil here (map lookup may miss at b.go:6)
`},
		{"explain prints the chain", root, true, `a/a.go:3:2: nil map write: m is nil here (declared without a value at a.go:2)
a/a.go:12:6: nil dereference: u may be nil here (declared without a value at a.go:9; assigned nil at a.go:10)
	a/a.go:9:6: declared without a value
	a/a.go:10:3: assigned nil
b.go:7:9: nil function call: f may be nil here (map lookup may miss at b.go:6)
	b.go:6:7: map lookup may miss
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, writeText(&buf, fs, tt.dir, tt.explain))
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

func TestWriteJSONShape(t *testing.T) {
	fs := sampleFindings("/src/repo")
	sortFindings(fs)
	errs := []PackageError{{Package: "example.com/m/broken", Analyzer: "nilsentry", Err: "package example.com/m/broken does not type-check: x.go:1:1: boom"}}
	var buf bytes.Buffer
	require.NoError(t, writeJSON(&buf, fs, errs))

	// The shape of go vet -json: package -> analyzer -> diagnostics or {"error": ...}.
	var tree map[string]map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(buf.Bytes(), &tree))
	assert.ElementsMatch(t, []string{"example.com/m", "example.com/m/a", "example.com/m/broken"}, keys(tree))

	var broken struct{ Error string }
	require.NoError(t, json.Unmarshal(tree["example.com/m/broken"]["nilsentry"], &broken))
	assert.Contains(t, broken.Error, "does not type-check")

	var diags []map[string]any
	require.NoError(t, json.Unmarshal(tree["example.com/m/a"]["nilsentry"], &diags))
	require.Len(t, diags, 2)
	assert.Equal(t, "/src/repo/a/a.go:3:2", diags[0]["posn"])
	assert.Equal(t, "/src/repo/a/a.go:3:10", diags[0]["end"])
	assert.Equal(t, "nil-map-write", diags[0]["category"])
	assert.NotContains(t, diags[0], "related")
	assert.NotContains(t, diags[0], "suggested_fixes")

	d := diags[1]
	assert.Equal(t, "nil-deref", d["category"])
	assert.Equal(t, fs[1].Message, d["message"])
	related := d["related"].([]any)
	require.Len(t, related, 2)
	assert.Equal(t, map[string]any{"posn": "/src/repo/a/a.go:9:6", "end": "/src/repo/a/a.go:9:7", "message": "declared without a value"}, related[0])
	fixes := d["suggested_fixes"].([]any)
	require.Len(t, fixes, 1)
	assert.Equal(t, map[string]any{
		"message": "check u",
		"edits":   []any{map[string]any{"filename": "/src/repo/a/a.go", "start": 100.0, "end": 100.0, "new": "if u != nil {"}},
	}, fixes[0])

	// A finding without End repeats its start, as go vet does.
	var top []map[string]any
	require.NoError(t, json.Unmarshal(tree["example.com/m"]["nilsentry"], &top))
	assert.Equal(t, "/src/repo/b.go:7:9", top[0]["end"])

	// Nothing to say is an empty object, as go vet prints.
	buf.Reset()
	require.NoError(t, writeJSON(&buf, nil, nil))
	assert.Equal(t, "{}\n", buf.String())
}

func keys[M ~map[string]V, V any](m M) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// sarifDoc decodes SARIF loosely, so that tests check the JSON field
// names the consumers read rather than our struct tags.
type sarifDoc = map[string]any

func decodeSARIF(t *testing.T, data []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	require.NoError(t, json.Unmarshal(data, &doc), "SARIF is not JSON:\n%s", data)
	return doc
}

func obj(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.True(t, ok, "want an object for %q, got %T", k, v)
			require.Contains(t, m, k)
			v = m[k]
		case int:
			a, ok := v.([]any)
			require.True(t, ok, "want an array for [%d], got %T", k, v)
			require.Greater(t, len(a), k)
			v = a[k]
		}
	}
	return v
}

func TestWriteSARIF(t *testing.T) {
	root := "/src/repo"
	fs := sampleFindings(root)
	fs = append(fs, Finding{
		Package: "example.com/m", Analyzer: "nilsentry", Category: "some-new-rule",
		Posn: pos("/elsewhere/x y.go", 1, 1), Message: "a finding outside the repository",
	})
	sortFindings(fs)
	errs := []PackageError{{Package: "example.com/m/broken", Analyzer: "nilsentry", Err: "package example.com/m/broken does not type-check: boom"}}
	tool := toolInfo{Name: "nilsentry", Version: "v1.2.3", InformationURI: informationURI, AnalyzerURL: "https://github.com/nilsentry/nilsentry#rules"}
	var buf bytes.Buffer
	require.NoError(t, writeSARIF(&buf, tool, root, fs, errs))
	doc := decodeSARIF(t, buf.Bytes())

	assert.Equal(t, "2.1.0", doc["version"])
	assert.Contains(t, doc["$schema"], "sarif-2.1.0")
	runs := obj(t, doc, "runs").([]any)
	require.Len(t, runs, 1)
	run := runs[0]

	driver := obj(t, run, "tool", "driver").(map[string]any)
	assert.Equal(t, "nilsentry", driver["name"])
	assert.Equal(t, "1.2.3", driver["version"])
	assert.Equal(t, "1.2.3", driver["semanticVersion"])
	assert.Equal(t, "https://github.com/nilsentry/nilsentry", driver["informationUri"])

	// Rules: unique ids, each with a short description, help and a help URI.
	ruleIDs := []string{}
	for _, r := range obj(t, driver, "rules").([]any) {
		id := obj(t, r, "id").(string)
		ruleIDs = append(ruleIDs, id)
		assert.NotEmpty(t, obj(t, r, "shortDescription", "text"), id)
		assert.NotEmpty(t, obj(t, r, "fullDescription", "text"), id, "GitHub requires fullDescription")
		assert.NotEmpty(t, obj(t, r, "help", "text"), id)
		assert.Equal(t, "https://github.com/nilsentry/nilsentry#"+id, obj(t, r, "helpUri"), id)
		assert.Equal(t, "warning", obj(t, r, "defaultConfiguration", "level"), id)
		if name, ok := r.(map[string]any)["name"]; ok {
			assert.NotEqual(t, id, name, "SARIF wants name and id to differ")
		}
	}
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(ruleIDs))), len(ruleIDs), "rule ids repeat: %v", ruleIDs)
	for _, r := range rules {
		assert.Contains(t, ruleIDs, r.ID)
	}
	assert.Contains(t, ruleIDs, "some-new-rule", "an unknown category still gets a rule")

	assert.Equal(t, "utf16CodeUnits", obj(t, run, "columnKind"))
	assert.Equal(t, "file:///src/repo/", obj(t, run, "originalUriBaseIds", "%SRCROOT%", "uri"))
	inv := obj(t, run, "invocations", 0)
	assert.Equal(t, false, obj(t, inv, "executionSuccessful"))
	assert.Contains(t, obj(t, inv, "toolExecutionNotifications", 0, "message", "text"), "does not type-check")

	results := obj(t, run, "results").([]any)
	require.Len(t, results, 4)
	for i, res := range results {
		id := obj(t, res, "ruleId").(string)
		idx := int(obj(t, res, "ruleIndex").(float64))
		assert.Equal(t, ruleIDs[idx], id, "result %d: ruleIndex points at another rule", i)
		assert.Equal(t, "warning", obj(t, res, "level"))
		assert.NotEmpty(t, obj(t, res, "message", "text"))
		require.Len(t, obj(t, res, "locations"), 1)
		assert.NotNil(t, obj(t, res, "locations", 0, "physicalLocation", "region", "startLine"))
	}

	// Sorted by file name: /elsewhere/... first, then a/a.go:3, a/a.go:12, b.go.
	outsideRes, mapWrite, deref := results[0], results[1].(map[string]any), results[2]
	assert.Equal(t, "nil-deref", obj(t, deref, "ruleId"))
	loc := obj(t, deref, "locations", 0, "physicalLocation")
	assert.Equal(t, "a/a.go", obj(t, loc, "artifactLocation", "uri"))
	assert.Equal(t, "%SRCROOT%", obj(t, loc, "artifactLocation", "uriBaseId"))
	assert.Equal(t, map[string]any{"startLine": 12.0, "startColumn": 6.0, "endLine": 12.0, "endColumn": 12.0}, obj(t, loc, "region"))

	text := obj(t, deref, "message", "text").(string)
	assert.True(t, strings.HasPrefix(text, fs[2].Message))
	assert.Contains(t, text, "[declared without a value](1)")
	assert.Contains(t, text, "[assigned nil](2)")

	related := obj(t, deref, "relatedLocations").([]any)
	require.Len(t, related, 2)
	for i, want := range []struct {
		msg       string
		line, col float64
	}{{"declared without a value", 9, 6}, {"assigned nil", 10, 3}} {
		assert.Equal(t, float64(i+1), obj(t, related[i], "id"))
		assert.Equal(t, want.msg, obj(t, related[i], "message", "text"))
		assert.Equal(t, "a/a.go", obj(t, related[i], "physicalLocation", "artifactLocation", "uri"))
		assert.Equal(t, want.line, obj(t, related[i], "physicalLocation", "region", "startLine"))
		assert.Equal(t, want.col, obj(t, related[i], "physicalLocation", "region", "startColumn"))
	}

	// codeFlows: the chain, then the sink.
	flow := obj(t, deref, "codeFlows", 0, "threadFlows", 0, "locations").([]any)
	require.Len(t, flow, 3)
	assert.Equal(t, "declared without a value", obj(t, flow[0], "location", "message", "text"))
	assert.Equal(t, "assigned nil", obj(t, flow[1], "location", "message", "text"))
	assert.Equal(t, fs[2].Message, obj(t, flow[2], "location", "message", "text"))
	assert.Equal(t, 12.0, obj(t, flow[2], "location", "physicalLocation", "region", "startLine"))

	fix := obj(t, deref, "fixes", 0)
	assert.Equal(t, "check u", obj(t, fix, "description", "text"))
	change := obj(t, fix, "artifactChanges", 0)
	assert.Equal(t, "a/a.go", obj(t, change, "artifactLocation", "uri"))
	assert.Equal(t, "if u != nil {", obj(t, change, "replacements", 0, "insertedContent", "text"))
	assert.Equal(t, 12.0, obj(t, change, "replacements", 0, "deletedRegion", "startLine"))

	// No chain: no relatedLocations, codeFlows or fixes.
	assert.NotContains(t, mapWrite, "relatedLocations")
	assert.NotContains(t, mapWrite, "codeFlows")
	assert.NotContains(t, mapWrite, "fixes")

	// Outside the root: an absolute, escaped file URI without a base.
	outside := obj(t, outsideRes, "locations", 0, "physicalLocation", "artifactLocation").(map[string]any)
	assert.Equal(t, "file:///elsewhere/x%20y.go", outside["uri"])
	assert.NotContains(t, outside, "uriBaseId")
	assert.Equal(t, "some-new-rule", obj(t, outsideRes, "ruleId"))
}

func TestWriteSARIFEmptyRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, writeSARIF(&buf, toolInfo{Name: "nilsentry", Version: "devel"}, "/r", nil, nil))
	doc := decodeSARIF(t, buf.Bytes())
	results := obj(t, doc, "runs", 0, "results")
	assert.Equal(t, []any{}, results, "an empty results array says the analysis ran and found nothing")
	assert.Equal(t, true, obj(t, doc, "runs", 0, "invocations", 0, "executionSuccessful"))
	assert.NotContains(t, obj(t, doc, "runs", 0, "tool", "driver"), "semanticVersion")
}

func TestSARIFColumnsAreUTF16(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "u.go")
	line := "\ts := \"é😀\"; _ = u.Name\n"
	require.NoError(t, os.WriteFile(file, []byte("package p\n"+line), 0o644))
	byteCol := strings.Index(line, "u.Name") + 1
	offset := len("package p\n") + byteCol - 1
	p := token.Position{Filename: file, Offset: offset, Line: 2, Column: byteCol}

	sw := &sarifWriter{root: dir, readFile: os.ReadFile, files: map[string][]byte{}}
	// é is 2 bytes and 1 UTF-16 unit; 😀 is 4 bytes and 2 units.
	assert.Equal(t, byteCol-1-2, sw.column(p))

	// Unreadable file or inconsistent offset: the byte column.
	assert.Equal(t, 7, sw.column(token.Position{Filename: filepath.Join(dir, "missing.go"), Offset: 30, Line: 1, Column: 7}))
	assert.Equal(t, 5, sw.column(token.Position{Filename: file, Offset: 13, Line: 3, Column: 5}))
}

func TestSemanticVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v0.3.1":                 "0.3.1",
		"v1.0.0-rc.1":            "1.0.0-rc.1",
		"devel":                  "",
		"devel-0123456789ab":     "",
		"(devel)":                "",
		"v0.0.0-2024-abc (text)": "",
	} {
		assert.Equal(t, want, semanticVersion(v), v)
	}
}

func TestNumericVersion(t *testing.T) {
	for v, want := range map[string]string{
		"v0.3.1":                   "0.3.1",
		"devel":                    "0.0.0-devel",
		"devel-0123456789ab-dirty": "0.0.0-devel-0123456789ab-dirty",
		"(devel)":                  "0.0.0-devel",
	} {
		assert.Equal(t, want, numericVersion(v), v)
	}
}

func TestHelpURI(t *testing.T) {
	assert.Equal(t, "https://github.com/nilsentry/nilsentry#nil-deref", helpURI("https://github.com/nilsentry/nilsentry#rules", "nil-deref"))
	assert.Equal(t, "https://example.com/docs#nil-call", helpURI("https://example.com/docs", "nil-call"))
	assert.Empty(t, helpURI("", "nil-call"))
}
