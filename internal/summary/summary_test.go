package summary_test

import (
	"testing"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPortableDropsPositions(t *testing.T) {
	s := &summary.Summary{
		Results: []summary.Result{{Kind: summary.ResultMaybeNil,
			Ev:     nilstate.NewEvidence(nilstate.Step{Pos: 42, Where: "a.go:3", What: "f returns nil"}),
			KeysOf: 1, KeysPath: summary.FieldPath{3}}},
		Params: []summary.Param{{Kind: summary.ParamDerefs}},
	}
	f := summary.Portable(s, "p")
	require.Len(t, f.Summary.Results, 1)
	assert.Zero(t, f.Summary.Results[0].Ev.Steps[0].Pos, "a token.Pos must not cross packages")
	assert.Equal(t, "p/a.go:3", f.Summary.Results[0].Ev.Steps[0].Where)
	assert.NotZero(t, s.Results[0].Ev.Steps[0].Pos, "the original keeps its positions")
	assert.Equal(t, "nilsentry(r0=maybenil r0=keys-of(p0.2) p0=derefs)", f.String(), "all but positions is kept")
}

func TestExportNamesPackageOnce(t *testing.T) {
	imported := nilstate.Step{Where: "q/b.go:5", What: "g returns nil"} // from q's fact: no Pos
	ev := nilstate.NewEvidence(imported).Then(nilstate.Step{Pos: 42, Where: "a.go:3", What: "returned by g"})
	ev = ev.Then(nilstate.Step{What: "a nil *T is a non-nil error"}) // no position at all
	got := summary.Export(ev, "example.com/p")
	assert.Equal(t, "g returns nil at q/b.go:5; returned by g at example.com/p/a.go:3; a nil *T is a non-nil error", got.String(),
		"the steps made in p name it, imported ones keep their package, positionless ones stay so")
	assert.Equal(t, got.String(), summary.Export(got, "example.com/r").String(), "re-exporting through a pass-through adds nothing")
	assert.Nil(t, summary.Export(nil, "p"))
}

func TestEqualAndInteresting(t *testing.T) {
	a := &summary.Summary{Results: []summary.Result{{Kind: summary.ResultNonNil}}, Params: []summary.Param{{}}}
	b := &summary.Summary{Results: []summary.Result{{Kind: summary.ResultNonNil}}, Params: []summary.Param{{}}}
	assert.True(t, a.Equal(b))
	b.Params[0].NonNilIfTrue = true
	assert.False(t, a.Equal(b))
	assert.True(t, a.Interesting())
	assert.False(t, (&summary.Summary{Results: []summary.Result{{}}, Params: []summary.Param{{}}}).Interesting())
	assert.False(t, (&summary.Summary{Params: []summary.Param{{Kind: summary.ParamNilSafe}}}).Interesting(),
		"a nil-safe parameter alone changes nothing for callers")
	assert.True(t, (&summary.Summary{Params: []summary.Param{{Kind: summary.ParamNilSafe, NonNilIfTrue: true}}}).Interesting())
	assert.True(t, (&summary.Summary{Params: []summary.Param{{Kind: summary.ParamDerefs}}}).Interesting())
	var none *summary.Summary
	assert.True(t, none.Equal(nil))
	assert.False(t, none.Equal(a))
}

func TestCredible(t *testing.T) {
	checked := nilstate.NewEvidence(nilstate.Step{What: "field P checked for nil"})
	decoded := nilstate.NewEvidence(nilstate.Step{What: "field P may be missing from JSON decoded"})
	tests := []struct {
		name string
		ev   *nilstate.Evidence
		uses summary.FieldUses
		want bool
	}{
		{"mostly guarded", checked, summary.FieldUses{Guarded: 3, Unguarded: 1}, true},
		{"as often unguarded as guarded: defensive checks", checked, summary.FieldUses{Guarded: 2, Unguarded: 2}, false},
		{"never dereferenced guarded", checked, summary.FieldUses{Unguarded: 5}, false},
		{"JSON always counts", decoded, summary.FieldUses{Unguarded: 5}, true},
		{"mostly guarded, unguarded in a few functions", checked, summary.FieldUses{Guarded: 30, Unguarded: 5}, true},
		{"mostly guarded, relied on in many functions: a lifecycle field", checked, summary.FieldUses{Guarded: 30, Unguarded: 6}, false},
		{"JSON counts however relied on", decoded, summary.FieldUses{Guarded: 30, Unguarded: 6}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, summary.Credible(tt.ev, tt.uses))
		})
	}
}

func TestCredibleResult(t *testing.T) {
	assert.True(t, summary.CredibleResult(summary.FieldUses{Unguarded: 1}), "a lone unguarded use is reported")
	assert.True(t, summary.CredibleResult(summary.FieldUses{Guarded: 2, Unguarded: 2}))
	assert.False(t, summary.CredibleResult(summary.FieldUses{Guarded: 1, Unguarded: 5}), "an API trusted in most places")
	assert.False(t, summary.CredibleResult(summary.FieldUses{Unguarded: 2}))
}

func TestCheckedOnly(t *testing.T) {
	step := func(what string) nilstate.Step { return nilstate.Step{Where: "a.go:1", What: what} }
	assert.True(t, summary.CheckedOnly(nilstate.NewEvidence(step("field F checked for nil"))))
	assert.False(t, summary.CheckedOnly(nilstate.NewEvidence(step("field F checked for nil")).Then(step("field F assigned nil"))),
		"a nil store is evidence of its own")
	assert.False(t, summary.CheckedOnly(nilstate.NewEvidence(step("checked for nil"))), "a local check is not a field's")
	assert.False(t, summary.CheckedOnly(nil))
}

func TestNestedAfter(t *testing.T) {
	s := &summary.Summary{Params: []summary.Param{{}}}
	assert.False(t, s.Interesting())
	s.Params[0].NestedAfter[0] = summary.FieldPath{1, 2}    // field 0, then field 1
	s.Params[0].NestedAfter[1] = summary.FieldPath{2, 1, 4} // field 1, 0, 3
	assert.True(t, s.Interesting())
	assert.Equal(t, 2, s.Params[0].NestedAfter[0].Len())
	assert.Equal(t, 1, s.Params[0].NestedAfter[0].Field(1))
	assert.Equal(t, "p0=nested-after(0.1,1.0.3)", s.String())
	o := &summary.Summary{Params: []summary.Param{{}}}
	assert.False(t, s.Equal(o))
	o.Params[0].NestedAfter = s.Params[0].NestedAfter
	assert.True(t, s.Equal(o))
}

func TestAfter(t *testing.T) {
	nonNil := summary.ParamFact{Param: 0, Field: -1, Is: -1}
	isNil := summary.ParamFact{Param: 1, Field: -1, Is: 1}
	field := summary.ParamFact{Param: 1, Field: 2, Is: -1}
	tests := []struct {
		name  string
		conds []summary.Cond
		want  [2]int8
	}{
		{"returns whatever", nil, [2]int8{0, 0}},
		{"one way", []summary.Cond{{nonNil, isNil}}, [2]int8{-1, 1}},
		{"every way agrees", []summary.Cond{{nonNil}, {nonNil, isNil}}, [2]int8{-1, 0}},
		{"ways disagree", []summary.Cond{{nonNil}, {{Param: 0, Field: -1, Is: 2}}}, [2]int8{0, 0}},
		{"a field is not the parameter", []summary.Cond{{field}}, [2]int8{0, 0}},
		{"sign, not size", []summary.Cond{{{Param: 1, Field: -1, Is: 3}}, {isNil}}, [2]int8{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &summary.Summary{ReturnsWhen: tt.conds}
			assert.Equal(t, tt.want, [2]int8{s.After(0), s.After(1)})
		})
	}
}
