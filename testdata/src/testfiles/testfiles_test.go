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

// Findings in test files are judged with the tests' uses too: these
// tests rely on opts being set (three unguarded uses against the
// package's checks), so the package's evidence is not credible here.
func TestOpts1(t *testing.T) { _ = newConn().opts.depth }
func TestOpts2(t *testing.T) { _ = newConn().opts.depth }
func TestOpts3(t *testing.T) { _ = newConn().opts.depth }

func newConn() *Conn { return &Conn{opts: &Options{}} }
