package flow

import (
	"go/types"
	"slices"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// Models: the few facts inference cannot see. Keep this list short and
// say why each entry exists.

// noReturnInvoke reports calls through an interface that never return.
// ctrlflow infers no-return for static calls (log.Fatal, os.Exit,
// (*testing.T).Fatal, panic wrappers), but a call through an interface
// has no static callee. Two conventions stand in for it: testing.TB's
// Fatal, FailNow and Skip methods, and a logger's Fatal, Fatalf and
// Fatalln, which exit as log.Fatal does (grpclog.DepthLoggerV2,
// logrus.FieldLogger: the implementations behind such interfaces call
// os.Exit).
func noReturnInvoke(c *ssa.CallCommon) bool {
	if !c.IsInvoke() {
		return false
	}
	switch c.Method.Name() {
	case "Fatal", "Fatalf", "Fatalln":
		return true
	case "FailNow", "Skip", "Skipf", "SkipNow":
	default:
		return false
	}
	named, ok := types.Unalias(c.Value.Type()).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "testing" && named.Obj().Name() == "TB"
}

// testifyNotNil reports whether c is testify's NotNil (or Error, which
// asserts a non-nil error) and returns the checked object: require.X
// stops the test when it is nil and assert.X returns false. Both look
// through the interface with reflection (a nil *T in the any is nil to
// them), which inference cannot follow.
func testifyNotNil(c *ssa.CallCommon) (obj ssa.Value, stops bool, ok bool) {
	return testify(c, "NotNil", "Error")
}

// testifyNoError is testify's NoError: after require.NoError(t, err) (or
// in the true branch of assert.NoError), err is nil, so results that are
// nil only with an error are not.
func testifyNoError(c *ssa.CallCommon) (err ssa.Value, stops bool, ok bool) {
	return testify(c, "NoError")
}

func testify(c *ssa.CallCommon, names ...string) (obj ssa.Value, stops bool, ok bool) {
	callee := c.StaticCallee()
	if callee == nil || callee.Pkg == nil || len(c.Args) < 2 || !slices.Contains(names, callee.Name()) {
		return nil, false, false
	}
	switch callee.Pkg.Pkg.Path() {
	case "github.com/stretchr/testify/require":
		stops = true
	case "github.com/stretchr/testify/assert":
	default:
		return nil, false, false
	}
	obj = c.Args[1]
	if mi, ok := obj.(*ssa.MakeInterface); ok {
		obj = mi.X
	}
	return obj, stops, true
}

// Model returns a summary for a function whose contract inference cannot
// see, or nil. internal/abi.TypeOf reads an interface's type word through
// unsafe: it is nil exactly for a nil interface, which makes
// reflect.TypeOf nil only for a nil argument (inferred from there on).
func Model(fn *ssa.Function) *summary.Summary {
	if fn.Pkg == nil || fn.Pkg.Pkg.Path() != "internal/abi" || fn.Name() != "TypeOf" || fn.Signature.Recv() != nil {
		return nil
	}
	return &summary.Summary{
		Results: []summary.Result{{Kind: summary.ResultNilIfParamNil, Param: 0}},
		Params:  make([]summary.Param, len(fn.Params)),
	}
}

// errorsAsTarget returns the pointer variable errors.As(err, &target)
// sets when it matches. errors.As writes through reflection, which
// inference cannot follow; where it does not match, target keeps what
// it held, often the nil it was declared with.
func errorsAsTarget(c *ssa.CallCommon) (addr ssa.Value, ok bool) {
	callee := c.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "errors" || callee.Name() != "As" || len(c.Args) != 2 {
		return nil, false
	}
	addr = c.Args[1]
	if mi, ok := addr.(*ssa.MakeInterface); ok {
		addr = mi.X
	}
	ptr, ok := addr.Type().Underlying().(*types.Pointer)
	if !ok || !nilable(ptr.Elem()) {
		return nil, false
	}
	return addr, true
}

// onlyErrorsAsTarget reports whether the interface holding a variable's
// address goes only to errors.As, which writes the variable during the
// call and keeps no reference: later calls cannot change the variable.
func onlyErrorsAsTarget(mi *ssa.MakeInterface) bool {
	refs := mi.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		call, ok := r.(*ssa.Call)
		if !ok {
			return false
		}
		if addr, ok := errorsAsTarget(call.Common()); !ok || addr != mi.X {
			return false
		}
	}
	return true
}

// isErrorsAsTarget reports whether the address of al goes to errors.As.
func isErrorsAsTarget(al *ssa.Alloc) bool {
	for _, r := range *al.Referrers() {
		if mi, ok := r.(*ssa.MakeInterface); ok && onlyErrorsAsTarget(mi) {
			return true
		}
	}
	return false
}

// asTarget returns the access path errors.As would set at c and its
// state before the call.
func (a *analysis) asTarget(st facts, c *ssa.CallCommon) (pathKey, nilstate.State) {
	addr, ok := errorsAsTarget(c)
	if !ok {
		return pathKey{}, nilstate.UnknownState
	}
	p, ok := a.path(addr)
	if !ok {
		return pathKey{}, nilstate.UnknownState
	}
	return p, st[p]
}

// unmatched: after errors.As, a target that may have been nil before
// the call still may be (the error does not match); the true branch of
// the call's result makes it non-nil (refine).
func (a *analysis) unmatched(st facts, call *ssa.Call, target pathKey, before nilstate.State) {
	if target.base == nil {
		return
	}
	a.retire(st, func(p pathKey) bool { return p == target }) // errors.As may have written it
	if !before.Kind.MayBeNil() {
		return
	}
	st[target] = nilstate.MaybeNilBecause(before.Ev.Then(a.step(call.Pos(), "not set when errors.As does not match")))
}
