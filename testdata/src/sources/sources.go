// Package sources has one bug per kind of nil evidence, next to its safe
// look-alike.
package sources

import (
	"errors"
	"strings"
)

type Conn struct{ Addr string }

func (c *Conn) Close() error { c.Addr = ""; return nil } // want Close:"nilsentry\\(r0=maybenil p0=derefs\\)"

type Item struct{ Name string }

// --- nil literals and zero values ---

func assignedNil(c *Conn, reset bool) string {
	if reset {
		c = nil
	}
	return c.Addr // want `nil dereference: c may be nil here \(assigned nil at sources.go:20\)`
}

func switchWithoutDefault(kind int) string {
	var c *Conn
	switch kind {
	case 1:
		c = &Conn{Addr: "a"}
	case 2:
		c = &Conn{Addr: "b"}
	}
	return c.Addr // want `nil dereference: c may be nil here \(declared without a value at sources.go:26\)`
}

func switchWithDefault(kind int) string {
	var c *Conn
	switch kind {
	case 1:
		c = &Conn{Addr: "a"}
	default:
		c = &Conn{Addr: "b"}
	}
	return c.Addr
}

func loopMayNotRun(items []*Item) string {
	var last *Item
	for _, it := range items {
		last = it
	}
	return last.Name // want `nil dereference: last may be nil here \(declared without a value at sources.go:48\)`
}

func namedResult(ok bool) (c *Conn) {
	if ok {
		c = &Conn{}
	}
	return
}

func useNamedResult() string {
	return namedResult(false).Addr // want `nil dereference: namedResult\(false\) may be nil here \(declared without a value at sources.go:55; returned by namedResult at sources.go:59\)`
}

// --- comma-ok failures ---

func mapCommaOkIgnored(m map[string]*Item) string {
	it, _ := m["k"]
	return it.Name // want `nil dereference: it may be nil here \(map lookup may miss at sources.go:69\)`
}

func mapCommaOkWrongWay(m map[string]*Item) string {
	it, ok := m["k"]
	if ok {
		return "present"
	}
	return it.Name // want `nil dereference: it is nil here \(map lookup may miss at sources.go:74\)`
}

func mapCommaOkChecked(m map[string]*Item) string {
	it, ok := m["k"]
	if !ok {
		return ""
	}
	return it.Name
}

func typeAssertBlank(v any) string {
	it, _ := v.(interface{ String() string }) // the blank says v implements it: not evidence (docs/triage.md F11)
	return it.String()
}

func typeAssertChecked(v any) string {
	if it, ok := v.(*Item); ok {
		return it.Name
	}
	return ""
}

func receiveIgnored(ch chan *Item) string {
	it, _ := <-ch
	return it.Name // want `nil dereference: it may be nil here \(receive from a closed channel at sources.go:102\)`
}

func receiveChecked(ch chan *Item) string {
	it, ok := <-ch
	if !ok {
		return ""
	}
	return it.Name
}

// --- map index without a presence check ---

func mapIndex(m map[string]*Item) string {
	return m["k"].Name // want `nil dereference: m\["k"\] may be nil here \(map lookup may miss at sources.go:117\)`
}

func mapIndexPresenceChecked(m map[string]*Item) string {
	if _, ok := m["k"]; ok {
		return m["k"].Name
	}
	return ""
}

func mapIndexNilChecked(m map[string]*Item, k string) string {
	if m[k] != nil {
		return m[k].Name
	}
	return ""
}

func mapIndexFunc(handlers map[string]func() string, name string) string {
	return handlers[name]() // want `nil function call: handlers\[name\] may be nil here \(map lookup may miss at sources.go:135\)`
}

// --- results of same-package functions and literals ---

func lookup(items []*Item, name string) *Item {
	for _, it := range items {
		if it.Name == name {
			return it
		}
	}
	return nil
}

func useLookup(items []*Item) int {
	it := lookup(items, "x")
	return len(it.Name) // want `nil dereference: it may be nil here \(lookup returns nil at sources.go:146\)`
}

func useLookupChecked(items []*Item) int {
	it := lookup(items, "x")
	if it == nil {
		return 0
	}
	return len(it.Name)
}

func literal() string {
	get := func() *Item { return nil }
	return get().Name // want `nil dereference: get\(\) may be nil here \(func literal returns nil at sources.go:163\)`
}

func literalNonNil() string {
	get := func() *Item { return &Item{} }
	return get().Name
}

// --- error contracts ---

func dial(addr string) (*Conn, error) {
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &Conn{Addr: addr}, nil
}

func dialChecked(addr string) string {
	c, err := dial(addr)
	if err != nil {
		return ""
	}
	return c.Addr
}

func dialIgnored(addr string) string {
	c, _ := dial(addr)
	return c.Addr // want `nil dereference: c may be nil here \(dial returns nil with an error at sources.go:176\)`
}

func dialDeferBeforeCheck(addr string) error {
	c, err := dial(addr)
	defer c.Close() // want `nil dereference: c may be nil here \(dial returns nil with an error at sources.go:176; \(\*Conn\).Close dereferences its receiver\)`
	if err != nil {
		return err
	}
	return nil
}

func find(name string) (*Item, bool) {
	if strings.HasPrefix(name, "x") {
		return &Item{Name: name}, true
	}
	return nil, false
}

func findChecked(name string) string {
	it, ok := find(name)
	if !ok {
		return ""
	}
	return it.Name
}

func findIgnored(name string) string {
	it, _ := find(name)
	return it.Name // want `nil dereference: it may be nil here \(find returns nil with false at sources.go:207\)`
}

func bothNil() (*Conn, error) {
	return nil, nil // breaks the error contract: nil even without an error
}

func useBothNil() string {
	c, err := bothNil()
	if err != nil {
		return ""
	}
	return c.Addr // want `nil dereference: c may be nil here \(bothNil returns nil with a nil error at sources.go:224\)`
}

// --- struct fields of a fresh literal ---

type Cache struct {
	items map[string]*Item
	onEv  func(string)
}

func newCacheBroken() *Cache {
	c := &Cache{}
	c.items["a"] = &Item{} // want `nil map write: c.items is nil here \(field items not set at sources.go:243\)`
	return c
}

func newCacheOK() *Cache {
	c := &Cache{items: make(map[string]*Item)}
	c.items["a"] = &Item{}
	return c
}

func (c *Cache) init() { c.items = map[string]*Item{} }

func newCacheInitialized() *Cache {
	c := &Cache{}
	c.init()
	c.items["a"] = &Item{}
	return c
}

func callbackNeverSet() {
	c := &Cache{items: map[string]*Item{}}
	c.onEv("x") // want `nil function call: c.onEv is nil here \(field onEv not set at sources.go:264\)`
}

// An error kept in a named result of a function with defer lives in
// memory; its check still guards the companion result.
func namedErrWithDefer(addr string) (name string, err error) {
	c, err := dial(addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.Addr, nil
}

// --- nil only for a nil argument ---

type Big struct{ n int }

// FromBig returns nil only for a nil input; its bool means overflow, not
// success, so ignoring it is fine.
func FromBig(b *Big) (*Big, bool) { // want FromBig:"nilsentry\\(r0=nil-if-param-nil p0=nilsafe pure\\)"
	if b == nil {
		return nil, false
	}
	return &Big{b.n}, b.n > 100
}

func fromBigIgnored(b *Big) int {
	x, _ := FromBig(&Big{1})
	return x.n
}

func fromBigNil() int {
	var b *Big
	x, _ := FromBig(b)
	return x.n // want `nil dereference: x may be nil here \(declared without a value at sources.go:\d+; passed through FromBig at sources.go:\d+\)`
}

// A call on constants whose error is ignored: the author knows the input
// (`u, _ := url.Parse("https://example.com")`).
func dialConstant() string {
	c, _ := dial("localhost:80")
	return c.Addr
}

func typeAssertUsedLate(v any) string {
	it, ok := v.(*Item)
	name := it.Name // want `nil dereference: it may be nil here \(type assertion may fail at sources.go:\d+\)`
	if !ok {
		return ""
	}
	return name
}

func typeAssertBlankConcrete(v any) string {
	it, _ := v.(*Item)
	return it.Name // want `nil dereference: it may be nil here \(type assertion may fail at sources.go:\d+\)`
}

type unpacker interface{ Unpack() any }

func unpackError(l unpacker) string {
	err, _ := l.Unpack().(error) // not a parameter: the value may hold anything
	return err.Error()           // want `nil interface method call: err may be nil here \(type assertion may fail at sources.go:\d+\)`
}

// MustConn returns c only when err is nil: passing a parameter through
// says nothing by itself.
func MustConn(c *Conn, err error) *Conn { // want MustConn:"nilsentry\\(p1=nilsafe returns-when\\(p1=nil\\|true\\) pure\\)"
	if err != nil {
		panic(err)
	}
	return c
}

func mustDial(addr string) string {
	return MustConn(dial(addr)).Addr
}

// Several calls store into the same named error: each check guards the
// result of the call whose error reaches it.
func namedErrTwice(a, b string) (addr string, err error) {
	defer func() { _ = err }()
	c1, err := dial(a)
	if err != nil {
		return "", err
	}
	c2, err := dial(b)
	if err != nil {
		return "", err
	}
	return c1.Addr + c2.Addr, nil
}

func namedErrWrongCheck(a, b string) (addr string, err error) {
	defer func() { _ = err }()
	c1, err := dial(a)
	c2, err2 := dial(b)
	if err2 != nil {
		return "", err2
	}
	return c1.Addr + c2.Addr, err // want `nil dereference: c1 may be nil here \(dial returns nil with an error at sources.go:\d+\)`
}

// As is a type assertion by another name (as reflect.TypeAssert[T]).
func As[T any](v any) (T, bool) { // want As:"nilsentry\\(r0=nil-if-not-ok pure\\)"
	t, ok := v.(T)
	return t, ok
}

func genericAssertBlank(v any) string {
	it, _ := As[interface{ String() string }](v) // the blank says v implements it, as in typeAssertBlank
	return it.String()
}

func genericAssertBlankPointer(v any) string {
	it, _ := As[*Item](v)
	return it.Name // want `nil dereference: it may be nil here \(As returns nil with false at sources.go:\d+\)`
}

func genericAssertOkUnused(v any) (string, bool) {
	it, ok := As[interface{ String() string }](v)
	return it.String(), ok // want `nil interface method call: it may be nil here \(As returns nil with false at sources.go:\d+\)`
}

// origin fails with an error on a bad header and returns (nil, nil)
// without one (websocket.Origin): the finding names the (nil, nil)
// return, the nil a caller that checks the error still gets.
func origin(h map[string]string) (*Conn, error) {
	v, ok := h["Origin"]
	if ok && v == "" {
		return nil, errors.New("empty origin")
	}
	if !ok {
		return nil, nil
	}
	return &Conn{Addr: v}, nil
}

func useOrigin(h map[string]string) string {
	o, err := origin(h)
	if err != nil {
		return ""
	}
	return o.Addr // want `nil dereference: o may be nil here \(origin returns nil with a nil error at sources.go:399\)`
}
