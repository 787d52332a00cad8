// Package testfiles checks that what test files do is not evidence about
// the package's code: go vet analyzes "p [p.test]" (tests loaded) while
// the standalone -test=false analyzes "p", and a finding outside the test
// files must be the same in both. analysistest loads both variants, so an
// expectation missing here fails for the variant that would report it.
package testfiles

type Session struct{ n int }

// Conn.sess has nil evidence only in the test file (checked for nil in
// two test functions): the package's own code trusts it.
type Conn struct {
	sess *Session
	opts *Options
}

type Options struct{ depth int }

func (c *Conn) depth() int {
	return c.sess.n // trusted: only tests check sess
}

// Conn.opts is checked by the package itself; withOpts is unexported and
// every call of it in the package's code passes c.opts non-nil. A test
// that calls it with a fresh Conn does not make the contract.
func (c *Conn) configure() int {
	if c.opts != nil {
		return withOpts(c)
	}
	return 0
}

func withOpts(c *Conn) int {
	return c.opts.depth // callers' guard: every non-test call checks c.opts
}

// reset nils opts: the evidence holds in every variant.
func (c *Conn) reset() { c.opts = nil }

func (c *Conn) options() *Options {
	if c.opts == nil {
		return &Options{}
	}
	return c.opts
}

func (c *Conn) optsDepth() int {
	if c.opts == nil {
		return 0
	}
	return c.opts.depth
}

func (c *Conn) unchecked() int {
	return c.opts.depth // want `nil dereference: c.opts may be nil here \(field opts checked for nil at testfiles.go:27; field opts assigned nil at testfiles.go:38`
}
