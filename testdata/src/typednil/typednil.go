// Package typednil: a nil pointer returned as an interface is a non-nil
// interface.
package typednil

type MyErr struct{ msg string }

func (e *MyErr) Error() string { return e.msg } // want Error:"nilsentry\\(p0=derefs getter\\(p0.0\\) pure\\)"

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

func (c *Conn) Close() error { return nil } // want Close:"nilsentry\\(r0=maybenil pure\\)"

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

// --- the use that panics: a method the nil pointer dereferences in ---

// The caller's check is true for the typed nil, and Error dereferences
// the nil *MyErr.
func report(s string) string {
	if err := validate(s); err != nil {
		return err.Error() // want `nil pointer in non-nil interface: err may be nil here \(declared without a value at typednil.go:10; validate returns a nil \*MyErr as a non-nil error at typednil.go:14; \(\*MyErr\).Error dereferences its receiver\)`
	}
	return ""
}

// Through a function that returns the callee's result.
func validateAll(s string) error { return validate(s) }

func reportAll(s string) string {
	if err := validateAll(s); err != nil {
		return err.Error() // want `nil pointer in non-nil interface: err may be nil here \(.*validate returns a nil \*MyErr as a non-nil error at typednil.go:14; validateAll returns it at typednil.go:\d+; \(\*MyErr\).Error dereferences its receiver\)`
	}
	return ""
}

// Safe look-alikes: the function returns a literal nil, the pointer's
// method handles a nil receiver, the method does not touch it.
func reportOK(s string) string {
	if err := validateChecked(s); err != nil {
		return err.Error()
	}
	return ""
}

type SafeErr struct{ msg string }

func (e *SafeErr) Error() string { // nil-safe: no fact, callers learn nothing from it
	if e == nil {
		return "no error"
	}
	return e.msg
}

func validateSafe(s string) error {
	var e *SafeErr
	if s == "" {
		e = &SafeErr{"empty"}
	}
	return e // want `nil pointer in non-nil interface: e may be nil here`
}

func reportSafe(s string) string {
	if err := validateSafe(s); err != nil {
		return err.Error()
	}
	return ""
}
