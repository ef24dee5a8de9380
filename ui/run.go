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
func Run(a *model.Answers, outDir string, save store.SaveFunc, in io.Reader, out io.Writer, env []string) (Model, error) {
	opts := []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out)}
	if env != nil {
		opts = append(opts, tea.WithEnvironment(env))
	}
	m0 := New(a, outDir)
	if save != nil {
		m0 = m0.WithSave(save)
	}
	p := tea.NewProgram(m0, opts...)
	final, err := p.Run()
	m, ok := final.(Model)
	if err != nil {
		return m, err
	}
	if !ok || (!m.aborted && m.result == nil) {
		return m, ErrNotFinished
	}
	return m, nil
}
