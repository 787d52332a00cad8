// Package main is what scripts/gopls.sh runs `gopls check` on, with the
// gopls it builds; ../expected.txt is what it must print.
package main

import (
	"fmt"
	"os"
)

type User struct{ Name string }

func main() {
	// reported by nilsentry: u is nil unless there are more than 5 arguments.
	var u *User
	if len(os.Args) > 5 {
		u = &User{}
	}
	fmt.Println(u.Name)

	// silenced: //nilsentry:ignore works under gopls too.
	var v *User
	if len(os.Args) > 6 {
		v = &User{}
	}
	fmt.Println(v.Name) //nilsentry:ignore v is set when this runs

	// reported by both: nilness still runs next to nilsentry.
	var w *User
	if w == nil {
		fmt.Println(w.Name)
	}
}
