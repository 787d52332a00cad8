// Package sinks has one bug per operation that panics on nil, each next
// to a safe look-alike.
package sinks

type T struct {
	N    int
	Next *T
	arr  *[4]int
}

func (t T) Value() int { return t.N }

func (t *T) Ptr() int { return t.N } // want Ptr:"nilsentry\\(p0=derefs getter\\(p0.0\\) pure\\)"

func (t *T) Safe() int { // want Safe:"nilsentry\\(p0=nilsafe\\+nonnil-if-nonzero pure\\)"
	if t == nil {
		return 0
	}
	return t.N
}

type Namer interface{ Name() string }

func pick(cond bool) *T {
	var t *T
	if cond {
		t = &T{}
	}
	return t
}

func fieldSelection(cond bool) int {
	var t *T
	if cond {
		t = &T{}
	}
	return t.N // want `nil dereference: t may be nil here \(declared without a value at sinks.go:33\)`
}

func load(cond bool) T {
	var t *T
	if cond {
		t = &T{}
	}
	return *t // want `nil dereference: t may be nil here \(declared without a value at sinks.go:41\)`
}

func store(cond bool) {
	var p *int
	if cond {
		p = new(int)
	}
	*p = 1 // want `nil dereference: p may be nil here \(declared without a value at sinks.go:49\)`
}

func storeSafe() {
	p := new(int)
	*p = 1
}

func arrayIndex(cond bool) int {
	var a *[4]int
	if cond {
		a = &[4]int{}
	}
	return a[1] // want `nil dereference: a may be nil here \(declared without a value at sinks.go:62\)`
}

func arraySlice(cond bool) []int {
	var a *[4]int
	if cond {
		a = &[4]int{}
	}
	return a[1:] // want `nil dereference: a may be nil here \(declared without a value at sinks.go:70\)`
}

func sliceIndexIsNotANilDeref(cond bool) int {
	var s []int // a nil slice panics with "index out of range", not a nil dereference
	if cond {
		s = []int{1}
	}
	return len(s)
}

func funcValue(cond bool) int {
	var f func() int
	if cond {
		f = func() int { return 1 }
	}
	return f() // want `nil function call: f may be nil here \(declared without a value at sinks.go:86\)`
}

func funcValueChecked(f func() int) int {
	if f == nil {
		return 0
	}
	return f()
}

func interfaceMethod(cond bool, n Namer) string {
	var x Namer
	if cond {
		x = n
	}
	return x.Name() // want `nil interface method call: x may be nil here \(declared without a value at sinks.go:101\)`
}

func mapWrite(cond bool) {
	var m map[string]int
	if cond {
		m = map[string]int{}
	}
	m["a"] = 1 // want `nil map write: m may be nil here \(declared without a value at sinks.go:109\)`
}

func mapReadIsFine() int {
	var m map[string]int
	return m["a"] // reading a nil map is fine
}

func closeChan(cond bool) {
	var ch chan int
	if cond {
		ch = make(chan int)
	}
	close(ch) // want `close of nil channel: ch may be nil here \(declared without a value at sinks.go:122\)`
}

func valueReceiver(cond bool) int {
	t := pick(cond)
	return t.Value() // want `nil dereference: t may be nil here \(declared without a value at sinks.go:25; returned by pick at sinks.go:29; T.Value has a value receiver\)`
}

func pointerReceiverDerefs(cond bool) int {
	t := pick(cond)
	return t.Ptr() // want `nil dereference: t may be nil here \(declared without a value at sinks.go:25; returned by pick at sinks.go:29; \(\*T\).Ptr dereferences its receiver\)`
}

func pointerReceiverNilSafe(cond bool) int {
	t := pick(cond)
	return t.Safe()
}

func onlyOncePerValue(cond bool) int {
	t := pick(cond)
	a := t.N // want `nil dereference: t may be nil here`
	b := t.N // after the first dereference t is known non-nil
	return a + b
}
