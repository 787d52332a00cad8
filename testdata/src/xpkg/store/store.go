// Package store returns and stores nil; package api (next door) uses it.
package store

import (
	"errors"
	"sync"
)

type Profile struct{ ID int }

type User struct {
	Name    string
	Profile *Profile // want Profile:"nilable\\(field Profile assigned nil at xpkg/store/store.go:42; field Profile not set at xpkg/store/store.go:70\\)"
	Manager *User    // never nilled, never checked: trusted
}

type Store struct {
	mu    sync.Mutex
	users map[string]*User
}

// Lookup returns nil when the user is missing.
func (s *Store) Lookup(name string) *User { // want Lookup:"nilsentry\\(r0=maybenil p0=derefs pure\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[name]; ok {
		return u
	}
	return nil
}

// Load returns nil only together with an error.
func Load(s *Store, name string) (*User, error) { // want Load:"nilsentry\\(r0=nil-if-err r0=nil-on-err p0=derefs pure\\)"
	if u := s.Lookup(name); u != nil {
		return u, nil
	}
	return nil, errors.New("not found")
}

// Anonymize drops the profile.
func Anonymize(u *User) { // want Anonymize:"nilsentry\\(p0=derefs\\)"
	u.Profile = nil
}

// Get returns nil with false when missing.
func Get(m map[string]*User, name string) (*User, bool) { // want Get:"nilsentry\\(r0=nil-if-not-ok pure\\)"
	u, ok := m[name]
	return u, ok
}

// Must never returns a nil user.
func Must(u *User, err error) *User { // want Must:"nilsentry\\(r0=nonnil p0=nilsafe p1=nilsafe returns-when\\(p0=nonnil\\|false&p1=nil\\|true\\) pure\\)"
	if err != nil || u == nil {
		panic("no user")
	}
	return u
}

// Name is nil-safe.
func (u *User) DisplayName() string { // nil-safe: no fact, callers learn nothing from it
	if u == nil {
		return "<nobody>"
	}
	return u.Name
}

// NewUser leaves Profile unset (evidence that it may be nil) and sets
// Manager (which stays trusted).
func NewUser(name string, manager *User) *User { // want NewUser:"nilsentry\\(r0=nonnil pure\\)"
	return &User{Name: name, Manager: manager}
}

// Team is trusted here: store never nils or checks Lead. Package admin
// does both, and its package fact tells importers.
type Team struct{ Lead *User }

// ErrNotFound is a not-found error.
type ErrNotFound struct{ Name string }

func (e *ErrNotFound) Error() string { return e.Name + " not found" } // want Error:"nilsentry\\(p0=derefs pure\\)"

// Check returns a nil *ErrNotFound as a non-nil error when the name is
// known: the typed nil travels to callers in other packages.
func Check(m map[string]*User, name string) error { // want Check:`nilsentry\(r0=nonnil r0=typed-nil\(\*ErrNotFound:Error\) pure\)`
	var e *ErrNotFound
	if m[name] == nil {
		e = &ErrNotFound{name}
	}
	return e // want `nil pointer in non-nil interface: e may be nil here`
}

// Queue's Head is nil only when the queue is empty (field n is 0), as
// container/list's Front; Len reads n, so a caller's Len check is a
// check of n.
type Queue struct {
	items []*User
	n     int
}

func (q *Queue) Len() int { return q.n } // want Len:"nilsentry\\(p0=derefs getter\\(p0.1\\) pure\\)"

func (q *Queue) Head() *User { // want Head:"nilsentry\\(r0=maybenil r0=nil-when\\(p0.1 in \\[0,0\\]\\) p0=derefs pure\\)"
	if q.n == 0 {
		return nil
	}
	return q.items[0]
}
