package paths

// Path feasibility (issue 11): a finding stands only if some path from
// the entry to the dereference satisfies the branch conditions it passes
// with the value nil. Each shape below loses its correlation at a join of
// the data flow; each look-alike keeps a feasible path and is reported.

type Limits struct {
	CPU    *CPU // want CPU:"nilable\\(field CPU checked for nil at paths/feasible.go:\\d+; field CPU assigned nil at paths/feasible.go:\\d+\\)"
	Memory *int // want Memory:"nilable\\(field Memory checked for nil at paths/feasible.go:\\d+\\)"
}

type CPU struct{ Shares int }

type Item struct {
	Ready bool
	N     int
}

// Both nil returned, exactly one nil returned: both are non-nil after
// the switch (grpc's xdsresource equality helpers).
func pairEqual(a, b *Sel) bool {
	switch {
	case a == nil && b == nil:
		return true
	case (a != nil) != (b != nil):
		return false
	}
	return a.N == b.N
}

// Still reported: exactly one nil is not excluded.
func pairEqualHalf(a, b *Sel) bool {
	if a == nil && b == nil {
		return true
	}
	return a.N == b.N // want `nil dereference: a may be nil here \(checked for nil at feasible.go:\d+\)`
}

// A disjunction: CPU is nil only together with Memory, and the function
// returned for both nil and for a non-nil Memory (containerd's Windows
// resource options).
func shares(r *Limits) int {
	if r.CPU == nil && r.Memory == nil {
		return 0
	}
	if r.Memory != nil {
		return *r.Memory
	}
	return r.CPU.Shares
}

// Still reported: nothing excludes a nil CPU with a nil Memory.
func sharesUnchecked(r *Limits) int {
	if r.CPU == nil && r.Memory != nil {
		return *r.Memory
	}
	if r.Memory != nil {
		return 1
	}
	return r.CPU.Shares // want `nil dereference: r.CPU may be nil here \(checked for nil at feasible.go:\d+\)`
}

// Still reported: the disjunction holds for another path than the one
// dereferenced, because the function stores CPU in between.
func sharesReset(r *Limits) int {
	if r.CPU == nil && r.Memory == nil {
		return 0
	}
	r.CPU = nil
	if r.Memory != nil {
		return *r.Memory
	}
	return r.CPU.Shares // want `nil dereference: r.CPU is nil here \(assigned nil at feasible.go:\d+\)`
}

// A flag set with the pointer in a loop: found is non-nil where ok is
// true, and the element was dereferenced before it was kept.
func firstReady(items []*Item) int {
	var found *Item
	ok := false
	for _, it := range items {
		if it.Ready {
			found, ok = it, true
		}
	}
	if !ok {
		return 0
	}
	return found.N
}

// Still reported: the flag is also set where found is not.
func firstReadyOrLast(items []*Item) int {
	var found *Item
	ok := false
	for i, it := range items {
		if it.Ready {
			found, ok = it, true
		}
		if i == len(items)-1 {
			ok = true
		}
	}
	if !ok {
		return 0
	}
	return found.N // want `nil dereference: found may be nil here \(declared without a value at feasible.go:\d+\)`
}

// Ranges of one integer: w is made for n > 5, used for n > 7.
func ranged(n int) int {
	var w *Item
	if n > 5 {
		w = &Item{N: n}
	}
	if n > 7 {
		return w.N
	}
	return 0
}

// Still reported: n > 3 does not imply n > 5.
func rangedWider(n int) int {
	var w *Item
	if n > 5 {
		w = &Item{N: n}
	}
	if n > 3 {
		return w.N // want `nil dereference: w may be nil here \(declared without a value at feasible.go:\d+\)`
	}
	return 0
}

// Two comparisons of the same registers are one condition, whichever way
// they are written: w exists where i < j, used where !(i >= j).
func sameComparison(i, j int) int {
	var w *Item
	if i < j {
		w = &Item{}
	}
	if !(i >= j) {
		return w.N
	}
	return 0
}

// A flag computed once guards values swapped in a loop (math/big's
// lehmerGCD: Ua and Ub exist when extended).
func swapped(x, y *Item, n int) int {
	var ua, ub *Item
	extended := x != nil || y != nil
	if extended {
		ua, ub = &Item{N: 1}, &Item{}
	}
	if n < 0 {
		ua, ub = ub, ua
	}
	s := 0
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			if extended {
				s += ua.N
			}
		} else {
			ua, ub = ub, ua
		}
	}
	return s
}

// A result nil only under a condition on a parameter (`if !extended {
// return nil }`) is not nil where the argument meets the opposite
// condition, constant or not (math/big's euclidUpdate).
func update(extended bool) *Item {
	if !extended {
		return nil
	}
	return &Item{N: 1}
}

func useUpdate(extended bool) int {
	u := update(extended)
	if extended {
		return u.N
	}
	return 0
}

// Still reported: used where the condition holds.
func useUpdateWrongly(extended bool) int {
	u := update(extended)
	if !extended {
		return u.N // want `nil dereference: u may be nil here \(update returns nil at feasible.go:\d+\)`
	}
	return 0
}

// Unknown is not nil: where the path excludes the nil constant, x holds
// a parameter nothing says may be nil.
func unknownOnPath(flag bool, p *Item) int {
	var x *Item
	if flag {
		x = p
	}
	if flag {
		return x.N
	}
	return 0
}

// Still reported: the parameter was tested nil on the way.
func checkedOnPath(flag bool, p *Item) int {
	if p == nil {
		println("no item")
	}
	var x *Item
	if flag {
		x = p
	}
	if flag {
		return x.N // want `nil dereference: x may be nil here`
	}
	return 0
}

// A return whose nil no path brings is not a nil return: pick's result
// is never nil, and its callers are not told otherwise.
func pick(flag bool) *Item {
	var it *Item
	if flag {
		it = &Item{}
	}
	if flag {
		return it
	}
	return &Item{N: 2}
}

func usePick(flag bool) int { return pick(flag).N }

// Still reported: the nil return is feasible.
func pickWrongly(flag bool) *Item {
	var it *Item
	if flag {
		it = &Item{}
	}
	if !flag {
		return it
	}
	return &Item{N: 2}
}

func usePickWrongly(flag bool) int {
	return pickWrongly(flag).N // want `nil dereference: pickWrongly\(flag\) may be nil here \(declared without a value at feasible.go:\d+; returned by pickWrongly at feasible.go:\d+\)`
}

// A literal that captures both results of a comma-ok: the literal's own
// test of ok guards the value (hashicorp/raft's runFSM).
type storer interface{ Store() int }

func capturedOK(x any) func() int {
	s, ok := x.(storer)
	return func() int {
		if !ok {
			return 0
		}
		return s.Store()
	}
}

// Still reported: the literal tests another flag.
func capturedOther(x any, other bool) func() int {
	s, ok := x.(storer)
	if !ok {
		println("not a storer")
	}
	return func() int {
		if !other {
			return 0
		}
		return s.Store() // want `nil interface method call: s may be nil here \(type assertion may fail at feasible.go:\d+; captured by the function literal at feasible.go:\d+\)`
	}
}
