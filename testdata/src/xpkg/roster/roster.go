// want package:"foreign\\(field Lead checked for nil at xpkg/roster/roster.go:16\\)"

// Package roster checks a field of store's that admin nils; admin is
// imported by the test file only. Imports of test files bring no
// evidence, so the non-test finding (and its message) is the same with
// and without tests.
package roster

import "xpkg/store"

func leadName(t *store.Team) string {
	return t.Lead.Name // -strict only: the only evidence is a check in another function
}

func leadOr(t *store.Team, def string) string {
	if t.Lead != nil {
		return t.Lead.Name
	}
	return def
}

func hasNamedLead(t *store.Team) bool {
	return t.Lead != nil && t.Lead.Name != ""
}
