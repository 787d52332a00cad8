// Package certain runs without -strict: only what holds on every path
// is reported. What may be nil on some path (each function below without
// a want) is found, and shown only with -strict (package basic and the
// others run with it).
package certain

type T struct{ N int }

func find(ok bool) *T {
	if ok {
		return &T{}
	}
	return nil
}

// Nil on every path: reported.
func alwaysNil(t *T) int {
	if t == nil {
		return t.N // want `nil dereference: t is nil here \(checked for nil at certain.go:18\)`
	}
	return t.N
}

// A decided nil check: reported.
func twice(t *T) int {
	if t == nil {
		return 0
	}
	if t == nil { // want `impossible condition: t == nil is never true \(t is non-nil here: checked for nil at certain.go:26\)`
		return 1
	}
	return t.N
}

// Nil on some path only (find returns nil for false): -strict.
func maybe(ok bool) int {
	return find(ok).N
}

// A missing map key, an ignored type assertion: -strict.
func lookup(m map[string]*T, k string, v any) int {
	t, _ := v.(*T)
	return m[k].N + t.N
}

// The directive silences a -strict finding: it is in use without
// -strict too, so it is not reported as silencing nothing.
func silenced(ok bool) int {
	return find(ok).N //nilsentry:ignore callers pass true
}

func silencesNothing() int {
	t := &T{}
	//nilsentry:ignore t is fresh // want `nilsentry:ignore silences nothing: remove it`
	return t.N
}

// The data flow reports this range too, as what may be nil after the
// check; the definite check's finding (nil on every path) replaces it and
// is shown by default (nilness: "nil dereference in array index
// operation").
func rangeNilArray(a *[4]int) int {
	n := 0
	if a == nil {
		for _, v := range a { // want `nil dereference: a is nil here \(checked for nil at certain.go:\d+\)`
			n += v
		}
	}
	return n
}
