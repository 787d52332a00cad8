package driver

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A baseline records the findings of a code base at one point, so that
// later runs report only new ones (-baseline-write FILE, -baseline FILE).
//
// A finding is identified by a key that leaves out its line and column,
// so that editing other parts of a file does not turn old findings into
// new ones: the package, the file's base name, the category, the message
// with each position it names reduced to the file's base name (user.go:6
// and net/http/client.go:238 become user.go and client.go), and the
// reported line's source text with runs of white space collapsed.
// Identical keys (the same statement twice in one file) are counted: a
// baseline entry with count N absorbs the first N findings with its key,
// in position order, and reports the rest.
//
// The file is JSON, entries sorted by key, one field a line, and holds no
// line numbers, so it changes only when findings do and reads well in a
// diff.

// baselineVersion is the format version written; readBaseline accepts
// only this one.
const baselineVersion = 1

type baselineFile struct {
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	Package  string `json:"package"`  // import path (test variants folded into their package)
	File     string `json:"file"`     // base name
	Category string `json:"category"` // rule id
	Message  string `json:"message"`  // positions removed
	Line     string `json:"line"`     // source text of the reported line, white space collapsed
	Count    int    `json:"count"`    // findings with this key
}

type baselineKey struct {
	Package, File, Category, Message, Line string
}

func (e baselineEntry) key() baselineKey {
	return baselineKey{e.Package, e.File, e.Category, e.Message, e.Line}
}

func compareKeys(a, b baselineKey) int {
	return cmp.Or(
		strings.Compare(a.Package, b.Package),
		strings.Compare(a.File, b.File),
		strings.Compare(a.Message, b.Message),
		strings.Compare(a.Line, b.Line),
		strings.Compare(a.Category, b.Category),
	)
}

// goPosition matches a position in a message: "user.go:12", also with a
// column, and the package path before the file of a step in another
// package ("net/http/client.go:238"). The base name is kept, the path
// and the numbers go.
var goPosition = regexp.MustCompile(`(?:[^\s;()/]+/)*([^\s;()/]*)\.go:[0-9]+(:[0-9]+)?\b`)

// normalizeMessage removes the line numbers of the positions a message
// names ("declared without a value at user.go:6" becomes "... at user.go"),
// and the package paths: keys read as they did before steps in other
// packages named theirs, so baselines written then still match (and the
// format keeps its version).
func normalizeMessage(msg string) string {
	return goPosition.ReplaceAllString(msg, "${1}.go")
}

// packagePath is the package of a package ID with its test variant
// folded in: "p [p.test]" is "p" (a finding in p's files is reported
// under either, depending on -test).
func packagePath(id string) string {
	path, _, _ := strings.Cut(id, " ")
	return path
}

// sourceLines reads the lines of source files, once each.
type sourceLines map[string][]string

// line returns the text of line n (from 1) of file, white space trimmed
// and collapsed, or "" when the file cannot be read or is shorter.
func (s sourceLines) line(file string, n int) string {
	lines, ok := s[file]
	if !ok {
		data, err := os.ReadFile(file)
		if err == nil {
			lines = strings.Split(string(data), "\n")
		}
		s[file] = lines
	}
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.Join(strings.Fields(lines[n-1]), " ")
}

func (s sourceLines) keyOf(f Finding) baselineKey {
	return baselineKey{
		Package:  packagePath(f.Package),
		File:     filepath.Base(f.Posn.Filename),
		Category: f.Category,
		Message:  normalizeMessage(f.Message),
		Line:     s.line(f.Posn.Filename, f.Posn.Line),
	}
}

// newBaseline builds the baseline of findings, sorted by key.
func newBaseline(findings []Finding, src sourceLines) baselineFile {
	counts := make(map[baselineKey]int)
	for _, f := range findings {
		counts[src.keyOf(f)]++
	}
	b := baselineFile{Version: baselineVersion, Findings: []baselineEntry{}}
	for k, n := range counts {
		b.Findings = append(b.Findings, baselineEntry{
			Package: k.Package, File: k.File, Category: k.Category, Message: k.Message, Line: k.Line, Count: n,
		})
	}
	slices.SortFunc(b.Findings, func(x, y baselineEntry) int { return compareKeys(x.key(), y.key()) })
	return b
}

// encodeBaseline writes b as indented JSON, without HTML escapes
// (`&T{}` stays readable), ending in a newline.
func encodeBaseline(w io.Writer, b baselineFile) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// writeBaseline records findings in the file at path, replacing it
// whole or not at all.
func writeBaseline(path string, findings []Finding) (baselineFile, error) {
	b := newBaseline(findings, make(sourceLines))
	var buf bytes.Buffer
	if err := encodeBaseline(&buf, b); err != nil {
		return b, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return b, withPath(path, err)
	}
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it 0600
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return b, withPath(path, err)
	}
	return b, nil
}

// withPath words a file system error about the temporary file as one
// about path, the file the user named.
func withPath(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// readBaseline reads a baseline file into counts by key.
func readBaseline(path string) (map[baselineKey]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseBaseline(data)
}

func parseBaseline(data []byte) (map[baselineKey]int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b baselineFile
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a nilsentry baseline: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not a nilsentry baseline: data after the JSON object")
	}
	switch {
	case b.Version == 0:
		return nil, errors.New(`not a nilsentry baseline: no "version"`)
	case b.Version != baselineVersion:
		return nil, fmt.Errorf("baseline version %d, but this nilsentry reads version %d: rewrite it with -baseline-write",
			b.Version, baselineVersion)
	}
	counts := make(map[baselineKey]int)
	for i, e := range b.Findings {
		if e.Count < 1 {
			return nil, fmt.Errorf("baseline entry %d (%s, %s): count must be at least 1", i+1, e.File, e.Message)
		}
		counts[e.key()] += e.Count // an entry repeated (say, by a merge) adds up
	}
	return counts, nil
}

// applyBaseline drops the findings the baseline records: for each key,
// as many as its count, first ones first (findings are sorted by
// position). It returns the findings left and the number of baselined
// findings of the packages in analyzed that did not occur.
func applyBaseline(findings []Finding, base map[baselineKey]int, analyzed map[string]bool) (fresh []Finding, stale int) {
	src := make(sourceLines)
	used := make(map[baselineKey]int)
	for _, f := range findings {
		k := src.keyOf(f)
		if used[k] < base[k] {
			used[k]++
			continue
		}
		fresh = append(fresh, f)
	}
	for k, n := range base {
		if analyzed[k.Package] {
			stale += n - used[k]
		}
	}
	return fresh, stale
}
