package nilstate_test

import (
	"testing"

	"github.com/nilsentry/nilsentry/internal/nilstate"
	"github.com/stretchr/testify/assert"
)

func ev(what string) *nilstate.Evidence {
	return nilstate.NewEvidence(nilstate.Step{Where: "a.go:1", What: what})
}

func TestJoin(t *testing.T) {
	nilA := nilstate.NilBecause(ev("assigned nil"))
	maybeB := nilstate.MaybeNilBecause(ev("map lookup may miss"))
	long := nilstate.MaybeNilBecause(ev("x").Then(nilstate.Step{What: "returned by f"}))
	deref := nilstate.State{Kind: nilstate.NonNil, Ev: ev("deref")}

	tests := []struct {
		name string
		a, b nilstate.State
		want nilstate.State
	}{
		{"nonnil joins nonnil", nilstate.NonNilState, nilstate.NonNilState, nilstate.NonNilState},
		{"unknown absorbs nonnil", nilstate.NonNilState, nilstate.UnknownState, nilstate.UnknownState},
		{"nil on one path is maybe-nil", nilA, nilstate.NonNilState, nilstate.MaybeNilBecause(nilA.Ev)},
		{"nil survives unknown", nilstate.UnknownState, nilA, nilstate.MaybeNilBecause(nilA.Ev)},
		{"nil and nil stay nil", nilA, nilA, nilA},
		{"maybe-nil absorbs nil", nilA, maybeB, nilstate.MaybeNilBecause(nilA.Ev)},
		{"shorter chain wins", long, maybeB, maybeB},
		{"same dereference is kept", deref, deref, deref},
		{"different reasons for non-nil are dropped", deref, nilstate.NonNilState, nilstate.NonNilState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nilstate.Join(tt.a, tt.b)
			assert.True(t, nilstate.Equal(tt.want, got), "Join(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			// Kinds are commutative; only the choice between equal-length
			// chains depends on the order.
			assert.Equal(t, got.Kind, nilstate.Join(tt.b, tt.a).Kind)
		})
	}
}

func TestEvidence(t *testing.T) {
	e := ev("assigned nil")
	e2 := e.Then(nilstate.Step{Where: "b.go:7", What: "returned by f"})
	assert.Equal(t, "assigned nil at a.go:1; returned by f at b.go:7", e2.String())
	assert.Equal(t, 1, e.Len(), "Then must not change the original chain")
	assert.Equal(t, "assigned nil", e2.Origin().What)
	assert.True(t, e2.Equal(ev("assigned nil").Then(nilstate.Step{Where: "b.go:7", What: "returned by f"})))
	assert.False(t, e2.Equal(e))

	var none *nilstate.Evidence
	assert.Equal(t, 0, none.Len())
	assert.Empty(t, none.String())
	assert.Empty(t, none.All())
	assert.Equal(t, "x", none.Then(nilstate.Step{What: "x"}).String())
}

func TestKind(t *testing.T) {
	assert.True(t, nilstate.Nil.MayBeNil())
	assert.True(t, nilstate.MaybeNil.MayBeNil())
	assert.False(t, nilstate.NonNil.MayBeNil())
	assert.False(t, nilstate.Unknown.MayBeNil())
	assert.Equal(t, "maybe-nil", nilstate.MaybeNil.String())
}
