package flow

import (
	"go/token"
	"math"

	"golang.org/x/tools/go/ssa"
)

// Helpers about branch conditions and loops for the path walk
// (feasible.go) and the keys (keys.go): the interval a comparison with a
// constant allows, which fields the function stores, which blocks can run
// again.

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

func constString(c *ssa.Const) string {
	if c.Value == nil {
		return "nil"
	}
	return c.Value.ExactString()
}

func isComparison(op token.Token) bool {
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return true
	}
	return false
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
