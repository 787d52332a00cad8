package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// This file is the list of nil sources: what a value's definition alone
// says about its nilness (its intrinsic state), before any branch refines
// it. "Unknown" is the default: a parameter or a field nobody nils is not
// evidence.

// constCtx tells where a nil constant is used, so that its origin in the
// syntax can be found: SSA constants carry no position.
type constCtx struct {
	name   string    // the variable it stands for, if known
	before token.Pos // the use; the origin is the last nil site before it
}

func (a *analysis) intrinsic(v ssa.Value, ctx constCtx) nilstate.State {
	if c, ok := v.(*ssa.Const); ok {
		if c.IsNil() && nilable(c.Type()) {
			return nilstate.NilBecause(nilstate.NewEvidence(a.nilSite(ctx)))
		}
		return nilstate.UnknownState
	}
	if s, ok := a.intrinsics[v]; ok {
		return s
	}
	s := a.computeIntrinsic(v)
	a.intrinsics[v] = s
	return s
}

// intrinsicOfKey is the state of a key absent from a fact map.
func (a *analysis) intrinsicOfKey(k any) nilstate.State {
	if _, ok := k.(*ssa.Phi); ok {
		return nilstate.UnknownState
	}
	if v, ok := a.reps[k]; ok {
		return a.intrinsic(v, constCtx{})
	}
	return nilstate.UnknownState
}

func (a *analysis) computeIntrinsic(v ssa.Value) nilstate.State {
	switch v := v.(type) {
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure, *ssa.MakeSlice,
		*ssa.MakeInterface, *ssa.Function, *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Global:
		// A boxed typed nil is a non-nil interface: that is the typed-nil
		// problem, reported at the return that makes it, not here.
		return nilstate.NonNilState
	case *ssa.ChangeType:
		return a.intrinsic(v.X, constCtx{})
	case *ssa.ChangeInterface:
		return a.intrinsic(v.X, constCtx{})
	case *ssa.TypeAssert:
		if !v.CommaOk {
			// x.(I) succeeds only for a non-nil x; x.(*T) may hold a typed nil.
			if types.IsInterface(v.AssertedType) {
				return nilstate.NonNilState
			}
		}
	case *ssa.Lookup:
		if !v.CommaOk && nilable(v.Type()) && !a.keyOfSameMap(v) && !a.literalKey(v) {
			if _, ok := v.X.Type().Underlying().(*types.Map); ok {
				s := a.maybeNil(v.Pos(), "map lookup may miss")
				if f := a.loadedField(v.X); f != nil {
					// A map held in a struct field is often an index
					// complete by construction (types.Info.Defs, a
					// package's table of its functions): judged by
					// how the package reads it.
					a.judged[s.Ev] = MapElems{f}
				}
				return s
			}
		}
	case *ssa.Extract:
		return a.extractIntrinsic(v)
	case *ssa.UnOp:
		// A load of a field for which the package has nil evidence.
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL && nilable(v.Type()) {
			if f := fieldOf(fa); f != nil {
				if ev := a.env.Field(f); ev != nil {
					a.judged[ev] = f
					return nilstate.MaybeNilBecause(ev)
				}
			}
		}
	case *ssa.Call:
		if nilable(v.Type()) {
			return a.callResult(v, 0)
		}
	}
	return nilstate.UnknownState
}

// MapElems stands for the elements of the map held in a struct field,
// as the object whose uses judge a missing-key finding (see
// summary.CredibleResult): unguarded lookups in several functions and
// fewer checks mean the code relies on the map being complete.
type MapElems struct{ *types.Var }

// literalKey reports whether a lookup is of a constant key that the
// literal of a package-level map, which nothing else changes, maps to a
// non-nil value (MapLiterals): it cannot miss.
func (a *analysis) literalKey(l *ssa.Lookup) bool {
	k, ok := l.Index.(*ssa.Const)
	if !ok || k.Value == nil {
		return false
	}
	load, ok := l.X.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	g, ok := load.X.(*ssa.Global)
	return ok && a.env.MapLiteral(g)[k.Value.ExactString()]
}

// keyOfSameMap reports whether a lookup's key is a key of the map
// itself: the key of a range over the map (`for k := range m { m[k] }`;
// a delete in the loop makes m[k] miss again, see transfer), or an
// element of its sorted or collected keys (`for _, k := range
// slices.Sorted(maps.Keys(m)) { m[k] }`). It cannot miss.
func (a *analysis) keyOfSameMap(l *ssa.Lookup) bool {
	if m := a.rangedKeyOf(l.Index); m != nil {
		return m == a.ident(l.X)
	}
	load, ok := l.Index.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	ia, ok := load.X.(*ssa.IndexAddr)
	if !ok {
		return false
	}
	m := a.keysOf(ia.X, make(map[ssa.Value]bool))
	return m != nil && m == a.ident(l.X)
}

// maxKeysDepth bounds how far keysOf follows a slice's construction.
const maxKeysDepth = 8

// keysOf returns the identity of the map whose keys, and only them, the
// slice s holds, or nil: slices.Sorted(maps.Keys(m)), or a slice filled
// by ranging over m (`for k := range m { keys = append(keys, k) }`,
// `names[i] = k`), sorted or not.
func (a *analysis) keysOf(s ssa.Value, seen map[ssa.Value]bool) any {
	if seen[s] {
		return inCycle{} // a loop's φ: its other edges decide
	}
	if len(seen) > maxKeysDepth {
		return nil
	}
	seen[s] = true
	if !a.onlyKeysStored(s, nil) {
		return nil
	}
	switch s := s.(type) {
	case *ssa.Call:
		c := s.Common()
		if isStdFunc(c, "slices", "Sorted", "Collect") && len(c.Args) == 1 {
			if seq, ok := c.Args[0].(*ssa.Call); ok && isStdFunc(seq.Common(), "maps", "Keys") && len(seq.Common().Args) == 1 {
				return a.ident(seq.Common().Args[0])
			}
			return nil
		}
		if m := a.keysOfCall(s); m != nil {
			return m // keys := t.sortedKeys()
		}
		if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(c.Args) == 2 {
			m := a.keysOf(c.Args[0], seen)
			if m == (inCycle{}) || isNilConst(c.Args[0]) || isEmptySlice(c.Args[0]) {
				m = nil // adds nothing
			} else if m == nil {
				return nil
			}
			elems, ok := c.Args[1].(*ssa.Slice)
			if !ok {
				return nil
			}
			arr, ok := elems.X.(*ssa.Alloc)
			if !ok {
				return nil
			}
			var em any
			if !a.onlyKeysStored(arr, &em) || em == nil || (m != nil && m != em) {
				return nil
			}
			return em
		}
	case *ssa.Phi:
		var m any
		for _, e := range s.Edges {
			if isNilConst(e) || isEmptySlice(e) {
				continue
			}
			em := a.keysOf(e, seen)
			if em == (inCycle{}) {
				continue
			}
			if em == nil || (m != nil && em != m) {
				return nil
			}
			m = em
		}
		return m
	case *ssa.Slice:
		return a.keysOf(s.X, seen)
	case *ssa.MakeSlice:
		var m any
		if !a.onlyKeysStored(s, &m) {
			return nil
		}
		return m
	}
	return nil
}

// keysAtReturns says which map's keys, and only them, result i holds at
// every return that hands back a non-empty slice, if that map is a
// parameter or a field path under one (summary.Result.KeysOf).
func (a *analysis) keysAtReturns(i int) (int, summary.FieldPath) {
	if _, ok := a.fn.Signature.Results().At(i).Type().Underlying().(*types.Slice); !ok || len(a.fn.Params) == 0 {
		return 0, summary.FieldPath{}
	}
	var m any
	for _, r := range a.returns {
		v := r.value(i)
		if isNilConst(v) || isEmptySlice(v) || r.recovered(i) {
			continue
		}
		k := a.keysOf(v, make(map[ssa.Value]bool))
		if k == nil || k == (inCycle{}) || m != nil && k != m {
			return 0, summary.FieldPath{}
		}
		m = k
	}
	var fields []int
	for m != nil && len(fields) <= len(summary.FieldPath{}) {
		for j, p := range a.fn.Params {
			if m != a.ident(p) {
				continue
			}
			var path summary.FieldPath
			for n, f := range fields { // innermost first
				path[len(fields)-1-n] = uint16(f + 1)
			}
			return j + 1, path
		}
		pk, ok := m.(pathKey)
		if !ok || pk.field < 0 {
			break
		}
		fields = append(fields, pk.field)
		m = pk.base
	}
	return 0, summary.FieldPath{}
}

// keysOfCall is the identity of the map whose keys a call's result
// holds, by its callee's summary (KeysOf), or nil.
func (a *analysis) keysOfCall(c *ssa.Call) any {
	sum := a.calleeSummary(c.Common())
	if sum == nil || len(sum.Results) != 1 || sum.Results[0].KeysOf == 0 {
		return nil
	}
	r := sum.Results[0]
	args := c.Common().Args
	if r.KeysOf > len(args) {
		return nil
	}
	m := a.ident(args[r.KeysOf-1])
	for i := range r.KeysPath.Len() {
		m = pathKey{m, r.KeysPath.Field(i)}
	}
	return m
}

// inCycle is what keysOf says of a φ it is already looking at.
type inCycle struct{}

// isEmptySlice reports whether v is a slice made empty (make([]T, 0, n)).
func isEmptySlice(v ssa.Value) bool {
	ms, ok := v.(*ssa.MakeSlice)
	return ok && isZeroConst(ms.Len)
}

// onlyKeysStored reports whether every element stored into the slice or
// array s is a key of one ranged map (recorded in *m when m is not nil;
// with m nil, only that no other value is stored).
func (a *analysis) onlyKeysStored(s ssa.Value, m *any) bool {
	refs := s.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, rr := range *ia.Referrers() {
			st, ok := rr.(*ssa.Store)
			if !ok || st.Addr != ssa.Value(ia) {
				continue
			}
			k := a.rangedKeyOf(st.Val)
			if k == nil {
				return false
			}
			if m != nil {
				if *m != nil && *m != k {
					return false
				}
				*m = k
			}
		}
	}
	return true
}

// rangedKeyOf returns the identity of the map v is a key of, when v is
// the key of a range over that map.
func (a *analysis) rangedKeyOf(v ssa.Value) any {
	e, ok := v.(*ssa.Extract)
	if !ok || e.Index != 1 {
		return nil
	}
	next, ok := e.Tuple.(*ssa.Next)
	if !ok || next.IsString {
		return nil
	}
	rng, ok := next.Iter.(*ssa.Range)
	if !ok {
		return nil
	}
	return a.ident(rng.X)
}

// isStdFunc reports whether c calls one of the named functions of the
// standard package pkg (generic instances included).
func isStdFunc(c *ssa.CallCommon, pkg string, names ...string) bool {
	fn := c.StaticCallee()
	if fn == nil {
		return false
	}
	fn = origin(fn)
	return fn.Pkg != nil && fn.Pkg.Pkg.Path() == pkg && slices.Contains(names, fn.Name())
}

func (a *analysis) maybeNil(pos token.Pos, what string) nilstate.State {
	return nilstate.MaybeNilBecause(nilstate.NewEvidence(a.step(pos, what)))
}

func (a *analysis) step(pos token.Pos, what string) nilstate.Step {
	return nilstate.Step{Pos: pos, Where: a.env.Where(pos), What: what}
}

// extractIntrinsic: the value of a failed comma-ok is the zero value;
// a call's result follows the callee's summary.
func (a *analysis) extractIntrinsic(e *ssa.Extract) nilstate.State {
	if !nilable(e.Type()) {
		return nilstate.UnknownState
	}
	switch t := e.Tuple.(type) {
	case *ssa.Lookup:
		if t.CommaOk && e.Index == 0 {
			return a.maybeNil(t.Pos(), "map lookup may miss")
		}
	case *ssa.TypeAssert:
		// `v, _ := p.(I)` of a parameter p to an interface says the
		// author knows the callers pass values that implement I (triage
		// F11 and P-assert-arg: go/ssa's `v, _ := i.(Value)`): not
		// evidence. `s, _ := v.(*Session)` from a context or a sync.Map
		// is, and so is `err, _ := l.UnpackValue().(error)`.
		_, ofParam := t.X.(*ssa.Parameter)
		if t.CommaOk && e.Index == 0 && !(ofParam && discarded(t, 1) && types.IsInterface(t.AssertedType)) {
			return a.maybeNil(t.Pos(), "type assertion may fail")
		}
	case *ssa.UnOp:
		if t.CommaOk && e.Index == 0 {
			return a.maybeNil(t.Pos(), "receive from a closed channel")
		}
	case *ssa.Call:
		return a.callResult(t, e.Index)
	}
	return nilstate.UnknownState
}

// resultAt is result i of the callee's summary as this call sees it: a
// result nil with a nil error only under conditions that the call's
// constant arguments contradict is nil only with an error here
// (summary.Result.ErrEv).
func resultAt(call *ssa.Call, sum *summary.Summary, i int) summary.Result {
	r := sum.Results[i]
	if r.Kind == summary.ResultMaybeNil && r.ErrEv != nil && argsExclude(call, r.NilErrWhen) {
		return summary.Result{Kind: summary.ResultNilIfErr, Ev: r.ErrEv, NilWhen: r.NilWhen}
	}
	return r
}

// callResult is the state of result i of a call, from the callee's
// summary. A result that is nil only with an error (or a false ok) is
// MaybeNil until a check of that error (or ok) refines it (guards.go).
func (a *analysis) callResult(call *ssa.Call, i int) nilstate.State {
	callee := call.Common().StaticCallee()
	if callee == nil {
		return nilstate.UnknownState
	}
	sum := a.env.Summary(callee)
	if sum == nil || i >= len(sum.Results) {
		return nilstate.UnknownState
	}
	r := resultAt(call, sum, i)
	switch r.Kind {
	case summary.ResultNonNil:
		return nilstate.NonNilState
	case summary.ResultMaybeNil:
		if argsExclude(call, r.NilWhen) {
			return nilstate.UnknownState // stkbucket(..., true) never takes its `!alloc` nil return
		}
		if o := origin(callee); o.Pkg != origin(a.fn).Pkg && o.Object() != nil {
			// Another package's result: judged by how this package uses
			// it (types.Info.TypeOf is nil only for untyped expressions,
			// which callers know they do not pass).
			a.judged[r.Ev] = callee.Object()
		}
		return nilstate.MaybeNilBecause(r.Ev)
	case summary.ResultNilIfErr, summary.ResultNilIfNotOK, summary.ResultNilIfZero, summary.ResultNilIfNonZero:
		if (a.inTest || constantArgs(call)) && companionDiscarded(call, r.Kind) {
			// `v, _ := f()` in a test: the author asserts that f succeeds
			// here, and if it does not the test panics and fails, loudly
			// and at once. Not a nil that reaches production. Likewise
			// `v, _ := parse("literal")`: the author knows the input.
			return nilstate.UnknownState
		}
		if r.Kind == summary.ResultNilIfNotOK && assertsToInterface(call, i) && companionDiscarded(call, r.Kind) {
			return nilstate.UnknownState // `m, _ := reflect.TypeAssert[Marshaler](v)`, as `m, _ := p.(Marshaler)`
		}
		return nilstate.MaybeNilBecause(r.Ev)
	case summary.ResultNilIfParamNil:
		// Nil in, nil out: evidence only if the argument may be nil.
		if args := call.Common().Args; r.Param < len(args) {
			if s := a.intrinsic(args[r.Param], constCtx{before: call.Pos()}); s.Kind.MayBeNil() {
				ev := s.Ev.Then(a.step(call.Pos(), "passed through "+displayName(callee)))
				if obj := a.judged[s.Ev]; obj != nil {
					a.judged[ev] = obj // still judged as the original evidence
				}
				return nilstate.MaybeNilBecause(ev)
			}
		}
	}
	return nilstate.UnknownState
}

// assertsToInterface reports whether result i of a generic call is its
// type parameter instantiated to an interface: a type assertion by
// another name (reflect.TypeAssert[T]). With the ok thrown away the author
// knows the value implements T, as with `v, _ := p.(I)` (extractIntrinsic):
// the type was checked through reflection or chosen by a switch that the
// analysis does not follow (triage P-blank-ok: encoding/gob, encoding/json).
func assertsToInterface(call *ssa.Call, i int) bool {
	callee := call.Common().StaticCallee()
	if callee == nil || len(callee.TypeArgs()) == 0 {
		return false
	}
	generic, inst := origin(callee).Signature.Results(), callee.Signature.Results()
	if i >= generic.Len() || i >= inst.Len() {
		return false
	}
	_, isParam := generic.At(i).Type().(*types.TypeParam)
	return isParam && types.IsInterface(inst.At(i).Type())
}

// minLen is a lower bound of the length of slice v: the elements an
// append adds or a slice literal has.
func minLen(v ssa.Value) int64 {
	switch v := v.(type) {
	case *ssa.Call:
		if isBuiltin(v.Common().Value, "append") && len(v.Common().Args) == 2 {
			return minLen(v.Common().Args[0]) + minLen(v.Common().Args[1])
		}
	case *ssa.Slice:
		if v.Low != nil || v.High != nil {
			return 0
		}
		if ptr, ok := v.X.Type().Underlying().(*types.Pointer); ok {
			if arr, ok := ptr.Elem().Underlying().(*types.Array); ok {
				return arr.Len() // a slice literal, or append's variadic elements
			}
		}
	}
	return 0
}

// constantArgs reports whether a call has arguments and all of them,
// the receiver aside, are constants.
func constantArgs(call *ssa.Call) bool {
	args := call.Common().Args
	if call.Common().Signature().Recv() != nil && len(args) > 0 {
		args = args[1:]
	}
	for _, arg := range args {
		if _, ok := arg.(*ssa.Const); !ok {
			return false
		}
	}
	return len(args) > 0
}

// companionDiscarded reports whether the error (or ok) result that tells
// when a call's other result is nil is thrown away: assigned to _ .
func companionDiscarded(call *ssa.Call, kind summary.ResultKind) bool {
	results := call.Common().Signature().Results()
	for j := 0; j < results.Len(); j++ {
		t := results.At(j).Type()
		if kind == summary.ResultNilIfErr && !isError(t) || kind == summary.ResultNilIfNotOK && !isBool(t) {
			continue
		}
		if !discarded(call, j) {
			return false
		}
	}
	return true
}

// discarded reports whether result i of tuple t is never used (`_`).
func discarded(t ssa.Value, i int) bool {
	for _, e := range extracts(t, i) {
		for _, r := range *e.Referrers() {
			if _, debug := r.(*ssa.DebugRef); !debug {
				return false
			}
		}
	}
	return true
}

func (a *analysis) calleeSummary(c *ssa.CallCommon) *summary.Summary {
	callee := c.StaticCallee()
	if callee == nil {
		return nil
	}
	return a.env.Summary(callee)
}

// phiEdge is the state φ takes along its i'th incoming edge, evaluated in
// that edge's (already refined) state.
func (a *analysis) phiEdge(edge facts, phi *ssa.Phi, i int) nilstate.State {
	v := phi.Edges[i]
	ctx := constCtx{name: phi.Comment, before: blockEnd(phi.Block().Preds[i])}
	if ctx.before == token.NoPos {
		ctx.before = phi.Pos()
	}
	return a.stateOf(edge, v, ctx)
}

// blockEnd is the last source position in b or, if b has none (a plain
// jump block), in its nearest dominator that has one.
func blockEnd(b *ssa.BasicBlock) token.Pos {
	for ; b != nil; b = b.Idom() {
		for i := len(b.Instrs) - 1; i >= 0; i-- {
			if p := b.Instrs[i].Pos(); p.IsValid() {
				return p
			}
		}
	}
	return token.NoPos
}

// nilSites indexes the places in a function's syntax where a variable
// becomes nil: `var p *T`, `p = nil`, named results. SSA constants have no
// position, so the origin of a nil constant is the last such site of its
// variable before the use.
type nilSites struct {
	byName map[string][]nilSite // sorted by position
	all    []nilSite
}

type nilSite struct {
	pos  token.Pos
	what string
}

// declaredNil returns the declaration of the local variable al when it
// is declared without a value, its zero value is nil and its address
// goes to errors.As, which may leave it so. Other variables kept in
// memory start unknown: the repeated-condition rules (conditions.go) see
// only φ-nodes, so a memory variable set under `if !all` and read under
// the same test would be reported where its lifted twin is not.
func (a *analysis) declaredNil(al *ssa.Alloc) (nilstate.Step, bool) {
	if !nilable(al.Type().(*types.Pointer).Elem()) || !al.Pos().IsValid() || !isErrorsAsTarget(al) {
		return nilstate.Step{}, false
	}
	if a.sites == nil {
		a.sites = collectNilSites(a.fn)
	}
	for _, site := range a.sites.byName[al.Comment] {
		if site.pos == al.Pos() && site.what == "declared without a value" {
			return a.step(site.pos, site.what), true
		}
	}
	return nilstate.Step{}, false
}

func (a *analysis) nilSite(ctx constCtx) nilstate.Step {
	if a.sites == nil {
		a.sites = collectNilSites(a.fn)
	}
	list := a.sites.all
	if ctx.name != "" {
		if l, ok := a.sites.byName[ctx.name]; ok {
			list = l
		}
	}
	var best *nilSite
	for i := range list {
		if ctx.before.IsValid() && list[i].pos > ctx.before {
			break
		}
		best = &list[i]
	}
	if best == nil && len(list) > 0 {
		best = &list[0]
	}
	if best == nil {
		pos := ctx.before
		if !pos.IsValid() {
			pos = a.fn.Pos()
		}
		return a.step(pos, "nil")
	}
	return a.step(best.pos, best.what)
}

func collectNilSites(fn *ssa.Function) *nilSites {
	s := &nilSites{byName: make(map[string][]nilSite)}
	add := func(name string, pos token.Pos, what string) {
		site := nilSite{pos, what}
		s.byName[name] = append(s.byName[name], site)
		s.all = append(s.all, site)
	}
	isNil := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == "nil"
	}
	syntax := fn.Syntax()
	var ftype *ast.FuncType
	var body *ast.BlockStmt
	switch syntax := syntax.(type) {
	case *ast.FuncDecl:
		ftype, body = syntax.Type, syntax.Body
	case *ast.FuncLit:
		ftype, body = syntax.Type, syntax.Body
	}
	if ftype != nil && ftype.Results != nil {
		for _, field := range ftype.Results.List {
			for _, name := range field.Names {
				add(name.Name, name.Pos(), "declared without a value")
			}
		}
	}
	if body != nil {
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // its own function
			case *ast.ValueSpec:
				for i, name := range n.Names {
					switch {
					case len(n.Values) == 0:
						add(name.Name, name.Pos(), "declared without a value")
					case len(n.Values) == len(n.Names) && isNil(n.Values[i]):
						add(name.Name, n.Values[i].Pos(), "assigned nil")
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, lhs := range n.Lhs {
						if isNil(n.Rhs[i]) {
							add(types.ExprString(lhs), n.Rhs[i].Pos(), "assigned nil")
						}
					}
				}
			}
			return true
		})
	}
	for _, l := range s.byName {
		sort.Slice(l, func(i, j int) bool { return l[i].pos < l[j].pos })
	}
	sort.Slice(s.all, func(i, j int) bool { return s.all[i].pos < s.all[j].pos })
	return s
}

// origin maps a generic instance to its generic function.
func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}
