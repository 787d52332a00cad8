package flow

import (
	"fmt"
	"go/constant"
	"go/token"
	"math"

	"golang.org/x/tools/go/ssa"
)

// Conditions of branches as facts about a tag: the value a branch tests,
// against a constant or as a bool. Summaries use them to say under which
// condition on a parameter a function returns nil (`if !alloc { return
// nil }`, summarize.go), and calls whose constant arguments contradict
// it get no nil from it (constArgsExclude). A condition is the same when
// it tests the same value (an SSA register, a parameter) or the same
// field path loaded again (d.cb, never stored in the function), with the
// same constant. Correlations between branches inside a function are the
// path feasibility check's (feasible.go).

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
// p's dominators.
func (a *analysis) conditionsAt(p, s *ssa.BasicBlock) []condition {
	var conds []condition
	for steps := 0; steps < maxCondWalk && len(conds) < maxConds; steps++ {
		if c, ok := a.edgeCondition(p, s); ok {
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
