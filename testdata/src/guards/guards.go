// Package guards: what makes a dereference of a maybe-nil value safe,
// and the near misses that do not.
package guards

import (
	"log"
	"os"
	"testing"
)

type Node struct {
	Val  int
	Next *Node // want Next:"nilable\\(field Next checked for nil at guards/guards.go:143; field Next not set at guards/guards.go:208\\)"
}

func get(m map[string]*Node, k string) *Node {
	if n, ok := m[k]; ok {
		return n
	}
	return nil
}

func earlyReturn(m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		return 0
	}
	return n.Val
}

func earlyPanic(m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		panic("missing")
	}
	return n.Val
}

func earlyExit(m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		os.Exit(1)
	}
	return n.Val
}

func earlyFatal(m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		log.Fatalf("missing %q", "a")
	}
	return n.Val
}

func testFatal(t *testing.T, m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		t.Fatal("missing")
	}
	return n.Val
}

func tbFatal(t testing.TB, m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		t.Fatalf("missing")
	}
	return n.Val
}

func loopContinueBreak(m map[string]*Node, keys []string) int {
	sum := 0
	for _, k := range keys {
		n := get(m, k)
		if n == nil {
			continue
		}
		sum += n.Val
	}
	for _, k := range keys {
		n := get(m, k)
		if n == nil {
			break
		}
		sum += n.Val
	}
	return sum
}

func shortCircuitAnd(m map[string]*Node) bool {
	n := get(m, "a")
	return n != nil && n.Val > 0
}

func shortCircuitOr(m map[string]*Node) bool {
	n := get(m, "a")
	return n == nil || n.Val > 0
}

func negated(m map[string]*Node) int {
	n := get(m, "a")
	if !(n != nil) {
		return 0
	}
	return n.Val
}

func assignOnNilBranch(m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		n = &Node{}
	}
	return n.Val
}

func throughCopy(m map[string]*Node) int {
	n := get(m, "a")
	q := n
	if q != nil {
		return n.Val
	}
	return 0
}

func correlatedBool(m map[string]*Node) int {
	n := get(m, "a")
	ok := n != nil
	if ok {
		return n.Val
	}
	return 0
}

func recheckInLoop(head *Node) int {
	sum := 0
	for n := head; n != nil; n = n.Next {
		sum += n.Val
	}
	return sum
}

func fieldGuard(n *Node) int {
	if n.Next != nil {
		return n.Next.Val
	}
	return 0
}

func fieldGuardEarlyReturn(n *Node) int {
	if n.Next == nil {
		return 0
	}
	return n.Next.Val
}

// --- near misses: reported ---

func checkWithoutStop(m map[string]*Node) int {
	n := get(m, "a")
	if n == nil {
		log.Print("missing")
	}
	return n.Val // want `nil dereference: n may be nil here \(get returns nil at guards.go:20\)`
}

func checkedParamWithoutStop(n *Node) int {
	if n == nil {
		log.Print("nil node")
	}
	return n.Val // want `nil dereference: n may be nil here \(checked for nil at guards.go:167\)`
}

func wrongWay(m map[string]*Node) int {
	n := get(m, "a")
	if n != nil {
		return 0
	}
	return n.Val // want `nil dereference: n is nil here \(get returns nil at guards.go:20\)`
}

func derefBeforeCheck(n *Node) int {
	v := n.Val // want `nil dereference: n may be nil here \(checked for nil later at guards.go:183\)`
	if n == nil {
		return 0
	}
	return v
}

func afterLoop(head *Node) int {
	n := head
	for n != nil && n.Val < 10 {
		n = n.Next
	}
	return n.Val // want `nil dereference: n may be nil here \(checked for nil at guards.go:191\)`
}

func fieldCheckWithoutStop(n *Node) int {
	if n.Next == nil {
		log.Print("no next")
	}
	return n.Next.Val // want `nil dereference: n.Next may be nil here \(checked for nil at guards.go:198\)`
}

// --- stores and calls between check and use ---

type Client struct{ conn *Node }

func (c *Client) connect() { c.conn = &Node{} }

func reconnect(c *Client) int {
	if c.conn == nil {
		c.connect() // may set c.conn: the nil fact is forgotten
	}
	return c.conn.Val
}

func swapAndUse(c *Client) int {
	old := c.conn
	c.conn = nil
	if old == nil {
		return 0
	}
	return old.Val
}

func swapWithoutCheck(c *Client) int {
	old := c.conn
	c.conn = nil
	// old holds the value from before the store: conn's own evidence
	// (checked and nilled elsewhere, guarded in reconnect, where connect
	// leaves it set, and in swapAndUse).
	return old.Val // want `nil dereference: old may be nil here \(field conn checked for nil at guards.go:211; field conn assigned nil at guards.go:219\)`
}

func storedNil(c *Client) int {
	c.conn = nil
	return c.conn.Val // want `nil dereference: c.conn is nil here \(assigned nil at guards.go:236\)`
}

// --- maps filled on demand (regressions from nilsentry's own code) ---

func fillOnDemand(keys []string) map[string]map[string]bool {
	seen := make(map[string]map[string]bool)
	for _, k := range keys {
		if seen[k] == nil {
			seen[k] = make(map[string]bool)
		}
		seen[k]["x"] = true
	}
	return seen
}

func fillInClosure(keys []string) map[string]map[string]bool {
	tree := make(map[string]map[string]bool)
	entry := func(k string) map[string]bool {
		if tree[k] == nil {
			tree[k] = make(map[string]bool)
		}
		return tree[k]
	}
	for _, k := range keys {
		entry(k)["x"] = true
	}
	return tree
}

// --- checks through struct-valued fields ---

type Retention struct{ Days int }

type TSDB struct{ Retention *Retention } // want Retention:"nilable\\(field Retention checked for nil at guards/guards.go:284\\)"

type Storage struct{ TSDB *TSDB } // want TSDB:"nilable\\(field TSDB checked for nil at guards/guards.go:278\\)"

type Config struct{ Storage Storage }

func defaults(c *Config) {
	if c.Storage.TSDB == nil {
		c.Storage.TSDB = &TSDB{Retention: &Retention{}}
	}
}

func retentionDays(c *Config) int {
	if c.Storage.TSDB != nil && c.Storage.TSDB.Retention != nil {
		return c.Storage.TSDB.Retention.Days // c.Storage is the same memory each time
	}
	return 0
}

func retentionUnchecked(c *Config) int {
	return c.Storage.TSDB.Retention.Days // -strict only: the only evidence is a check in another function
}

// --- nil-safe counts as guards ---

type Tuple struct{ vars []*Node }

// Len is nil-safe: a nil *Tuple is empty.
func (t *Tuple) Len() int { // want Len:"nilsentry\\(p0=nilsafe\\+nonnil-if-nonzero pure\\)"
	if t != nil {
		return len(t.vars)
	}
	return 0
}

func tupleOrNil(n int) *Tuple {
	if n == 0 {
		return nil
	}
	return &Tuple{}
}

func tupleGuardedByLen(n int) *Node {
	t := tupleOrNil(n)
	if t.Len() > 0 {
		return t.vars[0] // Len() > 0 only for a non-nil t
	}
	return nil
}

func tupleUnguarded(n int) int {
	t := tupleOrNil(n)
	return len(t.vars) // want `nil dereference: t may be nil here \(tupleOrNil returns nil at guards.go:\d+\)`
}

// --- a pointer and a bool merged together ---

type seeker interface{ Seek() int }

func correlatedOK(v any, try bool) int {
	var s seeker
	ok := false
	if try {
		s, ok = v.(seeker)
	}
	if ok {
		return s.Seek() // s is non-nil wherever ok is true
	}
	return 0
}

func correlatedFlag(m map[string]*Node, try bool) int {
	var n *Node
	found := false
	if try {
		n = &Node{}
		found = true
	}
	if found {
		return n.Val
	}
	return 0
}

func uncorrelated(m map[string]*Node, try bool) int {
	var n *Node
	found := false
	if try {
		found = true // n stays nil
	}
	if found {
		return n.Val // want `nil dereference: n is nil here|nil dereference: n may be nil here`
	}
	return 0
}

// --- results nil together with a zero ---

var spans = map[uintptr]*Node{}

// FindSpan returns base == 0 exactly when s == nil.
func FindSpan(p uintptr) (base uintptr, s *Node) { // want FindSpan:"nilsentry\\(r1=nil-if-zero pure\\)"
	if s = spans[p&^7]; s == nil {
		return 0, nil
	}
	return p &^ 7, s
}

func spanChecked(p uintptr) int {
	if base, s := FindSpan(p); base != 0 {
		return s.Val // base != 0 only with a span
	}
	return 0
}

func spanUnchecked(p uintptr) int {
	_, s := FindSpan(p)
	return s.Val // want `nil dereference: s may be nil here \(FindSpan returns nil with a zero base at guards.go:\d+\)`
}

// spanOf hands back FindSpan's nil itself: the message names the nil's
// way to the return, then the contract.
func spanOf(p uintptr) (*Node, uintptr) {
	base, s := FindSpan(p)
	if base == 0 {
		return s, 0
	}
	return s, base
}

func spanOfUnchecked(p uintptr) int {
	s, _ := spanOf(p)
	return s.Val // want `nil dereference: s may be nil here \(FindSpan returns nil with a zero base at guards.go:\d+; spanOf returns nil with a zero result at guards.go:\d+\)`
}

// --- contracts through the result slots of a function with defers ---

type rwMutex struct{ readers int }

func (m *rwMutex) rlock()   { m.readers++ }
func (m *rwMutex) runlock() { m.readers-- }

type registry struct {
	mu rwMutex
	m  map[string]*Node
	n  int
}

// Get returns through result slots: its defer makes SSA store the
// results and load them after the deferred calls ran.
func (r *registry) Get(k string) (*Node, bool) { // want Get:"nilsentry\\(r0=nil-if-not-ok p0=derefs\\)"
	r.mu.rlock()
	defer r.mu.runlock()
	n, ok := r.m[k]
	return n, ok
}

// Find returns a nil with an ok that may be true: no contract.
func (r *registry) Find(k string) (*Node, bool) { // want Find:"nilsentry\\(r0=maybenil p0=derefs\\)"
	r.mu.rlock()
	defer r.mu.runlock()
	n := r.m[k]
	return n, r.n > 0
}

func useGet(r *registry) int {
	n, ok := r.Get("x")
	if !ok {
		return 0
	}
	return n.Val
}

func useGetUnchecked(r *registry, k string) int {
	n, _ := r.Get(k)
	return n.Val // want `nil dereference: n may be nil here \(\(\*registry\).Get returns nil with false at guards.go:\d+\)`
}

func useFind(r *registry) int {
	n, ok := r.Find("x")
	if !ok {
		return 0
	}
	return n.Val // want `nil dereference: n may be nil here`
}

// --- results nil together with a non-zero error code ---

type Errno uint16

const (
	EBADF   Errno = 9
	ENOTDIR Errno = 20
)

type dir struct{ name string }

var dirs = map[int32]*dir{}

// OpenAt returns a nil dir exactly with a non-zero code (wazero's atPath).
func OpenAt(fd int32, isDir func(*dir) (bool, Errno)) (*dir, string, Errno) { // want OpenAt:"nilsentry\\(r0=nil-if-nonzero\\)"
	d, ok := dirs[fd]
	if !ok {
		return nil, "", EBADF
	}
	if yes, errno := isDir(d); errno != 0 {
		return nil, "", errno
	} else if !yes {
		return nil, "", ENOTDIR
	}
	return d, d.name, 0
}

func openChecked(fd int32, isDir func(*dir) (bool, Errno)) Errno {
	d, _, errno := OpenAt(fd, isDir)
	if errno != 0 {
		return errno
	}
	_ = d.name // a zero code comes with a dir
	return 0
}

func openCheckedEq(fd int32, isDir func(*dir) (bool, Errno)) string {
	if d, _, errno := OpenAt(fd, isDir); errno == 0 {
		return d.name
	}
	return ""
}

func openUnchecked(fd int32, isDir func(*dir) (bool, Errno)) string {
	d, _, _ := OpenAt(fd, isDir)
	return d.name // want `nil dereference: d may be nil here \(OpenAt returns nil with a non-zero Errno at guards.go:\d+\)`
}

func openWrongWay(fd int32, isDir func(*dir) (bool, Errno)) string {
	d, _, errno := OpenAt(fd, isDir)
	if errno != 0 {
		return d.name // want `nil dereference: d may be nil here`
	}
	return ""
}

// Count returns nil with a count that may be zero: no error code.
func Count(fd int32, n int) (*dir, int) { // want Count:"nilsentry\\(r0=maybenil pure\\)"
	if d := dirs[fd]; d != nil {
		return d, 0
	}
	return nil, n
}

func countChecked(fd int32, n int) string {
	d, k := Count(fd, n)
	if k != 0 {
		return ""
	}
	return d.name // want `nil dereference: d may be nil here`
}

// --- a checked field read once more after its base is dead ---

type loaded struct{ info *Tuple }

var table = map[string]*loaded{}

func (t *Tuple) add(n *Node) { t.vars = append(t.vars, n) }

func emptyLoaded() *loaded { return &loaded{} } // leaves info unset

func checkedThenLoop(path string, ns []*Node) {
	ii, ok := table[path]
	if !ok {
		panic("missing")
	}
	if ii.info == nil {
		panic("no info")
	}
	info := ii.info // ii is dead after this load; info stays checked
	for _, n := range ns {
		info.add(n)
	}
}

func hasInfo(l *loaded) bool { return l.info != nil }

// --- assertion helpers on a bool ---

// Assert returns only when p is true: its callers continue as on the true
// branch of p.
func Assert(p bool, msg string) { // want Assert:"nilsentry\\(returns-when\\(p0=nil\\|true\\) pure\\)"
	if !p {
		panic(msg)
	}
}

// Warn returns whatever p is: nothing follows from calling it.
func Warn(p bool, msg string) {
	if !p {
		log.Print(msg)
	}
}

func lookup(k string) (*Node, error) {
	if n, ok := spans[uintptr(len(k))]; ok {
		return n, nil
	}
	return nil, os.ErrNotExist
}

func assertNoError(k string) int {
	n, err := lookup(k)
	Assert(err == nil, "lookup failed")
	return n.Val // err == nil: n is not nil
}

func assertNotNil(m map[string]*Node) int {
	n := get(m, "a")
	Assert(n != nil, "missing")
	return n.Val
}

func warnOnly(k string) int {
	n, err := lookup(k)
	Warn(err == nil, "lookup failed")
	return n.Val // want `nil dereference: n may be nil here \(lookup returns nil with an error at guards.go:\d+\)`
}

func assertWrongWay(m map[string]*Node) int {
	n := get(m, "a")
	Assert(n == nil, "present")
	return n.Val // want `nil dereference: n is nil here`
}

// Refute returns only when p is false: the mirror of Assert.
func Refute(p bool, msg string) { // want Refute:"nilsentry\\(returns-when\\(p0=nonnil\\|false\\) pure\\)"
	if p {
		panic(msg)
	}
}

func refuteError(k string) int {
	n, err := lookup(k)
	Refute(err != nil, "lookup failed")
	return n.Val // err != nil is false: n is not nil
}

func refuteWrongWay(k string) int {
	n, err := lookup(k)
	Refute(err == nil, "lookup succeeded")
	return n.Val // want `nil dereference: n is nil here \(lookup returns nil with every error at guards.go:\d+; its error is non-nil at guards.go:\d+\)`
}

// Assert(false) does not return: the path with the error ends there.
func assertFalse(k string) int {
	n, err := lookup(k)
	if err != nil {
		Assert(false, "lookup failed")
	}
	return n.Val
}

// --- a variable assigned under a condition, used under the same one ---

type decoder struct {
	kind        int
	transparent bool
}

const (
	kindGray = iota
	kindGray2
	kindRGBA
	kindPaletted
)

// sameSwitch: set in one switch on d.kind, used in the matching case of
// a second switch on it (image/png's readImagePass).
func (d *decoder) sameSwitch(rows int) int {
	var gray, rgba *Node
	switch d.kind {
	case kindGray, kindGray2:
		if d.transparent {
			rgba = &Node{}
		} else {
			gray = &Node{}
		}
	case kindRGBA:
		rgba = &Node{}
	}
	n := 0
	for y := 0; y < rows; y++ {
		switch d.kind {
		case kindGray:
			if d.transparent {
				n += rgba.Val
			} else {
				n += gray.Val
			}
		case kindRGBA:
			n += rgba.Val
		}
	}
	return n
}

// otherCase: the second switch uses the variable in a case the first did
// not set it in.
func (d *decoder) otherCase() int {
	var gray *Node
	switch d.kind {
	case kindGray:
		gray = &Node{}
	}
	switch d.kind {
	case kindRGBA:
		return gray.Val // want `nil dereference: gray may be nil here`
	}
	return 0
}

// partlyCorrelated: kindGray sets gray only when not transparent; the
// use does not test transparent again.
func (d *decoder) partlyCorrelated() int {
	var gray *Node
	switch d.kind {
	case kindGray:
		if !d.transparent {
			gray = &Node{}
		}
	}
	if d.kind == kindGray {
		return gray.Val // want `nil dereference: gray may be nil here`
	}
	return 0
}

// tagChanged: the function stores the tested field between the tests.
func (d *decoder) tagChanged() int {
	var gray *Node
	if d.kind == kindGray {
		gray = &Node{}
	}
	d.kind = kindGray
	if d.kind == kindGray {
		return gray.Val // want `nil dereference: gray may be nil here`
	}
	return 0
}

// sameFlag: allocated under a local flag, used under the same flag
// (math/big's lehmerGCD).
func sameFlag(x, y *Node) int {
	var u *Node
	extended := x != nil || y != nil
	if extended {
		u = &Node{}
	}
	n := 0
	for i := 0; i < 3; i++ {
		if extended {
			n += u.Val
		}
	}
	return n
}

// flagInLoop: a flag computed in each iteration says nothing about the
// value assigned in an earlier one.
func flagInLoop(ns []*Node) int {
	var last *Node
	n := 0
	for _, x := range ns {
		ok := x.Val > 0
		if ok {
			n += last.Val // want `nil dereference: last may be nil here`
		}
		if !ok {
			last = x
		}
	}
	return n
}

// --- a method that leaves a field set (init, ensure) ---

type common struct{ n int }

type Template struct {
	common *common
	name   string
}

// Init sets common when it is nil: after any call, common is not nil.
func (t *Template) Init() { // want Init:"nilsentry\\(p0=derefs\\+fields-after\\(0\\)\\)"
	if t.common == nil {
		t.common = &common{}
	}
}

// maybeInit sets common only for named templates.
func (t *Template) maybeInit() {
	if t.common == nil && t.name != "" {
		t.common = &common{}
	}
}

func (t *Template) count() int {
	t.Init()
	return t.common.n
}

func (t *Template) countMaybe() int {
	t.maybeInit()
	return t.common.n // -strict only: the only evidence is a check in another function
}

func (t *Template) guarded1() int {
	if t.common != nil {
		return t.common.n
	}
	return 0
}

func (t *Template) guarded2() bool { return t.common != nil && t.common.n > 0 }

// --- a result and its error stored apart: the field holds the result ---

type modulus struct{ N *Node }

func (m *modulus) set(k string) int {
	var err error
	m.N, err = lookup(k)
	if err != nil {
		panic(err)
	}
	return m.N.Val // err == nil: the field holds a non-nil result
}

func (m *modulus) setOtherError(k string) int {
	var err error
	m.N, err = lookup(k)
	_, err2 := lookup(k + "x")
	if err2 != nil {
		panic(err)
	}
	return m.N.Val // want `nil dereference: m.N may be nil here \(lookup returns nil with an error at guards.go:\d+\)`
}

func (m *modulus) setReplaced(k string, other map[string]*Node) int {
	var err error
	m.N, err = lookup(k)
	m.N = other[k]
	if err != nil {
		panic(err)
	}
	return m.N.Val // want `nil dereference: m.N may be nil here \(map lookup may miss at guards.go:\d+\)`
}

// --- a nil-safe count kept in a variable (ast.FieldList.NumFields) ---

type FieldList struct{ List []*Node }

func (f *FieldList) NumFields() int { // want NumFields:"nilsentry\\(p0=nilsafe\\+nonnil-if-nonzero pure\\)"
	n := 0
	if f != nil {
		for _, g := range f.List {
			n += g.Val
		}
	}
	return n
}

// Size is 1 for a nil list: a positive size says nothing.
func (f *FieldList) Size() int { // nil-safe: no fact, callers learn nothing from it
	n := 1
	if f != nil {
		n += len(f.List)
	}
	return n
}

func fieldsOrNil(k int) *FieldList {
	if k == 0 {
		return nil
	}
	return &FieldList{}
}

func countedFields(k int) *Node {
	f := fieldsOrNil(k)
	if f.NumFields() > 0 {
		return f.List[0]
	}
	return nil
}

func sizedFields(k int) *Node {
	f := fieldsOrNil(k)
	if f.Size() > 0 {
		return f.List[0] // want `nil dereference: f may be nil here \(fieldsOrNil returns nil at guards.go:\d+\)`
	}
	return nil
}

// --- a check through a struct pointer loaded from a call's result ---

type sigM struct{ sig *Node }
type sigG struct{ m *sigM }

var (
	curG = &sigG{m: &sigM{}}
	m0   sigM
)

func getg() *sigG { return curG }

func clearSig(mp *sigM) { mp.sig = nil }

// freeSig: the call getg() is dead after `mp := getg().m`, but mp.sig is
// still read through mp: the check guards the later loads.
func freeSig() {
	mp := getg().m
	if mp == &m0 {
		panic("m0")
	}
	if mp.sig != nil {
		clearSig(&sigM{sig: mp.sig})
		Warn(mp.sig.Val > 0, "empty")
	}
}

func sigVal(mp *sigM) int {
	return mp.sig.Val // want `nil dereference: mp.sig may be nil here \(field sig assigned nil at guards.go:\d+; field sig checked for nil at guards.go:\d+\)`
}

func sigOK1(mp *sigM) bool { return mp.sig != nil && mp.sig.Val > 0 }
func sigOK2(mp *sigM) bool { return mp.sig != nil && mp.sig.Val > 1 }
func sigOK3(mp *sigM) bool { return mp.sig != nil && mp.sig.Val > 2 }
func sigOK4(mp *sigM) bool { return mp.sig != nil && mp.sig.Val > 3 }

// --- predicates on a field (mSpanList.isEmpty, ssa.CallCommon.IsInvoke) ---

type spanList struct{ first *Node }

func (l *spanList) IsEmpty() bool { // want IsEmpty:"nilsentry\\(p0=derefs\\+fields-if-false\\(0\\) pure\\)"
	return l.first == nil
}

func (l *spanList) HasFirst() bool { // want HasFirst:"nilsentry\\(p0=derefs\\+fields-if-true\\(0\\) pure\\)"
	return l.first != nil
}

func (l *spanList) takeFirst() int {
	if l.IsEmpty() {
		return 0
	}
	return l.first.Val
}

func (l *spanList) firstIfAny() int {
	if l.HasFirst() {
		return l.first.Val
	}
	return 0
}

func (l *spanList) firstWrongWay() int {
	if l.IsEmpty() {
		return l.first.Val // want `nil dereference: l.first may be nil here \(field first checked for nil at guards.go:\d+\)`
	}
	return 0
}

func (l *spanList) peek() int {
	return l.first.Val // -strict only: the only evidence is a check in another function
}

// --- a result nil only for a nil argument, given a checked argument ---

// Simplify returns nil only for a nil receiver.
func (n *Node) Simplify() *Node { // want Simplify:"nilsentry\\(r0=nil-if-param-nil p0=nilsafe pure\\)"
	if n == nil {
		return nil
	}
	c := *n
	return &c
}

func simplified(k string) int {
	n, err := lookup(k)
	if err != nil {
		return 0
	}
	return n.Simplify().Val // n is non-nil here, so is its simplification
}

func simplifiedUnchecked(k string) int {
	n, _ := lookup(k)
	return n.Simplify().Val // want `nil dereference: n.Simplify\(\) may be nil here \(lookup returns nil with an error at guards.go:\d+; passed through \(\*Node\).Simplify at guards.go:\d+\)`
}

// --- two pointers nil together (HashTrieMap.find) ---

// FindPair returns a nil parent only with a nil node.
func FindPair(m map[string]*Node, k string) (parent, n *Node) { // want FindPair:"nilsentry\\(r0=nil-if-zero r1=nil-if-zero pure\\)"
	parent = m[""]
	n = m[k]
	if n == nil {
		parent = nil
		return
	}
	if parent == nil {
		parent = n
	}
	return
}

func pairChecked(m map[string]*Node) int {
	parent, n := FindPair(m, "a")
	if n == nil {
		return 0
	}
	return parent.Val + n.Val
}

func pairUnchecked(m map[string]*Node) int {
	parent, _ := FindPair(m, "a")
	return parent.Val // want `nil dereference: parent may be nil here \(FindPair returns nil with a zero n at guards.go:\d+\)`
}

// --- ranges of an integer tag (big.Float.Int) ---

type form byte

const (
	zero form = iota
	finite
	inf
)

type bigFloat struct{ form form }

func (x *bigFloat) toNode(z *Node) int {
	if z == nil && x.form <= finite {
		z = &Node{}
	}
	switch x.form {
	case finite:
		return z.Val // x.form <= finite: z was set or given
	case zero:
		return z.Val + 1
	}
	return 0
}

func (x *bigFloat) toNodeInf(z *Node) int {
	if z == nil && x.form <= finite {
		z = &Node{}
	}
	if x.form == inf {
		return z.Val // want `nil dereference: z may be nil here \(checked for nil at guards.go:\d+\)`
	}
	return 0
}

// --- a value non-nil on some entries of a join, used under a condition
// that excludes the others (net/http/fcgi's request handling) ---

const (
	recBegin = iota
	recParams
	recStdin
)

func handleRecord(reqs map[int]*Node, id, t int) int {
	req, ok := reqs[id]
	if !ok && t != recBegin {
		return 0 // unknown request
	}
	switch t {
	case recParams, recStdin:
		return req.Val // t != recBegin here, so ok
	case recBegin:
		return req.Val // want `nil dereference: req may be nil here \(map lookup may miss at guards.go:\d+\)`
	}
	return 0
}

// a disjunction: either the binding is not needed or it was made.
func bind(need bool, k string) int {
	b, _ := lookup(k)
	if !need || b != nil {
		if need {
			return b.Val
		}
		return 0
	}
	return -1
}

// --- nil only under a condition on a parameter the caller fixes ---

// bucket returns nil only when alloc is false (runtime.stkbucket).
func bucket(m map[int]*Node, k int, alloc bool) *Node {
	if n, ok := m[k]; ok {
		return n
	}
	if !alloc {
		return nil
	}
	n := &Node{}
	m[k] = n
	return n
}

func allocBucket(m map[int]*Node) int {
	return bucket(m, 1, true).Val
}

func peekBucket(m map[int]*Node) int {
	return bucket(m, 1, false).Val // want `nil dereference: bucket\(m, 1, false\) may be nil here \(bucket returns nil at guards.go:\d+\)`
}

func someBucket(m map[int]*Node, alloc bool) int {
	return bucket(m, 1, alloc).Val // want `nil dereference: bucket\(m, 1, alloc\) may be nil here \(bucket returns nil at guards.go:\d+\)`
}

// level returns nil for levels outside 0..9.
func level(n int) *Node {
	if n > 9 {
		return nil
	}
	return &Node{Val: n}
}

func defaultLevel() int { return level(6).Val }

func badLevel() int {
	return level(12).Val // want `nil dereference: level\(12\) may be nil here \(level returns nil at guards.go:\d+\)`
}

// A comma-ok flag cleared on a failure path and tested once: the flag is
// a φ (ok, false, ok), and only the entry where ok held can pass the test
// (archive/tar's sparseFileReader.WriteTo).
type rewinder interface{ Seek(off int64) error }

type named interface{ Name() string }

func flagCleared(n named) int64 {
	s, ok := n.(rewinder)
	if ok {
		if err := s.Seek(0); err != nil {
			ok = false
		}
	}
	if !ok {
		return 0
	}
	s.Seek(1)
	return 1
}

func flagForced(n named, force bool) int64 {
	s, ok := n.(rewinder)
	if force {
		ok = true
	}
	if !ok {
		return 0
	}
	s.Seek(1) // want `nil interface method call: s may be nil here \(type assertion may fail at guards.go:\d+\)`
	return 1
}

func flagFromElsewhere(n named, other bool) int64 {
	s, ok := n.(rewinder)
	if ok {
		ok = other
	}
	if !ok {
		return 0
	}
	s.Seek(1)
	return 1
}
