package main

import "errors"

type Conn struct{ open bool }

func (c *Conn) Close() error { c.open = false; return nil }

func dial(addr string) (*Conn, error) {
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &Conn{open: true}, nil
}

// reported by nilsentry, with a quick fix that moves the defer below the
// error check.
func use(addr string) error {
	c, err := dial(addr)
	defer c.Close()
	if err != nil {
		return err
	}
	return nil
}
