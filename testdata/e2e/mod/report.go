package main

import "fmt"

// report has a printf bug (not a nil bug): go vet's printf analyzer
// reports it, nilsentry does not. The nilvet test uses it to see that the
// standard vet analyzers run in the same pass as nilsentry.
func report(args []string) {
	name := "e2e"
	if len(args) > 0 {
		name = args[0]
	}
	fmt.Printf("%d arguments\n", name) // e2e-vet `%d`: fmt.Printf format %d has arg name of wrong type string
}
