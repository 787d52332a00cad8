package summary

import (
	"strings"

	"github.com/nilsentry/nilsentry/internal/nilstate"
)

// FieldFact is the evidence that a pointer-like struct field may be nil:
// the code assigns it nil, checks it for nil, or decodes it from JSON
// (where a missing key leaves it nil). It is exported on the field's
// *types.Var so importing packages see it too, with the defining
// package's count of guarded and unguarded dereferences. A field without
// a fact is trusted.
type FieldFact struct {
	Ev   *nilstate.Evidence
	Uses FieldUses
}

func (*FieldFact) AFact() {}

func (f *FieldFact) String() string { return "nilable(" + f.Ev.String() + ")" }

// FieldUses counts the functions that dereference a field's loads
// guarded by a nil check (or after a non-nil store), and those that
// dereference it unguarded. A function may count in both.
type FieldUses struct {
	Guarded   int
	Unguarded int
}

// Add sums two counts.
func (u FieldUses) Add(o FieldUses) FieldUses {
	return FieldUses{u.Guarded + o.Guarded, u.Unguarded + o.Unguarded}
}

// Credible decides whether a field's nil evidence is reported at its
// unguarded dereferences. A nil store or a nil check says the author
// thinks the field can be nil; but where the code dereferences the field
// unguarded as often as not, that check is defensive and the field's
// non-nil-ness is an invariant the code relies on (a closed connection,
// a lifecycle). So the evidence counts only where the field's
// dereferences are mostly guarded: more functions guard it than not.
// A JSON decode makes the evidence credible whatever the code believes:
// a missing key leaves the field nil.
//
// A field dereferenced unguarded in many functions (protocolUses) is not
// credible however often it is checked: its non-nil-ness belongs to a
// phase of the object's life (runtime's m.curg while a goroutine runs,
// tls Conn.quic on a QUIC connection), the checks are for the other
// phases, and a check elsewhere cannot say which phase a use runs in. On
// std and x/tools such fields gave 46 findings, 40 of them false
// (docs/triage.md, P-field-elsewhere).
func Credible(ev *nilstate.Evidence, uses FieldUses) bool {
	for _, s := range ev.All() {
		if strings.Contains(s.What, "JSON") {
			return true
		}
	}
	return uses.Guarded > uses.Unguarded && uses.Unguarded < protocolUses
}

// CheckedOnly reports whether a field's evidence is nothing but nil
// checks (no nil store, no constructor that leaves it unset, no JSON
// decode). Such evidence is a belief of the function that checks, not a
// nil the code makes: by default it counts only where the dereferencing
// function checks the field itself (flow.FieldCheckIn).
func CheckedOnly(ev *nilstate.Evidence) bool {
	for _, s := range ev.All() {
		if !strings.HasPrefix(s.What, "field ") || !strings.HasSuffix(s.What, " "+nilstate.CheckedForNil) {
			return false
		}
	}
	return ev.Len() > 0
}

// protocolUses is the number of functions dereferencing a field unguarded
// from which the package is taken to rely on it being set (see Credible).
const protocolUses = 6

// CredibleResult decides the same for another package's function that
// may return nil (types.Info.TypeOf, a cursor's Node): where the package
// dereferences the result unguarded in several functions and checks it in
// fewer, callers rely on an invariant of the API (the expression is typed,
// the cursor is not the root), and the nil return is an edge case they
// know they avoid. A lone unguarded use is still reported.
func CredibleResult(uses FieldUses) bool {
	return uses.Unguarded <= 1 || uses.Guarded >= uses.Unguarded
}

// ForeignFields is a package fact: the evidence a package found about
// fields of other packages (it stores nil into them, checks them for nil)
// and its count of their uses. The defining package's FieldFact cannot
// carry it (that package is analyzed first), so the packages that import
// this one directly merge it at their own uses. Only direct importers:
// go vet gives a package the package facts of its direct imports alone.
type ForeignFields struct {
	Fields []ForeignField
}

// ForeignField names a field by its package path and objectpath.Path,
// and the package that found the evidence (From).
type ForeignField struct {
	Pkg, Path, From string
	Fact            FieldFact
}

func (*ForeignFields) AFact() {}

func (f *ForeignFields) String() string {
	var b strings.Builder
	b.WriteString("foreign(")
	for i, ff := range f.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(ff.Fact.Ev.String()) // each step names its field
	}
	b.WriteString(")")
	return b.String()
}
