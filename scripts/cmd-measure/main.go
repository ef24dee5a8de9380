// Command cmd-measure times whole crewai-setup processes as an operator runs them: rotate of
// one key and check, on secrets files grown to 50, 1k, 10k and 100k lines in two shapes (a flat
// secrets: mapping with a comment between keys, and nested per-tenant sections), plus
// init --non-interactive with the example answers. Every figure is the median wall time of
// several runs of the built binary, with the CPU time (user plus system) beside it: on a
// shared machine it varies less. The ratios of the wall times are checked against the targets
// (10k lines at most 4× the 50-line file, 100k at most 15× the 10k-line file); the exit code
// is 1 when one is missed. With -base, a second binary (say, one built from main) is measured
// in the same run, runs interleaved, for a before/after under the same load.
//
//	go run ./scripts/cmd-measure                  # builds crewai-setup first
//	go run ./scripts/cmd-measure -bin ./crewai-setup -runs 9 -base /tmp/crewai-setup-main
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"crewai-setup/internal/perffiles"
)

// The targets the ratios are checked against.
const (
	maxSmallTo10k = 4.0
	max10kTo100k  = 15.0
)

func main() {
	bin := flag.String("bin", "", "crewai-setup binary (default: build one from this module)")
	base := flag.String("base", "", "a second binary to measure in the same run, e.g. one built from main")
	runs := flag.Int("runs", 7, "runs per figure (the 100k-line files get a third of them, at least 3)")
	sizes := flag.String("sizes", "50,1000,10000,100000", "file sizes in lines; the first is the small file the ratios start from")
	flag.Parse()
	failed, err := run(*bin, *base, *runs, *sizes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cmd-measure:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// timing is one figure: median wall and CPU time over the runs.
type timing struct{ wall, cpu time.Duration }

func (t timing) String() string {
	return fmt.Sprintf("%9v %9v", t.wall.Round(100*time.Microsecond), t.cpu.Round(100*time.Microsecond))
}

func run(bin, base string, runs int, sizeList string) (failed bool, err error) {
	ctx := context.Background()
	var sizes []int
	for f := range strings.SplitSeq(sizeList, ",") {
		var n int
		if _, err := fmt.Sscan(f, &n); err != nil || n <= 0 {
			return false, fmt.Errorf("-sizes: %q is not a line count", f)
		}
		sizes = append(sizes, n)
	}
	dir, err := os.MkdirTemp("", "cmd-measure")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "crewai-setup")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			return false, fmt.Errorf("go build: %w\n%s", err, out)
		}
	}
	bins := []string{bin}
	names := []string{"this"}
	if base != "" {
		bins = append(bins, base)
		names = append(names, "base")
	}

	// The base files are what init writes for the example answers.
	baseDir := filepath.Join(dir, "base")
	inits, err := measure(runs, bins, func(b string) (timing, error) {
		return timeRun(ctx, b, []string{"init", "--non-interactive", "--answers", "testdata/answers.example.yaml", "--out", baseDir}, 0)
	})
	if err != nil {
		return false, err
	}
	for i, t := range inits {
		fmt.Printf("init --non-interactive, example answers (%s): wall %v, CPU %v\n", names[i], t.wall.Round(100*time.Microsecond), t.cpu.Round(100*time.Microsecond))
	}
	secrets, err := os.ReadFile(filepath.Join(baseDir, "secrets.yaml"))
	if err != nil {
		return false, err
	}
	values := filepath.Join(baseDir, "values.yaml")

	fmt.Printf("\n%-6s %-8s %-7s %8s %9s %9s\n", "binary", "command", "shape", "lines", "wall", "CPU")
	for _, shape := range []perffiles.Shape{perffiles.Flat, perffiles.Nested} {
		for _, cmd := range []string{"rotate", "check"} {
			times := make([][]timing, len(bins))
			for _, n := range sizes {
				data, err := perffiles.Grow(secrets, n, shape)
				if err != nil {
					return false, err
				}
				work := filepath.Join(dir, fmt.Sprintf("%s-%s-%d", cmd, shape, n))
				if err := os.MkdirAll(work, 0o700); err != nil {
					return false, err
				}
				path := filepath.Join(work, "secrets.yaml")
				k := runs
				if n >= 100_000 {
					k = max(3, runs/3)
				}
				ts, err := measure(k, bins, func(b string) (timing, error) {
					// rotate edits the file: every run starts from the same bytes, no backups.
					if err := reset(work, path, data); err != nil {
						return timing{}, err
					}
					if cmd == "rotate" {
						return timeRun(ctx, b, []string{"rotate", "--yes", "--values", values, "--secrets", path, "secrets.GITHUB_WEBHOOK_SECRET_TOKEN"}, 0)
					}
					return timeRun(ctx, b, []string{"check", values, path}, 1)
				})
				if err != nil {
					return false, fmt.Errorf("%s on %d lines (%s): %w", cmd, n, shape, err)
				}
				lines := strings.Count(string(data), "\n")
				for i, t := range ts {
					times[i] = append(times[i], t)
					fmt.Printf("%-6s %-8s %-7s %8d %v\n", names[i], cmd, shape, lines, t)
				}
			}
			for i := range bins {
				failed = printRatios(names[i], sizes, times[i]) || failed
			}
		}
	}
	return failed, nil
}

// measure runs f k times for each binary, interleaved so that both see the same load, and
// returns the median wall and CPU time per binary.
func measure(k int, bins []string, f func(bin string) (timing, error)) ([]timing, error) {
	walls := make([][]time.Duration, len(bins))
	cpus := make([][]time.Duration, len(bins))
	for range k {
		for i, b := range bins {
			t, err := f(b)
			if err != nil {
				return nil, err
			}
			walls[i] = append(walls[i], t.wall)
			cpus[i] = append(cpus[i], t.cpu)
		}
	}
	out := make([]timing, len(bins))
	for i := range bins {
		out[i] = timing{median(walls[i]), median(cpus[i])}
	}
	return out, nil
}

// printRatios prints small→10k and 10k→100k of the wall times and reports whether a target
// is missed.
func printRatios(name string, sizes []int, times []timing) bool {
	i10k, i100k := slices.Index(sizes, 10_000), slices.Index(sizes, 100_000)
	failed := false
	var parts []string
	if i10k > 0 {
		r := float64(times[i10k].wall) / float64(times[0].wall)
		ok := r <= maxSmallTo10k
		failed = failed || !ok
		parts = append(parts, fmt.Sprintf("10k/%d = %.1f× (target ≤ %.0f×%s; CPU %.1f×)", sizes[0], r, maxSmallTo10k, mark(ok),
			float64(times[i10k].cpu)/float64(times[0].cpu)))
	}
	if i10k >= 0 && i100k >= 0 {
		r := float64(times[i100k].wall) / float64(times[i10k].wall)
		ok := r <= max10kTo100k
		failed = failed || !ok
		parts = append(parts, fmt.Sprintf("100k/10k = %.1f× (target ≤ %.0f×%s; CPU %.1f×)", r, max10kTo100k, mark(ok),
			float64(times[i100k].cpu)/float64(times[i10k].cpu)))
	}
	if len(parts) > 0 {
		fmt.Printf("%-6s   %s\n", name, strings.Join(parts, ", "))
	}
	return failed
}

func mark(ok bool) string {
	if ok {
		return ""
	}
	return ", MISSED"
}

// reset makes dir hold only path with data.
func reset(dir, path string, data []byte) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return os.WriteFile(path, data, 0o600)
}

// timeRun runs bin once and returns its wall and CPU time; exit codes up to okExit count as
// success (check exits 1 when it has findings).
func timeRun(ctx context.Context, bin string, args []string, okExit int) (timing, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() <= okExit {
		err = nil
	}
	if err != nil {
		return timing{}, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return timing{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// median returns the middle of ds.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
