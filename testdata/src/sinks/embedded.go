package sinks

import "io"

// Embedded fields: a promoted method or field through an embedded
// pointer or interface that is nil names the embedded field.

type Logger struct{ prefix string }

func (l *Logger) Log(s string) { println(l.prefix + s) } // want Log:"nilsentry\\(p0=derefs\\)"

type Server struct {
	*Logger
	name string
}

func startUnset() {
	s := &Server{name: "x"}
	s.Log("start") // want `nil dereference: s.Logger is nil here \(field Logger not set at embedded.go:18; \(\*Logger\).Log dereferences its receiver\)`
}

func prefixUnset() string {
	s := &Server{name: "x"}
	return s.prefix // want `nil dereference: s.Logger is nil here \(field Logger not set at embedded.go:23\)`
}

// The outer pointer is the nil one: the message names it.
func startNilServer() {
	var s *Server
	s.Log("start") // want `nil dereference: s is nil here \(declared without a value at embedded.go:29\)`
}

// Safe look-alike: the embedded pointer is set.
func startSet() {
	s := &Server{Logger: &Logger{prefix: "> "}, name: "x"}
	s.Log("start")
}

type Body struct {
	io.Reader
}

func readUnset(buf []byte) {
	b := &Body{}
	b.Read(buf) // want `nil interface method call: b.Reader is nil here \(field Reader not set at embedded.go:44\)`
}

// A constructor that sets the embedded logger only when verbose, then
// uses it.
type ServerConfig struct {
	Name    string
	Verbose bool
}

func newServer(cfg ServerConfig) *Server {
	s := &Server{name: cfg.Name}
	if cfg.Verbose {
		s.Logger = &Logger{prefix: "> "}
	}
	s.Log("configured " + cfg.Name) // want `nil dereference: s.Logger may be nil here \(field Logger not set at embedded.go:\d+; \(\*Logger\).Log dereferences its receiver\)`
	return s
}

// Safe: a quiet logger otherwise.
func newServerQuiet(cfg ServerConfig) *Server {
	s := &Server{name: cfg.Name, Logger: &Logger{}}
	if cfg.Verbose {
		s.Logger = &Logger{prefix: "> "}
	}
	s.Log("configured " + cfg.Name)
	return s
}

// Safe: the use is under the same condition.
func newServerGuarded(cfg ServerConfig) *Server {
	s := &Server{name: cfg.Name}
	if cfg.Verbose {
		s.Logger = &Logger{prefix: "> "}
		s.Log("configured " + cfg.Name)
	}
	return s
}
