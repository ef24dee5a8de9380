package app

import "fmt"

func runRotate(args []string, sio IO) error { return ErrUsage }

// runWizard starts the interactive wizard.
func runWizard(o initOptions, sio IO) error {
	fmt.Fprintln(sio.Err, "crewai-setup init: the interactive wizard is not available in this build; use --answers FILE --non-interactive")
	return fmt.Errorf("no wizard: %w", ErrUsage)
}
