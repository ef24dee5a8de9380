package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/internal/perffiles"
)

// benchBase writes the example answers' files into a temporary directory and returns it.
func benchBase(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := Run([]string{"init", "--non-interactive", "--answers", "../testdata/answers.example.yaml", "--out", dir}, quietIO()); err != nil {
		b.Fatal(err)
	}
	return dir
}

func quietIO() IO {
	return IO{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
}

// benchSizes are the file lengths the command benchmarks run at.
var benchSizes = []int{1000, 10_000, 100_000}

// BenchmarkRotateCommand runs rotate of one generated key in process on the example secrets
// file grown to 1k, 10k and 100k lines, flat and nested: reading, planning, splicing, writing
// with a backup and reading back.
func BenchmarkRotateCommand(b *testing.B) {
	base := benchBase(b)
	secrets, err := os.ReadFile(filepath.Join(base, "secrets.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, shape := range []perffiles.Shape{perffiles.Flat, perffiles.Nested} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/lines=%d", shape, n), func(b *testing.B) {
				data, err := perffiles.Grow(secrets, n, shape)
				if err != nil {
					b.Fatal(err)
				}
				dir := b.TempDir()
				path := filepath.Join(dir, "secrets.yaml")
				args := []string{"rotate", "--yes", "--values", filepath.Join(base, "values.yaml"), "--secrets", path, "secrets.GITHUB_WEBHOOK_SECRET_TOKEN"}
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					b.StopTimer()
					// Every run starts from the same bytes, without the last run's backup.
					if err := errors.Join(os.RemoveAll(dir), os.MkdirAll(dir, 0o700), os.WriteFile(path, data, 0o600)); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					if err := Run(args, quietIO()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkCheckCommand runs check in process on the example values file and the example
// secrets file grown to 1k, 10k and 100k lines, flat and nested.
func BenchmarkCheckCommand(b *testing.B) {
	base := benchBase(b)
	secrets, err := os.ReadFile(filepath.Join(base, "secrets.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, shape := range []perffiles.Shape{perffiles.Flat, perffiles.Nested} {
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/lines=%d", shape, n), func(b *testing.B) {
				data, err := perffiles.Grow(secrets, n, shape)
				if err != nil {
					b.Fatal(err)
				}
				path := filepath.Join(b.TempDir(), "secrets.yaml")
				if err := os.WriteFile(path, data, 0o600); err != nil {
					b.Fatal(err)
				}
				args := []string{"check", filepath.Join(base, "values.yaml"), path}
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if err := Run(args, quietIO()); err != nil && !strings.Contains(err.Error(), "findings") {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
