package summary

import "github.com/nilsentry/nilsentry/internal/nilstate"

// FieldFact is the evidence that a pointer-like struct field may be nil:
// the code assigns it nil, checks it for nil, or decodes it from JSON
// (where a missing key leaves it nil). It is exported on the field's
// *types.Var so importing packages see it too. A field without a fact
// is trusted.
type FieldFact struct{ Ev *nilstate.Evidence }

func (*FieldFact) AFact() {}

func (f *FieldFact) String() string { return "nilable(" + f.Ev.String() + ")" }
