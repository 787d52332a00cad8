// Package summary holds what callers need to know about a function: may
// its results be nil (and under which contract), does it dereference its
// parameters, and the call-graph order in which summaries are computed.
//
// Summaries are computed once per function by package flow and travel
// between packages as analysis facts; they never hold token.Pos values from
// another package (see Fact).
package summary

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nilsentry/nilsentry/internal/nilstate"
)

// ResultKind says when a function result may be nil.
type ResultKind uint8

const (
	ResultUnknown       ResultKind = iota // nothing known: callers trust it
	ResultNonNil                          // never nil
	ResultMaybeNil                        // nil on some return path, unconditionally
	ResultNilIfErr                        // nil only when the error result is non-nil
	ResultNilIfNotOK                      // nil only when the bool result is false
	ResultNilIfParamNil                   // nil only when parameter Param is nil (maps.Clone, reflect.TypeOf)
	ResultNilIfZero                       // nil only when result Param is zero (`return 0, nil` vs `return base, s`)
	ResultNilIfNonZero                    // nil only when integer result Param is non-zero: an error code (`return nil, EBADF` vs `return f, 0`)
)

func (k ResultKind) String() string {
	return [...]string{"unknown", "nonnil", "maybenil", "nil-if-err", "nil-if-not-ok", "nil-if-param-nil", "nil-if-zero", "nil-if-nonzero"}[k]
}

// Result describes one result of a function.
type Result struct {
	Kind  ResultKind
	Ev    *nilstate.Evidence // why it may be nil (MaybeNil, NilIfErr, NilIfNotOK, NilIfZero, NilIfNonZero)
	Param int                // NilIfParamNil: index into the function's Params; NilIfZero, NilIfNonZero: index of the other result
	// ErrEv (MaybeNil): the evidence of a return of nil with an error,
	// when the returns of nil with a nil error happen only under
	// NilErrWhen: a call whose arguments exclude those gets a result nil
	// only with an error (`newPolicy(opts, true)`, nil, nil only when
	// !always).
	ErrEv      *nilstate.Evidence
	NilErrWhen []Cond
	// NilOnErr: every return whose error may be non-nil hands back nil
	// here (`if err != nil { return nil, err }` throughout), with the
	// evidence of the first: a caller that found the error non-nil holds
	// a nil (`if err != nil { log.Print(resp.Status) }`).
	NilOnErr *nilstate.Evidence
	// NilWhen (MaybeNil, NilIfErr, NilIfNotOK): the result is nil only
	// when one of these
	// conditions on the parameters holds at the call (flow's path walk
	// from each nil return back to the entry finds them: `if _, ok :=
	// v.(Valuer); !ok { return nil }`, `switch format`, `if res == nil`).
	// Empty: a nil return that no condition on the parameters decides.
	NilWhen []Cond
	// FieldsSet: for a result that is a pointer to a struct or a struct,
	// the fields (bit i for field index i < 64) non-nil at every return
	// that hands back a non-nil result: the function sets them (a
	// constructor), so a caller's use of them is not evidence-driven.
	FieldsSet uint64
	// KeysOf: a slice result that holds keys of one map and nothing
	// else, that map being parameter KeysOf-1 itself (KeysPath empty)
	// or the field at KeysPath under it (`func (t *Table) sortedKeys()
	// []int` ranging over t.Table): a caller's lookup of such a key in
	// that map cannot miss. 0: none.
	KeysOf   int
	KeysPath FieldPath
	// TypedNil is set when an interface result may hold a nil pointer
	// (the typed-nil rule's return): a caller's method call on it that
	// the pointer's method dereferences panics, err != nil or not.
	TypedNil *TypedNil
}

// TypedNil is an interface result that may hold a nil pointer.
type TypedNil struct {
	Ev     *nilstate.Evidence // the nil pointer's origin, ending at the return
	Type   string             // the pointer type, as the callee's package writes it
	Derefs []string           // the interface's methods whose implementation dereferences the receiver, sorted
}

// Cond is a conjunction of facts about the parameters on entry.
type Cond []ParamFact

// ParamFact is what a condition requires of parameter Param (Field -1),
// of its length (Field LenField: `case 0: return nil` of `switch
// len(its)`), or of field Field of the struct it points to: nil or non-nil (a bool:
// true or false) by the sign of Is, an integer in [Lo, Hi] (Ranged), a
// constant equal to Eq or none of Neq, a dynamic type that a type
// assertion to each of TypeIn accepts and to each of TypeOut rejects
// (NUL-separated lists; constants as constant.Value.ExactString, types as
// types.TypeString with package paths, an interface prefixed "I:").
type ParamFact struct {
	Param, Field    int
	Is              int8
	Ranged          bool
	Lo, Hi          int64
	Eq, Neq         string
	TypeIn, TypeOut string
}

// LenField is the Field of a ParamFact about len(Params[Param]).
const LenField = -2

// MaxConds and MaxCondFacts bound Result.NilWhen: more ways to return nil
// make it unconditional; more facts in one way are left out (a weaker
// condition, so callers are excluded less often, never wrongly).
const (
	MaxConds     = 8
	MaxCondFacts = 6
)

// ParamKind says what a function does with a nil parameter.
type ParamKind uint8

const (
	ParamUnknown ParamKind = iota
	ParamDerefs            // dereferenced without any nil check
	ParamNilSafe           // compared against nil: the author handles nil
)

// Param describes one parameter; for methods, Params[0] is the receiver.
type Param struct {
	Kind ParamKind
	// NonNilIfTrue: the function's bool result is true only if the
	// argument is non-nil (isValid(u)).
	NonNilIfTrue bool
	// NonNilIfNonZero: the function's integer result is non-zero only if
	// the argument is non-nil (a nil-safe Len: `if t.Len() > 0`).
	NonNilIfNonZero bool
	// FieldsAfter: the fields (bit i for field index i < 64) of the
	// struct the argument points to that are non-nil whenever the
	// function returns (t.init() sets t.common when nil).
	FieldsAfter uint64
	// FieldsIfTrue, FieldsIfFalse: for a predicate, the fields of the
	// struct the argument points to that are non-nil whenever it returns
	// true (false): `func (c *Call) IsInvoke() bool { return c.Method != nil }`,
	// `func (l *list) isEmpty() bool { return l.first == nil }`.
	FieldsIfTrue, FieldsIfFalse uint64
	// NestedAfter: paths two or three fields deep under the argument
	// (`g.spec.Process`, `g.spec.Linux.Resources`) non-nil whenever the
	// function returns, as FieldsAfter one field deep: an ensure helper
	// (`func (g *gen) initProcess() { g.initConfig(); if g.spec.Process
	// == nil { g.spec.Process = &Process{} } }`). At most MaxNested.
	NestedAfter [MaxNested]FieldPath
}

// Summary is what callers learn about a function.
type Summary struct {
	Results []Result
	Params  []Param
	// ReturnsWhen: the function returns (rather than panics or exits)
	// only when one of these conditions on its parameters holds: an
	// assertion helper (`mustNotBeNil(u)`: p0=nonnil; `assert(ok, msg)`:
	// p0=true), an error helper (`check(err)`: p0=nil), a function that
	// panics under a flag (`func (r *R) typeErrorResult(throw bool, ...)
	// { if throw { panic(...) } }`: p1=false). A path through a call
	// whose arguments meet none of them does not go on; after the call,
	// what all of them require of an argument holds (After). Empty: it
	// returns whatever the arguments, as far as is known.
	ReturnsWhen []Cond
	// Pure: the function writes no memory its caller can see and has no
	// other effect (no channel operation, goroutine, map iteration,
	// dynamic call or call of a function that is not pure; a mutex's
	// Lock and Unlock are not effects, as no other goroutine is assumed
	// to write between two reads): two calls
	// with the same arguments and no write between them return the
	// same (`if d.Type() != nil { *d.Type() }`).
	Pure bool
	// Getter: the function only reads field Getter-1 of the struct its
	// one parameter points to and returns it (`func (l *List) Len() int {
	// return l.len }`): a call is a read of that field, so a caller's
	// check of l.Len() is a check of l.len, which a callee's condition
	// on the field (Front is nil only when l.len is 0) meets. 0: none.
	Getter int
}

// After is what every way of returning (ReturnsWhen) requires of
// parameter i itself, by the sign of Is: nil (or true) when > 0, non-nil
// (or false) when < 0, nothing when 0. A caller past the call knows it.
func (s *Summary) After(i int) int8 {
	var is int8
	for j, c := range s.ReturnsWhen {
		k := slices.IndexFunc(c, func(f ParamFact) bool { return f.Param == i && f.Field == -1 && f.Is != 0 })
		if k < 0 {
			return 0
		}
		sign := int8(1)
		if c[k].Is < 0 {
			sign = -1
		}
		if j > 0 && sign != is {
			return 0
		}
		is = sign
	}
	return is
}

// Equal reports whether two summaries agree; fixed-point iteration over
// recursive functions stops when they do.
func (s *Summary) Equal(o *Summary) bool {
	if s == nil || o == nil {
		return s == o
	}
	if len(s.Results) != len(o.Results) || len(s.Params) != len(o.Params) {
		return false
	}
	for i := range s.Results {
		if s.Results[i].Kind != o.Results[i].Kind || s.Results[i].Param != o.Results[i].Param ||
			!s.Results[i].Ev.Equal(o.Results[i].Ev) || !s.Results[i].ErrEv.Equal(o.Results[i].ErrEv) || !s.Results[i].NilOnErr.Equal(o.Results[i].NilOnErr) || !slices.EqualFunc(s.Results[i].NilErrWhen, o.Results[i].NilErrWhen, slices.Equal) ||
			!slices.EqualFunc(s.Results[i].NilWhen, o.Results[i].NilWhen, slices.Equal) ||
			s.Results[i].FieldsSet != o.Results[i].FieldsSet || s.Results[i].KeysOf != o.Results[i].KeysOf || s.Results[i].KeysPath != o.Results[i].KeysPath || !s.Results[i].TypedNil.equal(o.Results[i].TypedNil) {
			return false
		}
	}
	for i := range s.Params {
		if s.Params[i] != o.Params[i] {
			return false
		}
	}
	return s.Pure == o.Pure && s.Getter == o.Getter && slices.EqualFunc(s.ReturnsWhen, o.ReturnsWhen, slices.Equal)
}

func (t *TypedNil) equal(o *TypedNil) bool {
	if t == nil || o == nil {
		return t == o
	}
	return t.Type == o.Type && t.Ev.Equal(o.Ev) && slices.Equal(t.Derefs, o.Derefs)
}

// MaxNested bounds Param.NestedAfter.
const MaxNested = 4

// FieldPath is a path of field indices under a pointer, each plus one so
// that the zero value is the empty path; unused levels are 0.
type FieldPath [3]uint16

// Len is the number of fields in the path.
func (p FieldPath) Len() int {
	n := 0
	for n < len(p) && p[n] != 0 {
		n++
	}
	return n
}

// Field is the index of the i'th field of the path.
func (p FieldPath) Field(i int) int { return int(p[i]) - 1 }

func (p FieldPath) String() string {
	parts := make([]string, p.Len())
	for i := range parts {
		parts[i] = fmt.Sprint(p.Field(i))
	}
	return strings.Join(parts, ".")
}

// Interesting reports whether the summary says anything a caller can use;
// uninteresting summaries are not exported as facts.
func (s *Summary) Interesting() bool {
	if len(s.ReturnsWhen) > 0 || s.Getter != 0 {
		return true
	}
	for _, r := range s.Results {
		if r.Kind != ResultUnknown || r.TypedNil != nil || r.FieldsSet != 0 || r.NilOnErr != nil || r.KeysOf != 0 {
			return true
		}
	}
	for _, p := range s.Params {
		// ParamNilSafe alone tells callers nothing an absent summary
		// does not: neither makes a nil argument a finding. Proto getters
		// and nil-safe String methods would otherwise be most facts.
		if p.Kind == ParamDerefs || p.NonNilIfTrue || p.NonNilIfNonZero || p.FieldsAfter != 0 || p.FieldsIfTrue != 0 || p.FieldsIfFalse != 0 || p.NestedAfter[0].Len() > 0 {
			return true
		}
	}
	return false
}

func (s *Summary) String() string {
	var b strings.Builder
	for i, r := range s.Results {
		if r.Kind != ResultUnknown {
			fmt.Fprintf(&b, "r%d=%s ", i, r.Kind)
		}
		if len(r.NilWhen) > 0 {
			fmt.Fprintf(&b, "r%d=nil-when(%s) ", i, condsString(r.NilWhen))
		}
		if r.ErrEv != nil {
			fmt.Fprintf(&b, "r%d=nil-err-when(%s) ", i, condsString(r.NilErrWhen))
		}
		if r.NilOnErr != nil {
			fmt.Fprintf(&b, "r%d=nil-on-err ", i)
		}
		if t := r.TypedNil; t != nil {
			fmt.Fprintf(&b, "r%d=typed-nil(%s:%s) ", i, t.Type, strings.Join(t.Derefs, ","))
		}
		if r.FieldsSet != 0 {
			fmt.Fprintf(&b, "r%d=%s ", i, fieldList("fields-set", r.FieldsSet))
		}
		if r.KeysOf != 0 {
			fmt.Fprintf(&b, "r%d=keys-of(p%d", i, r.KeysOf-1)
			if r.KeysPath.Len() > 0 {
				fmt.Fprintf(&b, ".%s", r.KeysPath)
			}
			b.WriteString(") ")
		}
	}
	for i, p := range s.Params {
		var flags []string
		switch p.Kind {
		case ParamDerefs:
			flags = append(flags, "derefs")
		case ParamNilSafe:
			flags = append(flags, "nilsafe")
		}
		if p.NonNilIfTrue {
			flags = append(flags, "nonnil-if-true")
		}
		if p.NonNilIfNonZero {
			flags = append(flags, "nonnil-if-nonzero")
		}
		for _, fs := range []struct {
			name string
			mask uint64
		}{{"fields-after", p.FieldsAfter}, {"fields-if-true", p.FieldsIfTrue}, {"fields-if-false", p.FieldsIfFalse}} {
			if fs.mask != 0 {
				flags = append(flags, fieldList(fs.name, fs.mask))
			}
		}
		if p.NestedAfter[0].Len() > 0 {
			var paths []string
			for _, fp := range p.NestedAfter {
				if fp.Len() > 0 {
					paths = append(paths, fp.String())
				}
			}
			flags = append(flags, "nested-after("+strings.Join(paths, ",")+")")
		}
		if len(flags) > 0 {
			fmt.Fprintf(&b, "p%d=%s ", i, strings.Join(flags, "+"))
		}
	}
	if len(s.ReturnsWhen) > 0 {
		fmt.Fprintf(&b, "returns-when(%s) ", condsString(s.ReturnsWhen))
	}
	if s.Getter != 0 {
		fmt.Fprintf(&b, "getter(p0.%d) ", s.Getter-1)
	}
	if s.Pure {
		b.WriteString("pure")
	}
	return strings.TrimSpace(b.String())
}

// condsString renders conditions as p2==1&p3!in(T)|p0.4==nil.
func condsString(conds []Cond) string {
	var ors []string
	for _, c := range conds {
		var ands []string
		for _, f := range c {
			subj := fmt.Sprintf("p%d", f.Param)
			switch {
			case f.Field == LenField:
				subj = "len(" + subj + ")"
			case f.Field >= 0:
				subj += fmt.Sprintf(".%d", f.Field)
			}
			switch { // the fact does not say whether it is of a bool
			case f.Is > 0:
				ands = append(ands, subj+"=nil|true")
			case f.Is < 0:
				ands = append(ands, subj+"=nonnil|false")
			}
			if f.Ranged {
				ands = append(ands, fmt.Sprintf("%s in [%d,%d]", subj, f.Lo, f.Hi))
			}
			if f.Eq != "" {
				ands = append(ands, subj+"=="+f.Eq)
			}
			for _, v := range strings.Split(f.Neq, "\x00") {
				if v != "" {
					ands = append(ands, subj+"!="+v)
				}
			}
			for _, t := range strings.Split(f.TypeIn, "\x00") {
				if t != "" {
					ands = append(ands, subj+" is "+t)
				}
			}
			for _, t := range strings.Split(f.TypeOut, "\x00") {
				if t != "" {
					ands = append(ands, subj+" !is "+t)
				}
			}
		}
		ors = append(ors, strings.Join(ands, "&"))
	}
	return strings.Join(ors, " | ")
}

// fieldList renders a field mask as name(i,j,...).
func fieldList(name string, mask uint64) string {
	var idx []string
	for i := 0; i < 64; i++ {
		if mask&(1<<i) != 0 {
			idx = append(idx, fmt.Sprint(i))
		}
	}
	return name + "(" + strings.Join(idx, ",") + ")"
}

// Fact carries a Summary to importing packages. Positions are dropped on
// export: a token.Pos means nothing in another package's file set, so only
// the Where text of each step travels, naming its package (see Export).
type Fact struct{ Summary Summary }

func (*Fact) AFact() {}

func (f *Fact) String() string { return "nilsentry(" + f.Summary.String() + ")" }

// Portable returns a copy of s as package pkg (an import path) exports
// it: its steps carry no token.Pos and name their package (Export).
func Portable(s *Summary, pkg string) *Fact {
	f := &Fact{Summary: Summary{
		Results:     make([]Result, len(s.Results)),
		Params:      make([]Param, len(s.Params)),
		ReturnsWhen: s.ReturnsWhen,
		Pure:        s.Pure,
		Getter:      s.Getter,
	}}
	for i, r := range s.Results {
		r.Ev, r.ErrEv, r.NilOnErr = Export(r.Ev, pkg), Export(r.ErrEv, pkg), Export(r.NilOnErr, pkg)
		f.Summary.Results[i] = r
		if t := r.TypedNil; t != nil {
			f.Summary.Results[i].TypedNil = &TypedNil{Ev: Export(t.Ev, pkg), Type: t.Type, Derefs: t.Derefs}
		}
	}
	copy(f.Summary.Params, s.Params)
	return f
}

// Export returns a copy of e as it leaves package pkg (an import path) in
// a fact, for the messages of the packages that import it.
func Export(e *nilstate.Evidence, pkg string) *nilstate.Evidence {
	if e == nil {
		return nil
	}
	steps := make([]nilstate.Step, len(e.Steps))
	for i, s := range e.Steps {
		steps[i] = exportStep(s, pkg)
	}
	return &nilstate.Evidence{Steps: steps}
}

// exportStep drops the step's token.Pos and, for a step made in pkg,
// puts pkg's path before its file ("net/http/client.go:238"): elsewhere a
// base name alone does not say whose file it is. A step has a Pos only in
// the package that made it; one imported from a fact has none and names
// its package already, so re-exporting it (a pass-through) keeps it as it
// is, and the prefix does not depend on which driver runs the analysis.
func exportStep(s nilstate.Step, pkg string) nilstate.Step {
	if s.Pos.IsValid() && s.Where != "" {
		s.Where = pkg + "/" + s.Where
	}
	s.Pos = 0
	return s
}
