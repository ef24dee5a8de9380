package model

// Prepare runs the steps between loading answers and writing files: read the files the
// wizard block names, generate what must be generated, and validate everything. It returns
// every problem found (generation is skipped when resolving already failed). The error is only
// for a failure of the random source.
func Prepare(a *Answers) (Problems, error) {
	probs := a.Resolve()
	if !probs.HasErrors() {
		if _, err := Generate(a); err != nil {
			return probs, err
		}
	}
	return append(probs, Validate(a)...), nil
}
