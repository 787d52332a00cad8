// want package:"foreign\\(field Lead checked for nil at xpkg/api/api.go:94; field Profile checked for nil at xpkg/api/api.go:26\\)"
// Package api dereferences what package store returns: facts carry the
// summaries and field evidence across the package boundary.
package api

import (
	"xpkg/admin"
	"xpkg/store"
)

func profileID(s *store.Store, name string) int {
	u := s.Lookup(name)
	return u.Profile.ID // want `nil dereference: u may be nil here \(\(\*Store\).Lookup returns nil at xpkg/store/store.go:29\)`
}

func profileIDChecked(s *store.Store, name string) int {
	u := s.Lookup(name)
	if u == nil {
		return 0
	}
	return u.Profile.ID // want `nil dereference: u.Profile may be nil here \(field Profile assigned nil at xpkg/store/store.go:42; field Profile not set at xpkg/store/store.go:70; field Profile checked for nil at api.go:26\)`
}

func profileIDFullyChecked(s *store.Store, name string) int {
	u := s.Lookup(name)
	if u == nil || u.Profile == nil {
		return 0
	}
	return u.Profile.ID
}

func hasProfile(u *store.User) bool {
	return u.Profile != nil && u.Profile.ID > 0
}

func profileOr(u *store.User, def int) int {
	if p := u.Profile; p != nil {
		return p.ID
	}
	return def
}

func managerName(u *store.User) string {
	return u.Manager.Name // Manager has no nil evidence: trusted
}

func loadChecked(s *store.Store) string {
	u, err := store.Load(s, "x")
	if err != nil {
		return ""
	}
	return u.Name
}

func loadIgnored(s *store.Store) string {
	u, _ := store.Load(s, "x")
	return u.Name // want `nil dereference: u may be nil here \(Load returns nil with an error at xpkg/store/store.go:37\)`
}

func getChecked(m map[string]*store.User) string {
	if u, ok := store.Get(m, "x"); ok {
		return u.Name
	}
	return ""
}

func getIgnored(m map[string]*store.User) string {
	u, _ := store.Get(m, "x")
	return u.Name // want `nil dereference: u may be nil here \(map lookup may miss at xpkg/store/store.go:47; returned by Get at xpkg/store/store.go:48\)|Get returns nil with false`
}

func must(s *store.Store) string {
	return store.Must(store.Load(s, "x")).Name
}

func nilSafe(s *store.Store) string {
	return s.Lookup("x").DisplayName()
}

func passNil(s *store.Store) {
	var u *store.User
	if s != nil {
		u = s.Lookup("x")
	}
	store.Anonymize(u) // want `nil dereference: u may be nil here \(declared without a value at api.go:65\); Anonymize dereferences parameter u\)|nil dereference: u may be nil here`
}

// Lead is trusted by store, but admin (imported) nils and checks it.
func leadName(t *store.Team) string {
	return t.Lead.Name // want `nil dereference: t.Lead may be nil here \(field Lead assigned nil at xpkg/admin/admin.go:11; field Lead checked for nil at xpkg/admin/admin.go:15\)`
}

func leadNameChecked(t *store.Team) string {
	if admin.HasLead(t) && t.Lead != nil {
		return t.Lead.Name
	}
	return ""
}

func checkReported(m map[string]*store.User) string {
	if err := store.Check(m, "x"); err != nil {
		return err.Error() // want `nil pointer in non-nil interface: err may be nil here \(declared without a value at xpkg/store/store.go:\d+; Check returns a nil \*ErrNotFound as a non-nil error at xpkg/store/store.go:\d+; \(\*ErrNotFound\).Error dereferences its receiver\)`
	}
	return ""
}

// A step from another package names its package, also when a third one
// passes it through: the package that made the step adds its path, once.
func checkAllReported(m map[string]*store.User) string {
	if err := admin.CheckAll(m); err != nil {
		return err.Error() // want `nil pointer in non-nil interface: err may be nil here \(declared without a value at xpkg/store/store.go:\d+; Check returns a nil \*ErrNotFound as a non-nil error at xpkg/store/store.go:\d+; CheckAll returns it at xpkg/admin/admin.go:\d+; \(\*ErrNotFound\).Error dereferences its receiver\)$`
	}
	return ""
}

// A step of this package keeps the base name alone.
func ownName(s *store.Store) string {
	var u *store.User
	if s != nil {
		u = s.Lookup("x")
	}
	return u.Name // want `nil dereference: u may be nil here \(declared without a value at api.go:\d+\)$`
}

// A getter's result is the field it reads: q.Len() >= 1 says q.n != 0,
// which excludes Head's nil return. (Each function also checks another
// queue's head for nil, so that the package's uses of Head keep its nil
// return credible: summary.CredibleResult.)
func headName(q, r *store.Queue) string {
	if h := r.Head(); h != nil {
		return h.Name
	}
	if q.Len() >= 1 {
		return q.Head().Name
	}
	return ""
}

func headNameEarly(q, r *store.Queue) string {
	if h := r.Head(); h != nil {
		return h.Name
	}
	if q.Len() == 0 {
		return ""
	}
	return q.Head().Name
}

func headNameUnchecked(q, r *store.Queue) string {
	if h := r.Head(); h != nil {
		return h.Name
	}
	return q.Head().Name // want `nil dereference: q.Head\(\) may be nil here`
}

// Another queue's length says nothing of q's head.
func headNameOther(q, r, s *store.Queue) string {
	if h := r.Head(); h != nil {
		return h.Name
	}
	if s.Len() > 0 {
		return q.Head().Name // want `nil dereference: q.Head\(\) may be nil here`
	}
	return ""
}
