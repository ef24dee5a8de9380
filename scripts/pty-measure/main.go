// Command pty-measure runs crewai-setup in a pseudo-terminal at 120×40 and measures what one
// keystroke costs on the wire: how long until the first frame, and for each of 50 characters
// typed into the Database screen's host field, how many bytes the program writes in response
// and how long until its output settles. With -gum and -bare it measures `gum input` and a
// bare Bubble Tea textinput (./scripts/pty-measure/textinput) the same way, in the same run.
//
// The pseudo-terminal answers the queries a terminal answers (background colour, cursor
// position, device attributes, mode reports): gum waits for those answers before its first
// frame. Each key is sent at a random moment after the previous response settled, so that the
// keys do not fall into step with the program's frame ticker; the latency of a Bubble Tea
// program is the wait for its next frame (up to one frame, about 17 ms at 60 fps) plus the
// time to draw it.
//
//	go run ./scripts/pty-measure                 # builds crewai-setup first
//	go run ./scripts/pty-measure -bin ./crewai-setup -v
//	go run ./scripts/pty-measure -gum "$(which gum)" -bare   # compare in one run
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/creack/pty"
)

// settle is how long the output must stay quiet for a response to count as complete. Bubble
// Tea draws at most 60 frames a second, so a response arrives within about 17 ms.
const settle = 60 * time.Millisecond

// frame is one frame of Bubble Tea's default 60 fps ticker: keys are sent at a random offset
// within it.
const frame = time.Second / 60

func main() {
	bin := flag.String("bin", "", "crewai-setup binary (default: build one from this module)")
	gum := flag.String("gum", "", "also measure `gum input` with this gum binary")
	bare := flag.Bool("bare", false, "also measure a bare Bubble Tea textinput (built from ./scripts/pty-measure/textinput)")
	keys := flag.Int("n", 50, "characters to type")
	seed := flag.Uint64("seed", 1, "seed of the random offsets between keys")
	verbose := flag.Bool("v", false, "print each response's bytes and the terminal queries answered")
	flag.Parse()
	if err := run(*bin, *gum, *bare, *keys, *seed, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "pty-measure:", err)
		os.Exit(1)
	}
}

func run(bin, gum string, bare bool, n int, seed uint64, verbose bool) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "pty-measure")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	build := func(out, pkg string) error {
		if b, err := exec.CommandContext(ctx, "go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
		}
		return nil
	}
	if bin == "" {
		bin = filepath.Join(dir, "crewai-setup")
		if err := build(bin, "."); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed))

	fmt.Println("crewai-setup, Database screen, host field, 120×40:")
	t, err := start(exec.CommandContext(ctx, bin, "init", "--out", filepath.Join(dir, "files")), verbose)
	if err != nil {
		return err
	}
	if err := t.waitFor("Deployed with", 10*time.Second); err != nil {
		return err
	}
	t.printStart()
	// Deployment has 13 fields with the defaults (the certificate files are hidden); enter on
	// the last one shows the Database screen with the host field focused.
	for range 13 {
		t.press("\r")
	}
	if err := t.waitFor("Database host", 5*time.Second); err != nil {
		return err
	}
	t.quiet()
	t.typeChars(n, rng, verbose).print()
	t.press("\x03") // ctrl+c, then y: discard the answers
	t.press("y")
	t.stop()

	if gum != "" {
		fmt.Println("gum input, 120×40:")
		if err := measureInput(exec.CommandContext(ctx, gum, "input", "--placeholder", "host"), n, rng, verbose); err != nil {
			return err
		}
	}
	if bare {
		fmt.Println("bare Bubble Tea textinput, 120×40:")
		ti := filepath.Join(dir, "textinput")
		if err := build(ti, "./scripts/pty-measure/textinput"); err != nil {
			return err
		}
		if err := measureInput(exec.CommandContext(ctx, ti), n, rng, verbose); err != nil {
			return err
		}
	}
	return nil
}

// measureInput measures a program that shows one text field with the placeholder "host".
func measureInput(cmd *exec.Cmd, n int, rng *rand.Rand, verbose bool) error {
	t, err := start(cmd, verbose)
	if err != nil {
		return err
	}
	if err := t.waitFor("host", 10*time.Second); err != nil {
		return err
	}
	t.printStart()
	t.quiet()
	t.typeChars(n, rng, verbose).print()
	t.press("\x03")
	t.stop()
	return nil
}

// term is a program running in a pseudo-terminal, with everything it wrote and when.
type term struct {
	cmd     *exec.Cmd
	pty     *os.File
	started time.Time
	verbose bool

	mu       sync.Mutex
	out      bytes.Buffer
	scanned  int // how much of out has been searched for queries
	answered []string
	last     time.Time // when the last byte arrived
	firstB   time.Time
	done     chan struct{}

	firstFrame time.Duration
}

func start(cmd *exec.Cmd, verbose bool) (*term, error) {
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=truecolor")
	t := &term{cmd: cmd, done: make(chan struct{}), started: time.Now(), verbose: verbose}
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
			reply := t.answerQueries()
			t.mu.Unlock()
			if len(reply) > 0 {
				_, _ = t.pty.Write(reply)
			}
		}
		if err != nil {
			return
		}
	}
}

// queries are the terminal queries answered, each with the reply of a dark xterm-like terminal
// ($1 is the query's first group). Kitty's keyboard query (CSI ? u) is not answered: xterm
// does not know it either.
var queries = []struct {
	name  string
	re    *regexp.Regexp
	reply string
}{
	{"background colour (OSC 11)", regexp.MustCompile(`\x1b\]11;\?(\x07|\x1b\\)`), "\x1b]11;rgb:1e1e/1e1e/1e1e$1"},
	{"foreground colour (OSC 10)", regexp.MustCompile(`\x1b\]10;\?(\x07|\x1b\\)`), "\x1b]10;rgb:d0d0/d0d0/d0d0$1"},
	{"cursor position (DSR 6)", regexp.MustCompile(`\x1b\[6n`), "\x1b[1;1R"},
	{"device attributes (DA1)", regexp.MustCompile(`\x1b\[0?c`), "\x1b[?62;22c"},
	{"mode report (DECRQM)", regexp.MustCompile(`\x1b\[\?(\d+)\$p`), "\x1b[?$1;0$$y"},
}

// answerQueries finds the queries in the output not searched yet and returns the replies, in
// order. The last few bytes stay unsearched until more arrives: a query may be cut in two.
func (t *term) answerQueries() []byte {
	const longest = 16
	b := t.out.Bytes()
	type hit struct {
		at    int
		end   int
		reply []byte
		name  string
	}
	var hits []hit
	for _, q := range queries {
		for _, m := range q.re.FindAllSubmatchIndex(b[t.scanned:], -1) {
			reply := q.re.Expand(nil, []byte(q.reply), b[t.scanned:], m)
			hits = append(hits, hit{t.scanned + m[0], t.scanned + m[1], reply, q.name})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int { return a.at - b.at })
	var out []byte
	end := max(t.scanned, len(b)-longest)
	for _, h := range hits {
		out = append(out, h.reply...)
		end = max(end, h.end)
		if !slices.Contains(t.answered, h.name) {
			t.answered = append(t.answered, h.name)
		}
	}
	t.scanned = end
	return out
}

// printStart prints the time to the first frame and, with -v, the queries answered.
func (t *term) printStart() {
	t.mu.Lock()
	first, answered := t.firstB.Sub(t.started), slices.Clone(t.answered)
	t.mu.Unlock()
	fmt.Printf("  time to first frame: %v (first byte after %v)\n", t.firstFrame.Round(time.Millisecond), first.Round(time.Millisecond))
	if t.verbose {
		fmt.Printf("  terminal queries answered: %s\n", strings.Join(answered, ", "))
	}
}

// waitFor waits until the output holds text and then settles; the first time, it records the
// time from the start until the last byte of that frame as the time to the first frame.
func (t *term) waitFor(text string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		t.mu.Lock()
		found := bytes.Contains(stripped(t.out.Bytes()), []byte(text))
		t.mu.Unlock()
		if found {
			if last := t.quiet(); t.firstFrame == 0 {
				t.firstFrame = last.Sub(t.started)
			}
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return fmt.Errorf("no %q on screen after %v; output:\n%q", text, limit, t.out.String())
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

// typeChars types n characters one at a time, each at a random offset (up to one frame) after
// the response to the one before has settled, and measures the response to each: its size and
// the time from sending the key to the response's last byte.
func (t *term) typeChars(n int, rng *rand.Rand, verbose bool) results {
	var r results
	const alphabet = "crewai-db.example.internal."
	for i := range n {
		time.Sleep(time.Duration(rng.Int64N(int64(frame))))
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
