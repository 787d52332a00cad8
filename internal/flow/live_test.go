package flow

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// buildFunc builds SSA for a one-file package and returns its function name.
func buildFunc(t *testing.T, src, name string) *ssa.Function {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	require.NoError(t, err)
	pkg, _, err := ssautil.BuildPackage(&types.Config{}, fset, types.NewPackage("p", ""), []*ast.File{f}, ssa.SanityCheckFunctions)
	require.NoError(t, err)
	fn := pkg.Func(name)
	require.NotNil(t, fn)
	return fn
}

// callTo returns the first call of fn to the function called name.
func callTo(fn *ssa.Function, name string) ssa.Value {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == name {
					return c
				}
			}
		}
	}
	return nil
}

func TestLiveInEndsAtLastUse(t *testing.T) {
	fn := buildFunc(t, `package p
type T struct{ n int }
func get() *T
func use(int)
func f(c bool) {
	a := get()
	if c {
		use(a.n) // last use of a
	}
	use(1)
	b := get()
	if c {
		use(2)
	}
	use(b.n)
}`, "f")
	var a, b ssa.Value
	for _, blk := range fn.Blocks {
		for _, instr := range blk.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == "get" {
				if a == nil {
					a = c
				} else {
					b = c
				}
			}
		}
	}
	require.NotNil(t, a)
	require.NotNil(t, b)
	live := liveIn(fn)
	liveA, liveB := 0, 0
	for _, blk := range fn.Blocks {
		if live[blk.Index][a] {
			liveA++
			assert.NotEqual(t, blk, b.(ssa.Instruction).Block(), "a is dead once b is made")
		}
		if live[blk.Index][b] {
			liveB++
		}
	}
	assert.Equal(t, 1, liveA, "a is live only into the then-block that uses it")
	assert.GreaterOrEqual(t, liveB, 2, "b is live through the second if to its use")
}

func TestLiveInFollowsConversionsAndPhiEdges(t *testing.T) {
	fn := buildFunc(t, `package p
type I interface{ M() }
type T struct{}
func (*T) M() {}
func get() *T
func f(c bool) I {
	var x I = get()
	if c {
		x = nil
	}
	return x
}`, "f")
	get := callTo(fn, "get")
	require.NotNil(t, get)
	live := liveIn(fn)
	// get() is boxed (MakeInterface) and flows into a φ at the join: it
	// is live on the edge from its block only, not into the then-block.
	for _, blk := range fn.Blocks {
		assert.False(t, live[blk.Index][get], "block %d", blk.Index)
	}
	assert.Equal(t, get, keyOwner(get), "a call owns its own fact")
}
