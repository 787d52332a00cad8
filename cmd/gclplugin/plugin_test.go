package gclplugin

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/nilsentry/nilsentry/analyzer"
)

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("nilsentry")
	require.NoError(t, err)

	// golangci-lint hands over what it read from YAML: nothing, an empty
	// map, or a map.
	for _, settings := range []any{nil, map[string]any{}} {
		p, err := newPlugin(settings)
		require.NoError(t, err, "%#v", settings)
		analyzers, err := p.BuildAnalyzers()
		require.NoError(t, err)
		require.Len(t, analyzers, 1)
		a := analyzers[0]
		assert.Equal(t, analyzer.Analyzer.Name, a.Name)
		assert.Equal(t, analyzer.Analyzer.Requires, a.Requires)
		assert.Equal(t, analyzer.Analyzer.FactTypes, a.FactTypes)
		assert.Equal(t, analyzer.Analyzer.URL, a.URL)
		assert.Equal(t, register.LoadModeTypesInfo, p.GetLoadMode())
	}
}

func TestSettings(t *testing.T) {
	t.Cleanup(func() { analyzer.Configure(analyzer.Settings{Tests: true}) })
	for _, tt := range []struct {
		name     string
		settings any
		want     analyzer.Settings // regexps compared by their source
	}{
		{"none", nil, analyzer.Settings{Tests: true}},
		{"empty", map[string]any{}, analyzer.Settings{Tests: true}},
		{"all", map[string]any{"include": `^example\.com/`, "exclude": "/internal/", "generated": true, "tests": false, "strict": true, "hints": true},
			analyzer.Settings{Include: regexp.MustCompile(`^example\.com/`), Exclude: regexp.MustCompile("/internal/"), Generated: true, Strict: true, Hints: true}},
		{"empty patterns", map[string]any{"include": "", "exclude": ""}, analyzer.Settings{Tests: true}},
		{"tests null", map[string]any{"tests": nil}, analyzer.Settings{Tests: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New(tt.settings)
			require.NoError(t, err)
			_, err = p.BuildAnalyzers()
			require.NoError(t, err)
			got := p.(*Plugin).settings
			assert.Equal(t, source(tt.want.Include), source(got.Include))
			assert.Equal(t, source(tt.want.Exclude), source(got.Exclude))
			assert.Equal(t, tt.want.Generated, got.Generated)
			assert.Equal(t, tt.want.Strict, got.Strict)
			assert.Equal(t, tt.want.Hints, got.Hints)
			assert.Equal(t, tt.want.Tests, got.Tests)
			assert.False(t, got.Degraded)
		})
	}
}

// source is the pattern of re, "" for none.
func source(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return re.String()
}

// collector is an analysistest.Testing that keeps the complaints about
// unexpected diagnostics (the fixture has no want comments).
type collector struct{ errs []string }

func (c *collector) Errorf(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

// BuildAnalyzers hands the settings to the analyzer.
func TestSettingsReachTheAnalyzer(t *testing.T) {
	t.Cleanup(func() { analyzer.Configure(analyzer.Settings{Tests: true}) })
	for _, tt := range []struct {
		settings map[string]any
		reported bool
	}{
		{map[string]any{}, false}, // the finding may be nil on some path: -strict
		{map[string]any{"strict": true}, true},
		{map[string]any{"strict": true, "exclude": "^settingsfix$"}, false},
		{map[string]any{"strict": true, "include": "^other$"}, false},
		{map[string]any{"strict": true, "include": "^settings", "exclude": "^other$"}, true},
	} {
		p, err := New(tt.settings)
		require.NoError(t, err)
		analyzers, err := p.BuildAnalyzers()
		require.NoError(t, err)
		var c collector
		results := analysistest.Run(&c, analysistest.TestData(), analyzers[0], "settingsfix")
		require.Len(t, results, 1)
		require.NoError(t, results[0].Err)
		var msgs []string
		for _, d := range results[0].Diagnostics {
			msgs = append(msgs, d.Message)
		}
		if tt.reported {
			assert.Equal(t, []string{"nil dereference: u may be nil here (declared without a value at settingsfix.go:8)"}, msgs, "%v", tt.settings)
		} else {
			assert.Empty(t, msgs, "%v", tt.settings)
		}
	}
}

func TestBadSettings(t *testing.T) {
	for _, tt := range []struct {
		name     string
		settings any
		err      []string
	}{
		{"bad include", map[string]any{"include": "(unclosed"}, []string{
			"nilsentry: bad setting linters.settings.custom.nilsentry.settings.include:",
			`"(unclosed" is not a valid regular expression`, "missing closing )"}},
		{"bad exclude", map[string]any{"exclude": "a**"}, []string{
			"settings.exclude:", `"a**" is not a valid regular expression`, "invalid nested repetition operator"}},
		{"include not a string", map[string]any{"include": 3}, []string{
			"nilsentry: bad settings", "cannot unmarshal number", "include"}},
		{"tests not a bool", map[string]any{"tests": "no"}, []string{
			"nilsentry: bad settings", "cannot unmarshal string", "tests"}},
		{"degraded is not a plugin setting", map[string]any{"degraded": true}, []string{`unknown field "degraded"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.settings)
			require.Error(t, err)
			for _, s := range tt.err {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

func TestUnknownSettingIsAnError(t *testing.T) {
	_, err := New(map[string]any{"explain": true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad settings under linters.settings.custom.nilsentry.settings")
	assert.Contains(t, err.Error(), `unknown field "explain"`)

	_, err = New("not a map")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nilsentry: bad settings")
}

func TestRelatedIsDropped(t *testing.T) {
	orig := &analysis.Analyzer{Name: "x", Doc: "x", Run: func(pass *analysis.Pass) (any, error) {
		pass.Report(analysis.Diagnostic{Pos: 1, Message: "m", Category: "nil-deref",
			Related: []analysis.RelatedInformation{{Pos: 1, Message: "origin"}}})
		return "result", nil
	}}
	var got []analysis.Diagnostic
	pass := &analysis.Pass{Report: func(d analysis.Diagnostic) { got = append(got, d) }}
	res, err := withoutRelated(orig).Run(pass)
	require.NoError(t, err)
	assert.Equal(t, "result", res)
	require.Len(t, got, 1)
	assert.Equal(t, "m", got[0].Message)
	assert.Equal(t, "nil-deref", got[0].Category)
	assert.Empty(t, got[0].Related)
}
