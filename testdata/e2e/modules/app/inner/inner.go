// Package inner is this module's own: its evidence about its fields
// counts in the module's other packages.
package inner

type Body struct{ N int }

type Request struct {
	Body *Body
	Name string
}

func New(name string) *Request { return &Request{Name: name} }

func Size(r *Request) int {
	if r.Body == nil {
		return 0
	}
	return r.Body.N
}

func Empty(r *Request) bool { return r.Body == nil || r.Body.N == 0 }
