package driver

// A PackageError is an error that kept a package from being analyzed.
type PackageError struct {
	Package  string // package ID; empty for an error loading the packages
	Analyzer string // analyzer name, the key of go vet -json output
	Err      string // the whole message, without the program name
}

// maxErrorsPerPackage bounds what a broken package prints: the first
// errors are what one fixes first.
const maxErrorsPerPackage = 10
