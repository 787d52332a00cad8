package basic

import (
	"errors"
	"log"
)

type Profile struct{ ID int }

type User struct {
	Name    string
	Profile *Profile // want Profile:"nilable\\(field Profile checked for nil at basic/basic.go:45; field Profile not set at basic/basic.go:82\\)"
}

func declaredNil(cond bool) int {
	var u *User
	if cond {
		u = &User{}
	}
	return u.Profile.ID // want `nil dereference: u may be nil here \(declared without a value at basic.go:16\)`
}

func checkedNoReturn(u *User) int {
	if u == nil {
		log.Print("no user")
	}
	return u.Profile.ID // want `nil dereference: u may be nil here \(checked for nil at basic.go:24\)`
}

func guarded(u *User) int {
	if u == nil {
		return 0
	}
	return u.Profile.ID // Profile is checked in one of four uses: an invariant, not evidence (summary.Credible)
}

func guardedFatal(u *User) int {
	if u == nil {
		log.Fatal("no user")
	}
	return u.Profile.ID // Profile is checked in one of four uses: an invariant, not evidence (summary.Credible)
}

func fieldGuard(u *User) int {
	if u.Profile != nil {
		return u.Profile.ID
	}
	return 0
}

func fieldNoGuard(u *User) int {
	if u.Profile == nil {
		log.Print("no profile")
	}
	return u.Profile.ID // want `nil dereference: u.Profile may be nil here \(checked for nil at basic.go:52\)`
}

func find(users []*User, name string) *User {
	for _, u := range users {
		if u.Name == name {
			return u
		}
	}
	return nil
}

func useFind(users []*User) string {
	return find(users, "x").Name // want `nil dereference: find\(users, "x"\) may be nil here \(find returns nil at basic.go:64\)`
}

func useFindChecked(users []*User) string {
	if u := find(users, "x"); u != nil {
		return u.Name
	}
	return ""
}

func load(name string) (*User, error) {
	if name == "" {
		return nil, errors.New("empty")
	}
	return &User{Name: name}, nil
}

func useLoadChecked() string {
	u, err := load("x")
	if err != nil {
		return ""
	}
	return u.Name
}

func useLoadIgnored(name string) string {
	u, _ := load(name)
	return u.Name // want `nil dereference: u may be nil here \(load returns nil with an error at basic.go:80\)`
}

func derefBeforeCheck(u *User) string {
	name := u.Name // want `nil dereference: u may be nil here \(checked for nil later at basic.go:100\)`
	if u == nil {
		return ""
	}
	return name
}

func mapLookup(m map[string]*User) string {
	u, ok := m["x"]
	if !ok {
		return ""
	}
	return u.Name
}

func mapLookupIgnored(m map[string]*User) string {
	u, _ := m["x"]
	return u.Name // want `nil dereference: u may be nil here \(map lookup may miss at basic.go:115\)`
}

type Cache struct {
	items map[string]int
}

func neverMade() {
	c := &Cache{}
	c.items["a"] = 1 // want `nil map write: c.items is nil here \(field items not set at basic.go:124\)`
}

func made() {
	c := &Cache{items: map[string]int{}}
	c.items["a"] = 1
}

type List struct{ next *List }

func (l *List) Len() int { // want Len:"nilsentry\\(p0=nilsafe\\+nonnil-if-nonzero pure\\)"
	if l == nil {
		return 0
	}
	return 1 + l.next.Len()
}

func (l *List) Next() *List { return l.next } // want Next:"nilsentry\\(p0=derefs getter\\(p0.0\\) pure\\)"

func receivers(cond bool) {
	var l *List
	if cond {
		l = &List{}
	}
	_ = l.Len()
	_ = l.Next() // want `nil dereference: l may be nil here \(declared without a value at basic.go:145; \(\*List\).Next dereferences its receiver\)`
}
