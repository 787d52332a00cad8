package guards

// x == y where y is known non-nil makes x non-nil too, and with it the
// results that are nil only when x is (scope lookups).

type Scope struct {
	parent *Scope
	names  map[string]*Object
}

type Object struct{ Name string }

// lookupParent returns the scope that defines name and its object, or
// nil, nil.
func (s *Scope) lookupParent(name string) (*Scope, *Object) {
	for ; s != nil; s = s.parent {
		if obj := s.names[name]; obj != nil {
			return s, obj
		}
	}
	return nil, nil
}

// conflict is a renamer's same-block check: found == b with b checked.
func conflict(b *Scope, name string) string {
	if b == nil {
		return ""
	}
	found, obj := b.lookupParent(name)
	if found == b {
		return "conflicts with " + obj.Name
	}
	return ""
}

// Both may be nil here: equal nils say nothing about obj.
func conflictUnchecked(b *Scope, name string) string {
	found, obj := b.parent.lookupParent(name)
	if found == b.parent {
		return "conflicts with " + obj.Name // want `nil dereference: obj may be nil here \(\(\*Scope\).lookupParent returns nil with a zero result at equal.go:\d+\)`
	}
	return ""
}
