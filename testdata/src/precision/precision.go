// Package precision: where other nil checkers drown users in false
// positives. Correlated guards, helper predicates, assertion helpers,
// container elements, closures, generics, channels.
package precision

import (
	"container/list"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type User struct {
	Name  string
	Email *string
}

func lookup(m map[string]*User, k string) *User {
	if u, ok := m[k]; ok {
		return u
	}
	return nil
}

// --- helper predicates and assertion helpers (summaries) ---

func IsValid(u *User) bool { // want IsValid:"nilsentry\\(p0=nilsafe\\+nonnil-if-true pure\\)"
	return u != nil && u.Name != ""
}

func MustNotBeNil(u *User) { // want MustNotBeNil:"nilsentry\\(p0=nilsafe returns-when\\(p0=nonnil\\|false\\) pure\\)"
	if u == nil {
		panic("nil user")
	}
}

func predicate(m map[string]*User) string {
	u := lookup(m, "a")
	if !IsValid(u) {
		return ""
	}
	return u.Name
}

func predicateTrueBranch(m map[string]*User) string {
	u := lookup(m, "a")
	if IsValid(u) {
		return u.Name
	}
	return ""
}

func assertion(m map[string]*User) string {
	u := lookup(m, "a")
	MustNotBeNil(u)
	return u.Name
}

func testifyRequire(t *testing.T, m map[string]*User) string {
	u := lookup(m, "a")
	require.NotNil(t, u)
	return u.Name
}

func testifyAssert(t *testing.T, m map[string]*User) string {
	u := lookup(m, "a")
	if assert.NotNil(t, u) {
		return u.Name
	}
	return ""
}

// --- correlated guards ---

func checksSplitOverTwoIfs(m map[string]*User, strict bool) string {
	u := lookup(m, "a")
	if u == nil && strict {
		return ""
	}
	if u == nil {
		return "none"
	}
	return u.Name
}

func exhaustiveSwitch(m map[string]*User) string {
	u := lookup(m, "a")
	switch {
	case u == nil:
		return ""
	case u.Name == "":
		return "anonymous"
	default:
		return u.Name
	}
}

// --- container elements are not evidence by themselves ---

func sliceElements(users []*User) int {
	n := 0
	for _, u := range users {
		n += len(u.Name)
	}
	return n + len(users[0].Name)
}

func mapRangeValues(m map[string]*User) int {
	n := 0
	for _, u := range m {
		n += len(u.Name)
	}
	return n
}

func elementStoredNil(users []*User) string {
	users[0] = nil
	return users[0].Name // want `nil dereference: users\[0\] is nil here \(assigned nil at precision.go:120\)`
}

// --- closures and generics ---

func closureResult(m map[string]*User) string {
	get := func(k string) *User { return lookup(m, k) }
	return get("a").Name // want `nil dereference: get\("a"\) may be nil here \(lookup returns nil at precision.go:25; returned by func literal at precision.go:127\)`
}

func closureCapturedGuard(m map[string]*User) func() string {
	u := lookup(m, "a")
	if u == nil {
		return func() string { return "" }
	}
	return func() string { return u.Name } // captured after the check: no evidence inside the literal
}

func Find[T any](xs []*T, keep func(*T) bool) *T { // want Find:"nilsentry\\(r0=maybenil\\)"
	for _, x := range xs {
		if keep(x) {
			return x
		}
	}
	return nil
}

func generic(users []*User) string {
	u := Find(users, func(u *User) bool { return u.Name == "a" })
	return u.Name // want `nil dereference: u may be nil here \(Find returns nil at precision.go:145\)`
}

func genericChecked(users []*User) string {
	if u := Find(users, func(u *User) bool { return u.Name == "a" }); u != nil {
		return u.Name
	}
	return ""
}

// --- channels ---

func receive(ch chan *User) string {
	u := <-ch // a plain receive is not evidence: senders decide
	return u.Name
}

func receiveClosed(ch chan *User) string {
	for u := range ch {
		return u.Name
	}
	return ""
}

// --- length checks ---

func lengthGuard(cond bool, k string) {
	var m map[string]int
	if cond {
		m = map[string]int{"a": 1}
	}
	if len(m) == 0 {
		return
	}
	m[k] = 2 // a nil map has length 0: m is non-nil here
}

func lengthGuardReversed(cond bool, k string) {
	var m map[string]int
	if cond {
		m = map[string]int{"a": 1}
	}
	if n := len(m); 0 < n {
		m[k] = 2
	}
	m[k] = 3 // want `nil map write: m may be nil here \(declared without a value at precision.go:\d+\)`
}

// --- a parameter dereferenced only on some paths is not "dereferenced" ---

type tuple struct{ vars []int }

func (t *tuple) size() int {
	if t == nil {
		return 0
	}
	return len(t.vars)
}

func last(t *tuple) int {
	if t.size() == 0 {
		return -1
	}
	return t.vars[t.size()-1] // reached only for a non-empty, so non-nil, tuple
}

func useLast(cond bool) int {
	var t *tuple
	if cond {
		t = &tuple{vars: []int{1}}
	}
	return last(t)
}

// --- map keys that cannot miss ---

type Test struct{ Name string }

func runSorted(tests map[string]*Test) string {
	out := ""
	for _, name := range slices.Sorted(maps.Keys(tests)) {
		out += tests[name].Name // the key comes from the map itself
	}
	return out
}

func runOtherKeys(tests, other map[string]*Test) string {
	out := ""
	for _, name := range slices.Sorted(maps.Keys(other)) {
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(map lookup may miss`
	}
	return out
}

// Keys collected by ranging the map, sorted or not, then looked up.
func runAppended(tests map[string]*Test) string {
	var names []string
	for name := range tests {
		names = append(names, name)
	}
	slices.Sort(names)
	out := ""
	for _, name := range names {
		out += tests[name].Name
	}
	return out
}

func runIndexed(tests map[string]*Test) string {
	names := make([]string, len(tests))
	i := 0
	for name := range tests {
		names[i] = name
		i++
	}
	out := ""
	for _, name := range names {
		out += tests[name].Name
	}
	return out
}

// runMixed adds a name that is not a key.
func runMixed(tests map[string]*Test) string {
	names := []string{"default"}
	for name := range tests {
		names = append(names, name)
	}
	out := ""
	for _, name := range names {
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(map lookup may miss`
	}
	return out
}

// runOverwritten stores another value into the keys' slice.
func runOverwritten(tests map[string]*Test, first string) string {
	names := make([]string, 0, len(tests))
	for name := range tests {
		names = append(names, name)
	}
	if len(names) > 0 {
		names[0] = first
	}
	out := ""
	for _, name := range names {
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(map lookup may miss`
	}
	return out
}

// Keys collected by a function: its summary says whose keys it returns.

func SortedKeys(m map[string]*Test) []string { // want SortedKeys:"nilsentry\\(r0=keys-of\\(p0\\)\\)"
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func runHelper(tests map[string]*Test) string {
	out := ""
	for _, name := range SortedKeys(tests) {
		out += tests[name].Name
	}
	return out
}

func runHelperOther(tests, other map[string]*Test) string {
	out := ""
	for _, name := range SortedKeys(other) {
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(map lookup may miss`
	}
	return out
}

// keysAndDefault adds a name that is not a key: no keys-of.
func keysAndDefault(m map[string]*Test) []string {
	keys := []string{"default"}
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func runHelperMixed(tests map[string]*Test) string {
	out := ""
	for _, name := range keysAndDefault(tests) {
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(map lookup may miss`
	}
	return out
}

type xrefTable struct {
	size    int
	entries map[int]*Test
	free    map[int]*Test
}

// SortedKeys returns the keys of a field of the receiver.
func (t *xrefTable) SortedKeys() []int { // want SortedKeys:"nilsentry\\(r0=keys-of\\(p0.1\\) p0=derefs\\)"
	var keys []int
	for k := range t.entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// lockedKeys returns through its result slot (it defers): the slice is
// the one the return statement stored.
func (t *xrefTable) LockedKeys() []int { // want LockedKeys:"nilsentry\\(r0=keys-of\\(p0.1\\) p0=derefs\\)"
	defer t.done()
	keys := make([]int, 0, len(t.entries))
	for k := range t.entries {
		keys = append(keys, k)
	}
	return keys
}

func (t *xrefTable) done() { t.size++ }

func (t *xrefTable) lockedNames() string {
	out := ""
	for _, k := range t.LockedKeys() {
		out += t.entries[k].Name
	}
	return out
}

func (t *xrefTable) names() string {
	out := ""
	for _, k := range t.SortedKeys() {
		out += t.entries[k].Name
	}
	return out
}

func (t *xrefTable) freeNames() string {
	out := ""
	for _, k := range t.SortedKeys() {
		out += t.free[k].Name // want `nil dereference: t.free\[k\] may be nil here \(map lookup may miss`
	}
	return out
}

// context embeds the xrefTable: the keys are of a field two deep.
type context struct {
	*xrefTable
	name string
}

func WritableKeys(ctx *context) []int { // want WritableKeys:"nilsentry\\(r0=keys-of\\(p0.0.1\\) p0=derefs\\)"
	var keys []int
	for k := range ctx.entries {
		keys = append(keys, k)
	}
	return keys
}

func writeAll(ctx *context) string {
	out := ""
	for _, k := range WritableKeys(ctx) {
		out += ctx.entries[k].Name
	}
	return out
}

func writeOther(ctx, other *context) string {
	out := ""
	for _, k := range WritableKeys(other) {
		out += ctx.entries[k].Name // want `nil dereference: ctx.entries\[k\] may be nil here \(map lookup may miss`
	}
	return out
}

// The key of a range over the map itself is in the map, until a delete
// in the loop takes it out.
type registry struct {
	byName  map[string]*Test
	cancels map[string]func()
}

func (r *registry) names() string {
	out := ""
	for name := range r.byName {
		out += r.byName[name].Name // ranging r.byName gives its keys
	}
	return out
}

func (r *registry) cancelExcept(keep map[string]bool) {
	for name := range r.cancels {
		if !keep[name] {
			r.cancels[name]() // deleted only after the call
			delete(r.cancels, name)
		}
	}
}

func rangeOther(tests, other map[string]*Test) string {
	out := ""
	for name := range other {
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(map lookup may miss`
	}
	return out
}

func rangeDeleted(tests map[string]*Test) string {
	out := ""
	for name := range tests {
		delete(tests, name)
		out += tests[name].Name // want `nil dereference: tests\[name\] may be nil here \(deleted from the map at`
	}
	return out
}

// Only a delete that every path to the lookup passes is evidence: the
// fact of a key flows around the loop's back edge, where the same key
// expression names the next key.
func rangeMaybeDeleted(tests map[string]*Test, drop bool) string {
	out := ""
	for name := range tests {
		if drop {
			delete(tests, name)
		}
		out += tests[name].Name // deleted on some paths only: not counted
	}
	return out
}

type pool struct {
	active map[uint64]bool
	loops  map[uint64]*Test
}

func (p *pool) stopOld(keep map[uint64]bool) string {
	out := ""
	for hash := range p.active {
		if !keep[hash] {
			// A miss, not the delete below, which comes after the use.
			out += p.loops[hash].Name // want `p\.loops\[hash\] may be nil here \(map lookup may miss`
			delete(p.loops, hash)
			delete(p.active, hash)
		}
	}
	return out
}

func closeFiles(closers map[int]*Test, seqs []int) string {
	out := ""
	for _, seq := range seqs {
		out += closers[seq].Name // want `nil dereference: closers\[seq\] may be nil here \(map lookup may miss`
		delete(closers, seq)
	}
	return out
}

func rangeDeletedOther(tests map[string]*Test, other string) string {
	out := ""
	for name := range tests {
		delete(tests, other) // other may be name
		out += tests[name].Name
	}
	return out
}

func deletedAfterSet(m map[string]*Test, k string) string {
	m[k] = &Test{}
	delete(m, k)
	return m[k].Name // want `nil dereference: m\[k\] may be nil here \(deleted from the map at`
}

func deletedAfterLookup(m map[string]*Test, k string) string {
	h := m[k]
	if h == nil {
		return ""
	}
	delete(m, k)
	return h.Name // h was looked up before the delete
}

type contract struct{ Sigs []string }

func fillThenUpdate(types []string, sigs [][]string) map[string]*contract {
	contracts := make(map[string]*contract)
	for i := range types {
		contracts[types[i]] = &contract{}
		if len(sigs) > i {
			contracts[types[i]].Sigs = sigs[i] // the same key as just stored
		}
	}
	return contracts
}

// --- maps held in fields: complete indexes or not ---

type Index struct {
	byName map[string]*Test // filled for every test by construction
	cache  map[string]*Test // filled on demand
}

func (x *Index) name(k string) string  { return x.byName[k].Name } // relied on in several functions, never checked
func (x *Index) upper(k string) string { return x.byName[k].Name + "!" }

func (x *Index) cached(k string) string {
	return x.cache[k].Name // want `nil dereference: x.cache\[k\] may be nil here \(map lookup may miss at precision.go:\d+\)`
}

func (x *Index) cachedChecked(k string) string {
	if t, ok := x.cache[k]; ok {
		return t.Name
	}
	return ""
}

// list.Front is nil only on an empty list (l.len == 0), and Len is a
// getter of len: a Len check guards Front (summary.Getter). (Each function
// also checks another list's front for nil, so that the package's uses of
// Front keep its nil return credible: summary.CredibleResult.)
func firstValue(l, other *list.List) any {
	if e := other.Front(); e != nil {
		return e.Value
	}
	if l.Len() == 0 {
		return nil
	}
	return l.Front().Value
}

type listCtx struct{ nodes *list.List }

func (c *listCtx) clone() listCtx { return *c }

type pair struct{ a, b int }

// A pure call (Len, Front) writes nothing: the check of d.nodes.len holds
// at Front although the function stores a field of that index (pair.b)
// and d lives in memory.
func firstOfClone(c listCtx, other *list.List) (any, *pair) {
	if e := other.Front(); e != nil {
		return e.Value, nil
	}
	d := c.clone()
	_ = d.clone()
	if d.nodes.Len() != 1 {
		return nil, nil
	}
	return d.nodes.Front().Value, &pair{1, 2}
}

// A struct value stored into a field brings the fields its composite
// literal set (copyFields): after `z.entries = dirEntries{data:
// make(...)}`, z.entries.data is non-nil, whatever the check before said.
// Without data in the literal, the field's evidence (shutEntries) stands.
type dirEntries struct {
	data map[string]int
	dir  string
}

type zipDir struct {
	names   []string
	entries dirEntries
}

func (d *dirEntries) shutEntries() {
	if d.data != nil {
		d.data = nil
	}
}

func fillEntries(z *zipDir, path string) dirEntries {
	if z.entries.data != nil {
		return z.entries
	}
	z.entries = dirEntries{dir: path, data: make(map[string]int, len(z.names))}
	for i, name := range z.names {
		z.entries.data[name] = i
	}
	return z.entries
}

func fillEntriesUnset(z *zipDir, path string) dirEntries {
	if z.entries.data != nil {
		return z.entries
	}
	z.entries = dirEntries{dir: path}
	for i, name := range z.names {
		z.entries.data[name] = i // want `nil map write: z.entries.data may be nil here`
	}
	return z.entries
}
