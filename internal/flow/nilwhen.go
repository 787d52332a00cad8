package flow

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// Conditional nil results. A function's nil return often happens only
// for some inputs: `if _, ok := value.(BitsValuer); !ok { return nil }`,
// `switch format { ... } return nil`, `if res == nil { return nil, nil }`.
// The path walk (feasible.go) run from each nil return back to the entry
// ends with what each path requires of the parameters; those conditions
// are the result's NilWhen in the summary. A caller's walk that reaches
// the call with the result nil requires one of them of the arguments: a
// call with TextFormatCode and a Bits value gets no nil from PlanEncode.

// maxCondStepsFunc bounds the steps of the walks for one function's
// NilWhen conditions; past it, its nil results are unconditional.
const maxCondStepsFunc = 20_000

// nilWhenAll is the union of the conditions under which the returns rets
// hand back nil as result i, or nil if one of them needs none.
func (a *analysis) nilWhenAll(rets []returnSite, i int) []summary.Cond {
	if len(a.fn.Params) == 0 || isError(a.fn.Signature.Results().At(i).Type()) {
		return nil // an error's nil is no finding's origin
	}
	return a.whenAll(rets, func(r returnSite) ssa.Value { return r.ops[i] })
}

// returnsWhen is the union of the conditions under which the function
// reaches a return, for a function that may panic instead (a block ends
// in a panic), or nil if one return needs none.
func (a *analysis) returnsWhen() []summary.Cond {
	if len(a.fn.Params) == 0 || !slices.ContainsFunc(a.fn.Blocks, a.panicsOnParamTest) {
		return nil
	}
	return a.whenAll(a.returns, func(returnSite) ssa.Value { return nil })
}

// panicsOnParamTest reports whether b ends in a panic under a branch that
// tests a parameter: without one, no path to a return can require
// anything of the parameters, and the walks from the returns (which
// follow every path, there being no value to track) would be spent for
// nothing.
func (a *analysis) panicsOnParamTest(b *ssa.BasicBlock) bool {
	if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Panic); !ok {
		return false
	}
	for d := b; d != nil; d = d.Idom() {
		for _, p := range d.Preds {
			if br, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If); ok && testsParam(br.Cond, 2) {
				return true
			}
		}
	}
	return false
}

// testsParam reports whether v is computed from a parameter, its length
// or a field it points to, within depth operations.
func testsParam(v ssa.Value, depth int) bool {
	switch v := v.(type) {
	case *ssa.Parameter:
		return true
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
			_, ok := fa.X.(*ssa.Parameter)
			return ok
		}
		return depth > 0 && testsParam(v.X, depth-1)
	case *ssa.BinOp:
		return depth > 0 && (testsParam(v.X, depth-1) || testsParam(v.Y, depth-1))
	case *ssa.Call:
		_, ok := lenOf(v)
		return ok
	case *ssa.Extract:
		if ta, ok := v.Tuple.(*ssa.TypeAssert); ok {
			return depth > 0 && testsParam(ta.X, depth-1)
		}
	}
	return false
}

// panicsAt reports whether the call's arguments, as the call site alone
// shows them, meet none of the conditions under which its callee returns
// (`r.typeErrorResult(true, ...)`): the code after it does not run.
func (a *analysis) panicsAt(call *ssa.Call) bool {
	sum := a.calleeSummary(call.Common())
	return sum != nil && argsExclude(call, sum.ReturnsWhen)
}

// whenAll is the union of the conditions under which each return r of
// rets is reached with v(r) nil (any value, for a nil v(r)), or nil if
// one of them needs none.
func (a *analysis) whenAll(rets []returnSite, v func(returnSite) ssa.Value) []summary.Cond {
	var all []summary.Cond
	for _, r := range rets {
		conds := a.nilWhen(r.block.Instrs[len(r.block.Instrs)-1], v(r))
		if len(conds) == 0 {
			return nil
		}
		for _, c := range conds {
			if !slices.ContainsFunc(all, func(d summary.Cond) bool { return slices.Equal(c, d) }) {
				all = append(all, c)
			}
		}
		if len(all) > summary.MaxConds {
			return nil
		}
	}
	return all
}

// nilWhen returns the conditions on the parameters under which the
// return ret hands back nil as v (or is reached, for a nil v), or nil
// when some path needs none (or the walk ran out of budget, or there are
// too many to keep).
func (a *analysis) nilWhen(ret ssa.Instruction, v ssa.Value) []summary.Cond {
	var conds []summary.Cond
	if a.condSteps >= maxCondStepsFunc {
		return nil
	}
	// The walks for the summary have their own budget, so that they leave
	// the findings' checks theirs.
	saved := a.pathSteps
	a.pathSteps = 0
	defer func() { a.condSteps += a.pathSteps; a.pathSteps = saved }()
	unconditional := false
	found, exhausted := a.search(ret, v, false, func(st *pstate, _ *branchNode) bool {
		c := a.paramFacts(st)
		if len(c) == 0 || len(conds) == summary.MaxConds {
			unconditional = true
			return true
		}
		if !slices.ContainsFunc(conds, func(d summary.Cond) bool { return slices.Equal(c, d) }) {
			conds = append(conds, c)
		}
		return false
	})
	if !found || exhausted || unconditional {
		return nil
	}
	return conds
}

// paramFacts projects a state at the entry onto the parameters: what it
// requires of each, and of the fields of the structs they point to.
// Anything else (globals, relations) is left out: a weaker condition.
func (a *analysis) paramFacts(st *pstate) summary.Cond {
	var c summary.Cond
	for _, e := range st.facts {
		param, field := -1, -1
		switch k := e.k.(type) {
		case *ssa.Parameter:
			param = slices.Index(a.fn.Params, k)
		case memAt:
			if p, ok := k.p.base.(*ssa.Parameter); ok && k.p.field >= 0 && pointee(p.Type()) != nil {
				param, field = slices.Index(a.fn.Params, p), k.p.field
			}
		case lenKey:
			param, field = slices.Index(a.fn.Params, k.p), summary.LenField
		}
		f := e.f
		if f.is < 0 && field == -1 && param >= 0 && !isBool(a.fn.Params[param].Type()) {
			// Non-nil: mostly because the path dereferences it, which a
			// caller passing nil would not survive. Saying so adds
			// nothing a caller can use.
			f.is = 0
		}
		if param < 0 || f.is == 0 && !f.ranged && f.c == nil {
			continue
		}
		c = append(c, summary.ParamFact{Param: param, Field: field, Is: f.is, Ranged: f.ranged, Lo: f.lo, Hi: f.hi,
			Eq: f.k().eq, Neq: f.k().neq, TypeIn: f.k().tin, TypeOut: f.k().tout}) // f.k() copies, never allocates
		if len(c) == summary.MaxCondFacts {
			break
		}
	}
	sortCond(c)
	return c
}

// sortCond orders a condition's facts by parameter and field, so that
// equal conditions are equal slices.
func sortCond(c summary.Cond) {
	slices.SortFunc(c, func(x, y summary.ParamFact) int { return (x.Param-y.Param)*1024 + x.Field - y.Field })
}

// someCond requires of call's arguments one of conds. The first that
// they can meet constrains st; the others become forks of the walk
// (walker.forks), each searched on its own. With forking off, several
// that can be met constrain nothing.
func (w *walker) someCond(st *pstate, call *ssa.Call, conds []summary.Cond) bool {
	var met []*pstate
	for _, c := range conds {
		s := st.clone()
		if w.meets(s, call, c) {
			met = append(met, s)
		}
	}
	switch {
	case len(met) == 0:
		return false
	case len(met) == 1:
		*st = *met[0]
	case !w.noFork:
		*st = *met[0]
		w.forks = append(w.forks, met[1:]...)
	}
	return true
}

// meets requires condition c of call's arguments.
func (w *walker) meets(st *pstate, call *ssa.Call, c summary.Cond) bool {
	args := call.Call.Args
	for _, pf := range c {
		if pf.Param >= len(args) {
			continue
		}
		f := factOf(pf)
		arg := args[pf.Param]
		if pf.Field == summary.LenField {
			if f.ranged && minLen(arg) > f.hi { // the call builds a longer slice
				return false
			}
			continue
		}
		if pf.Field < 0 {
			if !w.assume(st, arg, f) {
				return false
			}
			continue
		}
		if pointee(arg.Type()) == nil {
			continue
		}
		if !w.merge(st, memAt{w.a.newPath(w.a.ident(arg), pf.Field)}, f) {
			return false
		}
	}
	return w.propagate(st)
}

// factOf is what pf requires of its subject, as a walk's fact.
func factOf(pf summary.ParamFact) fact {
	return fact{is: pf.Is, ranged: pf.Ranged, lo: pf.Lo, hi: pf.Hi}.withConsts(consts{pf.Eq, pf.Neq, pf.TypeIn, pf.TypeOut})
}

// argsExclude reports whether the call's arguments, as the call site
// alone shows them (a constant, the length of a slice the call builds),
// meet none of conds: a result nil only under conds is not nil here
// (`stkbucket(..., true)` never takes its `!alloc` nil return). The path
// walk decides the rest, with what the path knows of the arguments.
func argsExclude(call *ssa.Call, conds []summary.Cond) bool {
	args := call.Call.Args
	excluded := func(c summary.Cond) bool {
		for _, pf := range c {
			if pf.Param >= len(args) {
				continue
			}
			f := factOf(pf)
			switch arg := args[pf.Param].(type) {
			case *ssa.Const:
				if pf.Field == -1 && !holds(arg, f) {
					return true
				}
			default:
				if pf.Field == summary.LenField && f.ranged && minLen(arg) > f.hi {
					return true
				}
			}
		}
		return false
	}
	return len(conds) > 0 && !slices.ContainsFunc(conds, func(c summary.Cond) bool { return !excluded(c) })
}

// lenKey is the subject of a walk's fact about len(p) of a parameter p,
// which every len(p) of the function computes.
type lenKey struct{ p *ssa.Parameter }

// lenOf returns p for len(p) of a parameter p.
func lenOf(call *ssa.Call) (*ssa.Parameter, bool) {
	if !isBuiltin(call.Common().Value, "len") || len(call.Common().Args) != 1 {
		return nil, false
	}
	p, ok := call.Common().Args[0].(*ssa.Parameter)
	return p, ok
}

// typeKey names t for a type fact: its type string with package paths,
// prefixed "I:" for an interface, whose assertion is decided by method
// sets rather than identity.
func typeKey(t types.Type) string {
	s := types.TypeString(t, nil)
	if types.IsInterface(t) {
		return "I:" + s
	}
	return s
}

// typeHolds reports whether a value of dynamic type dyn meets f's type
// facts. An interface it cannot find (unnamed, or in a package this one
// does not import) decides nothing.
func (a *analysis) typeHolds(dyn types.Type, f fact) bool {
	k := f.k()
	if k.tin == "" && k.tout == "" {
		return true
	}
	passes := func(key string) (pass, known bool) {
		if name, ok := strings.CutPrefix(key, "I:"); ok {
			iface := a.lookupInterface(name)
			if iface == nil {
				return false, false
			}
			return types.Implements(dyn, iface), true
		}
		return key == types.TypeString(dyn, nil), true
	}
	for key := range strings.SplitSeq(k.tin, "\x00") {
		if pass, known := passes(key); key != "" && known && !pass {
			return false
		}
	}
	for key := range strings.SplitSeq(k.tout, "\x00") {
		if pass, known := passes(key); key != "" && known && pass {
			return false
		}
	}
	return true
}

// lookupInterface finds the interface named "path.Name" (or a universe
// name) among the packages fn's package imports, directly or not.
func (a *analysis) lookupInterface(name string) *types.Interface {
	if obj := types.Universe.Lookup(name); obj != nil {
		iface, _ := obj.Type().Underlying().(*types.Interface)
		return iface
	}
	if a.fn.Pkg == nil {
		return nil
	}
	dot := strings.LastIndexByte(name, '.')
	if dot < 0 {
		return nil
	}
	pkg := importedPackage(a.fn.Pkg.Pkg, name[:dot])
	if pkg == nil {
		return nil
	}
	obj := pkg.Scope().Lookup(name[dot+1:])
	if obj == nil {
		return nil
	}
	iface, _ := obj.Type().Underlying().(*types.Interface)
	return iface
}

// importedPackage finds the package of the given path among those from
// imports, directly or not (a search each time: it runs only where a type
// fact meets a concrete type, which is rare).
func importedPackage(from *types.Package, path string) *types.Package {
	seen := map[*types.Package]bool{from: true}
	queue := []*types.Package{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p.Path() == path {
			return p
		}
		for _, q := range p.Imports() {
			if !seen[q] {
				seen[q] = true
				queue = append(queue, q)
			}
		}
	}
	return nil
}
