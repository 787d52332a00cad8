// Package main is what scripts/gcl-e2e.sh runs the custom golangci-lint
// on; expected.txt lists what it must report.
package main

import "fmt"

type User struct{ Name string }

// reported: u is nil when cond is false.
func name(cond bool) string {
	var u *User
	if cond {
		u = &User{}
	}
	return u.Name
}

// suppressed: //nolint:nilsentry starts its own comment.
func accepted(cond bool) string {
	var u *User
	if cond {
		u = &User{}
	}
	return u.Name //nolint:nilsentry // cond is always true here
}

// still reported: golangci-lint reads a nolint directive only at the
// start of a comment, not after other text.
func notSuppressed(cond bool) string {
	var u *User
	if cond {
		u = &User{}
	}
	return u.Name // known issue //nolint:nilsentry
}

// safe: checked before use.
func checked(cond bool) string {
	var u *User
	if cond {
		u = &User{}
	}
	if u == nil {
		return ""
	}
	return u.Name
}

func main() {
	fmt.Println(name(true), accepted(true), notSuppressed(true), checked(false))
}
