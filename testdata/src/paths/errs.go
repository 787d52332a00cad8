package paths

import "errors"

// An element assigned together with an error is non-nil once the error
// is checked (crypto/rsa generates its primes so).
func parseAll(names []string) ([]*Sel, error) {
	out := make([]*Sel, len(names))
	for i, n := range names {
		var err error
		out[i], err = parse(n)
		if err != nil {
			return nil, err
		}
		_ = out[i].N
	}
	return out, nil
}

func parseUnchecked(names []string) []*Sel {
	out := make([]*Sel, len(names))
	for i, n := range names {
		out[i], _ = parse(n)
		_ = out[i].N // want `nil dereference: out\[i\] may be nil here \(parse returns nil with an error at errs.go:31\)`
	}
	return out
}

func parse(s string) (*Sel, error) {
	if s == "" {
		return nil, errEmpty
	}
	return &Sel{N: len(s)}, nil
}

var errEmpty = errors.New("empty")
