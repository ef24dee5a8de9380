package ui

import (
	"errors"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"

	tea "charm.land/bubbletea/v2"
)

// ErrNotFinished means the program ended without the wizard reaching an end (killed, or the
// terminal went away).
var ErrNotFinished = errors.New("the wizard ended before the files were written")

// ErrTerminalGone means the terminal went away before the end (its input ended or failed, or
// it hung up): the wizard stopped at once, writing nothing more.
var ErrTerminalGone = errors.New("the terminal went away before the wizard finished; nothing more was written")

// Run starts the wizard m (New, with its With options) on a terminal and returns it. The terminal is restored
// on every exit, also after a panic or SIGTERM (Bubble Tea does that for the program). When
// the terminal goes away (reading it ends or fails, or it hangs up) the wizard ends at once
// with ErrTerminalGone, instead of running on without anyone to answer.
func Run(m *Model, in io.Reader, out io.Writer, env []string) (*Model, error) {
	var opts []tea.ProgramOption
	if env != nil {
		opts = append(opts, tea.WithEnvironment(env))
	}
	// The program runs m itself (pointer receivers): what it returns is m, or nothing.
	gone, err := runWatched(m, in, out, opts...)
	switch {
	case (gone || m.gone) && m.result == nil && !m.aborted:
		return m, ErrTerminalGone
	case err != nil:
		return m, err
	case !m.aborted && m.result == nil:
		return m, ErrNotFinished
	}
	return m, nil
}

// runWatched runs a program of m on the terminal in and out, sending it terminalGoneMsg when
// the terminal goes away (watchTerminal), also when that happens before the program exists:
// the report waits for it. gone says whether the terminal went away while it ran: Bubble Tea
// may end on the failed read itself before the message arrives.
func runWatched(m tea.Model, in io.Reader, out io.Writer, opts ...tea.ProgramOption) (gone bool, err error) {
	var p *tea.Program
	made := make(chan struct{})
	stop, wentAway := watchTerminal(&in, func() { <-made; p.Send(terminalGoneMsg{}) })
	defer stop()
	p = tea.NewProgram(m, append([]tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out)}, opts...)...)
	close(made)
	_, err = p.Run()
	return wentAway(), err
}

// watchTerminal makes a terminal file *in report, through gone (called once), that the
// terminal went away: a read that ends (EOF) or fails with EIO, as reads of a terminal whose
// other side closed do, or a hangup signal (unless the process ignores hangups, as under
// nohup). Bubble Tea ends its input loop quietly on EOF and would otherwise run on with
// nobody to answer. Other readers (scripted input in tests) are left as they are. gone runs
// in a goroutine of its own. stop ends the watch; wentAway reports whether it saw the terminal go.
func watchTerminal(in *io.Reader, gone func()) (stop func(), wentAway func() bool) {
	var once sync.Once
	var went atomic.Bool
	report := func() {
		once.Do(func() {
			went.Store(true)
			go gone()
		})
	}
	if f, ok := (*in).(*os.File); ok {
		*in = &watchedFile{File: f, gone: report}
	}
	if signal.Ignored(syscall.SIGHUP) {
		return func() {}, went.Load
	}
	hup := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		select {
		case <-hup:
			report()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
	}, went.Load
}

// terminalEnded reports whether a read error means the terminal is gone.
func terminalEnded(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO) }

// watchedFile is a terminal file whose reads report the terminal going away. It stays an
// *os.File otherwise (descriptor, name, writes), so Bubble Tea still sets the terminal up
// and cancels reads the way it does for a file.
type watchedFile struct {
	*os.File
	gone func()
}

// Read reads the terminal, reporting its end.
func (w *watchedFile) Read(p []byte) (int, error) {
	n, err := w.File.Read(p)
	if err != nil && terminalEnded(err) {
		w.gone()
	}
	return n, err
}
