package flow

import "golang.org/x/tools/go/ssa"

// Facts about an SSA value matter only while the value can still be read.
// Without pruning, a long function carries the fact of every value it has
// dereferenced or merged (each φ of a chain of ifs) to its end, and its
// memory grows with blocks × values. Block entries therefore drop the
// facts of values that are dead there: no use is reachable from the block.
//
// A value's uses include those of the values that share its key
// (conversions, see keys.go) and, for a tuple, those of its extracts.

// liveIn returns, per block index, the values live on entry, computed by
// walking back from each use to the definition (cost: the live ranges).
func liveIn(fn *ssa.Function) []map[ssa.Value]bool {
	live := make([]map[ssa.Value]bool, len(fn.Blocks))
	var walk func(v ssa.Value, def, b *ssa.BasicBlock)
	mark := func(v ssa.Value, def, b *ssa.BasicBlock) {
		if b == def {
			return
		}
		if live[b.Index] == nil {
			live[b.Index] = spareLive.getOrMake()
		}
		if live[b.Index][v] {
			return
		}
		live[b.Index][v] = true
		walk(v, def, b)
	}
	walk = func(v ssa.Value, def, b *ssa.BasicBlock) {
		for _, p := range b.Preds {
			mark(v, def, p)
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok {
				// capture (closures.go) reads the value stored into a
				// captured variable where the closure is made.
				for _, bound := range mc.Bindings {
					for _, r := range *bound.Referrers() {
						if st, ok := r.(*ssa.Store); ok && st.Addr == bound {
							if v := keyOwner(st.Val); v != nil {
								mark(v, v.(ssa.Instruction).Block(), b)
							}
						}
					}
				}
			}
			v, ok := instr.(ssa.Value)
			if !ok {
				continue
			}
			forEachUse(v, v, func(user ssa.Instruction, operand ssa.Value) {
				if phi, ok := user.(*ssa.Phi); ok {
					for i, e := range phi.Edges {
						if e == operand && i < len(phi.Block().Preds) {
							// Live at the end of the edge's predecessor.
							if p := phi.Block().Preds[i]; p != b {
								mark(v, b, p)
							}
						}
					}
					return
				}
				mark(v, b, user.Block())
			})
		}
	}
	return live
}

// forEachUse calls f for each instruction that uses v, looking through
// the values that share v's facts.
func forEachUse(v, operand ssa.Value, f func(user ssa.Instruction, operand ssa.Value)) {
	refs := operand.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.ChangeType, *ssa.ChangeInterface, *ssa.Extract:
			forEachUse(v, r.(ssa.Value), f)
		}
		f(r, operand)
	}
}

// keyOwner returns the value whose liveness keeps v's fact (see prunable).
func keyOwner(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.ChangeType:
		return keyOwner(x.X)
	case *ssa.ChangeInterface:
		return keyOwner(x.X)
	case *ssa.Extract:
		return keyOwner(x.Tuple)
	}
	return prunable(v)
}

// prunable returns the value whose liveness decides whether the fact
// keyed k is still needed, or nil if it must be kept (parameters, free
// variables, globals and composite keys live as long as the function).
func prunable(k any) ssa.Value {
	switch k := k.(type) {
	case current:
		return prunable(k.load)
	case tupleKey:
		return prunable(k.tuple)
	case pathKey:
		return prunable(root(k.base)) // not root(k): boxing k would allocate
	case ssa.Instruction:
		if v, ok := k.(ssa.Value); ok {
			return v
		}
	}
	return nil
}

// prune drops the facts of values dead on entry to b (b's own φs, just
// evaluated on its edges, are kept). A path whose root is dead may still
// have a live load that reads it (`info := ii.info` after a check of
// ii.info, with ii dead): such loads keep the path's state as their own
// first (retire).
//
// A path is also kept while a live value was loaded from one of its
// prefixes: `mp := getg().m` leaves the call dead, but mp.gsignal is
// still read through mp.
func (a *analysis) prune(st facts, b *ssa.BasicBlock) {
	live := a.live[b.Index]
	dead := func(k any) bool {
		v := prunable(k)
		if v == nil || live[v] || v.(ssa.Instruction).Block() == b {
			return false
		}
		p, ok := k.(pathKey)
		if c, isCur := k.(current); isCur {
			p, ok = a.loads[c.load]
		}
		if !ok {
			return true
		}
		bases := a.liveBases(b)
		for q, ok := parent(p); ok; q, ok = parent(q) {
			if qp, isPath := q.(pathKey); isPath && bases[qp] {
				return false
			}
		}
		return true
	}
	a.retire(st, func(p pathKey) bool { return dead(p) })
	for k := range st {
		if dead(k) {
			delete(st, k)
		}
	}
}

// liveBases are the paths of the loads live on entry to b, once per block.
func (a *analysis) liveBases(b *ssa.BasicBlock) map[pathKey]bool {
	if a.bases == nil {
		a.bases = make([]map[pathKey]bool, len(a.fn.Blocks))
	}
	if m := a.bases[b.Index]; m != nil {
		return m
	}
	m := make(map[pathKey]bool)
	for lv := range a.live[b.Index] {
		if lp, ok := a.loads[lv]; ok {
			m[lp] = true
		}
	}
	a.bases[b.Index] = m
	return m
}
