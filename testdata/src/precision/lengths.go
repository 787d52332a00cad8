package precision

// A nil return under a condition on a parameter's length (`case 0:
// return nil` of `switch len(its)`) is not taken by a call whose argument
// has elements by construction: an append or a slice literal (badger's
// NewMergeIterator, P-arg-condition in docs/triage.md).

type Iter interface{ next() bool }

type merged struct{ a, b Iter }

func (m *merged) next() bool { return m.a.next() || m.b.next() }

// mergeIters returns nil for no iterators.
func mergeIters(its []Iter) Iter {
	switch len(its) {
	case 0:
		return nil
	case 1:
		return its[0]
	}
	return &merged{mergeIters(its[:1]), mergeIters(its[1:])}
}

func drainWith(its []Iter, last Iter) {
	it := mergeIters(append(its, last))
	for it.next() {
	}
}

func drainPair(a, b Iter) {
	it := mergeIters([]Iter{a, b})
	for it.next() {
	}
}

// Still reported: the caller's slice may be empty.
func drainAll(its []Iter) {
	it := mergeIters(its)
	for it.next() { // want `nil interface method call: it may be nil here \(mergeIters returns nil at lengths.go:\d+\)`
	}
}

// Still reported: appending nothing adds no element.
func drainMore(its, more []Iter) {
	it := mergeIters(append(its, more...))
	for it.next() { // want `nil interface method call: it may be nil here \(mergeIters returns nil at lengths.go:\d+\)`
	}
}
