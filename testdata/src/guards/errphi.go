package guards

import (
	"errors"
	"io"
)

// An error reassigned only where the result is already non-nil still
// guards the result after the join (issue 11, family 4): minio-go's
// `if resp != nil { if resp.StatusCode != 200 { err = toError(resp) } }`.

type Reply struct {
	Status int
	Body   io.Reader
}

func send(ok bool) (*Reply, error) {
	if !ok {
		return nil, errors.New("send failed")
	}
	return &Reply{Status: 200, Body: eofReader{}}, nil
}

func statusError(r *Reply) error { return errors.New("bad status") }

func replyBody(ok bool) io.Reader {
	resp, err := send(ok)
	if resp != nil {
		if resp.Status != 200 {
			err = statusError(resp)
		}
	}
	if err != nil {
		return nil
	}
	return resp.Body
}

// Still reported: the error is replaced where the reply may be nil.
func replyBodyReplaced(ok bool, other error) io.Reader {
	resp, err := send(ok)
	if !ok {
		err = other
	}
	if err != nil {
		return nil
	}
	return resp.Body // want `nil dereference: resp may be nil here \(send returns nil with an error at errphi.go:\d+\)`
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// A result and its error merged on the same edges keep their contract:
// where the merged error is nil, so is every edge's error, and each
// edge's result is then non-nil (issue 11, family 4: `if x { c, err =
// &C{}, nil } else { c, err = load() }`).
func pairedBranches(cached bool) int {
	var r *Reply
	var err error
	if cached {
		r, err = &Reply{Status: 304}, nil
	} else {
		r, err = send(true)
	}
	if err != nil {
		return 0
	}
	return r.Status
}

func pairedCalls(primary bool) int {
	var r *Reply
	var err error
	if primary {
		r, err = send(true)
	} else {
		r, err = send(false)
	}
	if err == nil {
		return r.Status
	}
	return 0
}

// Still reported: on one edge the error does not come with the result.
// (With a constant argument, `r, _ = send(false)` would be the author
// saying the call succeeds: no evidence, and no finding.)
func pairedBroken(primary bool, other error) int {
	var r *Reply
	var err error
	if primary {
		r, err = send(true)
	} else {
		r, _ = send(primary)
		err = other
	}
	if err != nil {
		return 0
	}
	return r.Status // want `nil dereference: r may be nil here \(send returns nil with an error at errphi.go:\d+\)`
}

// Still reported: the error checked is not the one merged with r.
func pairedOtherError(primary bool, other error) int {
	var r *Reply
	var err error
	if primary {
		r, err = send(primary)
	} else {
		r, err = send(primary)
	}
	if err != nil && other != nil {
		return 0
	}
	return r.Status // want `nil dereference: r may be nil here \(send returns nil with an error at errphi.go:\d+\)`
}
