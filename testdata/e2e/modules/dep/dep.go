// Package dep is another module: it builds requests without a body on
// its client side and checks for one, as net/http does.
package dep

type Body struct{ N int }

type Request struct {
	Body *Body
	Name string
}

// NewClientRequest builds a request without a body.
func NewClientRequest(name string) *Request { return &Request{Name: name} }

func Size(r *Request) int {
	if r.Body == nil {
		return 0
	}
	return r.Body.N
}

func Empty(r *Request) bool { return r.Body == nil || r.Body.N == 0 }

// Link is set on every request dep hands out: dep dereferences it
// unguarded everywhere.
type Link struct{ Scheme string }

type Redirect struct{ Link *Link }

func Scheme(r *Redirect) string { return r.Link.Scheme }
func Secure(r *Redirect) bool   { return r.Link.Scheme == "https" }
func Plain(r *Redirect) bool    { return r.Link.Scheme == "http" }

// Valid is dep's one check of Link: its evidence, which is dep's own.
func Valid(r *Redirect) bool { return r.Link != nil }
