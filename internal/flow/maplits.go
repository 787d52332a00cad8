package flow

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// MapLiterals finds the package-level maps that a map literal fills in
// the package initializer and that no code of the package changes
// afterwards (every use is a lookup, len or range of a load of the
// variable), and returns for each the keys its literal maps to a non-nil
// value: a lookup of such a constant key cannot miss (a generated table
// of errors, `ApiErrors[JSNotEnabledErr]`). Writes from other packages
// to an exported map are not seen; a table one package builds by literal
// is that package's to change.
func MapLiterals(pkg *ssa.Package, fns []*ssa.Function) map[*ssa.Global]map[string]bool {
	initFn := pkg.Func("init")
	if initFn == nil {
		return nil
	}
	lits := make(map[*ssa.Global]map[string]bool)
	for _, b := range initFn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			g, ok := st.Addr.(*ssa.Global)
			if !ok || g.Pkg != pkg {
				continue
			}
			if _, seen := lits[g]; seen {
				lits[g] = nil // stored twice
				continue
			}
			lits[g] = literalKeys(st)
		}
	}
	for g, keys := range lits {
		if keys == nil {
			delete(lits, g)
		}
	}
	if len(lits) == 0 {
		return nil
	}
	// Any other use of the variable than a load read by lookups, len and
	// range, or the initializer's store, may change the map.
	all := append([]*ssa.Function{initFn}, fns...)
	var ops []*ssa.Value // reused: a fresh array per instruction escapes
	for _, fn := range all {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					g, ok := (*op).(*ssa.Global)
					if !ok || lits[g] == nil {
						continue
					}
					if !readOnlyUse(instr, g, fn == initFn) {
						delete(lits, g)
					}
				}
			}
		}
	}
	return lits
}

// literalKeys returns the constant keys that the map literal stored by st
// maps to non-nil values, or nil if st does not store a literal whose
// only uses are its entries and that store.
func literalKeys(st *ssa.Store) map[string]bool {
	mm, ok := st.Val.(*ssa.MakeMap)
	if !ok || !nilable(mm.Type().Underlying().(*types.Map).Elem()) {
		return nil
	}
	keys := make(map[string]bool) // by constant.Value.ExactString
	for _, r := range *mm.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r != st {
				return nil
			}
		case *ssa.MapUpdate:
			k, ok := r.Key.(*ssa.Const)
			if !ok || r.Map != ssa.Value(mm) || k.Value == nil {
				return nil
			}
			if nonNilValue(r.Value) {
				keys[k.Value.ExactString()] = true
			} else {
				delete(keys, k.Value.ExactString()) // a later entry for the same key wins
			}
		default:
			return nil
		}
	}
	return keys
}

// readOnlyUse reports whether instr uses the global g without changing
// the map it holds: the initializer's store, or a load whose every use
// is a lookup, len or range.
func readOnlyUse(instr ssa.Instruction, g *ssa.Global, inInit bool) bool {
	switch instr := instr.(type) {
	case *ssa.Store:
		return inInit && instr.Addr == ssa.Value(g)
	case *ssa.UnOp:
		if instr.Op != token.MUL {
			return false
		}
		for _, r := range *instr.Referrers() {
			switch r := r.(type) {
			case *ssa.Lookup, *ssa.Range:
			case *ssa.Call:
				if !isBuiltin(r.Call.Value, "len") {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return false
}

// nonNilValue reports whether v is non-nil by construction.
func nonNilValue(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure, *ssa.MakeSlice,
		*ssa.MakeInterface, *ssa.Function, *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Global:
		return true
	case *ssa.ChangeType:
		return nonNilValue(v.X)
	case *ssa.ChangeInterface:
		return nonNilValue(v.X)
	}
	return false
}
