package flow

import (
	"go/token"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"
)

func TestConditionContradicts(t *testing.T) {
	eq := func(tag any, v string) condition { return condition{tag: tag, val: v, eq: true} }
	ne := func(tag any, v string) condition { return condition{tag: tag, val: v} }
	in := func(tag any, lo, hi int64) condition {
		return condition{tag: tag, eq: true, inRange: true, lo: lo, hi: hi}
	}
	for _, tc := range []struct {
		name string
		a, b condition
		want bool
	}{
		{"same value", eq("t", "1"), eq("t", "1"), false},
		{"two values", eq("t", "1"), eq("t", "2"), true},
		{"equal and not equal", eq("t", "1"), ne("t", "1"), true},
		{"not equal and other value", ne("t", "1"), eq("t", "2"), false},
		{"two inequalities", ne("t", "1"), ne("t", "2"), false},
		{"other tag", eq("t", "1"), eq("u", "2"), false},
		{"disjoint ranges", in("t", 0, 1), in("t", 2, 2), true},
		{"overlapping ranges", in("t", 0, 2), in("t", 2, 9), false},
		{"point and not equal", in("t", 3, 3), ne("t", "3"), true},
		{"range and not equal", in("t", 3, 4), ne("t", "3"), false},
		{"range and string equality", in("t", 3, 4), eq("t", `"x"`), false},
	} {
		assert.Equal(t, tc.want, tc.a.contradicts(tc.b), tc.name)
		assert.Equal(t, tc.want, tc.b.contradicts(tc.a), tc.name+" (swapped)")
	}
}

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

// TestTagKey: a field path the function never stores names the same tag
// at every test, in a loop or not; a value computed in a loop and a field
// the function stores are no tags.
func TestTagKey(t *testing.T) {
	fn := buildFunc(t, `package p
type D struct{ kind, n int }
func f(d *D, xs []int) int {
	s := 0
	for _, x := range xs {
		if x == 3 { s++ }
		if d.kind == 1 { s++ }
	}
	d.n = 2
	if d.n == 2 { s++ }
	if d.kind == 1 { s++ }
	return s
}`, "f")
	a := &analysis{fn: fn, keys: make(map[ssa.Value]any), loads: make(map[ssa.Value]pathKey), reps: make(map[any]ssa.Value)}
	var tags []any
	tests := 0
	for _, b := range fn.Blocks {
		if br, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			tests++
			if c, ok := a.conditionOf(br.Cond, true); ok {
				tags = append(tags, c.tag)
			}
		}
	}
	require.Equal(t, 5, tests, "four ifs and the range loop's index test")
	require.Len(t, tags, 2, "only the two tests of d.kind are tags")
	assert.Equal(t, tags[0], tags[1])
}
