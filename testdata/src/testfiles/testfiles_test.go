package testfiles

import "testing"

func TestSession(t *testing.T) {
	c := &Conn{sess: &Session{}}
	if c.sess == nil {
		t.Fatal("no session")
	}
	_ = c.sess.n
}

func TestSessionAgain(t *testing.T) {
	c := &Conn{sess: &Session{}}
	if c.sess != nil {
		_ = c.sess.n
	}
}

// depthOf calls withOpts without checking c.opts first.
func depthOf(c *Conn) int { return withOpts(c) }
