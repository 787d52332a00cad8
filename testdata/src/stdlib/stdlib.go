// Package stdlib: contracts of standard-library functions, inferred from
// their bodies through facts (no hand-written table).
package stdlib

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"reflect"
	"sync"
)

func getIgnored(u string) {
	resp, _ := http.Get(u)
	defer resp.Body.Close() // want `nil dereference: resp may be nil here`
}

func getDeferBeforeCheck(u string) error {
	resp, err := http.Get(u)
	defer resp.Body.Close() // want `nil dereference: resp may be nil here`
	if err != nil {
		return err
	}
	return nil
}

func getChecked(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

func openIgnored(name string) string {
	f, _ := os.Open(name)
	return f.Name() // want `nil dereference: f may be nil here`
}

func openChecked(name string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	return f.Name()
}

func flagLookup(name string) string {
	return flag.Lookup(name).Value.String() // want `nil dereference: flag.Lookup\(name\) may be nil here`
}

// An imported function's nil result is judged by its use: this package
// checks flag.Lookup's result in two functions and trusts it in one, so
// the unchecked use is reported (summary.CredibleResult).
func flagIsSet(name string) bool { return flag.Lookup(name) != nil }

func flagLookupChecked(name string) string {
	if f := flag.Lookup(name); f != nil {
		return f.Value.String()
	}
	return ""
}

type Session struct{ User string }

func syncMapIgnored(m *sync.Map, k string) string {
	v, _ := m.Load(k)
	s, _ := v.(*Session)
	return s.User // want `nil dereference: s may be nil here \(type assertion may fail`
}

func syncMapChecked(m *sync.Map, k string) string {
	if v, ok := m.Load(k); ok {
		return v.(*Session).User
	}
	return ""
}

type ctxKey struct{}

func contextValue(ctx context.Context) string {
	s, _ := ctx.Value(ctxKey{}).(*Session)
	return s.User // want `nil dereference: s may be nil here \(type assertion may fail`
}

type Config struct {
	TLS  *TLSConfig `json:"tls"` // want TLS:"nilable\\(field TLS may be missing from JSON decoded at stdlib/stdlib.go:99; field TLS checked for nil at stdlib/stdlib.go:110\\)"
	Name string     `json:"name"`
}

type TLSConfig struct{ Cert string }

func loadConfig(data []byte) (string, error) {
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", err
	}
	return cfg.TLS.Cert, nil // want `nil dereference: cfg.TLS may be nil here \(field TLS may be missing from JSON decoded at stdlib.go:99; field TLS checked for nil at stdlib.go:110\)`
}

func loadConfigChecked(data []byte) (string, error) {
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", err
	}
	if cfg.TLS == nil {
		return "", nil
	}
	return cfg.TLS.Cert, nil
}

// A field the decoder never sets (`json:"-"`) and the fields of a type
// that decodes itself are no JSON evidence: their code sets them.
type Assignment struct {
	Name   string     `json:"name"`
	Config *TLSConfig `json:"-"`
}

func loadAssignment(data []byte) (string, error) {
	var a Assignment
	if err := json.Unmarshal(data, &a); err != nil {
		return "", err
	}
	a.Config = &TLSConfig{}
	return a.Name, nil
}

func assignmentCert(a *Assignment) string { return a.Config.Cert }

type Envelope struct {
	Payload *TLSConfig `json:"payload"`
}

func (e *Envelope) UnmarshalJSON(data []byte) error { // want UnmarshalJSON:"nilsentry\\(r0=maybenil p0=derefs\\+fields-after\\(0\\)\\)"
	e.Payload = &TLSConfig{Cert: string(data)}
	return nil
}

func loadEnvelope(data []byte) (string, error) {
	var e Envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return "", err
	}
	return e.Payload.Cert, nil
}

// --- reflect: TypeOf is nil exactly for a nil interface (inferred from
// internal/abi.TypeOf, the one model, through reflect's toType) ---

func typeName(v any) string {
	return reflect.TypeOf(v).Name() // v is whatever the caller passes: trusted
}

func typeOfNilError() string {
	var err error
	return reflect.TypeOf(err).String() // want `nil interface method call: reflect.TypeOf\(err\) may be nil here \(declared without a value at stdlib.go:\d+; passed through TypeOf at stdlib.go:\d+\)`
}

func typeOfTypedNil() string {
	var s *Session
	return reflect.TypeOf(s).Elem().Name() // a nil *Session in an interface is not a nil interface
}

func valueOf(s *Session) string {
	return reflect.ValueOf(s).Elem().Type().Name() // Value is a struct, Type() of a valid Value is not nil
}
