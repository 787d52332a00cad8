package flow

import (
	"fmt"
	"go/constant"
	"go/token"
	"math"
	"slices"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"golang.org/x/tools/go/ssa"
)

// Repeated conditions. Code often assigns a variable under a condition
// and uses it later under the same condition:
//
//	var gray *image.Gray
//	switch d.cb { case cbG8: gray = image.NewGray(r) ... }
//	...
//	switch d.cb { case cbG8: gray.SetGray(x, y, c) ... }
//
// The φ of gray merges a non-nil value (the cbG8 edge) with nil (the
// others). On a branch that repeats an earlier condition, the φ's edges
// that the earlier branches exclude cannot have been taken: if the
// remaining edges bring non-nil values, so is the φ. A condition is the
// same when it tests the same value (an SSA register, a parameter) or the
// same field path loaded again (d.cb, never stored in the function), with
// the same constant.

// condition says that tag == val (eq) or tag != val (!eq); for integer
// tags compared with a constant, inRange says that lo <= tag <= hi
// (`x.form <= finite`, and `x.form == inf` as [inf, inf]).
type condition struct {
	tag     any // tagKey of the tested value
	val     string
	eq      bool
	inRange bool
	lo, hi  int64
}

// contradicts reports whether c and o cannot hold together.
func (c condition) contradicts(o condition) bool {
	if c.tag != o.tag {
		return false
	}
	if c.inRange && o.inRange {
		return c.hi < o.lo || o.hi < c.lo
	}
	if c.inRange && !o.eq || o.inRange && !c.eq {
		r, ne := c, o
		if o.inRange {
			r, ne = o, c
		}
		return r.lo == r.hi && fmt.Sprint(r.lo) == ne.val // tag in [v, v] and tag != v
	}
	if c.inRange || o.inRange {
		return false // an interval and a non-integer equality: unrelated
	}
	if c.eq && o.eq {
		return c.val != o.val
	}
	return c.eq != o.eq && c.val == o.val
}

// interval is the range of tag op k (op one of < <= > >= ==).
func interval(op token.Token, k int64) (lo, hi int64, ok bool) {
	lo, hi = math.MinInt64, math.MaxInt64
	switch op {
	case token.EQL:
		return k, k, true
	case token.LSS:
		if k == math.MinInt64 {
			return 0, 0, false
		}
		hi = k - 1
	case token.LEQ:
		hi = k
	case token.GTR:
		if k == math.MaxInt64 {
			return 0, 0, false
		}
		lo = k + 1
	case token.GEQ:
		lo = k
	default:
		return 0, 0, false
	}
	return lo, hi, true
}

// binTag names a computed tag structurally (p.mode&BareInits twice).
type binTag struct {
	op   token.Token
	x, y any
}

// maxTagDepth bounds the structural naming of computed tags.
const maxTagDepth = 3

// tagKey names the value a condition tests so that two tests of the same
// thing agree, or returns nil if the value may differ between the tests:
// an SSA value defined inside a loop, a field path the function stores.
func (a *analysis) tagKey(v ssa.Value, depth int) any {
	switch v := v.(type) {
	case *ssa.Const:
		return constKey{constString(v), v.Type().String()}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if p, ok := a.path(v.X); ok {
				if p.field < 0 || a.storedFields()[p.field] {
					return nil
				}
				if b, ok := p.base.(ssa.Value); ok && a.inLoop(b) {
					return nil
				}
				return p
			}
		}
	case *ssa.BinOp:
		if depth < maxTagDepth {
			x, y := a.tagKey(v.X, depth+1), a.tagKey(v.Y, depth+1)
			if x == nil || y == nil {
				return nil
			}
			return binTag{v.Op, x, y}
		}
		return nil
	}
	if a.inLoop(v) {
		return nil
	}
	switch v.(type) {
	case *ssa.Extract, *ssa.ChangeType, *ssa.ChangeInterface:
		return a.key(v) // one key for each extract of a tuple (keys.go)
	}
	return v // the value itself: keying every operand would cost memory
}

func constString(c *ssa.Const) string {
	if c.Value == nil {
		return "nil"
	}
	return c.Value.ExactString()
}

// conditionOf is what taking the edge of an If on cond towards branch
// says, if it is a test of a tag against a constant or a bool tag.
func (a *analysis) conditionOf(cond ssa.Value, branch bool) (condition, bool) {
	for {
		not, ok := cond.(*ssa.UnOp)
		if !ok || not.Op != token.NOT {
			break
		}
		cond, branch = not.X, !branch
	}
	if c, ok := cond.(*ssa.BinOp); ok && isComparison(c.Op) {
		x, k, op := c.X, c.Y, c.Op
		if _, ok := x.(*ssa.Const); ok {
			x, k = k, x
			if m, ok := mirrored[op]; ok {
				op = m
			}
		}
		kc, ok := k.(*ssa.Const)
		if !ok {
			return condition{}, false
		}
		tag := a.tagKey(x, 0)
		if tag == nil {
			return condition{}, false
		}
		if !branch {
			op = negated[op]
		}
		if kc.Value != nil && kc.Value.Kind() == constant.Int {
			if n, exact := constant.Int64Val(kc.Value); exact {
				if lo, hi, ok := interval(op, n); ok {
					return condition{tag: tag, val: constString(kc), eq: true, inRange: true, lo: lo, hi: hi}, true
				}
			}
		}
		if op != token.EQL && op != token.NEQ {
			return condition{}, false
		}
		return condition{tag: tag, val: constString(kc), eq: op == token.EQL}, true
	}
	if tag := a.tagKey(cond, 0); tag != nil {
		return condition{tag: tag, val: constant.MakeBool(true).ExactString(), eq: branch}, true
	}
	return condition{}, false
}

func isComparison(op token.Token) bool {
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return true
	}
	return false
}

// edgeCondition is the condition an edge p -> s establishes, if any.
// Each block's pair is computed once (a.blockConds).
func (a *analysis) edgeCondition(p, s *ssa.BasicBlock) (condition, bool) {
	if a.blockConds == nil {
		n := len(a.fn.Blocks)
		if c, ok := spareConds.Get().(*[]blockCond); ok && cap(*c) >= n {
			a.blockConds = (*c)[:n] // cleared by release
		} else {
			a.blockConds = make([]blockCond, n)
		}
	}
	bc := &a.blockConds[p.Index]
	if !bc.done {
		bc.done = true
		if len(p.Instrs) > 0 {
			if br, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If); ok && p.Succs[0] != p.Succs[1] {
				bc.c[0], bc.ok = a.conditionOf(br.Cond, true)
				bc.c[1], _ = a.conditionOf(br.Cond, false)
			}
		}
	}
	if !bc.ok {
		return condition{}, false
	}
	if s == p.Succs[0] {
		return bc.c[0], true
	}
	return bc.c[1], true
}

// blockCond caches the conditions of a block's true and false edges.
type blockCond struct {
	c        [2]condition
	ok, done bool
}

// maxCondWalk bounds the dominator walk that collects an edge's
// conditions, and maxConds how many of them are kept.
const (
	maxCondWalk = 64
	maxConds    = 8
)

// conditionsAt lists the conditions that hold on every path through the
// edge p -> s: the edge's own and those of the single-entry edges into
// p's dominators. With repeatedOnly, only tags tested more than once.
func (a *analysis) conditionsAt(p, s *ssa.BasicBlock, repeatedOnly bool) []condition {
	var conds []condition
	for steps := 0; steps < maxCondWalk && len(conds) < maxConds; steps++ {
		if c, ok := a.edgeCondition(p, s); ok && (!repeatedOnly || a.condCount()[c.tag] > 1) {
			conds = append(conds, c)
		}
		// Up to the nearest dominator of p entered by a single edge.
		s = p
		for len(s.Preds) != 1 {
			if s = s.Idom(); s == nil {
				return conds
			}
		}
		p = s.Preds[0]
	}
	return conds
}

// excludes reports whether the edge p -> s cannot be taken where conds
// hold: every path through it passes a branch that contradicts one of
// them. Blocks with several predecessors are excluded when all their
// entries are (the cases of `case A, B:`); loops are not followed.
func (a *analysis) excludes(p, s *ssa.BasicBlock, conds []condition) bool {
	budget := maxCondWalk
	var onPath []*ssa.BasicBlock // short: the walk is bounded
	var edge func(p, s *ssa.BasicBlock) bool
	edge = func(p, s *ssa.BasicBlock) bool {
		if budget--; budget < 0 {
			return false
		}
		if e, ok := a.edgeCondition(p, s); ok {
			for _, c := range conds {
				if e.contradicts(c) {
					return true
				}
			}
		}
		if len(p.Preds) == 0 || slices.Contains(onPath, p) {
			return false
		}
		onPath = append(onPath, p)
		defer func() { onPath = onPath[:len(onPath)-1] }()
		for _, q := range p.Preds {
			if !edge(q, p) {
				return false
			}
		}
		return true
	}
	return edge(p, s)
}

// repeated narrows, on the edge p -> s, the maybe-nil φs in st to what
// the edges the conditions holding here do not exclude bring: non-nil if
// they bring only non-nil values, unknown if none may be nil. It works only on edges that test a tag tested elsewhere too.
func (a *analysis) repeated(st facts, p, s *ssa.BasicBlock) {
	c, ok := a.edgeCondition(p, s)
	if !ok || a.inJoinCheck {
		return
	}
	flag, isPhi := c.tag.(*ssa.Phi)
	once := a.condCount()[c.tag] < 2
	if once && !(isPhi && isBool(flag.Type())) {
		return
	}
	var phis []*ssa.Phi
	var values []any // maybe nil where a dominating join had them non-nil on some entries (joinedNonNil)
	for k, ks := range st {
		if !ks.Kind.MayBeNil() {
			continue
		}
		if phi, ok := k.(*ssa.Phi); ok {
			phis = append(phis, phi)
		} else {
			switch k.(type) {
			case ssa.Value, tupleKey:
				values = append(values, k)
			}
		}
	}
	if len(values) > maxJoinValues {
		values = nil // too many to look for (all or none: the map's order is random)
	}
	if len(phis) == 0 && len(values) == 0 {
		return
	}
	if once {
		for _, k := range values {
			if a.flagEntriesNonNil(k, flag, c) {
				st[k] = nilstate.NonNilState
				if v, ok := k.(ssa.Value); ok {
					a.set(st, v, nilstate.NonNilState)
				}
			}
		}
		return
	}
	conds := a.conditionsAt(p, s, true)
	for _, k := range values {
		if a.joinedNonNil(k, p, conds) {
			st[k] = nilstate.NonNilState
			if v, ok := k.(ssa.Value); ok {
				a.set(st, v, nilstate.NonNilState)
			}
		}
	}
	for _, phi := range phis {
		if ok, nonNil := a.nonNilUnder(phi, conds, 0); ok {
			if nonNil {
				a.set(st, phi, nilstate.NonNilState)
			} else {
				a.set(st, phi, nilstate.UnknownState)
			}
		}
	}
}

// maxJoins bounds the dominating joins joinedNonNil looks at, and
// maxJoinValues the values it looks for at one edge.
const (
	maxJoins      = 4
	maxJoinValues = 16
)

// joinedNonNil reports whether, at a join dominating the edge p -> s, the
// SSA value k was maybe nil only on entries that conds exclude, and
// non-nil on the others (`if !ok && t != A { return }`: req is non-nil on
// the ok entry only; `case B:` excludes the `t == A` one). Values, unlike
// paths, do not change after the join. The entries' states are those of
// the predecessors' exits, refined for the edge: computed here, when a
// repeated condition meets a maybe-nil value, not at every join.
func (a *analysis) joinedNonNil(k any, p *ssa.BasicBlock, conds []condition) bool {
	a.inJoinCheck = true
	defer func() { a.inJoinCheck = false }()
	joins, steps := 0, 0
	for d := p; d != nil && steps < maxCondWalk && joins < maxJoins; d, steps = d.Idom(), steps+1 {
		if len(d.Preds) < 2 {
			continue
		}
		joins++
		some := false // an entry that the conditions allow brings a non-nil k
		ok := true
		for _, pred := range d.Preds {
			s, taken := a.entryState(k, pred, d)
			switch {
			case !taken:
			case s.Kind == nilstate.NonNil:
				some = true
			case s.Kind.MayBeNil() && !a.excludes(pred, d, conds):
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && some {
			return true
		}
	}
	return false
}

// flagEntriesNonNil reports whether the test c of a bool φ (a flag set
// on some paths: `ws, ok := w.(io.WriteSeeker); if ok { if err != nil { ok
// = false } }; if !ok { return }`) leaves the SSA value k non-nil: every
// entry of the φ's block that can bring a flag satisfying c brings k
// non-nil, and at least one does. An entry is ruled out when its flag is
// a constant that contradicts c, or a value c would contradict on every
// path into that entry (ok is false on the `if ok` false edge).
func (a *analysis) flagEntriesNonNil(k any, flag *ssa.Phi, c condition) bool {
	a.inJoinCheck = true
	defer func() { a.inJoinCheck = false }()
	d := flag.Block()
	some := false
	for i, pred := range d.Preds {
		switch e := flag.Edges[i].(type) {
		case *ssa.Const:
			if constCondition(c.tag, e).contradicts(c) {
				continue
			}
		default:
			if tag := a.tagKey(e, 0); tag != nil {
				ec := c
				ec.tag = tag
				if a.excludes(pred, d, []condition{ec}) {
					continue
				}
			}
		}
		s, taken := a.entryState(k, pred, d)
		switch {
		case !taken:
		case s.Kind == nilstate.NonNil:
			some = true
		default:
			return false
		}
	}
	return some
}

// entryState is k's state on the edge pred -> d: pred's exit refined for
// the edge. taken is false if the edge cannot be taken: the fixed point
// has not reached pred yet, or the refinement proves it infeasible.
func (a *analysis) entryState(k any, pred, d *ssa.BasicBlock) (s nilstate.State, taken bool) {
	out := a.out[pred.Index]
	if out == nil {
		return nilstate.State{}, false
	}
	edge := a.clone(out)
	taken = a.refineEdge(edge, pred, d)
	s, known := edge[k]
	if !known {
		s = a.absent(edge, k)
	}
	a.recycle(edge)
	return s, taken
}

// maxPhiDepth bounds the φs nonNilUnder looks through.
const maxPhiDepth = 3

// nonNilUnder says what phi can be where conds hold: ok if no edge that
// they do not exclude brings a value that may be nil, and nonNil if all
// of those bring non-nil values (else the φ is unknown: no evidence).
func (a *analysis) nonNilUnder(phi *ssa.Phi, conds []condition, depth int) (ok, nonNil bool) {
	nonNil = true
	for i, v := range phi.Edges {
		pred := phi.Block().Preds[i]
		if a.excludes(pred, phi.Block(), conds) {
			continue
		}
		if q, isPhi := v.(*ssa.Phi); isPhi && q != phi && depth < maxPhiDepth {
			if ok, nn := a.nonNilUnder(q, conds, depth+1); ok {
				nonNil = nonNil && nn
				continue
			}
		}
		out := a.out[pred.Index]
		if out == nil {
			return false, false
		}
		switch k := a.get(out, v, constCtx{}).Kind; {
		case k.MayBeNil():
			return false, false
		case k != nilstate.NonNil:
			nonNil = false
		}
	}
	return true, nonNil
}

// condCount counts the branches testing each tag, once per function.
func (a *analysis) condCount() map[any]int {
	if a.conds != nil {
		return a.conds
	}
	a.conds = make(map[any]int)
	for _, b := range a.fn.Blocks {
		if len(b.Succs) == 2 {
			if c, ok := a.edgeCondition(b, b.Succs[0]); ok {
				a.conds[c.tag]++
			}
		}
	}
	return a.conds
}

// storedFields lists the field indexes the function stores to: a tag
// read from such a field may change between two tests.
func (a *analysis) storedFields() map[int]bool {
	if a.stored != nil {
		return a.stored
	}
	a.stored = make(map[int]bool)
	for _, b := range a.fn.Blocks {
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok {
				if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
					a.stored[fa.Field] = true
				}
			}
		}
	}
	return a.stored
}

// inLoop reports whether v is computed in a block that can run again
// (each run gives a new value): it is a tag only outside loops.
func (a *analysis) inLoop(v ssa.Value) bool {
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false // parameters, free variables, globals, constants
	}
	b := instr.Block()
	if b == nil {
		return true
	}
	if a.loops == nil {
		a.loops = loopBlocks(a.fn)
	}
	return a.loops[b.Index]
}

// loopBlocks marks the blocks that lie on a cycle of the CFG: the
// members of its non-trivial strongly connected components (Tarjan).
func loopBlocks(fn *ssa.Function) []bool {
	n := len(fn.Blocks)
	index, low := make([]int, n), make([]int, n)
	onStack, inLoop := make([]bool, n), make([]bool, n)
	var stack []int
	next := 1
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		i := b.Index
		index[i], low[i] = next, next
		next++
		stack = append(stack, i)
		onStack[i] = true
		for _, s := range b.Succs {
			j := s.Index
			if j == i {
				inLoop[i] = true
			}
			if index[j] == 0 {
				visit(s)
				low[i] = min(low[i], low[j])
			} else if onStack[j] {
				low[i] = min(low[i], index[j])
			}
		}
		if low[i] == index[i] {
			top := len(stack) - 1
			for stack[top] != i {
				top--
			}
			if len(stack)-top > 1 {
				for _, j := range stack[top:] {
					inLoop[j] = true
				}
			}
			for _, j := range stack[top:] {
				onStack[j] = false
			}
			stack = stack[:top]
		}
	}
	for _, b := range fn.Blocks {
		if index[b.Index] == 0 {
			visit(b)
		}
	}
	return inLoop
}
