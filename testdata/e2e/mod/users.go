package main

import "example.com/e2e/store"

func greet(name string) string {
	return "hello " + store.Find(name).Name // e2e `store.Find(name)`: nil dereference: store.Find(name) may be nil here (Find returns nil at store.go:16)
}
