package paths

// An index computed twice from the same registers is one index: a check
// of ps[n-1] guards a later ps[n-1] (go-redis's AggregateBuilder.Reduce).

func lastSel(ps []*Pair) int {
	n := len(ps)
	ps[n-1].Sel = find(ps[n-1].Name)
	if n == 0 || ps[n-1].Sel == nil {
		return 0
	}
	return ps[n-1].Sel.N
}

// Still reported: another index.
func beforeLast(ps []*Pair) int {
	n := len(ps)
	ps[n-1].Sel = find(ps[n-1].Name)
	ps[n-2].Sel = find(ps[n-2].Name)
	if ps[n-1].Sel == nil {
		return 0
	}
	return ps[n-2].Sel.N // want `nil dereference: ps\[n - 2\]\.Sel may be nil here \(find returns nil at paths.go:15\)`
}

// Still reported: the index is read from memory, which a store changes.
type cursor struct{ pos int }

func (c *cursor) step(ps []*Pair) int {
	ps[c.pos+1].Sel = find(ps[c.pos+1].Name)
	if ps[c.pos+1].Sel == nil {
		return 0
	}
	c.pos++
	ps[c.pos+1].Sel = find(ps[c.pos+1].Name)
	return ps[c.pos+1].Sel.N // want `nil dereference: ps\[c\.pos \+ 1\]\.Sel may be nil here`
}
