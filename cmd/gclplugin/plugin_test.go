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
		assert.Equal(t, []*analysis.Analyzer{analyzer.Analyzer}, analyzers)
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
