package roster

import (
	"testing"

	"xpkg/admin"
	"xpkg/store"
)

func TestDisband(t *testing.T) {
	team := &store.Team{Lead: &store.User{Name: "x"}}
	admin.Disband(team)
	_ = leadName(&store.Team{Lead: &store.User{}})
}
