// Package broken does not type-check: nilsentry must say so clearly,
// exit 1, and not crash.
package broken

// Count returns a count.
func Count() int {
	var n int = "three"
	return n
}
