package sources

import (
	"os"
	"testing"
)

// In a test, `v, _ := f()` asserts that f succeeds: if it does not, the
// test panics and fails at once. Not evidence.
func TestDialIgnored(t *testing.T) {
	c, _ := dial("localhost")
	_ = c.Addr
	it, _ := find("x1")
	_ = it.Name
}

// A deferred use before the check still runs on the error path.
func TestDialDeferBeforeCheck(t *testing.T) {
	c, err := dial(os.Getenv("ADDR"))
	defer c.Close() // want `nil dereference: c may be nil here \(dial returns nil with an error at sources.go:176; \(\*Conn\).Close dereferences its receiver\)`
	if err != nil {
		t.Fatal(err)
	}
}

// A nil the test itself makes is still reported.
func TestLookupMiss(t *testing.T) {
	m := map[string]*Conn{}
	_ = m["a"].Addr // want `nil dereference: m\["a"\] may be nil here \(map lookup may miss at sources_test.go:29\)`
}
