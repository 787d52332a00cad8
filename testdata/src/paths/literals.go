package paths

// A guard around a function literal holds inside it (issue 11): the
// literal reads the field of a pointer variable assigned once.
type Target struct{ Res *Resolved } // want Res:"nilable\\(field Res checked for nil at paths/literals.go:\\d+\\)"

type Resolved struct{ Addrs []string }

func (t *Target) addr() func() string {
	if t.Res != nil {
		return func() string { return t.Res.Addrs[0] }
	}
	return nil
}

func (t *Target) first() string {
	if t.Res == nil {
		return ""
	}
	return t.Res.Addrs[0]
}

func (t *Target) count() int {
	if t.Res != nil {
		return len(t.Res.Addrs)
	}
	return 0
}

// No guard where the literal is made.
func (t *Target) unguardedLiteral() func() string {
	return func() string { return t.Res.Addrs[0] } // -strict only: the only evidence is a check in another function
}

// The variable changes after the literal is made: the guard was about
// another value.
func reassigned(t, u *Target) func() string {
	if t.Res == nil {
		return nil
	}
	f := func() string { return t.Res.Addrs[0] } // want `nil dereference: t\.Res may be nil here \(field Res checked for nil at literals.go:\d+\)`
	t = u
	return f
}

// Two fields deep: a guard of cfg.Context.Proxy holds in the literal.
type Config struct{ Context *Context }

type Context struct{ Proxy *Proxy } // want Proxy:"nilable\\(field Proxy assigned nil at paths/literals.go:\\d+; field Proxy checked for nil at paths/literals.go:\\d+\\)"

type Proxy struct{ Address string }

func (c *Context) clearProxy() { c.Proxy = nil }

func (c *Context) address() string {
	if c.Proxy == nil {
		return ""
	}
	return c.Proxy.Address
}

func (c *Context) hasProxy() bool { return c.Proxy != nil }

func proxyFunc(load func() *Config) func() string {
	cfg := load()
	if cfg.Context.Proxy != nil {
		return func() string { return cfg.Context.Proxy.Address }
	}
	return nil
}

func proxyFuncReassigned(load func() *Config) func() string {
	cfg := load()
	if cfg.Context.Proxy == nil {
		return nil
	}
	f := func() string { return cfg.Context.Proxy.Address } // want `nil dereference: cfg\.Context\.Proxy may be nil here \(field Proxy assigned nil at literals.go:\d+`
	cfg = load()
	return f
}

// A struct-valued variable whose fields are only read: its guarded
// fields hold in the literal (hugo's by-value cfg.ChangesFromBuild).
type Options struct {
	Changes chan int // want Changes:"nilable\\(field Changes checked for nil at paths/literals.go:\\d+; field Changes assigned nil at paths/literals.go:\\d+\\)"
	Name    string
}

func (o *Options) notify() {
	if o.Changes != nil {
		o.Changes <- 1
	}
}

func (o *Options) stop() { o.Changes = nil }

func watch(opts Options, register func(func())) {
	if opts.Changes != nil {
		register(func() { close(opts.Changes) })
	}
}

func watchReset(opts Options, register func(func())) {
	if opts.Changes == nil {
		return
	}
	register(func() { close(opts.Changes) }) // want `close of nil channel: opts\.Changes may be nil here`
	opts.Changes = nil
}
