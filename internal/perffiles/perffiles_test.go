package perffiles

import (
	"strings"
	"testing"

	"crewai-setup/guard/yamlguard"

	yaml "go.yaml.in/yaml/v3"
)

// base is the shape of a secrets file crewai-setup writes.
const base = "# secrets.yaml\nsecrets:\n  DB_PASSWORD: \"pw\"\noauth:\n  secrets:\n    google:\n      clientId: \"id\"\n"

// Grown files have about the lines asked for, parse as YAML with the original keys still in
// place, and stay within the input guard's bound at 100k lines, so the commands can read them.
func TestGrow(t *testing.T) {
	for _, shape := range []Shape{Flat, Nested} {
		for _, n := range []int{1000, 100_000} {
			data, err := Grow([]byte(base), n, shape)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(data), "\n"); got < n || got > n+20 {
				t.Errorf("%s, %d lines asked: %d lines", shape, n, got)
			}
			if err := yamlguard.CheckSize(data); err != nil {
				t.Errorf("%s, %d lines: the input guard refuses it: %v", shape, n, err)
			}
			// A node tree: decoding into a map would check 50k keys pairwise for duplicates.
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s, %d lines: %v", shape, n, err)
			}
			secrets := value(doc.Content[0], "secrets")
			if pw := value(secrets, "DB_PASSWORD"); pw == nil || pw.Value != "pw" || value(doc.Content[0], "oauth") == nil {
				t.Errorf("%s, %d lines: the original keys are gone", shape, n)
			}
			if shape == Flat && len(secrets.Content)/2 < n/2-10 {
				t.Errorf("flat, %d lines: only %d keys under secrets", n, len(secrets.Content)/2)
			}
		}
	}
	if _, err := Grow([]byte("a: 1\n"), 100, Flat); err == nil {
		t.Error("a base without secrets: was grown flat")
	}
}

// value returns the value of key k in mapping m, or nil.
func value(m *yaml.Node, k string) *yaml.Node {
	if m == nil {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i+1]
		}
	}
	return nil
}
