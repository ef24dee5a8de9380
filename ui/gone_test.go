package ui

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"crewai-setup/model"

	"github.com/creack/pty"
)

// A terminal whose other side closes ends the wizard within a second or two, with
// ErrTerminalGone and nothing written: Bubble Tea alone ends its input loop quietly at EOF and
// keeps running, with nobody to answer (a measurement harness found such wizards spinning for
// 18 minutes). The pseudo-terminal here is not the test's controlling terminal, so no hangup
// signal comes: only the reads say the terminal is gone. The rotation picker ends the same way.
func TestTerminalGoneEndsTheWizard(t *testing.T) {
	for _, which := range []string{"wizard", "rotate"} {
		t.Run(which, func(t *testing.T) {
			master, tty, err := pty.Open()
			if err != nil {
				t.Fatalf("no pseudo-terminal: %v", err)
			}
			defer tty.Close()
			if err := pty.Setsize(master, &pty.Winsize{Rows: 24, Cols: 80}); err != nil {
				t.Fatal(err)
			}
			// The screen is read without blocking: a read blocked on the master would keep
			// it open after Close (creack/pty leaves it in blocking mode), and the terminal
			// would never hang up.
			fd := int(master.Fd())
			if err := syscall.SetNonblock(fd, true); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var screen bytes.Buffer
			var stop atomic.Bool
			stopped := make(chan struct{})
			go func() {
				defer close(stopped)
				buf := make([]byte, 4096)
				for !stop.Load() {
					n, err := syscall.Read(fd, buf)
					if n > 0 {
						mu.Lock()
						screen.Write(buf[:n])
						mu.Unlock()
					}
					if err != nil && !errors.Is(err, syscall.EAGAIN) {
						return
					}
					if n <= 0 {
						time.Sleep(10 * time.Millisecond)
					}
				}
			}()
			out := filepath.Join(t.TempDir(), "out")
			done := make(chan error, 1)
			want := "Deployed with"
			go func() {
				if which == "rotate" {
					a := model.NewAnswers(model.NewCatalog())
					a.Set("secrets.DB_PASSWORD", "old")
					changes, err := RunRotate(a, tty, tty)
					if changes != nil {
						err = errors.New("changes confirmed")
					}
					done <- err
					return
				}
				_, err := Run(New(model.NewAnswers(model.NewCatalog()), out), tty, tty, []string{"TERM=xterm-256color"})
				done <- err
			}()
			if which == "rotate" {
				want = "Rotate credentials"
			}
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				shown := strings.Contains(screen.String(), want)
				mu.Unlock()
				if shown {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the first frame never came")
				}
				time.Sleep(20 * time.Millisecond)
			}
			stop.Store(true)
			<-stopped
			start := time.Now()
			master.Close()
			select {
			case err := <-done:
				if !errors.Is(err, ErrTerminalGone) {
					t.Fatalf("ended with %v, want ErrTerminalGone", err)
				}
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("took %v to notice", took)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("still running 5 s after its terminal closed")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("wrote %s (%v)", out, err)
			}
		})
	}
}

// A hangup that comes while the wizard or the picker is still starting (before its program
// exists) ends it like one that comes later: the report waits for the program instead of
// sending to nothing. Hangups are sent without pause from before the start, many times over.
func TestHangupWhileStarting(t *testing.T) {
	// The test's own subscription keeps a hangup from ending the test process between runs.
	keep := make(chan os.Signal, 1)
	signal.Notify(keep, syscall.SIGHUP)
	defer func() {
		time.Sleep(50 * time.Millisecond) // hangups still on their way
		signal.Stop(keep)
	}()
	for i := range 40 {
		stop := make(chan struct{})
		spam := make(chan struct{})
		go func() {
			defer close(spam)
			for {
				select {
				case <-stop:
					return
				default:
					_ = syscall.Kill(os.Getpid(), syscall.SIGHUP)
					runtime.Gosched()
				}
			}
		}()
		var err error
		if i%2 == 0 {
			_, err = Run(New(model.NewAnswers(model.NewCatalog()), filepath.Join(t.TempDir(), "out")), strings.NewReader(""), io.Discard, []string{"TERM=dumb"})
		} else {
			a := model.NewAnswers(model.NewCatalog())
			a.Set("secrets.DB_PASSWORD", "old")
			_, err = RunRotate(a, strings.NewReader(""), io.Discard)
		}
		close(stop)
		<-spam
		if !errors.Is(err, ErrTerminalGone) {
			t.Fatalf("run %d ended with %v, want ErrTerminalGone", i, err)
		}
	}
}
