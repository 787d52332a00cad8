// Package closures: variables captured by function literals. A literal
// sees what its enclosing function knew at the closure only for variables
// assigned once, before the closure, and never written by anyone else.
package closures

import "errors"

type User struct{ Name string }

type File struct{ name string }

func (f *File) Close() error { return errors.New(f.name) } // want Close:"nilsentry\\(r0=nonnil p0=derefs pure\\)"

func lookup(m map[string]*User, k string) *User {
	if u, ok := m[k]; ok {
		return u
	}
	return nil
}

func open(name string) (*File, error) {
	if name == "" {
		return nil, errors.New("no name")
	}
	return &File{name}, nil
}

func logf(string) {}

// --- reported ---

func captured(m map[string]*User) func() string {
	u := lookup(m, "a")
	return func() string {
		return u.Name // want `nil dereference: u may be nil here \(lookup returns nil at closures.go:18; captured by the function literal at closures.go:34\)`
	}
}

func capturedThenCall(m map[string]*User) {
	u := lookup(m, "a")
	go func() {
		logf("start") // a call does not change a variable nobody else writes
		_ = u.Name    // want `nil dereference: u may be nil here`
	}()
}

func deferredClose(name string) error {
	f, err := open(name)
	defer func() {
		f.Close() // want `nil dereference: f may be nil here \(open returns nil with an error at closures.go:23; captured by the function literal at closures.go:49; \(\*File\).Close dereferences its receiver\)`
	}()
	if err != nil {
		return err
	}
	return nil
}

// --- safe look-alikes ---

func capturedAfterCheck(m map[string]*User) func() string {
	u := lookup(m, "a")
	if u == nil {
		return func() string { return "" }
	}
	return func() string { return u.Name }
}

func checkedInside(m map[string]*User) func() string {
	u := lookup(m, "a")
	return func() string {
		if u == nil {
			return ""
		}
		return u.Name
	}
}

func deferredAfterCheck(name string) error {
	f, err := open(name)
	if err != nil {
		return err
	}
	defer func() { f.Close() }()
	return nil
}

func assignedAfterClosure() string {
	var u *User
	get := func() string { return u.Name } // u is set before get runs
	u = &User{Name: "a"}
	return get()
}

func assignedTwice(m map[string]*User, fallback *User) func() string {
	u := lookup(m, "a")
	if u == nil {
		u = fallback
	}
	return func() string { return u.Name }
}

func writtenByAnotherLiteral(m map[string]*User) string {
	u := lookup(m, "a")
	fill := func() { u = &User{} }
	fill()
	read := func() string { return u.Name }
	return read()
}

func nested(m map[string]*User) func() func() string {
	u := lookup(m, "a")
	return func() func() string {
		// Nested literals are not followed (the inner one captures
		// the outer one's variable): no evidence, no report.
		return func() string { return u.Name }
	}
}

// f and err are captured, so they live in memory; the error check still
// guards the later use of f.
func checkedThenClosure(name string) (err error) {
	f, err := open(name)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	return errors.New(f.name)
}

// --- a captured variable assigned twice, each value checked ---

type shm struct{ n int }

type worker struct{ mu chan *shm }

// exchange: mem lives in memory (the deferred closure captures it) and is
// assigned by two receives; each ok check guards the value it stored.
func (w *worker) exchange() (int, error) {
	mem, ok := <-w.mu
	if !ok {
		return 0, errors.New("closed")
	}
	defer func() { w.mu <- mem }()
	n := mem.n
	w.mu <- mem
	mem, ok = <-w.mu
	if !ok {
		return 0, errors.New("closed")
	}
	return n + mem.n, nil
}

// exchangeUnchecked does not stop when the second receive fails.
func (w *worker) exchangeUnchecked() int {
	mem, ok := <-w.mu
	if !ok {
		return 0
	}
	defer func() { w.mu <- mem }()
	n := mem.n
	w.mu <- mem
	mem, ok = <-w.mu
	if ok {
		n++
	}
	return n + mem.n // want `nil dereference: mem may be nil here \(receive from a closed channel at closures.go:\d+\)`
}
