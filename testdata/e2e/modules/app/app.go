// Package app dereferences the Body of requests of two types: one of
// another module (dep), whose evidence is that module's business, and
// one of its own (inner).
package app

import (
	"example.com/app/inner"
	"example.com/dep"
)

// Handle gets its requests from a server loop: how dep builds its client
// requests says nothing of them.
func Handle(r *dep.Request) int {
	return r.Body.N // e2e-none `r.Body`: nil dereference: r.Body may be nil here (field Body not set at example.com/dep/dep.go:13; field Body checked for nil at example.com/dep/dep.go:16)
}

func HandleInner(r *inner.Request) int {
	return r.Body.N // e2e `r.Body`: nil dereference: r.Body may be nil here (field Body not set at example.com/app/inner/inner.go:12; field Body checked for nil at example.com/app/inner/inner.go:15)
}

// app checks the Link of some redirects (defensively) and not of
// others: dep's own unguarded uses say the field is set, so the check
// here is no evidence that it may be nil.
func previous(r *dep.Redirect) string {
	if r.Link != nil {
		return r.Link.Scheme
	}
	return ""
}

func first(r *dep.Redirect) bool { return r.Link != nil && r.Link.Scheme != "" }

func next(prev, r *dep.Redirect) string {
	if prev.Link != nil && prev.Link.Scheme == "https" {
		return ""
	}
	return r.Link.Scheme // e2e-none `r.Link`: nil dereference: r.Link may be nil here (field Link checked for nil at app.go:34)
}
