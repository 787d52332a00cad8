package summary

import (
	"encoding/binary"
	"errors"
	"go/token"

	"github.com/nilsentry/nilsentry/internal/nilstate"
)

// Facts about methods and fields travel in a compact binary form of their
// own instead of gob's reflective one. go vet's analysis framework
// re-exports every imported fact about a method or a field, so the vet
// tool of a package deep in a dependency graph decodes the facts of all
// the packages below it; with gob's encoding of the nested structs that
// decoding cost as much CPU as the analysis itself (k8s.io/client-go).
// Gob still frames the facts: it calls GobEncode and GobDecode.

// factFormat starts every encoded fact; a fact in another format (a build
// cache entry of another nilsentry version) fails to decode instead of
// decoding wrong.
const factFormat = 8

var errFactFormat = errors.New("nilsentry fact: malformed or of another version")

// The NestedAfter paths present are one byte's bits (param).
var _ = [1]struct{}{}[MaxNested/9]

// GobEncode implements gob.GobEncoder.
func (f *Fact) GobEncode() ([]byte, error) {
	w := &factWriter{buf: []byte{factFormat}}
	w.summary(&f.Summary)
	return w.buf, nil
}

// GobDecode implements gob.GobDecoder.
func (f *Fact) GobDecode(data []byte) error {
	r := &factReader{data: data}
	if r.byte() != factFormat {
		return errFactFormat
	}
	f.Summary = r.summary()
	return r.done()
}

// GobEncode implements gob.GobEncoder.
func (f *FieldFact) GobEncode() ([]byte, error) {
	w := &factWriter{buf: []byte{factFormat}}
	w.evidence(f.Ev)
	w.int(int64(f.Uses.Guarded))
	w.int(int64(f.Uses.Unguarded))
	return w.buf, nil
}

// GobDecode implements gob.GobDecoder.
func (f *FieldFact) GobDecode(data []byte) error {
	r := &factReader{data: data}
	if r.byte() != factFormat {
		return errFactFormat
	}
	f.Ev = r.evidence()
	f.Uses = FieldUses{Guarded: int(r.int()), Unguarded: int(r.int())}
	return r.done()
}

type factWriter struct{ buf []byte }

func (w *factWriter) byte(b byte)     { w.buf = append(w.buf, b) }
func (w *factWriter) uint(n uint64)   { w.buf = binary.AppendUvarint(w.buf, n) }
func (w *factWriter) int(n int64)     { w.buf = binary.AppendVarint(w.buf, n) }
func (w *factWriter) len(n int)       { w.uint(uint64(n)) }
func (w *factWriter) string(s string) { w.len(len(s)); w.buf = append(w.buf, s...) }

func (w *factWriter) bools(bs ...bool) {
	var b byte
	for i, v := range bs {
		if v {
			b |= 1 << i
		}
	}
	w.byte(b)
}

func (w *factWriter) evidence(e *nilstate.Evidence) {
	if e == nil {
		w.len(0)
		return
	}
	w.len(len(e.Steps) + 1) // 0 is nil, 1 an empty chain
	for _, s := range e.Steps {
		w.int(int64(s.Pos))
		w.string(s.Where)
		w.string(s.What)
	}
}

func (w *factWriter) summary(s *Summary) {
	w.len(len(s.Results))
	for i := range s.Results {
		w.result(&s.Results[i])
	}
	w.len(len(s.Params))
	for i := range s.Params {
		w.param(&s.Params[i])
	}
	w.conds(s.ReturnsWhen)
	w.bools(s.Pure)
	w.int(int64(s.Getter))
}

func (w *factWriter) result(r *Result) {
	w.byte(byte(r.Kind))
	w.evidence(r.Ev)
	w.int(int64(r.Param))
	w.evidence(r.ErrEv)
	w.conds(r.NilErrWhen)
	w.evidence(r.NilOnErr)
	w.conds(r.NilWhen)
	w.uint(r.FieldsSet)
	w.int(int64(r.KeysOf))
	for _, f := range r.KeysPath {
		w.uint(uint64(f))
	}
	if t := r.TypedNil; t == nil {
		w.byte(0)
	} else {
		w.byte(1)
		w.evidence(t.Ev)
		w.string(t.Type)
		w.len(len(t.Derefs))
		for _, d := range t.Derefs {
			w.string(d)
		}
	}
}

func (w *factWriter) conds(cs []Cond) {
	w.len(len(cs))
	for _, c := range cs {
		w.len(len(c))
		for _, pf := range c {
			w.int(int64(pf.Param))
			w.int(int64(pf.Field))
			w.int(int64(pf.Is))
			w.bools(pf.Ranged)
			w.int(pf.Lo)
			w.int(pf.Hi)
			w.string(pf.Eq)
			w.string(pf.Neq)
			w.string(pf.TypeIn)
			w.string(pf.TypeOut)
		}
	}
}

func (w *factWriter) param(p *Param) {
	w.byte(byte(p.Kind))
	w.bools(p.NonNilIfTrue, p.NonNilIfNonZero)
	w.uint(p.FieldsAfter)
	w.uint(p.FieldsIfTrue)
	w.uint(p.FieldsIfFalse)
	var set byte // which NestedAfter paths follow: most are empty
	for i, fp := range p.NestedAfter {
		if fp != (FieldPath{}) {
			set |= 1 << i
		}
	}
	w.byte(set)
	for _, fp := range p.NestedAfter {
		if fp != (FieldPath{}) {
			for _, f := range fp {
				w.uint(uint64(f))
			}
		}
	}
}

// factReader decodes what factWriter wrote. The first error sticks, and
// every read after it returns zero: done reports it.
type factReader struct {
	data []byte
	err  error
}

func (r *factReader) fail() {
	if r.err == nil {
		r.err = errFactFormat
	}
	r.data = nil
}

func (r *factReader) done() error {
	if r.err == nil && len(r.data) != 0 {
		r.fail()
	}
	return r.err
}

func (r *factReader) byte() byte {
	if len(r.data) == 0 {
		r.fail()
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

func (r *factReader) uint() uint64 { return readVarint(r, binary.Uvarint) }
func (r *factReader) int() int64   { return readVarint(r, binary.Varint) }

func readVarint[T uint64 | int64](r *factReader, read func([]byte) (T, int)) T {
	n, k := read(r.data)
	if k <= 0 {
		r.fail()
		return 0
	}
	r.data = r.data[k:]
	return n
}

// len reads a length, which cannot exceed the bytes left (every element
// takes at least one): a corrupt length fails instead of allocating.
func (r *factReader) len() int {
	n := r.uint()
	if n > uint64(len(r.data))+1 {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *factReader) string() string {
	n := r.len()
	if n > len(r.data) {
		r.fail()
		return ""
	}
	s := string(r.data[:n])
	r.data = r.data[n:]
	return s
}

func (r *factReader) bools(bs ...*bool) {
	b := r.byte()
	for i, p := range bs {
		*p = b&(1<<i) != 0
	}
}

func (r *factReader) evidence() *nilstate.Evidence {
	n := r.len()
	if n == 0 {
		return nil
	}
	e := &nilstate.Evidence{}
	if n > 1 {
		e.Steps = make([]nilstate.Step, n-1)
	}
	for i := range e.Steps {
		e.Steps[i] = nilstate.Step{Pos: token.Pos(r.int()), Where: r.string(), What: r.string()}
	}
	return e
}

func (r *factReader) summary() Summary {
	var s Summary
	if n := r.len(); n > 0 {
		s.Results = make([]Result, n)
		for i := range s.Results {
			s.Results[i] = r.result()
		}
	}
	if n := r.len(); n > 0 {
		s.Params = make([]Param, n)
		for i := range s.Params {
			s.Params[i] = r.param()
		}
	}
	s.ReturnsWhen = r.conds()
	r.bools(&s.Pure)
	s.Getter = int(r.int())
	return s
}

func (r *factReader) result() Result {
	res := Result{Kind: ResultKind(r.byte())}
	res.Ev = r.evidence()
	res.Param = int(r.int())
	res.ErrEv = r.evidence()
	res.NilErrWhen = r.conds()
	res.NilOnErr = r.evidence()
	res.NilWhen = r.conds()
	res.FieldsSet = r.uint()
	res.KeysOf = int(r.int())
	for i := range res.KeysPath {
		res.KeysPath[i] = uint16(r.uint())
	}
	if r.byte() == 1 {
		t := &TypedNil{Ev: r.evidence(), Type: r.string()}
		if n := r.len(); n > 0 {
			t.Derefs = make([]string, n)
			for i := range t.Derefs {
				t.Derefs[i] = r.string()
			}
		}
		res.TypedNil = t
	}
	return res
}

func (r *factReader) conds() []Cond {
	n := r.len()
	if n == 0 {
		return nil
	}
	cs := make([]Cond, n)
	for i := range cs {
		m := r.len()
		if m == 0 {
			continue
		}
		c := make(Cond, m)
		for j := range c {
			pf := &c[j]
			pf.Param, pf.Field, pf.Is = int(r.int()), int(r.int()), int8(r.int())
			r.bools(&pf.Ranged)
			pf.Lo, pf.Hi = r.int(), r.int()
			pf.Eq, pf.Neq, pf.TypeIn, pf.TypeOut = r.string(), r.string(), r.string(), r.string()
		}
		cs[i] = c
	}
	return cs
}

func (r *factReader) param() Param {
	p := Param{Kind: ParamKind(r.byte())}
	r.bools(&p.NonNilIfTrue, &p.NonNilIfNonZero)
	p.FieldsAfter, p.FieldsIfTrue, p.FieldsIfFalse = r.uint(), r.uint(), r.uint()
	set := r.byte()
	for i := range p.NestedAfter {
		if set&(1<<i) != 0 {
			for j := range p.NestedAfter[i] {
				p.NestedAfter[i][j] = uint16(r.uint())
			}
		}
	}
	return p
}
