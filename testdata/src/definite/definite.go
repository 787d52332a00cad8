// Package definite: what go vet's nilness reports, in production shape.
// Every operation on a value that the dominating nil checks prove nil is
// reported, not only the first; nil comparisons those checks decide are
// reported as impossible or tautological.
package definite

import (
	"errors"
	"log"
	"net/http"
)

type Session struct {
	ID   string
	User *User // want User:`nilable\(field User not set at definite/definite.go:44\)`
}

type User struct{ Name string }

// Logging the session's fields in the branch that found it nil: both
// lines panic, and both are reported (the flow alone stops at the first).
func touch(s *Session) {
	if s == nil {
		log.Printf("no session %s", s.ID) // want `nil dereference: s is nil here \(checked for nil at definite.go:23\)`
		s.ID = ""                         // want `nil dereference: s is nil here \(checked for nil at definite.go:23\)`
	}
}

// A second check of the same nil after the first report.
func touchTwice(s *Session) string {
	if s == nil {
		log.Print(s.ID) // want `nil dereference: s is nil here`
	}
	if s == nil {
		return s.ID // want `nil dereference: s is nil here \(checked for nil at definite.go:34\)`
	}
	return s.ID
}

func load(id string) (*Session, error) {
	if id == "" {
		return nil, errors.New("no id")
	}
	return &Session{ID: id}, nil
}

// The second error check tests the first error again: the wrong
// variable is checked, and the second error is lost.
func handler(w http.ResponseWriter, r *http.Request) {
	s, err := load(r.FormValue("a"))
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	t, err2 := load(r.FormValue("b"))
	if err != nil { // want `impossible condition: err != nil is never true \(err is nil here: checked for nil at definite.go:51\)`
		http.Error(w, err2.Error(), 400)
		return
	}
	_, _ = s.ID, t
}

// The same shape with the right variable: nothing to say.
func handlerOK(w http.ResponseWriter, r *http.Request) {
	s, err := load(r.FormValue("a"))
	if err != nil {
		return
	}
	t, err := load(r.FormValue("b"))
	if err != nil {
		return
	}
	_, _ = s.ID, t.ID
}

// A channel made right before is never nil.
func pool(n int) chan int {
	jobs := make(chan int, n)
	if jobs == nil { // want `impossible condition: jobs == nil is never true \(jobs is non-nil here: made at definite.go:78\)`
		return nil
	}
	return jobs
}

// A worker that waits on a channel nobody made blocks forever.
type Worker struct {
	done chan struct{}
}

func (w *Worker) stop(force bool) {
	var done chan struct{}
	if force {
		done <- struct{}{} // want `send to nil channel: done is nil here \(declared without a value at definite.go:91\)`
		return
	}
	<-done // want `receive from nil channel: done is nil here \(declared without a value at definite.go:91\)`
}

// The channel of a struct is not known to be nil: no report.
func (w *Worker) wait() {
	<-w.done
}

// panic(err) with an err that is nil there recovers as nil (a
// *runtime.PanicNilError since Go 1.21): the wrong value is passed.
func mustLoad(id string) *Session {
	s, err := load(id)
	if err != nil {
		panic(err)
	}
	if s == nil {
		panic(err) // want `panic with nil value: err is nil here \(checked for nil at definite.go:108\)`
	}
	return s
}

func abort() {
	panic(nil) // want `panic with nil value: panic\(nil\) panics with a \*runtime.PanicNilError`
}

// Indexing or ranging over a slice or map just found nil.
func first(names []string, seen map[string]bool) string {
	if names == nil {
		for _, n := range names { // want `range over nil: names is nil here`
			_ = n
		}
		return names[0] // want `index of nil slice: names is nil here \(checked for nil at definite.go:123\)`
	}
	if seen == nil {
		for k := range seen { // want `range over nil: seen is nil here`
			_ = k
		}
	}
	return names[0]
}

// A failed assertion leaves the pointer nil.
func asSession(v any) string {
	s, ok := v.(*Session)
	if !ok {
		return s.ID // want `nil dereference: s is nil here \(type assertion may fail at definite.go:139\)`
	}
	return s.ID
}

// An interface method on an error found nil.
func describe(err error) string {
	if err == nil {
		return err.Error() // want `nil interface method call: err is nil here \(checked for nil at definite.go:148\)`
	}
	return err.Error()
}

// A method value asserts its receiver non-nil.
func method(err error) func() string {
	if err == nil {
		return err.Error // want `type assertion on nil interface: err is nil here`
	}
	return err.Error
}

// Safe look-alikes: the value is replaced in the nil branch, the
// condition follows an assignment, the check is in a loop.
func orDefault(s *Session) string {
	if s == nil {
		s = &Session{ID: "default"}
	}
	if s == nil {
		return ""
	}
	return s.ID
}

func retry(ids []string) (*Session, error) {
	var err error
	for _, id := range ids {
		var s *Session
		s, err = load(id)
		if err == nil {
			return s, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return nil, errors.New("no ids")
}

// A method of a type parameter whose type set holds pointers and
// channels may accept a nil receiver.
type closer interface{ Close() }

type nilCloser chan int

func (c nilCloser) Close() {}

func closeZero[T interface {
	closer
	~chan int
}]() {
	var c T
	c.Close()
}

var _ = closeZero[nilCloser]

// Converting a slice found nil to a non-empty array pointer panics.
func header(b []byte) *[4]byte {
	if b == nil {
		return (*[4]byte)(b) // want `conversion of nil slice to a non-empty array: b is nil here`
	}
	return (*[4]byte)(b)
}
