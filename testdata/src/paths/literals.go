package paths

// A guard around a function literal holds inside it (issue 11): the
// literal reads the field of a pointer variable assigned once.
type Target struct{ Res *Resolved } // want Res:"nilable\\(field Res checked for nil at paths/literals.go:\\d+\\)"

type Resolved struct{ Addrs []string }

func (t *Target) addr() func() string {
	if t.Res != nil {
		return func() string { return t.Res.Addrs[0] }
	}
	return nil
}

func (t *Target) first() string {
	if t.Res == nil {
		return ""
	}
	return t.Res.Addrs[0]
}

func (t *Target) count() int {
	if t.Res != nil {
		return len(t.Res.Addrs)
	}
	return 0
}

// No guard where the literal is made.
func (t *Target) unguardedLiteral() func() string {
	return func() string { return t.Res.Addrs[0] } // -strict only: the only evidence is a check in another function
}

// The variable changes after the literal is made: the guard was about
// another value.
func reassigned(t, u *Target) func() string {
	if t.Res == nil {
		return nil
	}
	f := func() string { return t.Res.Addrs[0] } // want `nil dereference: t\.Res may be nil here \(field Res checked for nil at literals.go:\d+\)`
	t = u
	return f
}
