// Command cmd-measure times whole crewai-setup processes as an operator runs them: rotate of
// one key and check, on secrets files grown to 50, 1k, 10k and 100k lines in two shapes (a flat
// secrets: mapping with a comment between keys, and nested per-tenant sections), plus
// init --non-interactive with the example answers. Every figure is the median wall time of
// several runs of the built binary; the ratios are checked against the targets
// (10k lines at most 4× the 50-line file, 100k at most 15× the 10k-line file).
//
//	go run ./scripts/cmd-measure                  # builds crewai-setup first
//	go run ./scripts/cmd-measure -bin ./crewai-setup -runs 9
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
	runs := flag.Int("runs", 7, "runs per figure (the 100k-line files get a third of them, at least 3)")
	sizes := flag.String("sizes", "50,1000,10000,100000", "file sizes in lines; the first is the small file the ratios start from")
	flag.Parse()
	failed, err := run(*bin, *runs, *sizes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cmd-measure:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func run(bin string, runs int, sizeList string) (failed bool, err error) {
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

	// The base files are what init writes for the example answers.
	baseDir := filepath.Join(dir, "base")
	initArgs := []string{"init", "--non-interactive", "--answers", "testdata/answers.example.yaml", "--out", baseDir}
	initTime, err := median(runs, func() (time.Duration, error) { return timeRun(ctx, bin, initArgs, 0) })
	if err != nil {
		return false, err
	}
	fmt.Printf("init --non-interactive, example answers (2048-bit key): %v\n\n", initTime.Round(100*time.Microsecond))
	base, err := os.ReadFile(filepath.Join(baseDir, "secrets.yaml"))
	if err != nil {
		return false, err
	}
	values := filepath.Join(baseDir, "values.yaml")

	fmt.Printf("%-8s %-7s %8s %12s %12s\n", "command", "shape", "lines", "median", "per 1k lines")
	for _, shape := range []perffiles.Shape{perffiles.Flat, perffiles.Nested} {
		for _, cmd := range []string{"rotate", "check"} {
			var times []time.Duration
			for _, n := range sizes {
				data, err := perffiles.Grow(base, n, shape)
				if err != nil {
					return false, err
				}
				work := filepath.Join(dir, fmt.Sprintf("%s-%s-%d", cmd, shape, n))
				if err := os.MkdirAll(work, 0o700); err != nil {
					return false, err
				}
				secrets := filepath.Join(work, "secrets.yaml")
				k := runs
				if n >= 100_000 {
					k = max(3, runs/3)
				}
				d, err := median(k, func() (time.Duration, error) {
					// rotate edits the file: every run starts from the same bytes, no backups.
					if err := reset(work, secrets, data); err != nil {
						return 0, err
					}
					if cmd == "rotate" {
						return timeRun(ctx, bin, []string{"rotate", "--yes", "--values", values, "--secrets", secrets, "secrets.GITHUB_WEBHOOK_SECRET_TOKEN"}, 0)
					}
					return timeRun(ctx, bin, []string{"check", values, secrets}, 1)
				})
				if err != nil {
					return false, fmt.Errorf("%s on %d lines (%s): %w", cmd, n, shape, err)
				}
				times = append(times, d)
				lines := strings.Count(string(data), "\n")
				fmt.Printf("%-8s %-7s %8d %12v %12v\n", cmd, shape, lines, d.Round(100*time.Microsecond),
					(d * 1000 / time.Duration(max(lines, 1))).Round(time.Microsecond))
			}
			failed = printRatios(sizes, times) || failed
		}
	}
	return failed, nil
}

// printRatios prints small→10k and 10k→100k and reports whether a target is missed.
func printRatios(sizes []int, times []time.Duration) bool {
	i10k, i100k := slices.Index(sizes, 10_000), slices.Index(sizes, 100_000)
	failed := false
	var parts []string
	if i10k > 0 {
		r := float64(times[i10k]) / float64(times[0])
		ok := r <= maxSmallTo10k
		failed = failed || !ok
		parts = append(parts, fmt.Sprintf("10k/%d = %.1f× (target ≤ %.0f×%s)", sizes[0], r, maxSmallTo10k, mark(ok)))
	}
	if i10k >= 0 && i100k >= 0 {
		r := float64(times[i100k]) / float64(times[i10k])
		ok := r <= max10kTo100k
		failed = failed || !ok
		parts = append(parts, fmt.Sprintf("100k/10k = %.1f× (target ≤ %.0f×%s)", r, max10kTo100k, mark(ok)))
	}
	if len(parts) > 0 {
		fmt.Printf("         %s\n", strings.Join(parts, ", "))
	}
	return failed
}

func mark(ok bool) string {
	if ok {
		return ""
	}
	return ", MISSED"
}

// reset makes dir hold only secrets with data.
func reset(dir, secrets string, data []byte) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return os.WriteFile(secrets, data, 0o600)
}

// timeRun runs bin once and returns its wall time; exit codes up to okExit count as success
// (check exits 1 when it has findings).
func timeRun(ctx context.Context, bin string, args []string, okExit int) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() <= okExit {
		err = nil
	}
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return d, nil
}

// median runs f k times and returns the median duration.
func median(k int, f func() (time.Duration, error)) (time.Duration, error) {
	ds := make([]time.Duration, 0, k)
	for range k {
		d, err := f()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}
