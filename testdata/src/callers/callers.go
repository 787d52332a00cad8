// Package callers: a helper that dereferences a field its callers check.
// Where every call of a function only this package can call passes the
// field non-nil, the helper's dereference is fine; any other caller, an
// exported helper, a helper used as a value or through an interface, or
// a change of the field inside the helper keeps the finding.
package callers

type Image struct{ W int }

type decoder struct {
	img *Image
	alt *Image
}

// reset and check give img (and alt) their evidence: assigned nil,
// checked for nil.
func (d *decoder) reset() { d.img, d.alt = nil, nil }

func (d *decoder) decode(black bool) int {
	if d.img != nil {
		if black {
			return d.applyBlack()
		}
		return d.convert() + d.width()
	}
	return 0
}

// Most of the package checks img before use: its evidence is credible
// (summary.Credible).
func (d *decoder) w1() int {
	if d.img != nil {
		return d.img.W
	}
	return 0
}

func (d *decoder) w2() int {
	if d.img == nil {
		return 0
	}
	return d.img.W
}

func (d *decoder) w3() bool { return d.img != nil && d.img.W > 0 }
func (d *decoder) w4() bool { return d.img == nil || d.img.W > 0 }
func (d *decoder) w5() bool { return d.img != nil && d.img.W > 1 }
func (d *decoder) w6() bool { return d.img != nil && d.img.W > 2 }
func (d *decoder) w7() bool { return d.img != nil && d.img.W > 3 }
func (d *decoder) w8() bool { return d.img != nil && d.img.W > 4 }
func (d *decoder) w9() bool { return d.img != nil && d.img.W > 5 }

// alt is checked in most places too; the cases below use it so that
// neither field is dereferenced unguarded in so many functions that the
// package relies on it being set (summary.Credible's protocolUses).
func (d *decoder) a1() bool { return d.alt != nil && d.alt.W > 1 }
func (d *decoder) a2() bool { return d.alt != nil && d.alt.W > 2 }
func (d *decoder) a3() bool { return d.alt != nil && d.alt.W > 3 }
func (d *decoder) a4() bool { return d.alt != nil && d.alt.W > 4 }

// applyBlack's only caller checks d.img first.
func (d *decoder) applyBlack() int {
	return d.img.W
}

// convert is also called from unchecked, which does not check.
func (d *decoder) convert() int {
	return d.img.W // want `nil dereference: d.img may be nil here`
}

func (d *decoder) unchecked() int {
	return d.convert()
}

// width resets the field before it reads it: the caller's check does
// not hold any more.
func (d *decoder) width() int {
	d.refresh()
	return d.img.W // want `nil dereference: d.img may be nil here`
}

func (d *decoder) refresh() {
	if d.alt == nil {
		d.img = nil
	}
}

// Apply is exported: other packages may call it with a nil img.
func (d *decoder) Apply() int { // want Apply:"nilsentry\\(p0=derefs\\+fields-after\\(0\\) pure\\)"
	return d.img.W // want `nil dereference: d.img may be nil here`
}

func (d *decoder) applyApply() int {
	if d.img == nil {
		return 0
	}
	return d.Apply()
}

// height is also used as a method value: calls through it are not seen.
func (d *decoder) height() int {
	return d.alt.W // want `nil dereference: d.alt may be nil here`
}

func (d *decoder) heights() (int, func() int) {
	if d.alt == nil {
		return 0, nil
	}
	return d.height(), d.height
}

// sizer lets size be called through an interface.
type sizer interface{ size() int }

func (d *decoder) size() int {
	return d.alt.W // want `nil dereference: d.alt may be nil here`
}

func (d *decoder) sizes() int {
	if d.alt == nil {
		return 0
	}
	return d.size()
}

// deferred: a deferred call reads the field when the function returns.
func (d *decoder) area() int {
	return d.alt.W // want `nil dereference: d.alt may be nil here`
}

func (d *decoder) deferred() {
	if d.alt != nil {
		defer d.area()
	}
	d.reset()
}

// param: a parameter the helper checks itself, that every caller passes
// non-nil (&p).
func record(msgs *[]string, s string) {
	if msgs != nil {
		*msgs = append(*msgs, s)
	}
	*msgs = append(*msgs, "done")
}

func recordAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		record(&out, s)
	}
	return out
}

// checker: every call of checkInstr comes after checkBlock stored a block
// it dereferences (`s.block = b; b.Index`): the field holds b, which is
// non-nil from there on (go/ssa's sanity checker).
type Block struct {
	Index int
	Preds []*Block
}

type checker struct {
	block  *Block
	errors int
}

func (s *checker) errorf() { s.errors++ }

func (s *checker) where() int {
	if s.block != nil {
		return s.block.Index
	}
	return -1
}

func (s *checker) first() bool { return s.block != nil && s.block.Index == 0 }
func (s *checker) preds() bool { return s.block != nil && len(s.block.Preds) > 0 }

func (s *checker) checkInstr() {
	if len(s.block.Preds) > 1 {
		s.errorf()
	}
}

func (s *checker) checkBlock(b *Block, index int) {
	s.block = b
	if b.Index != index {
		s.errorf()
	}
	s.checkInstr()
}

// checkLate reads the field after a call that might have changed it: the
// field is not known to hold b any more.
func (s *checker) checkLate() {
	if len(s.block.Preds) > 2 { // want `nil dereference: s.block may be nil here`
		s.errorf()
	}
}

func (s *checker) checkBlockLate(b *Block) {
	s.block = b
	s.errorf()
	_ = b.Index
	s.checkLate()
}

func (s *checker) done() int {
	n := s.errors
	s.block = nil
	return n
}

// The entry path is decided on the walk's paths, not on the code in
// front of the dereference: a value loaded on entry stays the caller's
// whatever runs after the load.
type cache struct {
	val  *Image
	next *cache
}

func (c *cache) clear()          { c.val = nil }
func (c *cache) has() bool       { return c.val != nil }
func (c *cache) w() int          { return c.with(c.val) }
func (c *cache) with(*Image) int { return 0 }
func (c *cache) size() int {
	if c.val == nil {
		return 0
	}
	return c.val.W
}

// Most functions check val before use: its evidence is credible.
func (c *cache) g1() bool { return c.val != nil && c.val.W > 1 }
func (c *cache) g2() bool { return c.val != nil && c.val.W > 2 }
func (c *cache) g3() bool { return c.val != nil && c.val.W > 3 }

// loadedFirst reads the field before the call that may clear it: the
// value it dereferences is the one its only caller checked.
func (c *cache) loadedFirst() int {
	v := c.val
	c.clear()
	return v.W
}

// loadedAfter reads it after the call: the caller's check says nothing.
func (c *cache) loadedAfter() int {
	c.clear()
	return c.val.W // want `nil dereference: c.val may be nil here`
}

// aliased stores nil through another pointer that may be c itself.
func (c *cache) aliased(o *cache) int {
	o.val = nil
	return c.val.W // want `nil dereference: c.val may be nil here`
}

// use is the only caller of the three, under a check of c.val.
func (c *cache) use() int {
	if c.val == nil {
		return 0
	}
	return c.loadedFirst() + c.loadedAfter() + c.aliased(c.next)
}
