// Command pty-measure runs crewai-setup in a pseudo-terminal at 120×40 and measures what one
// keystroke costs on the wire: how long until the first frame, and for each of 50 characters
// typed into the Database screen's host field, how many bytes the program writes in response
// and how long until its output settles.
//
//	go run ./scripts/pty-measure                 # builds crewai-setup first
//	go run ./scripts/pty-measure -bin ./crewai-setup -v
//	go run ./scripts/pty-measure -gum "$(which gum)"   # the same for `gum input`, to compare
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/creack/pty"
)

// settle is how long the output must stay quiet for a response to count as complete. Bubble
// Tea draws at most 60 frames a second, so a response arrives within about 17 ms.
const settle = 60 * time.Millisecond

func main() {
	bin := flag.String("bin", "", "crewai-setup binary (default: build one from this module)")
	gum := flag.String("gum", "", "also measure `gum input` with this gum binary")
	keys := flag.Int("n", 50, "characters to type")
	verbose := flag.Bool("v", false, "print each response's bytes")
	flag.Parse()
	if err := run(*bin, *gum, *keys, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "pty-measure:", err)
		os.Exit(1)
	}
}

func run(bin, gum string, n int, verbose bool) error {
	ctx := context.Background()
	if bin == "" {
		dir, err := os.MkdirTemp("", "pty-measure")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "crewai-setup")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %w\n%s", err, out)
		}
	}
	out, err := os.MkdirTemp("", "pty-measure-out")
	if err != nil {
		return err
	}
	defer os.RemoveAll(out)

	fmt.Println("crewai-setup, Database screen, host field, 120×40:")
	t, err := start(exec.CommandContext(ctx, bin, "init", "--out", filepath.Join(out, "files")))
	if err != nil {
		return err
	}
	first, err := t.waitFor("Deployed with", 10*time.Second)
	if err != nil {
		return err
	}
	fmt.Printf("  time to first frame: %v (first byte after %v)\n", first.Round(time.Millisecond), t.firstByte().Round(time.Millisecond))
	// Deployment has 12 fields with the defaults (the certificate files are hidden); enter on
	// the last one shows the Database screen with the host field focused.
	for range 12 {
		t.press("\r")
	}
	if _, err := t.waitFor("Database host", 5*time.Second); err != nil {
		return err
	}
	t.quiet()
	res := t.typeChars(n, verbose)
	res.print()
	t.press("\x03") // ctrl+c, then y: discard the answers
	t.press("y")
	t.stop()

	if gum != "" {
		fmt.Println("gum input, 120×40:")
		g, err := start(exec.CommandContext(ctx, gum, "input", "--placeholder", "host"))
		if err != nil {
			return err
		}
		if _, err := g.waitFor("host", 10*time.Second); err != nil {
			return err
		}
		fmt.Printf("  time to first frame: %v\n", g.firstFrame.Round(time.Millisecond))
		g.quiet()
		res := g.typeChars(n, verbose)
		res.print()
		g.press("\x03")
		g.stop()
	}
	return nil
}

// term is a program running in a pseudo-terminal, with everything it wrote and when.
type term struct {
	cmd     *exec.Cmd
	pty     *os.File
	started time.Time

	mu     sync.Mutex
	out    bytes.Buffer
	last   time.Time // when the last byte arrived
	firstB time.Time
	done   chan struct{}

	firstFrame time.Duration
}

func start(cmd *exec.Cmd) (*term, error) {
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=truecolor")
	t := &term{cmd: cmd, done: make(chan struct{}), started: time.Now()}
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		return nil, err
	}
	t.pty = f
	go t.read()
	return t, nil
}

func (t *term) read() {
	defer close(t.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := t.pty.Read(buf)
		if n > 0 {
			now := time.Now()
			t.mu.Lock()
			if t.firstB.IsZero() {
				t.firstB = now
			}
			t.out.Write(buf[:n])
			t.last = now
			t.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

func (t *term) firstByte() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.firstB.Sub(t.started)
}

// waitFor waits until the output holds text and then settles, and returns the time from the
// start until the last byte of that frame.
func (t *term) waitFor(text string, limit time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		t.mu.Lock()
		found := bytes.Contains(stripped(t.out.Bytes()), []byte(text))
		t.mu.Unlock()
		if found {
			last := t.quiet()
			d := last.Sub(t.started)
			if t.firstFrame == 0 {
				t.firstFrame = d
			}
			return d, nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return 0, fmt.Errorf("no %q on screen after %v; output:\n%q", text, limit, t.out.String())
}

// quiet waits until nothing has arrived for the settle time and returns when the last byte came.
func (t *term) quiet() time.Time { return t.quietAfter(time.Time{}) }

// quietAfter waits for output after since (at most a second), then until it settles, and
// returns when its last byte came (since when nothing came).
func (t *term) quietAfter(since time.Time) time.Time {
	deadline := time.Now().Add(time.Second)
	for {
		t.mu.Lock()
		last := t.last
		t.mu.Unlock()
		switch {
		case last.After(since) && time.Since(last) >= settle:
			return last
		case !last.After(since) && time.Now().After(deadline):
			return since
		}
		time.Sleep(time.Millisecond)
	}
}

func (t *term) press(s string) {
	sent := time.Now()
	_, _ = io.WriteString(t.pty, s)
	t.quietAfter(sent)
}

// results are the per-keystroke figures.
type results struct {
	bytes   []int
	latency []time.Duration
}

// typeChars types n characters one at a time, each after the response to the one before has
// settled, and measures the response to each.
func (t *term) typeChars(n int, verbose bool) results {
	var r results
	const alphabet = "crewai-db.example.internal."
	for i := range n {
		t.mu.Lock()
		before := t.out.Len()
		t.mu.Unlock()
		sent := time.Now()
		_, _ = io.WriteString(t.pty, string(alphabet[i%len(alphabet)]))
		last := t.quietAfter(sent)
		t.mu.Lock()
		resp := slices.Clone(t.out.Bytes()[before:])
		t.mu.Unlock()
		r.bytes = append(r.bytes, len(resp))
		r.latency = append(r.latency, last.Sub(sent))
		if verbose {
			fmt.Printf("    key %2d: %3d bytes %8v %s\n", i+1, len(resp), last.Sub(sent).Round(time.Microsecond), strconv.Quote(string(resp)))
		}
	}
	return r
}

func (r results) print() {
	b := slices.Clone(r.bytes)
	slices.Sort(b)
	l := slices.Clone(r.latency)
	slices.Sort(l)
	fmt.Printf("  bytes per keystroke (%d keys): min %d, median %d, max %d\n", len(b), b[0], b[len(b)/2], b[len(b)-1])
	fmt.Printf("  latency until the output settles: min %v, median %v, max %v\n",
		l[0].Round(10*time.Microsecond), l[len(l)/2].Round(10*time.Microsecond), l[len(l)-1].Round(10*time.Microsecond))
}

func (t *term) stop() {
	select {
	case <-t.done:
	case <-time.After(2 * time.Second):
		_ = t.cmd.Process.Kill()
	}
	err := t.cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "pty-measure:", err)
	}
	t.pty.Close()
}

// stripped drops escape sequences, roughly, so text on screen can be searched for.
func stripped(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b {
			out = append(out, b[i])
			continue
		}
		// Skip CSI (ESC [ ... final byte) and OSC (ESC ] ... BEL or ST) sequences.
		if i+1 < len(b) && b[i+1] == '[' {
			i += 2
			for i < len(b) && (b[i] < 0x40 || b[i] > 0x7e) {
				i++
			}
		} else if i+1 < len(b) && b[i+1] == ']' {
			for i < len(b) && b[i] != 0x07 && (b[i] != 0x1b || i+1 >= len(b) || b[i+1] != '\\') {
				i++
			}
		} else {
			i++
		}
	}
	return out
}
