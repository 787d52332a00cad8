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
	"regexp"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/nilsentry/nilsentry/analyzer"
)

func init() {
	register.Plugin("nilsentry", New)
}

// Settings are the keys accepted under
// linters.settings.custom.nilsentry.settings, the analyzer's flags
// (analyzer.Settings) spelled for YAML. An unknown key is an error rather
// than silently ignored.
type Settings struct {
	// Include and Exclude are regular expressions over package import
	// paths: only packages that match Include (when set) and do not
	// match Exclude (when set) get reports. Facts are computed for all.
	Include string `json:"include"`
	Exclude string `json:"exclude"`
	// Generated also reports in generated files (default false).
	Generated bool `json:"generated"`
	// Tests reports in _test.go files (default true; golangci-lint's
	// run.tests decides whether they are loaded at all).
	Tests *bool `json:"tests"`
	// Strict also reports what may be nil on some path, with its
	// evidence (default false: only what is nil on every path).
	Strict bool `json:"strict"`
	// Hints, with Strict, also reports findings whose only evidence is a
	// field's nil check in another function (default false).
	Hints bool `json:"hints"`
}

// analyzerSettings checks s and turns it into the analyzer's settings.
func (s Settings) analyzerSettings() (analyzer.Settings, error) {
	as := analyzer.Settings{Generated: s.Generated, Tests: s.Tests == nil || *s.Tests, Strict: s.Strict, Hints: s.Hints}
	for _, p := range []struct {
		key, pattern string
		re           **regexp.Regexp
	}{{"include", s.Include, &as.Include}, {"exclude", s.Exclude, &as.Exclude}} {
		if p.pattern == "" {
			continue
		}
		re, err := regexp.Compile(p.pattern)
		if err != nil {
			return as, fmt.Errorf("nilsentry: bad setting linters.settings.custom.nilsentry.settings.%s: "+
				"%q is not a valid regular expression: %w", p.key, p.pattern, err)
		}
		*p.re = re
	}
	return as, nil
}

// Plugin is nilsentry as golangci-lint sees it.
type Plugin struct {
	settings analyzer.Settings
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes and checks the settings golangci-lint read from its
// configuration.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("nilsentry: bad settings under linters.settings.custom.nilsentry.settings "+
			"(known keys: include, exclude, generated, tests, strict, hints): %w", err)
	}
	as, err := s.analyzerSettings()
	if err != nil {
		return nil, err
	}
	return &Plugin{settings: as}, nil
}

// BuildAnalyzers configures the nilsentry analyzer with the settings and
// returns it, reporting without Related information (see
// withoutRelated). The analyzer's settings are global, which fits
// golangci-lint: it builds one nilsentry per run.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	analyzer.Configure(p.settings)
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
