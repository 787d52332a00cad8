package flow

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A function without loops is solved, and reported, in one round; one
// with a loop, a goto backwards or a loop only a recover can reach again
// is not.
func TestHasBackEdge(t *testing.T) {
	const src = `package p

func branches(c bool, p *int) int {
	if c {
		return *p
	}
	switch {
	case p == nil:
		return 0
	}
	return 1
}

func loop(xs []int) (n int) {
	for _, x := range xs {
		n += x
	}
	return n
}

func gotoBack(n int) int {
again:
	n--
	if n > 0 {
		goto again
	}
	return n
}

func deferred(p *int) (n int) {
	defer func() { recover() }()
	return *p
}
`
	for name, want := range map[string]bool{"branches": false, "loop": true, "gotoBack": true, "deferred": false} {
		fn := buildFunc(t, src, name)
		assert.Equal(t, want, hasBackEdge(reversePostorder(fn)), name)
	}
}
