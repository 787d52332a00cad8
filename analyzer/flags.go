package analyzer

import (
	"fmt"
	"regexp"
)

// Settings are the analyzer's options. Drivers set them through
// Analyzer.Flags (-NAME standalone, -nilsentry.NAME under go vet) or, in
// the golangci-lint plugin, from its settings.
type Settings struct {
	// Include and Exclude select the packages that get reports, by
	// regular expression on the import path; facts are still computed
	// for every package so that results cross package boundaries.
	Include, Exclude *regexp.Regexp
	Generated        bool // report in generated files
	Tests            bool // report in _test.go files
	Degraded         bool // report functions whose analysis was skipped, and why
	// By default only what is nil on every path is reported, and nil
	// checks whose outcome is decided: on modules nobody tuned nilsentry
	// on, what may be nil on some path was worth reading about a third of
	// the time (docs/triage.md), too often to show unasked.
	// Strict also reports what may be nil on some path, with the evidence
	// that nil reaches it.
	Strict bool
	// Hints, with Strict, also reports findings whose only evidence is a
	// hint: a field's nil check in another function (see hinted in run.go).
	Hints bool
}

// mayNil says whether findings that may be nil on some path are reported.
func (s *Settings) mayNil() bool { return s.Strict || s.Hints }

// settings is what the flags set.
var settings = Settings{Tests: true}

func init() {
	fs := &Analyzer.Flags
	fs.Var(regexpFlag{&settings.Include}, "include", "report only in packages whose import path matches this regexp")
	fs.Var(regexpFlag{&settings.Exclude}, "exclude", "do not report in packages whose import path matches this regexp")
	fs.BoolVar(&settings.Generated, "generated", false, "also report in generated files (// Code generated ... DO NOT EDIT.)")
	fs.BoolVar(&settings.Tests, "tests", true, "report in _test.go files")
	fs.BoolVar(&settings.Strict, "strict", false, "also report what may be nil on some path, with its evidence (by default only what is nil on every path)")
	fs.BoolVar(&settings.Hints, "hints", false, "with -strict, also report findings whose only evidence is a nil check of the field in another function (noisier)")
	fs.BoolVar(&settings.Degraded, "degraded", false, "report functions whose analysis was skipped (budget exceeded, internal error), and why")
}

// regexpFlag is a flag.Value that rejects a bad pattern at parse time, so
// the driver prints a usage error instead of failing later.
type regexpFlag struct{ re **regexp.Regexp }

func (f regexpFlag) String() string {
	if f.re == nil || *f.re == nil {
		return ""
	}
	return (*f.re).String()
}

func (f regexpFlag) Set(s string) error {
	if s == "" {
		*f.re = nil
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return fmt.Errorf("not a valid regular expression: %v", err)
	}
	*f.re = re
	return nil
}

// reports says whether findings in the package at path are reported.
func (s *Settings) reports(path string) bool {
	if s.Include != nil && !s.Include.MatchString(path) {
		return false
	}
	return s.Exclude == nil || !s.Exclude.MatchString(path)
}

// Configure sets the analyzer's settings, for drivers without flags
// (the golangci-lint plugin). It is not safe to call during a run.
func Configure(s Settings) { settings = s }

// factsOnly is set when the process computes facts and reports nothing.
var factsOnly bool

// FactsOnly tells the analyzer that this process only computes facts:
// go vet analyzes each dependency of the packages it vets for its facts
// alone (the vet config's VetxOnly) and discards what it reports. The
// analyzer then skips the work that only reporting needs (judging
// findings, callers' guards, messages); the facts are the same. Drivers
// call it before the analysis; it is not safe to call during one.
func FactsOnly() { factsOnly = true }
