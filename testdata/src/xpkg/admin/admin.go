// want package:"foreign\\(field Lead assigned nil at xpkg/admin/admin.go:11; field Lead checked for nil at xpkg/admin/admin.go:15\\)"

// Package admin nils and checks a field of package store that store
// itself trusts; its package fact carries that evidence to importers.
package admin

import "xpkg/store"

// Disband removes the lead.
func Disband(t *store.Team) { // want Disband:"nilsentry\\(p0=derefs\\)"
	t.Lead = nil
}

func LeadName(t *store.Team) string { // want LeadName:"nilsentry\\(p0=derefs pure\\)"
	if t.Lead == nil {
		return ""
	}
	return t.Lead.Name
}

func HasLead(t *store.Team) bool { // want HasLead:"nilsentry\\(p0=derefs\\+fields-if-true\\(0\\) pure\\)"
	return t.Lead != nil
}

// CheckAll passes store's typed nil through: its fact re-exports store's
// steps, which keep the one package path they have.
func CheckAll(m map[string]*store.User) error { // want CheckAll:`nilsentry\(r0=nonnil r0=typed-nil\(\*ErrNotFound:Error\) pure\)`
	return store.Check(m, "x")
}
