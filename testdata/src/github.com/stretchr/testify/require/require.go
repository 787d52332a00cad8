// Package require is a stand-in for testify's, with the signature that
// nilsentry models.
package require

type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

func NotNil(t TestingT, object any, msgAndArgs ...any) {
	if object == nil {
		t.FailNow()
	}
}
