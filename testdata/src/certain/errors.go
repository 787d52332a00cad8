package certain

import (
	"errors"
	"log"
	"os"
)

var errMissing = errors.New("missing")

// open returns nil with every error (summary nil-on-err).
func open(name string) (*T, error) {
	if name == "" {
		return nil, errMissing
	}
	if _, err := os.Stat(name); err != nil {
		return nil, err
	}
	return &T{N: len(name)}, nil
}

// The result used where the error says it is nil: reported.
func usedOnError(name string) int {
	t, err := open(name)
	if err != nil {
		log.Printf("open %s: %d", name, t.N) // want `nil dereference: t is nil here \(open returns nil with every error at errors.go:14; its error is non-nil at errors.go:25\)`
		return 0
	}
	return t.N
}

// The else branch of err == nil is the same.
func usedInElse(name string) int {
	t, err := open(name)
	if err == nil {
		return t.N
	}
	return t.N + 1 // want `nil dereference: t is nil here \(open returns nil with every error at errors.go:14; its error is non-nil at errors.go:35\)`
}

// A defensive check in the error branch: nothing (neither the check,
// whose outcome only the callee's code decides, nor the use under it).
func closedOnError(name string) int {
	t, err := open(name)
	if err != nil {
		if t != nil {
			return t.N
		}
		return 0
	}
	return t.N
}

// Reassigned in the error branch: not nil any more.
func fallback(name string) int {
	t, err := open(name)
	if err != nil {
		t = &T{}
	}
	return t.N
}

// partial returns a non-nil result with one of its errors: the error
// branch may hold a value.
func partial(name string) (*T, error) {
	if name == "" {
		return nil, errMissing
	}
	t := &T{N: len(name)}
	if len(name) > 10 {
		return t, errors.New("truncated")
	}
	return t, nil
}

func usedOnPartial(name string) int {
	t, err := partial(name)
	if err != nil {
		return t.N // nil or not, depending on the error: -strict's to say
	}
	return t.N
}

// forward hands on another call's results unchecked: what it returns
// with an error is not known to be nil.
func forward(name string) (*T, error) {
	return open(name)
}

func usedOnForward(name string) int {
	t, err := forward(name)
	if err != nil {
		return t.N
	}
	return t.N
}
