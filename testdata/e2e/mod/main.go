// Command e2e is a fixture for nilsentry's end-to-end test
// (internal/e2e): a small program with one nil dereference.
package main

import (
	"fmt"
	"os"
)

// User is a user.
type User struct {
	Name string
}

func main() {
	var u *User
	if len(os.Args) > 5 {
		u = &User{Name: os.Args[5]}
	}
	fmt.Println(u.Name) // e2e `u.Name`: nil dereference: u may be nil here (declared without a value at main.go:16)

	report(os.Args)
}
