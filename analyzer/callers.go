package analyzer

import (
	"go/types"

	"github.com/nilsentry/nilsentry/internal/flow"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// callers decides which findings the callers make moot (see
// internal/flow/entry.go): in a function only this package can call,
// a finding whose nil can only come from the caller is dropped when
// every call passes the path it depends on non-nil.
type callers struct {
	calls     map[*ssa.Function]int            // static calls, by callee
	escaped   map[types.Object]bool            // functions used as values, method values and expressions
	ifaceMeth map[string]bool                  // method names of the package's interfaces
	nonNil    map[*ssa.Function]map[string]int // calls passing each entry path non-nil
}

// newCallers counts the calls in fns; tests says whether the methods of
// interfaces declared in test files count as called through them.
func newCallers(pass *analysis.Pass, fns []*ssa.Function, results map[*ssa.Function]flow.Result, tests bool) *callers {
	c := &callers{
		calls:     make(map[*ssa.Function]int),
		escaped:   make(map[types.Object]bool),
		ifaceMeth: make(map[string]bool),
		nonNil:    make(map[*ssa.Function]map[string]int),
	}
	var ops []*ssa.Value
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var callee ssa.Value
				if call, ok := instr.(ssa.CallInstruction); ok && !call.Common().IsInvoke() {
					callee = call.Common().Value
					if f, ok := callee.(*ssa.Function); ok {
						c.calls[f]++
					}
				}
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					if f, ok := (*op).(*ssa.Function); ok && *op != callee && f.Object() != nil {
						// A bound method or thunk wrapper names its method.
						c.escaped[f.Object()] = true
					}
				}
			}
		}
		for _, check := range results[fn].Calls {
			if check.NonNil {
				if c.nonNil[check.Callee] == nil {
					c.nonNil[check.Callee] = make(map[string]int)
				}
				c.nonNil[check.Callee][check.Path]++
			}
		}
	}
	for expr, tv := range pass.TypesInfo.Types {
		if !tv.IsType() || !tests && isTestFile(pass, expr.Pos()) {
			continue
		}
		if it, ok := tv.Type.Underlying().(*types.Interface); ok {
			for i := 0; i < it.NumMethods(); i++ {
				c.ifaceMeth[it.Method(i).Name()] = true
			}
		}
	}
	return c
}

// moot reports whether every caller of fn passes the finding's entry
// path non-nil, and only this package's code can call fn.
func (c *callers) moot(fn *ssa.Function, f flow.Finding) bool {
	if f.Entry == nil || fn.Parent() != nil {
		return false
	}
	obj := fn.Object()
	if obj == nil || obj.Exported() || c.escaped[obj] {
		return false
	}
	if fn.Signature.Recv() != nil && c.ifaceMeth[obj.Name()] {
		return false // may be called through an interface
	}
	n := c.calls[fn]
	return n > 0 && c.nonNil[fn][f.Entry.String()] == n
}
