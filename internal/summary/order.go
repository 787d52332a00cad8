package summary

import "golang.org/x/tools/go/ssa"

// Order groups a package's functions into strongly connected components of
// the static call graph, callees before callers (Tarjan's algorithm emits
// components in reverse topological order). A component of more than one
// function, or a function that calls itself, is recursive and needs a
// fixed point.
func Order(fns []*ssa.Function) (sccs [][]*ssa.Function) {
	inPkg := make(map[*ssa.Function]bool, len(fns))
	for _, fn := range fns {
		inPkg[fn] = true
	}
	index := make(map[*ssa.Function]int, len(fns))
	low := make(map[*ssa.Function]int, len(fns))
	onStack := make(map[*ssa.Function]bool)
	var stack []*ssa.Function
	next := 0

	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		index[fn], low[fn] = next, next
		next++
		stack = append(stack, fn)
		onStack[fn] = true
		for _, callee := range Callees(fn) {
			if !inPkg[callee] {
				continue
			}
			if _, seen := index[callee]; !seen {
				visit(callee)
				low[fn] = min(low[fn], low[callee])
			} else if onStack[callee] {
				low[fn] = min(low[fn], index[callee])
			}
		}
		if low[fn] == index[fn] {
			var scc []*ssa.Function
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				scc = append(scc, top)
				if top == fn {
					break
				}
			}
			sccs = append(sccs, scc)
		}
	}
	for _, fn := range fns {
		if _, seen := index[fn]; !seen {
			visit(fn)
		}
	}
	return sccs
}

// Callees lists the functions fn calls statically (including function
// literals it calls directly or makes into closures), generic instances
// mapped to their origin.
func Callees(fn *ssa.Function) []*ssa.Function {
	var out []*ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var callee *ssa.Function
			switch instr := instr.(type) {
			case ssa.CallInstruction:
				callee = instr.Common().StaticCallee()
			case *ssa.MakeClosure:
				callee, _ = instr.Fn.(*ssa.Function)
			}
			if callee != nil {
				if o := callee.Origin(); o != nil {
					callee = o
				}
				out = append(out, callee)
			}
		}
	}
	return out
}

// IsRecursive reports whether a component needs fixed-point iteration.
func IsRecursive(scc []*ssa.Function) bool {
	if len(scc) > 1 {
		return true
	}
	for _, callee := range Callees(scc[0]) {
		if callee == scc[0] {
			return true
		}
	}
	return false
}
