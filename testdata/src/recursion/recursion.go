// Package recursion: summaries of recursive and mutually recursive
// functions reach a fixed point.
package recursion

type Tree struct {
	Key         int
	Left, Right *Tree // want Left:"nilable\\(field Left checked for nil at recursion/recursion.go:14; field Left not set at recursion/recursion.go:52\\)" Right:"nilable\\(field Right checked for nil at recursion/recursion.go:19; field Right not set at recursion/recursion.go:52\\)"
}

// find returns nil when the key is absent: its summary depends on itself.
func (t *Tree) find(k int) *Tree {
	switch {
	case k < t.Key:
		if t.Left == nil {
			return nil
		}
		return t.Left.find(k)
	case k > t.Key:
		if t.Right == nil {
			return nil
		}
		return t.Right.find(k)
	}
	return t
}

func useFind(t *Tree) int {
	return t.find(3).Key // want `nil dereference: t.find\(3\) may be nil here \(\(\*Tree\).find returns nil at recursion.go:20\)`
}

// findParam returns nil only for a nil tree (nil in, nil out), also
// through its recursive calls: a caller passing a non-nil tree is not
// warned (precision first; the missing key is not tracked through the
// recursion's arguments).
func findParam(t *Tree, k int) *Tree {
	if t == nil {
		return nil
	}
	if k < t.Key {
		return findParam(t.Left, k)
	}
	return findParam(t.Right, k)
}

func useFindParam() int {
	return findParam(&Tree{}, 3).Key
}

// even and odd recurse into each other; odd returns nil at the bottom.
func even(n int) *Tree {
	if n == 0 {
		return &Tree{}
	}
	return odd(n - 1)
}

func odd(n int) *Tree {
	if n == 0 {
		return nil
	}
	return even(n - 1)
}

func useEven() int {
	return even(4).Key // want `nil dereference: even\(4\) may be nil here \(odd returns nil at recursion.go:59; returned by even at recursion.go:54; returned by odd at recursion.go:61\)`
}

// forever never returns normally; its summary must still be computed.
// (It panics at a leaf, but Left is guarded in one function and not in
// another: not credible field evidence, see summary.Credible.)
func forever(t *Tree) *Tree {
	for {
		t = t.Left
	}
}
