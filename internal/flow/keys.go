package flow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Keys name what a fact is about. SSA values are their own keys, except
// where two values denote the same thing at run time and a check of one
// must guard the other:
//   - conversions (ChangeType, ChangeInterface) share their operand's key;
//   - loads of the same access path (u.Profile, a global, a captured
//     variable) share a pathKey, so `if u.Profile != nil { u.Profile.ID }`
//     is guarded although the two loads are distinct SSA values;
//   - map lookups of the same map and key share a lookupKey, so a
//     presence check `if _, ok := m[k]; ok` guards a later m[k].
type pathKey struct {
	base  any // key of the struct pointer, or the *ssa.Global / *ssa.Alloc itself
	field int // field index; -1 for the variable itself
}

type lookupKey struct {
	m, k any
}

type constKey struct {
	value string
	typ   string
}

func (a *analysis) key(v ssa.Value) any {
	if k, ok := a.keys[v]; ok {
		return k
	}
	k := a.computeKey(v)
	a.keys[v] = k
	if _, ok := a.reps[k]; !ok {
		a.reps[k] = v
	}
	return k
}

func (a *analysis) computeKey(v ssa.Value) any {
	switch v := v.(type) {
	case *ssa.ChangeType:
		return a.key(v.X)
	case *ssa.ChangeInterface:
		return a.key(v.X)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			if p, ok := a.path(v.X); ok {
				return p
			}
		}
	case *ssa.Lookup:
		if !v.CommaOk {
			if _, ok := v.X.Type().Underlying().(*types.Map); ok {
				return lookupKey{a.key(v.X), a.operandKey(v.Index)}
			}
		}
	}
	return v
}

// path returns the access-path key of the memory at addr, if it has one.
func (a *analysis) path(addr ssa.Value) (pathKey, bool) {
	switch addr := addr.(type) {
	case *ssa.FieldAddr:
		return pathKey{a.key(addr.X), addr.Field}, true
	case *ssa.Global, *ssa.Alloc:
		return pathKey{addr, -1}, true
	}
	return pathKey{}, false
}

// operandKey keys a map index: constants by value, others as values.
func (a *analysis) operandKey(v ssa.Value) any {
	if c, ok := v.(*ssa.Const); ok {
		s := "nil"
		if c.Value != nil {
			s = c.Value.ExactString()
		}
		return constKey{s, c.Type().String()}
	}
	return a.key(v)
}

// root is the SSA value an access path starts from: the parameter,
// global, allocation or other value whose memory the path reads.
func root(k any) any {
	for {
		p, ok := k.(pathKey)
		if !ok {
			return k
		}
		k = p.base
	}
}

// within reports whether path key k reads through prefix (k == prefix or
// k extends it), so a store to prefix makes facts about k stale.
func within(k any, prefix pathKey) bool {
	for {
		p, ok := k.(pathKey)
		if !ok {
			return false
		}
		if p == prefix {
			return true
		}
		k = p.base
	}
}
