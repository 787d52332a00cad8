package main

import (
	"example.com/e2e/admin"
	"example.com/e2e/store"
)

func greet(name string) string {
	return "hello " + store.Find(name).Name // e2e `store.Find(name)`: nil dereference: store.Find(name) may be nil here (Find returns nil at example.com/e2e/store/store.go:16)
}

func lead(t *store.Team) string {
	admin.Disband(t)
	return t.Lead.Name // e2e `t.Lead.Name`: nil dereference: t.Lead may be nil here (field Lead assigned nil at example.com/e2e/admin/admin.go:8; field Lead checked for nil at example.com/e2e/admin/admin.go:12)
}
