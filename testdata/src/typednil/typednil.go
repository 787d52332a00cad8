// Package typednil: a nil pointer returned as an interface is a non-nil
// interface.
package typednil

type MyErr struct{ msg string }

func (e *MyErr) Error() string { return e.msg } // want Error:"nilsentry\\(p0=derefs\\)"

func validate(s string) error {
	var e *MyErr
	if s == "" {
		e = &MyErr{"empty"}
	}
	return e // want `nil pointer in non-nil interface: e may be nil here \(declared without a value at typednil.go:10; a nil \*MyErr is a non-nil error\)`
}

func validateOK(s string) error {
	if s == "" {
		return &MyErr{"empty"}
	}
	return nil
}

func validateChecked(s string) error {
	var e *MyErr
	if s == "" {
		e = &MyErr{"empty"}
	}
	if e == nil {
		return nil
	}
	return e
}

func find(m map[string]*MyErr, k string) error {
	return m[k] // want `nil pointer in non-nil interface: m\[k\] may be nil here \(map lookup may miss at typednil.go:36; a nil \*MyErr is a non-nil error\)`
}

// --- an interface result paired with an error ---

type Conn struct{ addr string }

func (c *Conn) Close() error { return nil } // want Close:"nilsentry\\(r0=maybenil\\)"

type Closer interface{ Close() error }

func dial(addr string) (*Conn, error) {
	if addr == "" {
		return nil, &MyErr{"no address"}
	}
	return &Conn{addr}, nil
}

// Forwarding a constructor: the nil *Conn travels with its error, and
// callers that check the error never look at the Closer.
func open(addr string) (Closer, error) {
	return dial(addr)
}

func openChecked(addr string) (Closer, error) {
	c, err := dial(addr)
	if err != nil {
		return c, err // non-nil error: the Closer is not looked at
	}
	return c, nil
}

func openLost(m map[string]*Conn, addr string) (Closer, error) {
	return m[addr], nil // want `nil pointer in non-nil interface: m\[addr\] may be nil here \(map lookup may miss at typednil.go:\d+; a nil \*Conn is a non-nil Closer\)`
}
