package summary_test

import (
	"bytes"
	"encoding/gob"
	"testing"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/nilsentry/nilsentry/internal/summary"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
)

// fullFact sets every field of a summary, so that a field the encoding
// forgets shows up as a difference.
func fullFact() *summary.Fact {
	ev := &nilstate.Evidence{Steps: []nilstate.Step{
		{Where: "p/a.go:3", What: "f returns nil"},
		{Pos: 7, Where: "p/b.go:9", What: "returned by g"},
	}}
	return &summary.Fact{Summary: summary.Summary{
		Results: []summary.Result{
			{
				Kind: summary.ResultMaybeNil, Ev: ev, Param: 2,
				ErrEv:      nilstate.NewEvidence(nilstate.Step{What: "no position"}),
				NilErrWhen: []summary.Cond{{{Param: 1, Field: summary.LenField, Ranged: true, Lo: -3, Hi: 1 << 40}}, nil},
				NilOnErr:   nilstate.NewEvidence(nilstate.Step{Pos: 9, Where: "p/c.go:2", What: "f returns nil with every error"}),
				NilWhen: []summary.Cond{
					{{Param: 0, Field: -1, Is: 1}, {Param: 1, Field: 3, Is: -1, Ranged: true, Lo: -1, Hi: 9}},
					{{Param: 2, Field: -1, Eq: "1", Neq: "2\x003", TypeIn: "*p.T", TypeOut: "I:p.I"}},
				},
				FieldsSet: 1<<63 | 5,
				KeysOf:    2, KeysPath: summary.FieldPath{1, 0xffff},
				TypedNil: &summary.TypedNil{Ev: ev, Type: "*p.T", Derefs: []string{"Error", "String"}},
			},
			{Kind: summary.ResultNilIfErr, Ev: &nilstate.Evidence{}},
			{},
		},
		Params: []summary.Param{
			{Kind: summary.ParamDerefs, FieldsAfter: 3, FieldsIfTrue: 1 << 62, FieldsIfFalse: 8,
				NestedAfter: [summary.MaxNested]summary.FieldPath{{1, 2, 3}, {0xffff, 1}}},
			{Kind: summary.ParamNilSafe, NonNilIfTrue: true, NonNilIfNonZero: true},
			{},
		},
		ReturnsWhen: []summary.Cond{{{Param: 0, Field: -1, Is: -1}, {Param: 1, Field: -1, Is: 1}}, {{Param: 1, Field: -1, Is: 1}}},
		Pure:        true,
		Getter:      5,
	}}
}

func TestFactRoundTrip(t *testing.T) {
	f := fullFact()
	data, err := f.GobEncode()
	require.NoError(t, err)
	var got summary.Fact
	require.NoError(t, got.GobDecode(data))
	assert.Equal(t, f, &got)

	ff := &summary.FieldFact{Ev: f.Summary.Results[0].Ev, Uses: summary.FieldUses{Guarded: 3, Unguarded: 1 << 20}}
	data, err = ff.GobEncode()
	require.NoError(t, err)
	var gotField summary.FieldFact
	require.NoError(t, gotField.GobDecode(data))
	assert.Equal(t, ff, &gotField)
}

// Through gob and an analysis.Fact interface, as go vet's facts travel;
// ForeignFields (plain gob) holds FieldFact values.
func TestFactsThroughGob(t *testing.T) {
	gob.Register(new(summary.Fact))
	gob.Register(new(summary.FieldFact))
	gob.Register(new(summary.ForeignFields))
	type gobFact struct {
		PkgPath string
		Fact    analysis.Fact
	}
	in := []gobFact{
		{"p", fullFact()},
		{"p", &summary.FieldFact{Ev: nilstate.NewEvidence(nilstate.Step{Where: "p/a.go:1", What: "field F assigned nil"}), Uses: summary.FieldUses{Guarded: 1}}},
		{"p", &summary.ForeignFields{Fields: []summary.ForeignField{{Pkg: "q", Path: "T.F0", From: "p",
			Fact: summary.FieldFact{Ev: nilstate.NewEvidence(nilstate.Step{What: "field F checked for nil"}), Uses: summary.FieldUses{Unguarded: 2}}}}}},
	}
	var buf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&buf).Encode(in))
	var out []gobFact
	require.NoError(t, gob.NewDecoder(&buf).Decode(&out))
	assert.Equal(t, in, out)
}

// A truncated or corrupt fact is an error, never a panic or a wrong fact.
func TestFactDecodeMalformed(t *testing.T) {
	data, err := fullFact().GobEncode()
	require.NoError(t, err)
	for n := range len(data) {
		var f summary.Fact
		assert.Error(t, f.GobDecode(data[:n]), "truncated to %d bytes", n)
	}
	var f summary.Fact
	assert.Error(t, f.GobDecode(append(data, 0)), "trailing bytes")
	assert.Error(t, f.GobDecode(append([]byte{99}, data[1:]...)), "another format")
	assert.Error(t, f.GobDecode([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f}), "a length past the data")
}
