// Package gclplugin registers nilsentry as a golangci-lint v2 module
// plugin. It is linked into a custom golangci-lint binary (built by
// `golangci-lint custom` or by scripts/gcl-e2e.sh) through a blank import,
// and enabled in .golangci.yml under linters.settings.custom.nilsentry
// with type: module. See docs/integrations.md.
//
// It only adapts: the analysis is analyzer.Analyzer, unchanged.
package gclplugin

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/nilsentry/nilsentry/analyzer"
)

func init() {
	register.Plugin("nilsentry", New)
}

// Settings are the keys accepted under
// linters.settings.custom.nilsentry.settings. There are none yet; an
// unknown key is an error rather than silently ignored.
type Settings struct{}

// Plugin is nilsentry as golangci-lint sees it.
type Plugin struct {
	settings Settings
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes the settings golangci-lint read from its configuration.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("nilsentry: bad settings under linters.settings.custom.nilsentry.settings "+
			"(nilsentry takes no settings yet; remove them): %w", err)
	}
	return &Plugin{settings: s}, nil
}

// BuildAnalyzers returns the nilsentry analyzer, reporting without
// Related information (see withoutRelated).
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{withoutRelated(analyzer.Analyzer)}, nil
}

// withoutRelated returns a copy of a whose diagnostics carry no Related
// entries. golangci-lint turns each Related entry into an issue of its
// own ("nilsentry(related information): ..." at the step's line), which
// a //nolint:nilsentry on the finding's line does not suppress, so one
// finding became several issues and could not be silenced in one place.
// nilsentry's messages already name the origin of the nil in their
// text (docs/messages.md); the chain with positions stays available
// from the nilsentry command (-explain, -json, -sarif) and go vet -json.
func withoutRelated(a *analysis.Analyzer) *analysis.Analyzer {
	b := *a
	b.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			d.Related = nil
			pass.Report(d)
		}
		return a.Run(&p)
	}
	return &b
}

// GetLoadMode asks for type information: the analyzer builds SSA.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
