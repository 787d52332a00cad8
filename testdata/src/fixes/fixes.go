// Package fixes: a deferred call above the error check moves below it.
package fixes

import "errors"

type Conn struct{ open bool }

func (c *Conn) Close() error { c.open = false; return nil } // want Close:"nilsentry\\(r0=maybenil p0=derefs\\)"

func dial(addr string) (*Conn, error) {
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &Conn{open: true}, nil
}

func use(addr string) error {
	c, err := dial(addr)
	defer c.Close() // want `nil dereference: c may be nil here \(dial returns nil with an error at fixes.go:12; \(\*Conn\).Close dereferences its receiver\)`
	if err != nil {
		return err
	}
	return nil
}
