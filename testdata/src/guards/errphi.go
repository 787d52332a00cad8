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
	if ok {
		err = other
	}
	if err != nil {
		return nil
	}
	return resp.Body // want `nil dereference: resp may be nil here \(send returns nil with an error at errphi.go:\d+\)`
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
