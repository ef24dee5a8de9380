package ui

import (
	"errors"
	"io"

	"crewai-setup/model"
	"crewai-setup/store"

	tea "charm.land/bubbletea/v2"
)

// ErrNotFinished means the program ended without the wizard reaching an end (killed, or the
// terminal went away).
var ErrNotFinished = errors.New("the wizard ended before the files were written")

// Run starts the wizard on a terminal and returns the final model. The terminal is restored
// on every exit, also after a panic or SIGTERM (Bubble Tea does that for the program).
func Run(a *model.Answers, outDir string, save store.SaveFunc, in io.Reader, out io.Writer, env []string) (*Model, error) {
	opts := []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out)}
	if env != nil {
		opts = append(opts, tea.WithEnvironment(env))
	}
	m := New(a, outDir)
	if save != nil {
		m.WithSave(save)
	}
	// The program runs m itself (pointer receivers): what it returns is m, or nothing.
	if _, err := tea.NewProgram(m, opts...).Run(); err != nil {
		return m, err
	}
	if !m.aborted && m.result == nil {
		return m, ErrNotFinished
	}
	return m, nil
}
