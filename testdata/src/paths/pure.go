package paths

import "sync"

// Pure calls as access paths: a call of a function without effects
// (summary pure) returns what the same call returned before, until
// something is written, so a check of one call guards the next.

type Dict map[string]any

func (d Dict) find(k string) (any, bool) {
	v, ok := d[k]
	return v, ok
}

// entry returns nil for a missing or non-string key.
func (d Dict) entry(k string) *string {
	v, ok := d.find(k)
	if !ok {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return nil
	}
	return &s
}

// Kind is exported: its fact says it is pure.
func (d Dict) Kind() *string { return d.entry("Type") } // want Kind:"nilsentry\\(r0=maybenil pure\\)"

// checkedTwice: the second call returns what the checked first did.
func checkedTwice(d Dict) string {
	if d.Kind() != nil {
		return *d.Kind()
	}
	return ""
}

func checkedEarly(d Dict) string {
	if d.Kind() == nil {
		return ""
	}
	n := len(d)
	return *d.Kind() + string(rune(n))
}

// Two arguments, the same: one call.
func sameKey(d Dict, k string) string {
	if d.entry(k) == nil {
		return ""
	}
	return *d.entry(k)
}

// Another key is another call.
func otherKey(d Dict, k, j string) string {
	if d.entry(k) == nil {
		return ""
	}
	return *d.entry(j) // want `nil dereference: d.entry\(j\) may be nil here`
}

// A write between the check and the second call: it may differ.
func writtenBetween(d Dict) string {
	if d.Kind() == nil {
		return ""
	}
	d["Type"] = 1
	return *d.Kind() // want `nil dereference: d.Kind\(\) may be nil here`
}

// A call that writes, between the two.
func (d Dict) reset() { delete(d, "Type") }

func resetBetween(d Dict) string {
	if d.Kind() == nil {
		return ""
	}
	d.reset()
	return *d.Kind() // want `nil dereference: d.Kind\(\) may be nil here`
}

// The value already computed stays checked after a write.
func keptValue(d Dict) string {
	k := d.Kind()
	if k == nil {
		return ""
	}
	d["Type"] = 1
	return *k
}

// first ranges over a map: two calls may see different orders, so it is
// not pure.
func first(m map[string]*string) *string {
	for _, v := range m {
		return v
	}
	return nil
}

func firstTwice(m map[string]*string) string {
	if first(m) == nil {
		return ""
	}
	return *first(m) // want `nil dereference: first\(m\) may be nil here`
}

// In a loop the argument changes: the check of one iteration's call
// says nothing of the next one's.
func loopKeys(d Dict, keys []string) string {
	out := ""
	var prev string
	for _, k := range keys {
		if prev != "" && d.entry(prev) == nil {
			return out
		}
		out += *d.entry(k) // want `nil dereference: d.entry\(k\) may be nil here`
		prev = k
	}
	return out
}

// A lock is no effect a caller sees: the analysis assumes, as for every
// field read, that no other goroutine writes between the two calls
// (k9s's stack Top).
type stack struct {
	mu    sync.RWMutex
	items []*string
}

func (s *stack) top() *string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.items) == 0 {
		return nil
	}
	return s.items[len(s.items)-1]
}

func (s *stack) push(v *string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, v)
}

func topTwice(s *stack) string {
	if s.top() != nil {
		return *s.top()
	}
	return ""
}

func pushedBetween(s *stack, v *string) string {
	if s.top() == nil {
		return ""
	}
	s.push(v)
	return *s.top() // want `nil dereference: s.top\(\) may be nil here`
}
