// Package nilstate is the nil lattice of nilsentry: what is known about
// whether a value is nil at a program point, and the evidence for it.
//
// It knows nothing about SSA or go/analysis; the flow analysis and the
// summaries build on it.
package nilstate

import (
	"go/token"
	"slices"
	"strings"
)

// Kind is how much is known about a value's nilness.
//
// The join order is NonNil < Unknown < MaybeNil and Nil < MaybeNil, with
// Nil ⊔ NonNil = Nil ⊔ Unknown = MaybeNil: once nil reaches a point on
// some path, the evidence survives the merge.
type Kind uint8

const (
	Unknown  Kind = iota // nothing known: never reported
	NonNil               // proven non-nil on every path
	Nil                  // nil on every path reaching here
	MaybeNil             // nil on some path, with evidence
)

func (k Kind) String() string {
	switch k {
	case NonNil:
		return "non-nil"
	case Nil:
		return "nil"
	case MaybeNil:
		return "maybe-nil"
	}
	return "unknown"
}

// MayBeNil reports whether a value in this state is reported at a sink.
func (k Kind) MayBeNil() bool { return k == Nil || k == MaybeNil }

// Step is one link of an evidence chain: the origin of a nil or a hop it
// took (returned by a function, stored in a field, passed as a parameter).
type Step struct {
	Pos   token.Pos // valid only within the package being analyzed
	Where string    // "file.go:12"; "net/http/file.go:12" once exported in a fact (summary.Export)
	What  string    // "assigned nil", "findUser returns nil", ...
}

// String renders the step as "what at file.go:12".
func (s Step) String() string {
	if s.Where == "" {
		return s.What
	}
	return s.What + " at " + s.Where
}

// CheckedForNil is the origin of a nil known only from a nil comparison
// (`if p == nil { log(...) }`). It is evidence within the function that
// makes the check; it does not travel through results to callers, who
// may know more than the callee's defensive check.
const CheckedForNil = "checked for nil"

// Evidence is an immutable chain of steps, origin first. Chains are shared
// between states; extending one makes a copy.
type Evidence struct {
	Steps []Step
}

// NewEvidence starts a chain at an origin.
func NewEvidence(origin Step) *Evidence { return &Evidence{Steps: []Step{origin}} }

// MaxSteps bounds a chain: summaries stay small, messages readable, and
// recursion cannot grow a chain forever. Hops past it are dropped (the
// origin and the first hops are what explain a finding).
const MaxSteps = 5

// Then returns a new chain with hop appended. A nil receiver yields a
// chain holding only hop. A hop the chain already has, or one past
// MaxSteps, leaves the chain as it is.
func (e *Evidence) Then(hop Step) *Evidence {
	if e == nil {
		return NewEvidence(hop)
	}
	if len(e.Steps) >= MaxSteps || slices.Contains(e.Steps, hop) {
		return e
	}
	steps := make([]Step, len(e.Steps), len(e.Steps)+1)
	copy(steps, e.Steps)
	return &Evidence{Steps: append(steps, hop)}
}

// WithOrigin returns a copy of the chain with its origin replaced.
func (e *Evidence) WithOrigin(origin Step) *Evidence {
	if e.Len() == 0 {
		return NewEvidence(origin)
	}
	steps := slices.Clone(e.Steps)
	steps[0] = origin
	return &Evidence{Steps: steps}
}

// Origin is the first step of the chain.
func (e *Evidence) Origin() Step {
	if e.Len() == 0 {
		return Step{}
	}
	return e.Steps[0]
}

// All returns the chain's steps; a nil chain has none.
func (e *Evidence) All() []Step {
	if e == nil {
		return nil
	}
	return e.Steps
}

// Len is the number of steps; a nil chain has none.
func (e *Evidence) Len() int {
	if e == nil {
		return 0
	}
	return len(e.Steps)
}

// String joins the steps with "; ", origin first.
func (e *Evidence) String() string {
	if e == nil {
		return ""
	}
	parts := make([]string, len(e.Steps))
	for i, s := range e.Steps {
		parts[i] = s.String()
	}
	return strings.Join(parts, "; ")
}

// State is the nilness of one value at one program point.
//
// For Nil and MaybeNil, Ev says where the nil comes from. For NonNil, Ev
// optionally names the dereference that proved it (used to report a
// dereference that a later nil check contradicts); joins keep it only when
// both sides agree.
type State struct {
	Kind Kind
	Ev   *Evidence
}

// Common states.
var (
	UnknownState = State{Kind: Unknown}
	NonNilState  = State{Kind: NonNil}
)

// NilBecause and MaybeNilBecause build states with evidence.
func NilBecause(ev *Evidence) State      { return State{Kind: Nil, Ev: ev} }
func MaybeNilBecause(ev *Evidence) State { return State{Kind: MaybeNil, Ev: ev} }

// Join merges the states of two paths meeting at one point. It is
// commutative up to the choice of evidence: the shorter chain wins, ties
// go to a, so results are deterministic for a fixed visiting order.
func Join(a, b State) State {
	if a.Kind == b.Kind {
		switch a.Kind {
		case NonNil:
			if !a.Ev.Equal(b.Ev) {
				return NonNilState
			}
			return a
		case Nil, MaybeNil:
			return State{Kind: a.Kind, Ev: shorter(a.Ev, b.Ev)}
		}
		return a
	}
	switch {
	case a.Kind.MayBeNil() && b.Kind.MayBeNil():
		return MaybeNilBecause(shorter(a.Ev, b.Ev))
	case a.Kind.MayBeNil():
		return MaybeNilBecause(a.Ev)
	case b.Kind.MayBeNil():
		return MaybeNilBecause(b.Ev)
	}
	// {NonNil, Unknown}
	return UnknownState
}

func shorter(a, b *Evidence) *Evidence {
	if b.Len() < a.Len() && b != nil || a == nil {
		return b
	}
	return a
}

// Equal reports whether two states carry the same kind and the same chain
// of steps, which is what fixed-point iteration compares.
func Equal(a, b State) bool { return a.Kind == b.Kind && a.Ev.Equal(b.Ev) }

// Equal reports whether two chains have the same steps.
func (e *Evidence) Equal(o *Evidence) bool {
	if e == o {
		return true
	}
	if e.Len() != o.Len() {
		return false
	}
	for i := range e.Steps {
		if e.Steps[i] != o.Steps[i] {
			return false
		}
	}
	return true
}
