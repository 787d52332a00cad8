package stdlib

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"maps"
)

// Contracts of issue 13's list. pem.Decode, x509's parsers and
// maps.Clone are inferred from their bodies; errors.As writes its target
// through reflection, which inference cannot follow, so it is modelled
// (internal/flow/models.go).

// A config loader that trusts its PEM input.
func certSubject(data []byte) string {
	block, _ := pem.Decode(data)
	cert, err := x509.ParseCertificate(block.Bytes) // want `nil dereference: block may be nil here \(Decode returns nil at encoding/pem/pem.go:\d+\)`
	if err != nil {
		return ""
	}
	return cert.Subject.CommonName
}

func certSubjectIgnored(der []byte) string {
	cert, _ := x509.ParseCertificate(der)
	return cert.Subject.CommonName // want `nil dereference: cert may be nil here \(ParseCertificate returns nil with an error at crypto/x509/parser.go:\d+\)`
}

// Safe: the block is checked, the error too.
func certSubjectChecked(data []byte) (string, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return "", errors.New("no PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", err
	}
	return cert.Subject.CommonName, nil
}

// maps.Clone of a nil map is nil: writing to the clone panics.
var profiles = map[string]map[string]string{}

func profile(name string) map[string]string {
	out := maps.Clone(profiles[name])
	out["name"] = name // want `nil map write: out may be nil here \(map lookup may miss at contracts.go:\d+; passed through Clone at contracts.go:\d+\)`
	return out
}

// Safe: a missing profile is handled.
func profileChecked(name string) map[string]string {
	out := maps.Clone(profiles[name])
	if out == nil {
		out = map[string]string{}
	}
	out["name"] = name
	return out
}

// An HTTP error mapper that assumes every error is a *fs.PathError.
func failedPath(err error) string {
	var pe *fs.PathError
	errors.As(err, &pe)
	return pe.Path // want `nil dereference: pe may be nil here \(declared without a value at contracts.go:\d+; not set when errors.As does not match at contracts.go:\d+\)`
}

// The mismatch is logged, not handled.
func failedPathLogged(err error, logf func(string, ...any)) string {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		logf("unexpected error %v", err)
	}
	return pe.Path // want `nil dereference: pe may be nil here \(declared without a value at contracts.go:\d+; not set when errors.As does not match at contracts.go:\d+\)`
}

// Safe look-alikes: the match is checked.
func failedPathChecked(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path
	}
	return ""
}

func failedPathEarlyReturn(err error) string {
	var pe *fs.PathError
	if ok := errors.As(err, &pe); !ok {
		return ""
	}
	return pe.Path
}

func failedPathAnd(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Op == "open"
}

// Safe: the target is set before errors.As can leave it alone.
func failedPathDefault(err error) string {
	pe := &fs.PathError{Op: "open", Path: "unknown", Err: fs.ErrNotExist}
	errors.As(err, &pe)
	return pe.Path
}
