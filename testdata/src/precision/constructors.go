package precision

// A field that a constructor sets is non-nil in what it returns, whatever
// nil checks of the field other functions make (issue 11, family 2): the
// summary says which fields of the result are set (fields-set).

type Resp struct{ Code int }

type Handler struct {
	Resp *Resp // want Resp:"nilable\\(field Resp checked for nil at precision/constructors.go:\\d+\\)"
	Name string
}

// The package checks Resp for nil in more functions than it dereferences
// it unguarded: credible field evidence (summary.Credible).
func (h *Handler) reset() {
	if h.Resp != nil {
		h.Resp.Code = 0
	}
}

func (h *Handler) code() int {
	if h.Resp == nil {
		return 0
	}
	return h.Resp.Code
}

func (h *Handler) ok() bool { return h.Resp != nil && h.Resp.Code == 200 }

func (h *Handler) fail() {
	if h.Resp != nil {
		h.Resp.Code = 500
	}
}

func (h *Handler) done() bool { return h.Resp != nil }

func newHandler() *Handler { return &Handler{Resp: &Resp{}} }

func handlerValue() Handler { return Handler{Resp: &Resp{}} }

// openHandler sets Resp on its one non-nil return.
func openHandler(name string) (*Handler, error) {
	if name == "" {
		return nil, errEmpty
	}
	h := &Handler{Name: name}
	h.Resp = &Resp{}
	return h, nil
}

func serveNew() int {
	h := newHandler()
	return h.Resp.Code
}

func serveValue() int {
	h := handlerValue()
	return h.Resp.Code
}

func serveOpen(name string) int {
	h, err := openHandler(name)
	if err != nil {
		return 0
	}
	return h.Resp.Code
}

// Look-alike reported with -strict only (its evidence is the check in
// another function; the real origin, the unset field, is not named yet):
// the constructor sets Resp only when asked.
func maybeHandler(withResp bool) *Handler {
	h := &Handler{}
	if withResp {
		h.Resp = &Resp{}
	}
	return h
}

func serveMaybe() int {
	h := maybeHandler(false)
	return h.Resp.Code // -strict only: the only evidence is a check in another function
}
