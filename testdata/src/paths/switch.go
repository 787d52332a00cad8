package paths

type Expr interface{ Pos() int }

type Ident struct{ Name string }

func (id *Ident) Pos() int { return len(id.Name) } // want Pos:"nilsentry\\(p0=derefs pure\\)"

type Checker struct{ errors int }

func (c *Checker) error(at []Expr, msg string) { c.errors++ }

// A range variable checked for nil stays maybe-nil after a call on one
// branch retired it as a load of its element (go/types' resolver: a nil
// receiver type parameter is reported, then dereferenced).
func (c *Checker) params(list *struct{ indices []Expr }) []*Ident {
	var out []*Ident
	for _, arg := range list.indices {
		var par *Ident
		switch arg := arg.(type) {
		case *Ident:
			par = arg
		case nil:
			c.error(list.indices, "nil parameter")
		}
		if par == nil {
			_ = arg.Pos() // want `nil interface method call: arg may be nil here \(checked for nil at switch.go:23\)`
			par = &Ident{Name: "_"}
		}
		out = append(out, par)
	}
	return out
}
