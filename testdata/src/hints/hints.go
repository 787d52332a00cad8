// Package hints: a finding whose only evidence is a field's nil check is
// reported by default only where the declaration that dereferences the
// field checks it too (on any value); a check in another function is a
// hint, reported with -hints (testdata/src/strict). Field evidence is
// judged as before besides (more guarded uses than unguarded ones), so
// each field here has guarded uses in other functions.
package hints

type node struct {
	next *node
	n    int
}

// hasNext is the field's nil check in another function: the hint.
func (x *node) hasNext() bool { return x.next != nil }

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

// Not reported: the only evidence is a check in other functions.
func second(x *node) int {
	return x.next.n
}

// Reported: the same function checks next (on another value), and the
// message names that check.
func both(a, b *node) int {
	if a.next == nil {
		return 0
	}
	return a.next.n + b.next.n // want `nil dereference: b.next may be nil here \(field next checked for nil at hints.go:46\)$`
}

type list struct{ first *node }

// isEmpty is a predicate on first (fields-if-false).
func (l *list) isEmpty() bool { return l.first == nil }

func (l *list) len1() int {
	if l.first != nil {
		return l.first.n
	}
	return 0
}

func (l *list) len2() int {
	if l.first == nil {
		return 0
	}
	return l.first.n
}

// Reported: calling the predicate is checking the field.
func (l *list) wrongWay() int {
	if l.isEmpty() {
		return l.first.n // want `nil dereference: l.first may be nil here \(field first checked for nil at hints.go:73\)$`
	}
	return 0
}

// Not reported: a function literal's check counts for its declaration,
// here none.
func (l *list) peekLater() func() int {
	return func() int { return l.first.n }
}

type ring struct{ head *node }

func (r *ring) size1() int {
	if r.head != nil {
		return r.head.n
	}
	return 0
}

func (r *ring) size2() int {
	if r.head == nil {
		return 0
	}
	return r.head.n
}

// Reported: a function literal of the declaration checks head.
func inLiteral(a, b *ring) int {
	skip := func() bool { return a.head == nil }
	if skip() {
		return 0
	}
	return b.head.n // want `nil dereference: b.head may be nil here \(field head checked for nil at hints.go:103\)$`
}

type cache struct{ last *node }

func (c *cache) get1() int {
	if c.last != nil {
		return c.last.n
	}
	return 0
}

func (c *cache) get2() int {
	if c.last != nil {
		return c.last.n
	}
	return 0
}

// Not reported: the check in this function only fills in a default, which
// says the field is set from there on, not that it may be nil.
func (c *cache) refresh(other *cache) int {
	if c.last == nil {
		c.last = other.last
	}
	return other.last.n
}

// Field evidence other than a check is not a hint: a nil store.
type conn struct{ buf *node }

func (c *conn) close() { c.buf = nil }

func (c *conn) peek() int {
	if c.buf != nil {
		return c.buf.n
	}
	return 0
}

func (c *conn) size() int {
	if c.buf == nil {
		return 0
	}
	return c.buf.n
}

func (c *conn) read() int {
	return c.buf.n // want `nil dereference: c.buf may be nil here \(field buf assigned nil at hints.go:138; field buf checked for nil at hints.go:141\)$`
}

// Reported: handing the field's value to a helper that checks its
// parameter for nil is checking it, even when an interface conversion
// defeats the helper's check (x/tools cmd/splitdwarf's nonnilC).
type loader interface{ load() }

func (x *node) load() {}

type file struct {
	symtab *node
}

func (f *file) hasSymtab() bool { return f.symtab != nil }

func (f *file) symtabN() int {
	if f.symtab != nil {
		return f.symtab.n
	}
	return 0
}

func (f *file) symtabOr(d int) int {
	if f.symtab == nil {
		return d
	}
	return f.symtab.n
}

func mustLoad(l loader, what string) {
	if l == nil {
		panic(what + " missing")
	}
}

func copySymtab(f *file) int {
	symtab := f.symtab
	mustLoad(symtab, "symtab")
	return symtab.n // want `nil dereference: symtab may be nil here \(field symtab checked for nil at hints.go:\d+\)$`
}

// Not reported: a function that tolerates a nil argument is no check of
// it (caddy's applyHeaderOp(h.Response.HeaderOps, h.Response, ...)).
func describe(n *node) string {
	if n == nil {
		return "none"
	}
	return "node"
}

func (f *file) label() int {
	_ = describe(f.symtab)
	return f.symtab.n
}

// A nil pointer boxed into an interface is judged like a dereference: a
// check in another function is a hint, one in the same function is
// evidence.
type shape interface{ area() int }

func (x *node) area() int { return x.n }

func asShape(x *node) shape {
	return x.next
}

func asShapeChecked(a, b *node) shape {
	if a.next == nil {
		return nil
	}
	return b.next // want `nil pointer in non-nil interface: b.next may be nil here \(field next checked for nil at hints.go:\d+; a nil \*node is a non-nil shape\)$`
}
