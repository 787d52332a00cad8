// Package strict runs with -hints (which implies -strict): a field's nil check in another
// function is evidence on its own, as package hints shows it is not by
// default.
package strict

type node struct {
	next *node
	n    int
}

func guarded1(x *node) int {
	if x.next != nil {
		return x.next.n
	}
	return 0
}

func guarded2(x *node) int {
	if x.next == nil {
		return 0
	}
	return x.next.n
}

func guarded3(x *node) int {
	if x.next != nil {
		return x.next.n
	}
	return 1
}

func second(x *node) int {
	return x.next.n // want `nil dereference: x.next may be nil here \(field next checked for nil at strict.go:12\)$`
}

// A check in the same declaration is still named as the origin.
func both(a, b *node) int {
	if a.next == nil {
		return 0
	}
	return a.next.n + b.next.n // want `nil dereference: b.next may be nil here \(field next checked for nil at strict.go:38\)$`
}

// A nil pointer boxed into an interface: with -hints, a check in another
// function is evidence, as for a dereference.
type shape interface{ area() int }

func (x *node) area() int { return x.n }

func asShape(x *node) shape {
	return x.next // want `nil pointer in non-nil interface: x.next may be nil here \(field next checked for nil at strict.go:12; a nil \*node is a non-nil shape\)$`
}
