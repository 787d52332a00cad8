package precision

// A field stored through the variable that holds a new value is set, also
// when a closure captures the variable (so it lives in memory): `c :=
// new(T); c.F = x` leaves no field F unset (pgx's connectOne).

type settings struct{ host string }

type dialer struct {
	cfg  *settings
	done chan struct{}
}

func newDialer(cfg *settings) (*dialer, func()) {
	d := new(dialer)
	d.cfg = cfg
	d.done = make(chan struct{})
	stop := func() { close(d.done) }
	return d, stop
}

func (d *dialer) host() string { return d.cfg.host }

func (d *dialer) hostOr(def string) string {
	if d.cfg == nil {
		return def
	}
	return d.cfg.host
}

func (d *dialer) hostOr2(def string) string {
	if d.cfg != nil {
		return d.cfg.host
	}
	return def
}

// Still reported: a field never stored through the variable is unset.
type relay struct {
	peer *settings
	done chan struct{}
}

func newRelay() (*relay, func()) {
	r := new(relay)
	r.done = make(chan struct{})
	stop := func() { close(r.done) }
	return r, stop
}

func (r *relay) peerHost() string {
	return r.peer.host // want `nil dereference: r.peer may be nil here \(field peer not set at setvar.go:\d+; field peer checked for nil at setvar.go:\d+\)$`
}

func (r *relay) peerOr(def string) string {
	if r.peer == nil {
		return def
	}
	return r.peer.host
}

func (r *relay) peerOr2(def string) string {
	if r.peer != nil {
		return r.peer.host
	}
	return def
}
