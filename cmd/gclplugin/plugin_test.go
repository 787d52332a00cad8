package gclplugin

import (
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

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
