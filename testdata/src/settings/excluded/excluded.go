// Package excluded has a finding that -exclude silences.
package excluded

func f() int {
	var p *int
	return *p
}
