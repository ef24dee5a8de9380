package model_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	helmyaml "sigs.k8s.io/yaml"

	"crewai-setup/model"
	"crewai-setup/store"
)

// pythonJSON encodes v the way Python's json.dump does by default (ensure_ascii): every
// non-ASCII character as \uXXXX, and characters above U+FFFF as a UTF-16 surrogate pair.
func pythonJSON(t *testing.T, v any) []byte {
	t.Helper()
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, r := range string(out) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.Bytes()
}

// writeAnswers writes an answers file next to a copy of the example GitHub App key.
func writeAnswers(t *testing.T, name string, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	pem, err := os.ReadFile(filepath.Join("..", "testdata", "example-github-app.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "example-github-app.pem"), pem, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// JSON answers as Python writes them, with surrogate pairs (which every YAML parser refuses),
// are read as JSON: the values reach values.yaml and secrets.yaml exactly, and Helm's own
// parser reads the same text back. The same answers as YAML give the same answers.
func TestJSONAnswersThroughToHelm(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "answers.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := helmyaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	doc["wizard"].(map[string]any)["generate"] = []any{} // nothing random: the two loads must agree
	unicode := map[string]string{
		"secrets.DB_PASSWORD":          "p🔑ss wörd 密码",
		"envVars.OKTA_AUDIENCE":        "api://défaut",
		"secrets.OKTA_CLIENT_SECRET":   "next\u0085line", // a raw NEL, which YAML would read as a break
		"envVars.AWS_BUCKET":           "bucket-🪣",
		"secrets.BUILT_IN_LLM_API_KEY": "sk-😀-key",
	}
	for path, v := range unicode {
		section, key, _ := strings.Cut(path, ".")
		doc[section].(map[string]any)[key] = v
	}
	js := pythonJSON(t, doc)
	if !bytes.Contains(js, []byte(`\ud83d\udd11`)) {
		t.Fatalf("the fixture has no surrogate pair: %s", js)
	}
	var v any
	if err := helmyaml.Unmarshal(js, &v); err == nil {
		t.Fatal("Helm's parser reads surrogate pairs after all: this test no longer shows why JSON is read as JSON")
	}

	cat := model.NewCatalog()
	fromJSON, probs, err := model.LoadAnswersFile(cat, writeAnswers(t, "answers.json", js))
	if err != nil {
		t.Fatal(err)
	}
	asYAML, err := helmyaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	fromYAML, _, err := model.LoadAnswersFile(cat, writeAnswers(t, "answers.yaml", asYAML))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range unicode {
		if got := fromJSON.Get(path); got != want {
			t.Errorf("%s = %q from JSON, want %q", path, got, want)
		}
	}
	for _, p := range fromYAML.Paths() {
		if fromJSON.Get(p) != fromYAML.Get(p) && p != "secrets.OKTA_CLIENT_SECRET" { // YAML breaks at the NEL
			t.Errorf("%s: %q from JSON, %q from the same answers as YAML", p, fromJSON.Get(p), fromYAML.Get(p))
		}
	}
	if !reflect.DeepEqual(fromJSON.Paths(), fromYAML.Paths()) || !reflect.DeepEqual(fromJSON.Wizard, fromYAML.Wizard) {
		t.Errorf("JSON and YAML answers differ:\n%v %+v\n%v %+v", fromJSON.Paths(), fromJSON.Wizard, fromYAML.Paths(), fromYAML.Wizard)
	}

	out := t.TempDir()
	_, _, probs, err = store.PrepareAndSave(fromJSON, probs, out, nil)
	if err != nil || probs.HasErrors() {
		t.Fatalf("err=%v problems:\n%v", err, probs)
	}
	read := map[string]any{}
	for _, f := range []string{"values.yaml", "secrets.yaml"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := helmyaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("Helm cannot read %s: %v", f, err)
		}
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				for kk, vv := range sub {
					read[k+"."+kk] = vv
				}
			}
		}
	}
	for path, want := range unicode {
		if got := read[path]; got != want {
			t.Errorf("Helm reads %s = %q, want %q", path, got, want)
		}
	}
}

// Problems in JSON answers keep file:line and column, from the decoder's offsets.
func TestJSONPositions(t *testing.T) {
	js := "{\n  \"envVars\": {\n    \"DB_HOST\": [\"x\"],\n    \"DB_PROT\": \"5432\"\n  },\n  \"wizard\": {\"argocd\": \"maybe\"}\n}\n"
	_, probs, err := model.LoadAnswersFile(model.NewCatalog(), writeAnswers(t, "a.json", []byte(js)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"envVars.DB_HOST": {3, 5}, "envVars.DB_PROT": {4, 5}, "wizard.argocd": {6, 24}}
	for path, lc := range want {
		ps := probs.For(path)
		if len(ps) == 0 {
			t.Errorf("no problem for %s in %v", path, probs)
			continue
		}
		if ps[0].Pos.Line != lc[0] || ps[0].Pos.Column != lc[1] || !strings.HasSuffix(ps[0].Pos.File, "a.json") {
			t.Errorf("%s at %+v, want line %d column %d", path, ps[0].Pos, lc[0], lc[1])
		}
	}
}

// Broken JSON is a syntax error naming the file and, where the decoder knows it, the line.
func TestJSONErrors(t *testing.T) {
	deep := `{"a": ` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "}"
	for _, c := range []struct{ name, js, want string }{
		{"bad token", "{\n  \"a\": 1,\n  \"b\": nope\n}", "line 3"},
		{"truncated", `{"a": [1, 2`, "ends before the object is closed"},
		{"two objects", `{"a": 1} {"b": 2}`, "more after the object's closing }"},
		{"nested too deep", deep, "nested more than 1000 levels"},
		{"too many values", `{"a": [` + strings.Repeat("1,", 300_000) + "1]}", "separate values"},
	} {
		start := time.Now()
		_, _, err := model.LoadAnswersFile(model.NewCatalog(), writeAnswers(t, "a.json", []byte(c.js)))
		if !errors.Is(err, model.ErrSyntax) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "a.json") {
			t.Errorf("%s: err = %v, want a syntax error naming a.json with %q", c.name, err, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %s", c.name, d)
		}
	}
	// A byte order mark before the { is fine.
	a, _, err := model.LoadAnswersFile(model.NewCatalog(), writeAnswers(t, "bom.json", []byte("\ufeff {\"secrets\": {\"DB_PASSWORD\": \"\\u00e9\"}}")))
	if err != nil || a.Get("secrets.DB_PASSWORD") != "é" {
		t.Errorf("JSON with a BOM: %v, %q", err, a.Get("secrets.DB_PASSWORD"))
	}
}

// A values file is read as Helm reads it (YAML), even when it is JSON: a JSON values file with
// surrogate pairs is as unreadable to check as it is to Helm.
func TestJSONValuesFileReadAsHelmDoes(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	_, err := a.Merge([]byte(`{"secrets": {"DB_PASSWORD": "\ud83d\udd11"}}`), "values.json", false)
	if !errors.Is(err, model.ErrSyntax) {
		t.Errorf("err = %v, want the YAML parser's syntax error", err)
	}
	if _, err := a.Merge([]byte(`{"secrets": {"DB_PASSWORD": "\u00e9"}}`), "values.json", false); err != nil || a.Get("secrets.DB_PASSWORD") != "é" {
		t.Errorf("plain JSON values: %v, %q", err, a.Get("secrets.DB_PASSWORD"))
	}
}

// A raw NEL (or LINE/PARAGRAPH SEPARATOR) in YAML is a line break to the parser: the value
// silently holds a space instead, so the loader warns, naming the key and the editor's line.
func TestYAMLBreakCharactersWarned(t *testing.T) {
	text := "envVars:\n  DB_HOST: db\n# a comment\nsecrets:\n  DB_PASSWORD: \"next\u0085line\"\n  GITHUB_TOKEN: \"a\u2028b\"\n"
	a, probs, err := model.LoadAnswersFile(model.NewCatalog(), writeAnswers(t, "a.yaml", []byte(text)))
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Get("secrets.DB_PASSWORD"); got != "next line" {
		t.Fatalf("DB_PASSWORD = %q: the parser no longer turns NEL into a space, so the warning is wrong", got)
	}
	for path, line := range map[string]int{"secrets.DB_PASSWORD": 5, "secrets.GITHUB_TOKEN": 6} {
		ps := probs.For(path).Warnings()
		if len(ps) != 1 || ps[0].Pos.Line != line || !strings.Contains(ps[0].Message, "line break") {
			t.Errorf("%s: warnings %v, want one at line %d", path, ps, line)
		}
	}
	if ps := probs.For("envVars.DB_HOST"); len(ps) != 0 {
		t.Errorf("a clean key was warned: %v", ps)
	}
	// JSON keeps the character, so there is nothing to warn about.
	a, probs, err = model.LoadAnswersFile(model.NewCatalog(), writeAnswers(t, "a.json", []byte("{\"secrets\": {\"DB_PASSWORD\": \"next\u0085line\"}}")))
	if err != nil || len(probs.For("secrets.DB_PASSWORD")) != 0 || a.Get("secrets.DB_PASSWORD") != "next\u0085line" {
		t.Errorf("JSON: %v %v %q", err, probs, a.Get("secrets.DB_PASSWORD"))
	}
}

// The loader is bounded: the alias bomb, a self-referencing anchor and deep nesting end in a
// syntax error at once, in answers files and values files alike.
func TestMergeRefusesHostileYAML(t *testing.T) {
	bomb := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	for i := 1; i < 10; i++ {
		n, p := string(rune('a'+i)), string(rune('a'+i-1))
		bomb += n + ": &" + n + " [" + strings.Repeat("*"+p+",", 8) + "*" + p + "]\n"
	}
	for name, text := range map[string]string{
		"alias bomb":     bomb,
		"self reference": "secrets: &s\n  x: *s\n",
		"deep flow":      "a: " + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + "\n",
		"deep block":     "a:\n" + strings.Repeat("- ", 9000) + "x\n",
	} {
		for _, wizard := range []bool{true, false} {
			start := time.Now()
			_, err := model.NewAnswers(model.NewCatalog()).Merge([]byte(text), "f.yaml", wizard)
			if !errors.Is(err, model.ErrSyntax) {
				t.Errorf("%s: err = %v", name, err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s: took %s", name, d)
			}
		}
	}
}
