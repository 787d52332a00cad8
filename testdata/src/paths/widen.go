package paths

import "errors"

func openItem(name string) (*Item, error) {
	if name == "" {
		return nil, errors.New("no name")
	}
	return &Item{}, nil
}

// The join of two calls loses the pair of item and error; the walk
// restores it, through independent branches between the error check and
// the use: 2^7 paths, more states than the walk keeps for a block. It
// goes on with what they all require (the item is nil), and the error
// check still rules the nil out (fasthttp's serveConn).
func widened(name string, alt bool, f0, f1, f2, f3, f4, f5, f6 bool) int {
	var it *Item
	var err error
	if alt {
		it, err = openItem(name)
	} else {
		it, err = openItem(name + ".alt")
	}
	if err != nil {
		return 0
	}
	n := 0
	if f0 {
		n += 1
	}
	if f1 {
		n += 2
	}
	if f2 {
		n += 3
	}
	if f3 {
		n += 4
	}
	if f4 {
		n += 5
	}
	if f5 {
		n += 6
	}
	if f6 {
		n += 7
	}
	return it.N + n
}

// Still reported: one branch drops the error.
func widenedBroken(name string, alt bool, f0, f1, f2, f3, f4, f5, f6 bool) int {
	var it *Item
	var err error
	if alt {
		it, err = openItem(name)
	} else {
		it, _ = openItem(name + ".alt")
	}
	if err != nil {
		return 0
	}
	n := 0
	if f0 {
		n += 1
	}
	if f1 {
		n += 2
	}
	if f2 {
		n += 3
	}
	if f3 {
		n += 4
	}
	if f4 {
		n += 5
	}
	if f5 {
		n += 6
	}
	if f6 {
		n += 7
	}
	return it.N + n // want `nil dereference: it may be nil here \(openItem returns nil with an error at widen.go:\d+\)`
}
