package flow

import (
	"go/token"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
)

func TestInterval(t *testing.T) {
	lo, hi, ok := interval(token.LEQ, 1)
	require.True(t, ok)
	assert.Equal(t, []int64{math.MinInt64, 1}, []int64{lo, hi})
	lo, hi, ok = interval(token.GTR, 1)
	require.True(t, ok)
	assert.Equal(t, []int64{2, math.MaxInt64}, []int64{lo, hi})
	_, _, ok = interval(token.GTR, math.MaxInt64)
	assert.False(t, ok, "x > MaxInt64 has no interval")
	_, _, ok = interval(token.NEQ, 1)
	assert.False(t, ok)
}

// TestLoopsAndStores: a value computed in a loop can differ between two
// tests, and so can a field the function stores (keys.go, feasible.go).
func TestLoopsAndStores(t *testing.T) {
	fn := buildFunc(t, `package p
type D struct{ kind, n int }
func f(d *D, xs []int) int {
	s := 0
	for _, x := range xs {
		if x == 3 { s++ }
	}
	d.n = 2
	if d.kind == 1 { s++ }
	return s
}`, "f")
	a := &analysis{fn: fn}
	var inLoop, outside []string
	for _, b := range fn.Blocks {
		if br, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if a.inLoop(br.Cond) {
				inLoop = append(inLoop, br.Cond.String())
			} else {
				outside = append(outside, br.Cond.String())
			}
		}
	}
	assert.Len(t, inLoop, 2, "the range loop's index test and x == 3: %v", inLoop)
	assert.Len(t, outside, 1, "d.kind == 1: %v", outside)
	assert.Equal(t, map[int]bool{1: true}, a.storedFields(), "d.n, not d.kind")
}
