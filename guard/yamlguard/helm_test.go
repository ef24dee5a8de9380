package yamlguard

import "testing"

// HelmPlain answers with Helm's own reading: YAML 1.1 words and octals are not text to it.
func TestHelmPlain(t *testing.T) {
	for s, want := range map[string]any{"text": "text", "yes": true, "off": false, "0777": float64(511), "~": nil} {
		got, err := HelmPlain(s)
		if f, ok := got.(int); ok {
			got = float64(f)
		}
		if err != nil || got != want {
			t.Errorf("HelmPlain(%q) = %#v, %v; want %#v", s, got, err, want)
		}
	}
	if _, err := HelmPlain("a\nb: c"); err == nil {
		t.Error("two values read as one")
	}
}
