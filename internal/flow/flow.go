// Package flow is nilsentry's per-function analysis: a forward data-flow
// over the SSA control-flow graph that tracks a nilstate.State per value
// (and per access path such as u.Profile), refines it on branch edges
// (guards), and checks it at every operation that panics on nil (sinks).
//
// It analyzes one function at a time and asks its Env for what it cannot
// see (callee summaries); it reports Findings and the function's own
// Summary. It does not format messages or talk to go/analysis.
package flow

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"
	"sync"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// Env is what the analysis of one function needs from outside it.
type Env interface {
	// Summary returns what is known about a callee, or nil.
	Summary(callee *ssa.Function) *summary.Summary
	// Field returns the evidence that a struct field may be nil, or nil.
	Field(f *types.Var) *nilstate.Evidence
	// MapLiteral returns the constant keys (constant.Value.ExactString)
	// with non-nil values of a package-level map that only its literal
	// fills (MapLiterals), or nil.
	MapLiteral(g *ssa.Global) map[string]bool
	// Where renders a position as "file.go:12" (base name only: the
	// package's own; summary.Export names the package when it leaves).
	Where(pos token.Pos) string
	// File is the name of the file of a position.
	File(pos token.Pos) string
	// Captured is the state of a variable a function literal captures
	// (field -1), or of a field of the struct it points to, as the
	// enclosing function knew it (see closures.go); Unknown if nothing is
	// known.
	Captured(c Capture) CapturedState
	// Entries lists the entry paths the findings of a function of this
	// package depend on (see entry.go), for its callers to check.
	Entries(callee *ssa.Function) []EntryPath
}

// Budgets bound the work spent on one function (design principle 4).
const (
	maxRounds = 12    // fixed-point rounds over the CFG
	maxBlocks = 20000 // larger functions are skipped, with a note
	maxFacts  = 4000  // tracked keys per block before giving up
	// maxStored bounds the facts held at block boundaries at once (sum of
	// the entry and exit maps' sizes): the memory of one function's
	// analysis. Giant generated state machines (a VM's dispatch loop)
	// reach it; ordinary functions stay far below.
	maxStored = 1_000_000
	maxFree   = 128 // recycled maps kept per function
)

// Finding is one sink that a nil may reach.
type Finding struct {
	Category string         // rule, see docs/messages.md
	Shape    Shape          // which syntax performs the operation
	Pos      token.Pos      // the SSA instruction's position
	State    nilstate.State // Nil or MaybeNil, with evidence
	Detail   string         // appended to the evidence, e.g. "(*T).M dereferences its receiver"
	Arg      int            // ShapeCallArg: which argument
	// Judged is set when the only evidence is a struct field's or an
	// imported function's result: whether it is reported depends on how
	// the package uses that field or result (see summary.Credible), known
	// only once every function is analyzed.
	Judged types.Object
	// Entry is set when the nil can only be the value a parameter's path
	// had on entry: callers that all pass it non-nil make the finding
	// moot (see entry.go).
	Entry *EntryPath

	// Path lists the branches taken on a path along which the nil
	// reaches the operation (feasible.go), nearest last; -explain and
	// editors show them as related information.
	Path []Branch

	// Via is the embedded field the nil value was loaded from when the
	// syntax selects through it (`s.Log()` with `struct{ *Logger }`):
	// the reporter names `s.Logger`, not s.
	Via string

	// derefBy, when set, is the callee that dereferences the argument
	// (derefParam, -1 for the receiver): Detail is built from it only for
	// a finding, not at every call.
	derefBy    *ssa.Function
	derefParam int
}

// Certain reports whether f holds on every path: a value nil wherever the
// operation runs, or a nil check whose outcome the dominating checks
// decide (the definite check's findings, go vet's nilness and more).
// Without -strict only these are shown.
func (f Finding) Certain() bool {
	return f.State.Kind == nilstate.Nil || f.Category == "nil-condition"
}

// withDetail fills Detail from derefBy.
func (f Finding) withDetail() Finding {
	if f.derefBy == nil {
		return f
	}
	name := displayName(f.derefBy)
	if f.derefParam < 0 {
		f.Detail = name + " dereferences its receiver"
	} else {
		// Params is empty for functions of other packages: use the signature.
		f.Detail = name + " dereferences parameter " + f.derefBy.Signature.Params().At(f.derefParam).Name()
	}
	f.derefBy = nil
	return f
}

// Shape says which kind of expression performs a sink, so the reporter
// can find it in the syntax tree from the instruction's position.
type Shape uint8

const (
	ShapeSelector Shape = iota // x.f: SelectorExpr at Sel
	ShapeStar                  // *p: StarExpr at Star (or an implicit load)
	ShapeIndex                 // p[i]: IndexExpr at Lbrack
	ShapeSlice                 // p[a:b]: SliceExpr at Lbrack
	ShapeCall                  // f(), x.M(): CallExpr at Lparen; operand is Fun (or Fun.X for methods)
	ShapeCallArg               // close(ch), g(p): CallExpr at Lparen; operand is Args[Arg]
	ShapeMapIndex              // m[k] = v: IndexExpr at Lbrack
	ShapeReturn                // return ..., x, ...: ReturnStmt; operand is Results[Arg]
	ShapeRange                 // for ... range x: RangeStmt (or the IndexExpr of x[i] in its body)
	ShapeAssert                // x.(T): TypeAssertExpr at Lparen (or the method value x.M)
	ShapeRecv                  // <-ch: UnaryExpr at OpPos (or a range over ch)
	ShapeSend                  // ch <- v: SendStmt at Arrow
	ShapeCond                  // x == nil, x != nil: BinaryExpr at OpPos, or a switch case
)

// Result is what Analyze learns about one function.
type Result struct {
	Findings []Finding
	Summary  *summary.Summary
	// Uses counts guarded and unguarded uses of judged fields and results.
	Uses map[types.Object]summary.FieldUses
	// Captures are the states of variables captured by the function
	// literals this function makes (see closures.go).
	Captures map[Capture]CapturedState
	// Calls are the states of callees' entry paths at this function's
	// calls (see entry.go).
	Calls []CallCheck
	// Degraded is non-empty when a budget was exceeded or the analysis
	// failed; the function then has no findings and an unknown summary.
	Degraded string
}

// Analyze runs the nil flow over fn.
func Analyze(fn *ssa.Function, env Env) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Degraded: fmt.Sprintf("internal error: %v", r), Summary: unknownSummary(fn)}
		}
	}()
	if len(fn.Blocks) == 0 {
		return Result{Summary: unknownSummary(fn)}
	}
	if len(fn.Blocks) > maxBlocks {
		return Result{Degraded: fmt.Sprintf("%d blocks exceed the budget of %d", len(fn.Blocks), maxBlocks), Summary: unknownSummary(fn)}
	}
	a := newAnalysis(fn, env)
	defer a.release()
	if msg := a.solve(); msg != "" {
		return Result{Degraded: msg, Summary: unknownSummary(fn)}
	}
	a.final()
	if cgoUnsafeArgs(fn) {
		a.findings = nil
	}
	return Result{Findings: a.findings, Summary: a.summarize(), Uses: a.uses, Captures: a.captures, Calls: a.calls}
}

func unknownSummary(fn *ssa.Function) *summary.Summary {
	return &summary.Summary{
		Results: make([]summary.Result, fn.Signature.Results().Len()),
		Params:  make([]summary.Param, len(fn.Params)),
	}
}

// facts maps a key (see keys.go) to its state at one program point. A key
// that is absent has its intrinsic state (see sources.go).
type facts map[any]nilstate.State

// clone copies f into a recycled map if one is free: the fixed point
// replaces every block's maps each round, and reusing them keeps the
// garbage (and the heap the collector lets grow) small.
func (a *analysis) clone(f facts) facts {
	var c facts
	if n := len(a.free); n > 0 {
		c = a.free[n-1]
		a.free = a.free[:n-1]
	} else if m := spare.get(); m != nil {
		c = m
	} else {
		return f.clone()
	}
	for k, v := range f {
		c[k] = v
	}
	return c
}

// recycle gives back a map nothing refers to any more.
func (a *analysis) recycle(f facts) {
	if f != nil && len(a.free) < maxFree {
		clear(f)
		a.free = append(a.free, f)
	}
}

// The maps of analyses that are done are kept for the next ones: most
// functions are small, and without reuse each would allocate its maps
// anew and grow them, garbage that pushes the heap past what the SSA
// itself needs (peak RSS under go vet).
var (
	spare      mapPool[facts, any, nilstate.State]
	spareKeys  mapPool[map[ssa.Value]any, ssa.Value, any]
	spareReps  mapPool[map[any]ssa.Value, any, ssa.Value]
	spareLoads mapPool[map[ssa.Value]pathKey, ssa.Value, pathKey]
	spareIntr  mapPool[map[ssa.Value]nilstate.State, ssa.Value, nilstate.State]
	spareLive  mapPool[map[ssa.Value]bool, ssa.Value, bool]
	spareDeref mapPool[map[token.Pos]Finding, token.Pos, Finding]
)

// mapPool is a sync.Pool of maps of one type.
type mapPool[M ~map[K]V, K comparable, V any] struct{ p sync.Pool }

// get returns a spare empty map, or nil if there is none.
func (p *mapPool[M, K, V]) get() M {
	m, _ := p.p.Get().(M)
	return m
}

// getOrMake returns a spare empty map or a new one.
func (p *mapPool[M, K, V]) getOrMake() M {
	if m := p.get(); m != nil {
		return m
	}
	return make(M)
}

// put keeps m unless it is big: clearing and filling a map costs what its
// capacity is, and a huge function's maps would burden small ones.
func (p *mapPool[M, K, V]) put(m M) {
	if m != nil && len(m) <= maxSpareLen {
		clear(m)
		p.p.Put(m)
	}
}

const maxSpareLen = 1024

// release hands the analysis's maps to the pools once nothing reads them.
func (a *analysis) release() {
	for _, fs := range [][]facts{a.in, a.out} {
		for i, f := range fs {
			spare.put(f)
			fs[i] = nil
		}
	}
	a.free = nil
	for i, l := range a.live {
		spareLive.put(l)
		a.live[i] = nil
	}
	spareDeref.put(a.derefSites)
	a.derefSites = nil
	spareKeys.put(a.keys)
	spareReps.put(a.reps)
	spareLoads.put(a.loads)
	spareIntr.put(a.intrinsics)
	a.keys, a.reps, a.loads, a.intrinsics = nil, nil, nil, nil
}

func (f facts) clone() facts {
	c := make(facts, len(f)+4)
	for k, v := range f {
		c[k] = v
	}
	return c
}

type analysis struct {
	fn  *ssa.Function
	env Env

	keys       map[ssa.Value]any
	loads      map[ssa.Value]pathKey // loads and the path they read
	reps       map[any]ssa.Value     // a representative value of each key
	intrinsics map[ssa.Value]nilstate.State
	sites      *nilSites
	judged     map[*nilstate.Evidence]types.Object // field and imported-result evidence in use, by identity

	inTest  bool                 // fn is declared in a _test.go file
	at      ssa.Instruction      // the instruction (or branch) whose effect is being applied, for holders
	atIndex int                  // its index in its block
	in, out []facts              // per block; nil means not (yet) reached
	live    []map[ssa.Value]bool // per block, values live on entry (live.go)
	free    []facts              // maps to reuse (see clone)

	// Filled by the final pass only.
	reporting  bool
	findings   []Finding
	reported   map[token.Pos]int     // the index in findings of the finding at each position
	derefSites map[token.Pos]Finding // unguarded dereferences, for deref-before-check
	paramDeref map[*ssa.Parameter]bool
	// paramDerefs are the dereferences of unknown parameters, in order;
	// final keeps the first of each parameter that every return passes
	// (which blocks return is known only once all are reached).
	paramDerefs []paramDerefAt
	returns     []returnSite
	typedNils   map[int]*summary.TypedNil // by result index (sinks.go, typedNil)
	uses        map[types.Object]summary.FieldUses
	captures    map[Capture]CapturedState

	frozen map[*ssa.FreeVar]bool // captured variables assigned once (closures.go)

	through map[ssa.Value]bool // values in loops that paths go through (keys.go)

	pathSteps int // spent by feasibility searches (feasible.go)
	condSteps int // spent by the searches for NilWhen conditions (nilwhen.go)

	calls  []CallCheck  // entry paths at calls (entry.go)
	stores map[any]bool // may a call store a field (entry.go)
	// pureCalls: some value is keyed as a pure call (callKey), whose
	// facts a write must drop (forgetCalls).
	pureCalls bool

	bases  []map[pathKey]bool // per block, paths of live loads (live.go)
	stored map[int]bool       // the field indexes the function stores to (storedFields)
	// deletes are the delete calls of each map key (missesAfterDelete).
	deletes map[deletedKey][]ssa.Instruction
	// readGlobals are the globals the function reads (readsGlobal).
	readGlobals map[*ssa.Global]bool
	loops       []bool // by block index
}

func newAnalysis(fn *ssa.Function, env Env) *analysis {
	return &analysis{
		fn:         fn,
		env:        env,
		keys:       spareKeys.getOrMake(),
		loads:      spareLoads.getOrMake(),
		reps:       spareReps.getOrMake(),
		intrinsics: spareIntr.getOrMake(),
		judged:     make(map[*nilstate.Evidence]types.Object),
		in:         make([]facts, len(fn.Blocks)),
		out:        make([]facts, len(fn.Blocks)),
		live:       liveIn(fn),
		inTest:     strings.HasSuffix(env.File(fn.Pos()), "_test.go"),
	}
}

// solve iterates the transfer functions over the CFG in reverse postorder
// until the block entry states stop changing; a block whose entry state
// did not change keeps its exit state.
func (a *analysis) solve() string {
	order := reversePostorder(a.fn)
	// stale marks the blocks whose entry state must be computed again: a
	// block's entry depends only on its predecessors' exit states, so
	// only a changed exit state makes its successors stale. Without it,
	// every round would recompute every entry, and the round that merely
	// confirms the fixed point (the only other round of a function
	// without loops) would cost as much as the first.
	stale := make([]bool, len(a.fn.Blocks))
	for i := range stale {
		stale[i] = true
	}
	// Without loops, reverse postorder visits every predecessor of a
	// block before the block: the first round reaches the fixed point,
	// so it reports too, and final need not replay the blocks.
	if !hasBackEdge(order) {
		a.startReporting()
	}
	stored := 0
	for round := 0; ; round++ {
		if round == maxRounds {
			return fmt.Sprintf("no fixed point after %d rounds", maxRounds)
		}
		changed := false
		for _, b := range order {
			if !stale[b.Index] {
				continue
			}
			stale[b.Index] = false
			entry := a.entry(b)
			if entry == nil {
				continue
			}
			if len(entry) > maxFacts {
				return fmt.Sprintf("%d tracked values exceed the budget of %d", len(entry), maxFacts)
			}
			if a.in[b.Index] != nil && sameFacts(a.in[b.Index], entry) {
				// The transfer depends on the entry state alone: the
				// block's exit state is the one computed from it before.
				a.recycle(entry)
				continue
			}
			stored += len(entry) - len(a.in[b.Index])
			a.recycle(a.in[b.Index])
			a.in[b.Index] = entry
			changed = true
			out := a.transfer(a.clone(a.in[b.Index]), b)
			stored += len(out) - len(a.out[b.Index])
			a.recycle(a.out[b.Index])
			a.out[b.Index] = out
			for _, succ := range b.Succs {
				stale[succ.Index] = true
			}
			if stored > maxStored {
				return fmt.Sprintf("%d facts at block boundaries exceed the budget of %d", stored, maxStored)
			}
		}
		if !changed {
			return ""
		}
	}
}

// entry computes the state on entry to b: the join over b's reached,
// feasible predecessor edges, each refined by its branch condition, with
// b's φ-nodes evaluated per edge.
func (a *analysis) entry(b *ssa.BasicBlock) facts {
	if b.Index == 0 {
		return a.initial()
	}
	if b == a.fn.Recover {
		return facts{}
	}
	var acc facts
	for i, p := range b.Preds {
		out := a.out[p.Index]
		if out == nil {
			continue
		}
		edge := a.clone(out)
		if !a.refineEdge(edge, p, b) {
			a.recycle(edge)
			continue
		}
		a.forgetPhiPaths(edge, b)
		for _, instr := range b.Instrs {
			phi, ok := instr.(*ssa.Phi)
			if !ok {
				break
			}
			if nilable(phi.Type()) {
				edge[a.key(phi)] = a.phiEdge(edge, phi, i)
			}
		}
		// Prune each edge before the join: a fact dead at b but present
		// on one edge only would otherwise be joined with its intrinsic
		// state on the other.
		a.prune(edge, b)
		if acc == nil {
			acc = edge
		} else {
			acc = a.join(acc, edge)
			a.recycle(edge)
		}
	}
	return acc
}

// join merges two predecessor states; a key missing on one side stands
// for what get would read there (absent).
func (a *analysis) join(x, y facts) facts {
	for k, sx := range x {
		sy, ok := y[k]
		if !ok {
			sy = a.absent(y, k)
		}
		x[k] = nilstate.Join(sx, sy)
	}
	for k, sy := range y {
		if _, ok := x[k]; !ok {
			if _, cur := k.(current); !cur {
				x[k] = nilstate.Join(a.absent(x, k), sy)
			}
		}
	}
	// A load is current after the merge only if it is on both sides: where
	// a call or store retired it on one, it reads its own (joined) fact.
	for k := range x {
		if _, cur := k.(current); cur {
			if _, ok := y[k]; !ok {
				delete(x, k)
			}
		}
	}
	return x
}

// absent is the state of a key that st has no fact for: a current load
// reads its path, anything else has its intrinsic state.
func (a *analysis) absent(st facts, k any) nilstate.State {
	if l, p, ok := a.loadPath(k); ok && isCurrent(st, l) {
		if s, ok := st[p]; ok {
			return s
		}
	}
	return a.intrinsicOfKey(k)
}

type paramDerefAt struct {
	p *ssa.Parameter
	b *ssa.BasicBlock
}

func sameFacts(x, y facts) bool {
	if len(x) != len(y) {
		return false
	}
	for k, sx := range x {
		sy, ok := y[k]
		if !ok || !nilstate.Equal(sx, sy) {
			return false
		}
	}
	return true
}

// final replays every reached block once more with reporting on, unless
// solve reported already, and records returns and parameter dereferences
// for the summary.
func (a *analysis) final() {
	if !a.reporting {
		a.startReporting()
		a.replay()
	}
	for _, d := range a.paramDerefs {
		if !a.paramDeref[d.p] && a.onEveryPath(d.b) {
			a.paramDeref[d.p] = true
		}
	}
	a.definite()
}

func (a *analysis) startReporting() {
	a.reporting = true
	a.reported = make(map[token.Pos]int)
	a.derefSites = spareDeref.getOrMake()
	a.paramDeref = make(map[*ssa.Parameter]bool)
	a.uses = make(map[types.Object]summary.FieldUses)
}

// replay runs every reached block's transfer from its fixed-point entry
// state.
func (a *analysis) replay() {
	for _, b := range reversePostorder(a.fn) {
		if a.in[b.Index] == nil {
			continue
		}
		out := a.transfer(a.clone(a.in[b.Index]), b)
		if out == nil {
			continue
		}
		// Edges out of b can report a dereference that a later nil check
		// contradicts (deref-before-check).
		for _, s := range b.Succs {
			edge := a.clone(out)
			a.refineEdge(edge, b, s)
			a.recycle(edge)
		}
		// out stays: returns keep their facts for the summary (recordReturn).
	}
}

// hasBackEdge reports whether an edge of the reached CFG goes to a block
// that order (a reverse postorder) does not put after its source.
func hasBackEdge(order []*ssa.BasicBlock) bool {
	at := make(map[*ssa.BasicBlock]int, len(order))
	for i, b := range order {
		at[b] = i
	}
	for i, b := range order {
		for _, s := range b.Succs {
			if j, ok := at[s]; ok && j <= i {
				return true
			}
		}
	}
	return false
}

// stateOf is the state of v in st (see get). ctx names the variable and
// place for nil constants, whose origin is found in the syntax.
func (a *analysis) stateOf(st facts, v ssa.Value, ctx constCtx) nilstate.State {
	return a.get(st, v, ctx)
}

// nilable reports whether values of type t can be nil and panic when
// used: pointers, maps, channels, funcs, interfaces (not slices, whose
// nil value reads as empty).
func nilable(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Basic:
		return t.Kind() == types.UnsafePointer
	}
	return false
}

func reversePostorder(fn *ssa.Function) []*ssa.BasicBlock {
	seen := make([]bool, len(fn.Blocks))
	var post []*ssa.BasicBlock
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		seen[b.Index] = true
		for _, s := range b.Succs {
			if !seen[s.Index] {
				visit(s)
			}
		}
		post = append(post, b)
	}
	visit(fn.Blocks[0])
	if fn.Recover != nil && !seen[fn.Recover.Index] {
		visit(fn.Recover)
	}
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}
