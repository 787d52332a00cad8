package guards

// Ensure helpers that build a nested path when it is nil leave it non-nil
// for the caller, two and three fields deep (summary nested-after): an
// OCI spec generator's initProcess / initLinuxCPU chain.

type ociSpec struct {
	process *ociProcess
	linux   *ociLinux
}

type ociProcess struct{ args []string }

type ociLinux struct{ resources *ociResources }

type ociResources struct{ cpu *ociCPU }

type ociCPU struct{ shares uint64 }

type specGen struct{ spec *ociSpec }

func (g *specGen) clearArgs() {
	if g.spec == nil || g.spec.process == nil {
		return
	}
	g.spec.process.args = nil
}

func (g *specGen) hasLinux() bool { return g.spec != nil && g.spec.linux != nil }

func (g *specGen) resetLinux() { g.spec.linux = nil }

func (g *specGen) initConfig() {
	if g.spec == nil {
		g.spec = &ociSpec{}
	}
}

func (g *specGen) initProcess() {
	g.initConfig()
	if g.spec.process == nil {
		g.spec.process = &ociProcess{}
	}
}

func (g *specGen) initLinux() {
	g.initConfig()
	if g.spec.linux == nil {
		g.spec.linux = &ociLinux{}
	}
}

func (g *specGen) initResources() {
	g.initLinux()
	if g.spec.linux.resources == nil {
		g.spec.linux.resources = &ociResources{}
	}
}

func (g *specGen) setArgs(args []string) {
	g.initProcess()
	g.spec.process.args = args
}

func (g *specGen) setShares(n uint64) {
	g.initResources()
	if g.spec.linux.resources.cpu == nil {
		g.spec.linux.resources.cpu = &ociCPU{}
	}
	g.spec.linux.resources.cpu.shares = n
}

// Still reported: initConfig makes spec, not spec.linux, which the
// package assigns nil.
func (g *specGen) linuxAfterConfig() *ociResources {
	g.initConfig()
	return g.spec.linux.resources // want `nil dereference: g.spec.linux may be nil here \(field linux checked for nil at ensure.go:\d+; field linux assigned nil at ensure.go:\d+; field linux not set at ensure.go:\d+\)`
}
