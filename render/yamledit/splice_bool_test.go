package yamledit

import (
	"testing"

	"crewai-setup/internal/helmtest"

	helmyaml "sigs.k8s.io/yaml"
)

// Toggles are written as YAML booleans: replacing one keeps it a boolean, a new one is plain.
func TestSpliceBool(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"flip", "oauth:\n  enabled: false # off for now\n", "oauth:\n  enabled: true # off for now\n"},
		{"flow", "postgres: {enabled: true}\n", "postgres: {enabled: false}\n"},
		{"new key", "oauth:\n  replicas: 2\n", "oauth:\n  replicas: 2\n  enabled: true\n"},
		{"new parent", "envVars:\n  A: b\n", "envVars:\n  A: b\ncube:\n  enabled: true\n"},
		{"null", "wharf:\n  enabled:\n", "wharf:\n  enabled: false\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := []string{"oauth", "enabled"}
			val := "true"
			switch tc.name {
			case "flow":
				path, val = []string{"postgres", "enabled"}, "false"
			case "new parent":
				path = []string{"cube", "enabled"}
			case "null":
				path, val = []string{"wharf", "enabled"}, "false"
			}
			out, err := Splice([]byte(tc.in), []Edit{{Path: path, Value: val, Style: EditBool}})
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", out, tc.want)
			}
			var m map[string]any
			if err := helmyaml.Unmarshal(out, &m); err != nil {
				t.Fatal(err)
			}
			if got, _ := helmtest.LookupDotted(m, path[0]+"."+path[1]); got != (val == "true") {
				t.Fatalf("Helm reads %#v", got)
			}
		})
	}
	if _, err := Splice([]byte("a: b\n"), []Edit{{Path: []string{"a"}, Value: "yes", Style: EditBool}}); err == nil {
		t.Fatal("a non-boolean value was accepted for a boolean edit")
	}
}
