package app

// runPEM is written by the PEM work; this placeholder keeps the package compiling.
func runPEM(args []string, sio IO) error { return ErrUsage }
