package analyzer

// SetFactsOnly sets what FactsOnly sets, and lets tests undo it.
func SetFactsOnly(on bool) { factsOnly = on }
