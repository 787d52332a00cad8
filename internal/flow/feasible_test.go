package flow

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFactAnd(t *testing.T) {
	and := func(f, g fact) (fact, bool) { return f.and(g) }

	_, ok := and(fact{is: 1}, fact{is: -1})
	assert.False(t, ok, "nil and non-nil")

	m, ok := and(fact{is: 1}, fact{is: 1, seen: true})
	assert.True(t, ok)
	assert.True(t, m.seen, "a nil tested on the path stays tested")

	m, ok = and(fact{ranged: true, lo: 6, hi: 1 << 40}, fact{ranged: true, lo: 8, hi: 1 << 40})
	assert.True(t, ok)
	assert.Equal(t, int64(8), m.lo, "n > 5 and n > 7 is n > 7")

	_, ok = and(fact{ranged: true, lo: -1 << 40, hi: 5}, fact{ranged: true, lo: 8, hi: 1 << 40})
	assert.False(t, ok, "n <= 5 and n > 7")

	_, ok = and(fact{ranged: true, lo: 0, hi: 0}, fact{c: &consts{neq: "0"}})
	assert.False(t, ok, "n == 0 and n != 0")

	_, ok = and(fact{c: &consts{eq: `"a"`}}, fact{c: &consts{eq: `"b"`}})
	assert.False(t, ok, "equal to two constants")

	m, ok = and(fact{c: &consts{neq: `"b"`}}, fact{c: &consts{neq: `"a"`}})
	assert.True(t, ok)
	assert.Equal(t, "\"a\"\x00\"b\"", m.k().neq, "different from both, sorted")

	_, ok = and(m, fact{c: &consts{eq: `"a"`}})
	assert.False(t, ok, "equal to a constant it differs from")

	m, ok = and(fact{c: &consts{tout: "T"}}, fact{c: &consts{tin: "U"}})
	assert.True(t, ok)
	_, ok = and(m, fact{c: &consts{tin: "T"}})
	assert.False(t, ok, "a type assertion to T both fails and passes")
	_, ok = and(fact{is: 1}, fact{c: &consts{tin: "U"}})
	assert.False(t, ok, "a nil interface passes no type assertion")
}

func TestFactSame(t *testing.T) {
	a := fact{is: 1, c: &consts{neq: "1"}}
	b := fact{is: 1, c: &consts{neq: "1"}}
	assert.True(t, a.same(b), "the same constants in two copies")
	assert.False(t, a.same(fact{is: 1}))
	assert.True(t, fact{is: -1, c: &consts{}}.same(fact{is: -1}), "empty constants are none")
}

func TestStateImplies(t *testing.T) {
	weak := &pstate{facts: factSet{{"x", fact{is: 1}}}}
	strong := &pstate{facts: factSet{{"y", fact{is: -1}}, {"x", fact{is: 1}}}}
	assert.True(t, strong.implies(weak), "more constraints imply fewer")
	assert.False(t, weak.implies(strong))

	narrower := &pstate{facts: factSet{{"n", fact{ranged: true, lo: 8, hi: 9}}}}
	wider := &pstate{facts: factSet{{"n", fact{ranged: true, lo: 6, hi: 9}}}}
	assert.True(t, narrower.implies(wider), "a narrower range implies a wider one")
	assert.False(t, wider.implies(narrower))
}

func TestUnion(t *testing.T) {
	assert.Equal(t, "a\x00b", union("a\x00b", "b"), "a subset adds nothing")
	assert.Equal(t, "a\x00b", union("b", "a\x00b"))
	assert.Equal(t, "a\x00b\x00c", union("a\x00c", "b"), "sorted")
	assert.Equal(t, "a", union("", "a"))
	assert.True(t, subset("", "a"))
	assert.True(t, subset("a\x00c", "a\x00b\x00c"))
	assert.True(t, subset("c", "a\x00b\x00c"), "the last element")
	assert.False(t, subset("a\x00d", "a\x00b\x00c"), "past the end")
	assert.False(t, subset("b", "a\x00c"), "between two elements")
	assert.False(t, subset("a", ""))
	assert.False(t, subset("ab", "a\x00abc"), "elements, not prefixes")
	assert.False(t, member("ab\x00c", "a"), "elements, not substrings")
}

func TestWiden(t *testing.T) {
	x, y := &struct{}{}, &struct{}{}
	known := []*pstate{
		{facts: factSet{{"p", fact{is: 1}}, {x, fact{is: 1}}}},
		{facts: factSet{{"p", fact{is: 1}}, {x, fact{is: -1}}, {y, fact{is: 1}}}},
	}
	st := &pstate{facts: factSet{{"p", fact{is: 1}}, {y, fact{is: 1}}}}
	w := widen(st, known)
	assert.Equal(t, factSet{{"p", fact{is: 1}}}, w.facts, "only what every state requires")
	for _, k := range known {
		assert.True(t, k.implies(w), "the states searched imply the widened one")
	}
	assert.True(t, st.implies(w))
}
