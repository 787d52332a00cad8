// Package suppress: //nilsentry:ignore silences a finding on its line or
// the line below; a directive without a reason, or that silences
// nothing, is reported.
package suppress

type T struct{ N int }

func pick(cond bool) *T {
	var t *T
	if cond {
		t = &T{}
	}
	return t
}

func sameLine(cond bool) int {
	return pick(cond).N //nilsentry:ignore callers pass true
}

func lineAbove(cond bool) int {
	//nilsentry:ignore callers pass true
	return pick(cond).N
}

func noReason(cond bool) int {
	return pick(cond).N //nilsentry:ignore // want `nilsentry:ignore needs a reason`
}

func silencesNothing() int {
	t := &T{}
	//nilsentry:ignore t is fresh // want `nilsentry:ignore silences nothing: remove it`
	return t.N
}

func notADirective(cond bool) int {
	// nilsentry:ignore with a space is prose, not a directive
	return pick(cond).N // want `nil dereference: pick\(cond\) may be nil here`
}
