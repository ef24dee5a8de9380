package yamledit

import (
	"os"
	"testing"
)

// readOrFail returns a file's bytes or fails the test.
func readOrFail(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
