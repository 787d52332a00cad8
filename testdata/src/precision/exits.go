package precision

import (
	"errors"
	"log"
)

// An error helper that exits for a non-nil error returns only with a nil
// one (summary returns-when(p0=nil|true)): results nil only with an error are non-nil
// after it (badger's y.Check, P-exit-helper in docs/triage.md).

type table struct{ n int }

func openTable(name string) (*table, error) {
	if name == "" {
		return nil, errors.New("no name")
	}
	return &table{n: len(name)}, nil
}

func check(err error) {
	if err != nil {
		log.Fatalf("fatal: %v", err)
	}
}

// check2 forwards to check, as badger's Check2 does.
func check2(_ any, err error) { check(err) }

func tableSize(name string) int {
	t, err := openTable(name)
	check(err)
	return t.n
}

func tableSizeWrapped(name string) int {
	t, err := openTable(name)
	check2(nil, err)
	return t.n
}

// Still reported: a helper that only logs returns either way.
func logErr(err error) {
	if err != nil {
		log.Printf("error: %v", err)
	}
}

func tableSizeLogged(name string) int {
	t, err := openTable(name)
	logErr(err)
	return t.n // want `nil dereference: t may be nil here \(openTable returns nil with an error at exits.go:\d+\)`
}

// A logger behind an interface: by log.Fatal's convention its Fatal,
// Fatalf and Fatalln do not return (grpclog's DepthLoggerV2, logrus's
// FieldLogger).
type Logger interface {
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

func tableSizeFatal(logger Logger, name string) int {
	t, err := openTable(name)
	if err != nil {
		logger.Fatalf("open %s: %v", name, err)
	}
	return t.n
}

// Still reported: Errorf returns.
func tableSizeError(logger Logger, name string) int {
	t, err := openTable(name)
	if err != nil {
		logger.Errorf("open %s: %v", name, err)
	}
	return t.n // want `nil dereference: t may be nil here \(openTable returns nil with every error at exits.go:\d+; its error is non-nil at exits.go:\d+\)`
}
