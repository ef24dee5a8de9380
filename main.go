// Command crewai-setup prepares values files for the CrewAI Platform Helm chart.
package main

import (
	"errors"
	"os"

	"crewai-setup/app"
)

func main() {
	err := app.Run(os.Args[1:], app.DefaultIO())
	os.Exit(exitCode(err))
}

// exitCode maps the sentinel errors of package app to process exit codes:
// 0 ok, 1 findings, 2 bad input or usage, 130 aborted.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, app.ErrFindings):
		return 1
	case errors.Is(err, app.ErrAborted):
		return 130
	default:
		return 2
	}
}
