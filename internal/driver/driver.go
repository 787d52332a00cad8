// Package driver is the nilsentry command: it has go vet run the
// analyzer over the packages with the command itself as the vet tool
// (vet.go), and prints the findings as text, JSON (the shape go vet
// -json prints) or SARIF 2.1.0; run by go vet, it hands over to
// unitchecker (child.go).
//
// It is not the analysis: it only loads, runs and prints, and is tested
// with a fake analyzer so that it does not depend on the engine.
package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Exit codes, as singlechecker has them.
const (
	exitClean    = 0 // no findings
	exitError    = 1 // packages did not load or type-check, or the analysis failed
	exitUsage    = 2 // bad flags or arguments
	exitFindings = 3 // findings reported
)

const informationURI = "https://github.com/nilsentry/nilsentry"

// Main is the main function of the nilsentry command. It does not return.
// factsOnly, if not nil, is called when go vet runs the command on a
// package only for its facts, so that the analyzer can skip the work
// that only reporting needs.
func Main(a *analysis.Analyzer, factsOnly func()) {
	args := os.Args[1:]
	if invokedByVet(args) {
		vetMain(a, factsOnly)
	}
	os.Exit(Run(args, os.Stdout, os.Stderr, a))
}

// invokedByVet reports whether args are those of go vet's -vettool
// protocol: "-flags", "-V=full", or flags and one *.cfg file.
func invokedByVet(args []string) bool {
	if len(args) == 0 {
		return false
	}
	for _, arg := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if strings.HasPrefix(arg, "-") && (name == "V" || name == "flags") {
			return true
		}
	}
	for _, arg := range args[:len(args)-1] {
		if !strings.HasPrefix(arg, "-") {
			return false
		}
	}
	return strings.HasSuffix(args[len(args)-1], ".cfg")
}

// reservedFlags are names an analyzer flag must not take, because a
// driver already uses them: unitchecker and go vet (including go build's
// flags, which go vet also accepts), and this command. Such a flag is
// still reachable as -nilsentry.NAME.
var reservedFlags = []string{
	// unitchecker, singlechecker and their legacy shims
	"flags", "V", "json", "c", "fix", "diff", "source", "v", "all", "tags", "test", "debug",
	"cpuprofile", "memprofile", "trace", "help", "h",
	// go vet and go build
	"vettool", "fixtool", "a", "n", "p", "x", "C", "asan", "asmflags", "compiler", "buildmode",
	"buildvcs", "gcflags", "gccgoflags", "overlay", "installsuffix", "ldflags", "linkshared",
	"mod", "modcacherw", "modfile", "msan", "pgo", "pkgdir", "race", "toolexec", "trimpath",
	"work", "cover", "covermode", "coverpkg", "coverprofile", "o",
	// this command
	"format", "sarif", "explain", "srcroot", "version", "baseline", "baseline-write", "cache",
	streamFlag, noTestsFlag,
}

// registerAnalyzerFlags registers each flag of a under its own name
// (-NAME, as singlechecker does) unless the name is reserved. Under go
// vet, unitchecker adds -nilsentry.NAME as well; Run accepts both forms
// too, so -NAME works the same everywhere.
func registerAnalyzerFlags(fs *flag.FlagSet, a *analysis.Analyzer) {
	a.Flags.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(reservedFlags, f.Name) && fs.Lookup(f.Name) == nil {
			fs.Var(f.Value, f.Name, f.Usage)
		}
	})
}

// options are the parsed command line of a standalone run.
type options struct {
	format   string // text, json or sarif
	explain  bool
	tests    bool
	cache    bool
	tags     string
	srcroot  string
	patterns []string

	baseline      string // report only findings not in this baseline file
	baselineWrite string // record the findings in this baseline file instead of reporting them
}

// parseFlags parses args; a non-negative code means exit with it.
func parseFlags(args []string, stdout, stderr io.Writer, a *analysis.Analyzer) (opts options, set []*flag.Flag, code int) {
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.format, "format", "text", "output `format`: text, json or sarif")
	jsonOut := fs.Bool("json", false, "shorthand for -format=json (the JSON go vet -json prints)")
	sarifOut := fs.Bool("sarif", false, "shorthand for -format=sarif (SARIF 2.1.0, for GitHub code scanning)")
	fs.BoolVar(&opts.explain, "explain", false, "text format: print the nil chain, one step a line, under each finding")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files too")
	fs.BoolVar(&opts.cache, "cache", true, "reuse what go vet cached of earlier runs on unchanged packages")
	fs.StringVar(&opts.tags, "tags", "", "comma-separated `list` of build tags")
	fs.StringVar(&opts.srcroot, "srcroot", "",
		"`directory` that SARIF file URIs are relative to (default: the enclosing git repository, else the current directory)")
	fs.StringVar(&opts.baseline, "baseline", "",
		"report only findings not recorded in this baseline `file` (written by -baseline-write)")
	fs.StringVar(&opts.baselineWrite, "baseline-write", "",
		"record the findings in this baseline `file` and print nothing; exit 0 unless packages fail to load")
	version := fs.Bool("version", false, "print the version and exit")
	registerAnalyzerFlags(fs, a)
	a.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, a.Name+"."+f.Name, f.Usage) })

	fs.Usage = func() {} // the error is printed by fs; the hint below
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs, a)
			return opts, nil, exitClean
		}
		fmt.Fprintf(stderr, "usage: %s [flags] packages... (%[1]s -help lists the flags)\n", a.Name)
		return opts, nil, exitUsage
	}
	if *version {
		fmt.Fprintf(stdout, "%s %s\n", a.Name, Version())
		return opts, nil, exitClean
	}

	// -format, -json and -sarif may be combined only when they agree.
	type request struct{ format, flag string }
	var asked []request
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "format" {
			asked = append(asked, request{opts.format, "-format=" + opts.format})
		}
	})
	if *jsonOut {
		asked = append(asked, request{"json", "-json"})
	}
	if *sarifOut {
		asked = append(asked, request{"sarif", "-sarif"})
	}
	for _, r := range asked {
		if r.format != asked[0].format {
			fmt.Fprintf(stderr, "%s: %s and %s ask for different output formats\n", a.Name, asked[0].flag, r.flag)
			return opts, nil, exitUsage
		}
		opts.format = r.format
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "%s: unknown output format %q (want text, json or sarif)\n", a.Name, opts.format)
		return opts, nil, exitUsage
	}
	if opts.baseline != "" && opts.baselineWrite != "" {
		fmt.Fprintf(stderr, "%s: -baseline and -baseline-write cannot be combined "+
			"(-baseline-write alone rewrites the baseline with the current findings)\n", a.Name)
		return opts, nil, exitUsage
	}
	opts.patterns = fs.Args()
	if len(opts.patterns) == 0 {
		fmt.Fprintf(stderr, "%s: no packages to analyze (try %[1]s ./...)\n", a.Name)
		return opts, nil, exitUsage
	}
	// The analyzer flags the user set, to pass on to the vet tool.
	fs.Visit(func(f *flag.Flag) {
		if a.Flags.Lookup(strings.TrimPrefix(f.Name, a.Name+".")) != nil {
			set = append(set, f)
		}
	})
	return opts, set, -1
}

func printUsage(w io.Writer, fs *flag.FlagSet, a *analysis.Analyzer) {
	title, _, _ := strings.Cut(a.Doc, "\n")
	fmt.Fprintf(w, `%[1]s: %[2]s

Usage:
  %[1]s [flags] packages...                       print findings (exit 3 if any)
  %[1]s -baseline-write FILE packages...          record the current findings in FILE
  %[1]s -baseline FILE [flags] packages...        print only findings not in FILE
  go vet -vettool=$(command -v %[1]s) packages...   run under go vet

The packages are analyzed by go vet with %[1]s as its vet tool, one
package at a time; go vet caches the results, so a second run on
unchanged code is quick (-cache=false analyzes everything again).

Exit status: 0 no findings, 3 findings, 1 error (packages that do not
load or type-check), 2 bad usage.

Flags:
`, a.Name, title)
	// Each analyzer flag is registered twice, as -NAME and as
	// -nilsentry.NAME (the form go vet takes): list it once.
	short := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.HasPrefix(f.Name, a.Name+".") {
			short.Var(f.Value, f.Name, f.Usage)
		}
	})
	short.SetOutput(w)
	short.PrintDefaults()
	fmt.Fprintf(w, "\nEach analyzer flag (%s) is also -%s.NAME, the form go vet takes.\n",
		strings.Join(analyzerFlagNames(a), ", "), a.Name)
}

// analyzerFlagNames lists the analyzer's flags as -NAME.
func analyzerFlagNames(a *analysis.Analyzer) []string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, "-"+f.Name) })
	return names
}

// Run is the standalone command: it parses args, has go vet analyze the
// packages with this command as the vet tool, prints the findings to
// stdout and errors to stderr, and returns the exit code.
func Run(args []string, stdout, stderr io.Writer, a *analysis.Analyzer) int {
	opts, set, code := parseFlags(args, stdout, stderr, a)
	if code >= 0 {
		return code
	}
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", a.Name, err)
		return exitError
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot find its own executable for go vet: %v\n", a.Name, err)
		return exitError
	}

	// A bad baseline stops the run before the (long) analysis.
	var base map[baselineKey]int
	if opts.baseline != "" {
		if base, err = readBaseline(opts.baseline); err != nil {
			fmt.Fprintf(stderr, "%s: reading baseline %s: %v\n", a.Name, opts.baseline, err)
			return exitError
		}
	}

	prog := startProgress(stderr, a.Name)
	var roots, plain map[string]bool
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		var n int
		roots, plain, n = listRoots(cwd, opts)
		prog.setTotal(n)
	}()
	vetCmd := vetArgs(exe, opts, a, set)
	res, err := runVet(cwd, vetCmd, a.Name, prog)
	prog.stop()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", a.Name, err)
		return exitError
	}
	<-listed
	if replayed := replayedRoots(res, plain); len(replayed) > 0 {
		more, err := runVet(cwd, rerunArgs(vetCmd, replayed), a.Name, nil)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", a.Name, err)
			return exitError
		}
		keepRoots(&more, roots)
		res.findings = append(res.findings, more.findings...)
		res.errs = append(res.errs, more.errs...)
		for id := range more.analyzed {
			res.analyzed[id] = true
		}
	}
	keepRoots(&res, roots)
	errs := res.errs
	sortFindings(res.findings)
	findings := dedupFindings(res.findings)
	for _, e := range errs {
		fmt.Fprintf(stderr, "%s: %s\n", a.Name, e.Err)
	}

	if opts.baselineWrite != "" {
		b, err := writeBaseline(opts.baselineWrite, findings)
		if err != nil {
			fmt.Fprintf(stderr, "%s: writing baseline: %v\n", a.Name, err)
			return exitError
		}
		fmt.Fprintf(stderr, "%s: wrote %d findings (%d entries) to baseline %s\n",
			a.Name, len(findings), len(b.Findings), opts.baselineWrite)
		if len(errs) > 0 {
			return exitError
		}
		return exitClean
	}
	if base != nil {
		// Packages that failed have no findings; their entries are not stale.
		analyzed := make(map[string]bool)
		for id := range res.analyzed {
			analyzed[packagePath(id)] = true
		}
		for _, e := range errs {
			delete(analyzed, packagePath(e.Package))
		}
		var stale int
		findings, stale = applyBaseline(findings, base, analyzed)
		if stale > 0 {
			fmt.Fprintf(stderr, "%s: %d findings of baseline %s no longer occur (fixed, or not analyzed in this run); "+
				"-baseline-write %[3]s drops them\n", a.Name, stale, opts.baseline)
		}
	}

	switch opts.format {
	case "json":
		err = writeJSON(stdout, findings, errs)
	case "sarif":
		root := opts.srcroot
		if root == "" {
			root = repoRoot(cwd)
		}
		if abs, aerr := filepath.Abs(root); aerr == nil {
			root = abs
		}
		tool := toolInfo{Name: a.Name, Version: Version(), InformationURI: informationURI, AnalyzerURL: a.URL}
		err = writeSARIF(stdout, tool, root, findings, errs)
	default:
		err = writeText(stdout, findings, cwd, opts.explain)
	}
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "%s: writing output: %v\n", a.Name, err)
		return exitError
	case len(errs) > 0:
		return exitError
	case len(findings) > 0:
		return exitFindings
	}
	return exitClean
}

// repoRoot returns the nearest directory at or above dir holding .git
// (a directory, or a file in a worktree), or dir itself if none does.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
