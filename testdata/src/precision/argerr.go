package precision

import "errors"

// A result nil with a nil error only under a condition on a parameter
// (`if !always { return nil, nil }`), and otherwise nil only with an
// error: a call whose constant argument excludes the condition gets a
// result nil only with an error, which its error check rules out (issue
// 11 family 3, `newPolicy(opts, true)`).

type Policy struct{ Name string }

func newPolicy(opts map[string]string, always bool) (*Policy, error) {
	if len(opts) == 0 {
		if always {
			return &Policy{}, nil
		}
		return nil, nil
	}
	if opts["a"] != "" && opts["b"] != "" {
		return nil, errors.New("ambiguous")
	}
	return &Policy{Name: opts["a"]}, nil
}

func policyName(opts map[string]string) (string, error) {
	p, err := newPolicy(opts, true)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

// Still reported: the error is not checked.
func policyNameUnchecked(opts map[string]string) string {
	p, _ := newPolicy(opts, true)
	return p.Name // want `nil dereference: p may be nil here \(newPolicy returns nil with an error at argerr.go:21\)$`
}

// Still reported: false takes the nil, nil return.
func policyNameMaybe(opts map[string]string) (string, error) {
	p, err := newPolicy(opts, false)
	if err != nil {
		return "", err
	}
	return p.Name, nil // want `nil dereference: p may be nil here \(newPolicy returns nil with a nil error at argerr.go:18\)$`
}

// Still reported: the argument is not a constant.
func policyNameFlag(opts map[string]string, always bool) (string, error) {
	p, err := newPolicy(opts, always)
	if err != nil {
		return "", err
	}
	return p.Name, nil // want `nil dereference: p may be nil here \(newPolicy returns nil with a nil error at argerr.go:18\)$`
}
