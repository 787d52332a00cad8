package driver

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// The standalone command runs go vet with itself as the -vettool (vet.go);
// this file is the vet tool's side. Flags the command passes to go vet
// for its own vet tool processes, not meant for users:
const (
	// streamFlag makes the tool print findings as records (JSON lines)
	// on stdout and exit 0, so that go vet caches them with the facts.
	// Its value salts go vet's cache key (-cache=false).
	streamFlag = "driver.stream"
	// noTestsFlag drops _test.go files from the package (-test=false).
	noTestsFlag = "driver.notests"
	// fullSalt prefixes the stream salt of a run in which dependencies
	// are analyzed in full too (see replayedRoots and rerunArgs in vet.go).
	fullSalt = "full:"
)

// A record is one line of a vet tool's stream output.
type record struct {
	Finding *Finding `json:"finding,omitempty"`
	Done    string   `json:"done,omitempty"`  // the ID of a package analyzed for findings
	Facts   string   `json:"facts,omitempty"` // the ID of a dependency analyzed for its facts only
}

// vetConfig is the part of go vet's configuration file (unitchecker.Config)
// the vet tool reads before unitchecker does.
type vetConfig struct {
	ID       string
	GoFiles  []string
	VetxOnly bool
	Stdout   string // where go vet wants the tool's stdout (unitchecker opens it)
}

// vetMain is Main under go vet: unitchecker does the work, with a
// wrapped analyzer that streams its findings when the standalone command
// asked for it. factsOnly, if not nil, is called when go vet wants only
// the package's facts (a dependency of the packages it vets).
func vetMain(a *analysis.Analyzer, factsOnly func()) {
	lazyGC()
	registerAnalyzerFlags(flag.CommandLine, a)
	flag.String(streamFlag, "", "internal: stream findings to the nilsentry command (the value salts go vet's cache)")
	flag.Bool(noTestsFlag, false, "internal: drop _test.go files (nilsentry -test=false)")

	cfgFile := os.Args[len(os.Args)-1]
	var cfg vetConfig
	if strings.HasSuffix(cfgFile, ".cfg") {
		data, err := os.ReadFile(cfgFile)
		if err == nil {
			err = json.Unmarshal(data, &cfg)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: reading vet config: %v\n", a.Name, err)
			os.Exit(1)
		}
		// unitchecker parses the flags; these two are needed before it
		// runs, and only the nilsentry command passes them, in this form.
		stream := slices.ContainsFunc(os.Args, func(s string) bool { return strings.HasPrefix(s, "-"+streamFlag+"=") })
		full := slices.ContainsFunc(os.Args, func(s string) bool { return strings.HasPrefix(s, "-"+streamFlag+"="+fullSalt) })
		if full {
			cfg.VetxOnly = false // analyzed, and cached, as if it were vetted itself
		}
		if cfg.VetxOnly && factsOnly != nil {
			factsOnly()
		}
		if slices.Contains(os.Args, "-"+noTestsFlag) {
			rewritten, ok := withoutTests(cfgFile, &cfg)
			if !ok {
				// Only test files: nothing to analyze, no facts to give.
				if stream {
					if cfg.Stdout != "" {
						f, err := os.Create(cfg.Stdout)
						if err != nil {
							fmt.Fprintf(os.Stderr, "%s: %v\n", a.Name, err)
							os.Exit(1)
						}
						os.Stdout = f
					}
					emit(record{Done: cfg.ID})
				}
				os.Exit(0)
			}
			os.Args[len(os.Args)-1] = rewritten
		}
		if stream {
			a = streaming(a, cfg)
		}
	}
	unitchecker.Main(a) // also registers -NAME.FLAG for each analyzer flag
	panic("unreachable")
}

// gcStartHeap is the heap a vet tool process grows to before it first
// collects garbage.
const gcStartHeap = 128 << 20

// lazyGC makes the process collect no garbage until its heap first
// reaches gcStartHeap, and from then on as usual. A vet tool process
// analyzes one package and exits: most never reach that size and spend
// nothing on the collector (a sixth of their time otherwise), while the
// peak of the large ones, which sets the run's peak memory, stays what it
// was. GOGC or GOMEMLIMIT in the environment leave the collector alone.
func lazyGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(gcStartHeap)
	// A finalizer runs after the first collection: the limit forced it.
	type sentinel struct{ _ *int }
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

// withoutTests writes a copy of the vet config file without the package's
// _test.go files beside it, and returns its name, or false when no file
// is left. The other fields stay as go vet wrote them.
func withoutTests(cfgFile string, cfg *vetConfig) (string, bool) {
	files := slices.DeleteFunc(slices.Clone(cfg.GoFiles), func(f string) bool { return strings.HasSuffix(f, "_test.go") })
	if len(files) == 0 {
		return "", false
	}
	data, err := os.ReadFile(cfgFile)
	var raw map[string]any
	if err == nil {
		err = json.Unmarshal(data, &raw)
	}
	if err == nil {
		raw["GoFiles"] = files
		data, err = json.Marshal(raw)
	}
	name := filepath.Join(filepath.Dir(cfgFile), "vet-notests.cfg")
	if err == nil {
		err = os.WriteFile(name, data, 0o666)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "dropping test files from the vet config: %v\n", err)
		os.Exit(1)
	}
	cfg.GoFiles = files
	return name, true
}

// streaming returns a copy of a whose diagnostics are printed as records
// on stdout (which unitchecker points at the file go vet caches) instead
// of being reported, so that the vet tool exits 0 and go vet caches them.
func streaming(a *analysis.Analyzer, cfg vetConfig) *analysis.Analyzer {
	s := *a
	s.Run = func(pass *analysis.Pass) (any, error) {
		var diags []analysis.Diagnostic
		p := *pass
		p.Report = func(d analysis.Diagnostic) { diags = append(diags, d) }
		res, err := a.Run(&p)
		if err != nil {
			return res, err
		}
		if cfg.VetxOnly {
			emit(record{Facts: cfg.ID})
			return res, nil
		}
		for _, d := range diags {
			f := newFinding(pass.Fset, cfg.ID, a, d)
			emit(record{Finding: &f})
		}
		emit(record{Done: cfg.ID})
		return res, nil
	}
	return &s
}

// emit prints a record on stdout; a vet tool that cannot is broken.
func emit(r record) {
	if err := encodeRecord(os.Stdout, r); err != nil {
		fmt.Fprintf(os.Stderr, "writing findings: %v\n", err)
		os.Exit(1)
	}
}

func encodeRecord(w io.Writer, r record) error {
	data, err := json.Marshal(r)
	if err == nil {
		_, err = fmt.Fprintf(w, "%s\n", data)
	}
	return err
}
