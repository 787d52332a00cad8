package driver

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// The standalone command runs the analysis through go vet with itself as
// the -vettool: one process per package, in dependency order, with facts
// passed through files. So its memory is that of the largest package, not
// of the program; go vet caches every package's facts and findings, so a
// second run on unchanged code replays them; and its findings are go
// vet's by construction. The vet tool side is child.go.

// vetResult is what a go vet run produced.
type vetResult struct {
	findings []Finding
	errs     []PackageError
	analyzed map[string]bool // IDs of the packages analyzed for findings
}

// vetArgs returns go vet's arguments for a standalone run.
func vetArgs(exe string, opts options, a *analysis.Analyzer, set []*flag.Flag) []string {
	salt := ""
	if !opts.cache {
		salt = randomSalt()
	}
	// -json: go vet passes the tool's stdout (the records) through as is.
	args := []string{"vet", "-json", "-vettool=" + exe, "-" + streamFlag + "=" + salt}
	if !opts.tests {
		args = append(args, "-"+noTestsFlag)
	}
	if opts.tags != "" {
		args = append(args, "-tags="+opts.tags)
	}
	for _, f := range set {
		name := strings.TrimPrefix(f.Name, a.Name+".")
		args = append(args, "-"+a.Name+"."+name+"="+f.Value.String())
	}
	return append(args, opts.patterns...)
}

// randomSalt makes go vet's cache keys new, so every package is analyzed
// again (compiled export data stays cached).
func randomSalt() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// runVet runs go vet with args in dir and collects the vet tool's records
// from its stdout and the errors from its stderr.
func runVet(dir string, args []string, name string, prog *progress) (vetResult, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return vetResult{}, fmt.Errorf("the go command is needed (nilsentry runs go vet): %w", err)
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return vetResult{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return vetResult{}, fmt.Errorf("running go vet: %w", err)
	}

	res := vetResult{analyzed: make(map[string]bool)}
	streamErr := readRecords(stdout, &res, prog)
	waitErr := cmd.Wait()
	if streamErr != nil {
		return res, streamErr
	}
	res.errs = vetErrors(stderr.String(), name)
	if waitErr != nil && len(res.errs) == 0 {
		var exit *exec.ExitError
		if !errors.As(waitErr, &exit) {
			return res, fmt.Errorf("running go vet: %w", waitErr)
		}
		res.errs = append(res.errs, PackageError{Analyzer: name, Err: "go vet failed: " + waitErr.Error()})
	}
	return res, nil
}

// readRecords reads the vet tools' records to the end of r. go vet copies
// each tool's output whole, so records never interleave.
func readRecords(r io.Reader, res *vetResult, prog *progress) error {
	// Whatever happens, read to the end: go vet must not block on a full pipe.
	defer func() { _, _ = io.Copy(io.Discard, r) }()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec record
		if err := json.Unmarshal(line, &rec); err != nil {
			return fmt.Errorf("go vet printed what its vet tool did not write: %.200s", line)
		}
		switch {
		case rec.Finding != nil:
			res.findings = append(res.findings, *rec.Finding)
		case rec.Done != "":
			if !res.analyzed[rec.Done] {
				res.analyzed[rec.Done] = true
				prog.packageDone()
			}
		case rec.Facts != "":
			prog.dependencyDone()
		}
	}
	return sc.Err()
}

var (
	vetHeader   = regexp.MustCompile(`^# (\S+( \[\S+\])?)$`)
	errPosition = regexp.MustCompile(`^\S+\.go:\d+(:\d+)?: `)
)

// vetErrors turns go vet's stderr into package errors. go vet prints what
// a package's compiler or vet tool said under a "# <package ID>" line;
// what precedes any such line is about loading the packages.
func vetErrors(stderr, name string) []PackageError {
	var errs []PackageError
	counts := make(map[string]int)
	pkg := ""
	for line := range strings.Lines(stderr) {
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "go: downloading "):
			continue
		case vetHeader.MatchString(line):
			pkg = vetHeader.FindStringSubmatch(line)[1]
			continue
		case strings.HasPrefix(line, "\t") && len(errs) > 0 && !errPosition.MatchString(strings.TrimSpace(line)):
			// a continuation ("\tgo get example.com/x") or a stack frame
			errs[len(errs)-1].Err += "\n" + line
			continue
		}
		counts[pkg]++
		switch n := counts[pkg]; {
		case n == maxErrorsPerPackage+1:
			errs = append(errs, PackageError{Package: pkg, Analyzer: name, Err: fmt.Sprintf("package %s: more errors", packagePath(pkg))})
			continue
		case n > maxErrorsPerPackage:
			continue
		}
		msg := line
		switch {
		case pkg == "":
		case errPosition.MatchString(line):
			msg = fmt.Sprintf("package %s does not type-check: %s", packagePath(pkg), line)
		default:
			msg = fmt.Sprintf("package %s: %s", packagePath(pkg), line)
		}
		errs = append(errs, PackageError{Package: pkg, Analyzer: name, Err: msg})
	}
	return errs
}

// listRoots returns the import paths of the packages go vet analyzes
// for findings (those the patterns match; an external test package
// "p_test" counts under p), those of them vetted as a package of their
// own (they have files besides external tests), and how many vet runs
// report on them: one for each package, and one more for an external
// test. It returns nil, nil, 0 when go list fails; go vet then says why.
func listRoots(dir string, opts options) (roots, plain map[string]bool, n int) {
	args := []string{"list", "-e", "-f", "{{.ImportPath}} {{if or .GoFiles .CgoFiles .TestGoFiles}}p{{end}}{{if .XTestGoFiles}}x{{end}}"}
	if opts.tags != "" {
		args = append(args, "-tags="+opts.tags)
	}
	cmd := exec.Command("go", append(args, opts.patterns...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, 0
	}
	roots, plain = make(map[string]bool), make(map[string]bool)
	for line := range strings.Lines(string(out)) {
		path, runs, _ := strings.Cut(strings.TrimSpace(line), " ")
		roots[path] = true
		if strings.Contains(runs, "p") {
			plain[path] = true
		}
		n += len(runs)
	}
	return roots, plain, n
}

// replayedRoots returns the packages of plain (those go vet vets
// themselves, besides their tests) that no run reported as analyzed and
// that had no error: go vet replayed a facts-only run's output for them.
// go vet's cache key for a package's vet run does not say whether the run
// was for facts only (Go 1.26), so a package first analyzed as a
// dependency (`nilsentry ./cmd/x`) and vetted itself later (`nilsentry
// ./...`) gets that run's output, which has no findings. It is sorted.
func replayedRoots(res vetResult, plain map[string]bool) []string {
	failed := make(map[string]bool)
	for _, e := range res.errs {
		failed[packagePath(e.Package)] = true
	}
	analyzed := make(map[string]bool) // "p [p.test]" is p analyzed with its tests
	for id := range res.analyzed {
		analyzed[packagePath(id)] = true
	}
	var paths []string
	for p := range plain {
		if !analyzed[p] && !failed[p] {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	return paths
}

// rerunArgs turns a run's go vet arguments into those of a run over the
// replayed packages alone, with a salt whose cache entries all come from
// full runs: there, dependencies are analyzed for findings too (their
// findings are dropped by keepRoots), so no entry lacks them.
func rerunArgs(args []string, replayed []string) []string {
	var out []string
	for _, arg := range args {
		if salt, ok := strings.CutPrefix(arg, "-"+streamFlag+"="); ok {
			out = append(out, "-"+streamFlag+"="+fullSalt+salt)
			continue
		}
		out = append(out, arg)
		if strings.HasPrefix(arg, "-") || arg == "vet" {
			continue
		}
		out = out[:len(out)-1] // a pattern
	}
	return append(out, replayed...)
}

// keepRoots drops what go vet printed for packages outside roots (nil:
// keep everything). go vet replays a package's cached output even when it
// analyzes the package only for facts, a dependency of the packages
// vetted this time: findings reported when an earlier run vetted it.
func keepRoots(res *vetResult, roots map[string]bool) {
	if roots == nil {
		return
	}
	isRoot := func(id string) bool {
		p := packagePath(id)
		return roots[p] || roots[strings.TrimSuffix(p, "_test")]
	}
	res.findings = slices.DeleteFunc(res.findings, func(f Finding) bool { return !isRoot(f.Package) })
	for id := range res.analyzed {
		if !isRoot(id) {
			delete(res.analyzed, id)
		}
	}
}
