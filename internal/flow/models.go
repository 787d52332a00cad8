package flow

import (
	"go/types"
	"slices"

	"github.com/nilsentry/nilsentry/internal/summary"
	"golang.org/x/tools/go/ssa"
)

// Models: the few facts inference cannot see. Keep this list short and
// say why each entry exists.

// noReturnInvoke reports calls through an interface that never return.
// ctrlflow infers no-return for static calls (log.Fatal, os.Exit,
// (*testing.T).Fatal, panic wrappers), but helpers often take a
// testing.TB, and a call through an interface has no static callee.
func noReturnInvoke(c *ssa.CallCommon) bool {
	if !c.IsInvoke() {
		return false
	}
	named, ok := types.Unalias(c.Value.Type()).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != "testing" || named.Obj().Name() != "TB" {
		return false
	}
	switch c.Method.Name() {
	case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
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
