package flow

import (
	"go/types"

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
