package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/app"
)

// The exit code of real command lines: help and version 0, check findings 1, a wrong command
// line or bad input 2.
func TestExitCodes(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--help"}, 0},
		{[]string{"check", "--help"}, 0},
		{[]string{"--version"}, 0},
		{[]string{"completion", "bash"}, 0},
		{[]string{"--bogus"}, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"pem"}, 2},
		{[]string{"check", missing}, 2},
		{[]string{"check", "testdata/answers.example.yaml", "--strict"}, 1},
	} {
		var out, errb bytes.Buffer
		err := app.Run(tc.args, app.IO{In: strings.NewReader(""), Out: &out, Err: &errb})
		if got := exitCode(err); got != tc.want {
			t.Errorf("%v: exit code %d, want %d (err %v)\n%s", tc.args, got, tc.want, err, errb.String())
		}
	}
}
