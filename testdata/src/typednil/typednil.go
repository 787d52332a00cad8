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
