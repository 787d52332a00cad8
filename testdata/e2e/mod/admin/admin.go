// Package admin nils and checks store.Team.Lead, a field of another
// package.
package admin

import "example.com/e2e/store"

// Disband removes the lead.
func Disband(t *store.Team) { t.Lead = nil }

// LeadName is "" without a lead.
func LeadName(t *store.Team) string {
	if t.Lead == nil {
		return ""
	}
	return t.Lead.Name
}

// HasLead reports whether the team has a lead.
func HasLead(t *store.Team) bool { return t.Lead != nil }
