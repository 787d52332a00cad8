package guards

// A bool computed as `p != nil && cond` and tested later, also after it
// was cleared on some path, says p is non-nil where it is true: every
// edge into its φ that is not false leaves a block where p is non-nil
// (issue 11 family 4: go-redis's trackingRejected, nats-server's
// sendConnectInfo).

type tracker struct{ id int }

func lookupTracker(name string) *tracker {
	if name == "" {
		return nil
	}
	return &tracker{id: len(name)}
}

func rejected(name string, strict, retry bool) int {
	t := lookupTracker(name)
	reject := t != nil && strict
	if retry {
		reject = false
	}
	note(name)
	if reject {
		return t.id
	}
	return 0
}

func either(name string, strict bool) int {
	t := lookupTracker(name)
	send := false
	if strict {
		send = t != nil && len(name) > 2
	} else if t != nil {
		send = true
	}
	if send {
		return t.id
	}
	return 0
}

// Still reported: `||` lets the flag be true with t nil.
func rejectedOr(name string, strict bool) int {
	t := lookupTracker(name)
	reject := t != nil || strict
	if reject {
		return t.id // want `nil dereference: t may be nil here \(lookupTracker returns nil at flags.go:\d+\)`
	}
	return 0
}

// Still reported: one path sets the flag true without a check.
func rejectedForced(name string, strict, force bool) int {
	t := lookupTracker(name)
	reject := t != nil && strict
	if force {
		reject = true
	}
	if reject {
		return t.id // want `nil dereference: t may be nil here \(lookupTracker returns nil at flags.go:\d+\)`
	}
	return 0
}

func note(string) {}

// Still reported: the flag is about the previous iteration's value.
func stale(names []string) int {
	total := 0
	seen := false
	for _, name := range names {
		t := lookupTracker(name)
		if seen {
			total += t.id // want `nil dereference: t may be nil here \(lookupTracker returns nil at flags.go:\d+\)`
		}
		seen = t != nil
	}
	return total
}
