// Command crewai-setup prepares values files for the CrewAI Platform Helm chart.
package main

import (
	"errors"
	"os"
	"runtime/debug"

	"crewai-setup/app"
)

func main() {
	tuneGC()
	err := app.Run(os.Args[1:], app.DefaultIO())
	os.Exit(exitCode(err))
}

// tuneGC sets the garbage collector for a short-lived command: collect less often (reading a
// large values file allocates a lot that lives until the command ends), within a memory limit
// that keeps the process small on any input. GOGC and GOMEMLIMIT in the environment win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(192 << 20)
	}
}

// exitCode maps the sentinel errors of package app to process exit codes:
// 0 ok, 1 findings or the terminal gone, 2 bad input or usage, 130 aborted.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, app.ErrFindings), errors.Is(err, app.ErrTerminalGone):
		return 1
	case errors.Is(err, app.ErrAborted):
		return 130
	default:
		return 2
	}
}
