// Package assert is a stand-in for testify's, with the signature that
// nilsentry models.
package assert

type TestingT interface {
	Errorf(format string, args ...any)
}

func NotNil(t TestingT, object any, msgAndArgs ...any) bool {
	if object == nil {
		t.Errorf("expected non-nil")
		return false
	}
	return true
}
