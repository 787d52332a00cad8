// Package paths: one location spelled several ways is one access path
// (issue 11, canonical access paths). A check of one spelling guards the
// others; a check of another location guards nothing.
package paths

type Sel struct{ N int }

type Pair struct {
	Sel  *Sel // want Sel:"nilable\\(field Sel checked for nil at paths/arith.go:9\\)"
	Name string
}

func find(k string) *Sel {
	if k == "" {
		return nil
	}
	return &Sel{N: len(k)}
}

// --- indexed elements: ps[i] spelled twice is one element ---

func indexedGuard(ps []*Pair, i int) int {
	ps[i].Sel = find(ps[i].Name)
	if ps[i].Sel != nil {
		return ps[i].Sel.N
	}
	return 0
}

func indexedUnguarded(ps []*Pair, i int) int {
	ps[i].Sel = find(ps[i].Name)
	return ps[i].Sel.N // want `nil dereference: ps\[i\]\.Sel may be nil here \(find returns nil at paths.go:15\)`
}

func otherElement(ps []*Pair, i, j int) int {
	ps[i].Sel = find(ps[i].Name)
	if ps[j].Sel != nil {
		return ps[i].Sel.N // want `nil dereference: ps\[i\]\.Sel may be nil here \(find returns nil at paths.go:15\)`
	}
	return 0
}

func bothChecked(ps []*Pair, i, j int) int {
	ps[i].Sel = find(ps[i].Name)
	ps[j].Sel = find(ps[j].Name)
	if ps[i].Sel != nil && ps[j].Sel != nil {
		return ps[i].Sel.N + ps[j].Sel.N
	}
	return 0
}

func structElements(ps []Pair, i int) int {
	ps[i].Sel = find(ps[i].Name)
	if ps[i].Sel == nil {
		return 0
	}
	return ps[i].Sel.N
}

func constantIndex(ps [4]*Pair) int {
	ps[1].Sel = find(ps[1].Name)
	if ps[1].Sel == nil {
		return 0
	}
	return ps[1].Sel.N
}

func reassignedAfterCheck(ps []*Pair, i int) int {
	if ps[i].Sel != nil {
		ps[i].Sel = find(ps[i].Name)
		return ps[i].Sel.N // want `nil dereference: ps\[i\]\.Sel may be nil here \(find returns nil at paths.go:15\)`
	}
	return 0
}

func sliceReplaced(ps, qs []*Pair, i int) int {
	ps[i].Sel = find(ps[i].Name)
	if ps[i].Sel == nil {
		return 0
	}
	ps = qs
	qs[i].Sel = find(qs[i].Name)
	return ps[i].Sel.N // want `nil dereference: ps\[i\]\.Sel may be nil here \(find returns nil at paths.go:15\)`
}

// Pair.Sel's evidence is the checks above: a guard spelled differently
// from the use still guards it.
func fieldEvidenceIndexed(ps []*Pair, i int) int {
	if ps[i].Sel != nil {
		return ps[i].Sel.N
	}
	return 0
}

func fieldEvidenceRange(ps []*Pair) int {
	n := 0
	for i, p := range ps {
		if ps[i].Sel == nil {
			continue
		}
		n += p.Sel.N
	}
	return n
}

func fieldEvidenceUnguarded(ps []*Pair, i int) int {
	return ps[i].Sel.N // -strict only: the only evidence is a check in another function
}

// --- range variables and the indexed slice ---

func rangeGuardIndexed(ps []*Pair) int {
	n := 0
	for i, p := range ps {
		ps[i].Sel = find(p.Name)
		if ps[i].Sel != nil {
			n += p.Sel.N
		}
	}
	return n
}

func rangeGuardVariable(ps []*Pair) int {
	n := 0
	for i, p := range ps {
		p.Sel = find(p.Name)
		if p.Sel == nil {
			continue
		}
		n += ps[i].Sel.N
	}
	return n
}

func rangeStructCopy(ps []Pair) int {
	n := 0
	for i, p := range ps {
		ps[i].Sel = find(p.Name)
		if ps[i].Sel != nil {
			n += p.Sel.N // want `nil dereference: p\.Sel may be nil here \(field Sel checked for nil at paths.go:\d+\)`
		}
	}
	return n
}

// The previous iteration's element is not this one's (Node.Val has no
// evidence but these stores, which come after the uses).
func previousIteration(ns []*Node) int {
	n := 0
	for i := range ns {
		n += ns[i].Val.N
		ns[i].Val = nil
	}
	return n
}

type Node struct{ Val *Sel } // want Val:"nilable\\(field Val assigned nil at paths/paths.go:152\\)"

func previousIterationList(head *List) int {
	n := 0
	for l := head; l != nil; l = l.Next {
		n += l.Val.N // no evidence: the nil stored below was the previous node's
		l.Val = nil
	}
	return n
}

type List struct {
	Val  *Sel // want Val:"nilable\\(field Val assigned nil at paths/paths.go:163\\)"
	Next *List
}

// --- fields of struct values ---

type Conf struct {
	Log  *Sel // want Log:"nilable\\(field Log checked for nil at paths/paths.go:182; field Log assigned nil at paths/paths.go:208\\)"
	Name string
}

func byValue(c Conf) int {
	c.Log = find(c.Name)
	if c.Log != nil {
		return c.Log.N
	}
	return 0
}

func byValueUnguarded(c Conf) int {
	c.Log = find(c.Name)
	return c.Log.N // want `nil dereference: c\.Log may be nil here \(find returns nil at paths.go:15\)`
}

func copied(cfg *Conf) int {
	cfg.Log = find(cfg.Name)
	if cfg.Log == nil {
		return 0
	}
	c := *cfg
	return c.Log.N
}

func copyThenCleared(cfg *Conf) int {
	cfg.Log = find(cfg.Name)
	if cfg.Log == nil {
		return 0
	}
	c := *cfg
	cfg.Log = nil
	return c.Log.N + cfg.Log.N // want `nil dereference: cfg\.Log is nil here \(assigned nil at paths.go:208\)`
}

// --- promoted fields through an embedded pointer of a struct value ---

type Request struct{ TLS *State } // want TLS:"nilable\\(field TLS checked for nil at paths/paths.go:221; field TLS assigned nil at paths/paths.go:235\\)"

type State struct{ Version uint16 }

type Req struct{ *Request }

func (r Req) tlsVersion() uint16 {
	if r.TLS != nil {
		return r.TLS.Version
	}
	return 0
}

func (r Req) tlsMajor() uint16 {
	if r.TLS == nil {
		return 0
	}
	return r.TLS.Version >> 8
}

func (r Req) tlsUnchecked() uint16 {
	r.TLS = nil
	return r.TLS.Version // want `nil dereference: r\.TLS is nil here \(assigned nil at paths.go:235\)`
}

// An index computed in the loop (the range's i+1) is a new index each
// iteration, like a φ: the nil stored for the previous element does not
// reach this one (go/ssa's blockopt deletes blocks so).
type Block struct{ Index int }

func deleteMarked(blocks []*Block) {
	for i, b := range blocks {
		if b.Index == 0 {
			blocks[i] = nil
		}
	}
}

// The same with an index variable that a closure captures: each iteration
// has its own i (Go 1.22), so args[i] is not the element set to nil
// before (x/tools' inliner substitutes parameters so).
func substitute(params, args []*Block) int {
	n := 0
	for i, p := range params {
		if a := args[i]; a.Index > 0 {
			n += p.Index + a.Index
			n += func() int { return i }()
			params[i] = nil
			args[i] = nil
		}
	}
	return n
}

// A getter's result as a map key is the field it reads (sarama's
// client.brokers[broker.ID()]): checked under one call, used under another.
type broker struct {
	id   int32
	addr string
}

func (b *broker) ID() int32 { return b.id } // want ID:"nilsentry\\(p0=derefs getter\\(p0.0\\) pure\\)"

func (b *broker) Addr() string { return b.addr } // want Addr:"nilsentry\\(p0=derefs getter\\(p0.1\\) pure\\)"

func registerBroker(brokers map[int32]*broker, b *broker) string {
	if brokers[b.ID()] == nil {
		brokers[b.ID()] = b
		return ""
	}
	return brokers[b.ID()].addr
}

// Still reported: the key read is another broker's.
func registerOther(brokers map[int32]*broker, b, other *broker) string {
	if brokers[b.ID()] == nil {
		brokers[b.ID()] = b
		return ""
	}
	return brokers[other.ID()].addr // want `nil dereference: brokers\[other.ID\(\)\] may be nil here \(map lookup may miss at paths.go:\d+\)`
}
