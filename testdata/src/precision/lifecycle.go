package precision

// A field the package dereferences unguarded in many functions is set for a
// phase of its owner's life (a QUIC connection's quic state): the checks in
// other functions are for the other phases, not evidence (summary.Credible).

type quicState struct{ n int }

type Conn struct{ quic *quicState }

func (c *Conn) checked0() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) checked1() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) checked2() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) checked3() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) checked4() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) checked5() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) checked6() {
	if c.quic != nil {
		c.quic.n++
	}
}

func (c *Conn) quicOnly0() int { return c.quic.n + 0 }

func (c *Conn) quicOnly1() int { return c.quic.n + 1 }

func (c *Conn) quicOnly2() int { return c.quic.n + 2 }

func (c *Conn) quicOnly3() int { return c.quic.n + 3 }

func (c *Conn) quicOnly4() int { return c.quic.n + 4 }

func (c *Conn) quicOnly5() int { return c.quic.n + 5 }

// Few unguarded uses against many checks: the evidence stands.

type Stream struct{ buf *quicState }

func (s *Stream) checked0() {
	if s.buf != nil {
		s.buf.n++
	}
}

func (s *Stream) checked1() {
	if s.buf != nil {
		s.buf.n++
	}
}

func (s *Stream) checked2() {
	if s.buf != nil {
		s.buf.n++
	}
}

func (s *Stream) checked3() {
	if s.buf != nil {
		s.buf.n++
	}
}

func (s *Stream) checked4() {
	if s.buf != nil {
		s.buf.n++
	}
}

func (s *Stream) checked5() {
	if s.buf != nil {
		s.buf.n++
	}
}

func (s *Stream) unchecked0() int { return s.buf.n + 0 } // -strict only: the only evidence is a check in another function

func (s *Stream) unchecked1() int { return s.buf.n + 1 } // -strict only: the only evidence is a check in another function

func (s *Stream) unchecked2() int { return s.buf.n + 2 } // -strict only: the only evidence is a check in another function

func (s *Stream) unchecked3() int { return s.buf.n + 3 } // -strict only: the only evidence is a check in another function

func (s *Stream) unchecked4() int { return s.buf.n + 4 } // -strict only: the only evidence is a check in another function

// A check that fills in a default (or gives up) is not evidence that the
// field may be nil elsewhere: after it the field is set (net/http's
// `if resp.Body == nil { ...; resp.Body = NoBody }`).
type Response struct{ Body *quicState }

func (r *Response) normalize(strict bool) error {
	if r.Body == nil {
		if strict {
			return errEmpty
		}
		r.Body = &quicState{}
	}
	return nil
}

var errEmpty error

func (r *Response) size() int   { return r.Body.n }
func (r *Response) empty() bool { return r.Body.n == 0 }

// A check with work on both branches is evidence as before.
type Request struct{ Body *quicState } // want Body:"nilable\\(field Body checked for nil at precision/lifecycle.go:\\d+\\)"

func (r *Request) size() int {
	if r.Body == nil {
		return 0
	}
	return r.Body.n
}

func (r *Request) sizeOr(d int) int {
	if r.Body != nil {
		return r.Body.n
	}
	return d
}

func (r *Request) first() int {
	return r.Body.n // -strict only: the only evidence is a check in another function
}
