// Package store returns nil for a missing user; package main (next door)
// dereferences it. Under go vet each package is analyzed separately, so
// the finding in main proves that facts cross the package boundary.
package store

// User is a stored user.
type User struct{ Name string }

var users = map[string]*User{"ada": {Name: "Ada"}}

// Find returns nil when the user is missing.
func Find(name string) *User {
	if u, ok := users[name]; ok {
		return u
	}
	return nil
}

// Team is trusted here: store never nils or checks Lead. Package admin
// does both; its package fact carries that to main under go vet too.
type Team struct{ Lead *User }
