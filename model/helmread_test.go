package model

import (
	"fmt"
	"strings"
	"testing"

	helmyaml "sigs.k8s.io/yaml"
)

// lintValues reads text as a values file (not an answers file) and lints it as check does.
func lintValues(t *testing.T, text string) (*Answers, Problems) {
	t.Helper()
	a := NewAnswers(NewCatalog())
	probs, err := a.Merge([]byte(text), "values.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	return a, append(probs, Lint(a)...)
}

// helmReads returns what Helm's parser reads for "k: text", formatted with %v.
func helmReads(t *testing.T, text string) (any, error) {
	t.Helper()
	var m map[string]any
	err := helmyaml.Unmarshal([]byte("k: "+text+"\n"), &m)
	return m["k"], err
}

// TestYAML11ValuesInValuesFiles: every plain value Helm reads as something other than its text
// is an error at a string key, naming the file and line; the verdict comes from Helm's parser
// (sigs.k8s.io/yaml), so the table lists inputs only, not expected readings.
func TestYAML11ValuesInValuesFiles(t *testing.T) {
	cases := []string{"yes", "on", "No", "off", "y", "0777", "1e3", "0x1F", "0b1010", "1.0", "1_000",
		"12345678901234567890123456789012345", "05432", "true", ".inf", "~", "5432", "-.5", "+12", "NO", "Off"}
	for _, c := range cases {
		helm, herr := helmReads(t, c)
		if s, ok := helm.(string); ok && s == c && herr == nil {
			t.Fatalf("%s: Helm reads the text itself; the case is not a trap", c)
		}
		for _, key := range []string{"secrets.DB_PASSWORD", "envVars.DB_PORT", "envVars.GITHUB_APP_ID", "envVars.CUSTOM_THING"} {
			parent, name, _ := strings.Cut(key, ".")
			_, probs := lintValues(t, fmt.Sprintf("# comment\n%s:\n  %s: %s\n", parent, name, c))
			var found *Problem
			for i, p := range probs {
				if p.Path == key && strings.Contains(p.Message, "unquoted") {
					found = &probs[i]
				}
			}
			switch {
			case c == "~":
				// No value at all: a string key is unset, which other rules judge.
				continue
			case found == nil:
				t.Errorf("%s: %s: no finding; Helm reads %v (%v)", key, c, helm, herr)
				continue
			}
			if found.Severity != Error || found.Pos.File != "values.yaml" || found.Pos.Line != 3 {
				t.Errorf("%s: %s: got %v, want an error at values.yaml:3", key, c, found)
			}
			if !strings.Contains(found.Message, "("+name+`: "...")`) {
				t.Errorf("%s: %s: the message gives no fix naming the key: %s", key, c, found.Message)
			}
			if key == "secrets.DB_PASSWORD" && strings.Contains(found.Message, c) {
				t.Errorf("%s: %s: the message repeats the secret: %s", key, c, found.Message)
			}
		}
	}
}

func TestYAML11NotATrap(t *testing.T) {
	for _, text := range []string{
		"secrets:\n  DB_PASSWORD: \"yes\"\n",
		"secrets:\n  DB_PASSWORD: 'on'\n",
		"secrets:\n  DB_PASSWORD: hunter2\n",
		"secrets:\n  DB_PASSWORD: |\n    yes\n",
		"envVars:\n  DB_PORT: \"5432\"\n",
		"web:\n  replicaCount: 2\n",          // a number to YAML 1.1 and 1.2 alike: meant as one
		"oauth:\n  enabled: true\n",          // a toggle written as a boolean
		"oauth:\n  enabled: yes\n",           // a boolean to Helm, which is what the toggle wants
		"web:\n  resources:\n    cpu: 1.5\n", // a number to both parsers
	} {
		_, probs := lintValues(t, text)
		for _, p := range probs {
			if strings.Contains(p.Message, "unquoted") || strings.Contains(p.Message, "quoted text") {
				t.Errorf("%q: unexpected finding %v", text, p)
			}
		}
	}
	a, _ := lintValues(t, "oauth:\n  enabled: yes\n")
	if !a.Enabled("oauth.enabled") {
		t.Error("oauth.enabled: yes is true to Helm but not to the tool")
	}
}

func TestYAML11TogglesAndUnknownKeys(t *testing.T) {
	_, probs := lintValues(t, "oauth:\n  enabled: \"false\"\nweb:\n  debug: on\n  mode: 0777\n  short: y\n")
	// 0777 is 511 to YAML 1.2 (yaml.v3) as well: meant as a number, no warning.
	want := map[string]Severity{"oauth.enabled": Error, "web.debug": Warning, "web.short": Warning}
	for path, sev := range want {
		ps := probs.For(path)
		if len(ps) != 1 || ps[0].Severity != sev {
			t.Errorf("%s: want one %v, got %v", path, sev, ps)
		}
	}
}

func TestYAML11AnswersFilesTakeTheText(t *testing.T) {
	a := NewAnswers(NewCatalog())
	probs, err := a.Merge([]byte("secrets:\n  DB_PASSWORD: yes\nenvVars:\n  DB_PORT: 5432\n"), "answers.yaml", true)
	if err != nil {
		t.Fatal(err)
	}
	probs = append(probs, Validate(a)...)
	for _, p := range probs {
		if p.Path == "secrets.DB_PASSWORD" || p.Path == "envVars.DB_PORT" {
			t.Errorf("answers file: unexpected %v", p)
		}
	}
	if a.Get("secrets.DB_PASSWORD") != "yes" {
		t.Error("the answers file's text was not taken as written")
	}
}

func TestDuplicateKeys(t *testing.T) {
	a, probs := lintValues(t, "secrets:\n  DB_PASSWORD: \"one\"\n  DB_PASSWORD: \"two\"\n")
	ps := probs.For("secrets.DB_PASSWORD")
	if len(ps) != 1 || ps[0].Severity != Warning || !strings.Contains(ps[0].Message, "lines 2 and 3") {
		t.Fatalf("got %v", ps)
	}
	if a.Get("secrets.DB_PASSWORD") != "two" {
		t.Error("the last value does not win, as it does in Helm")
	}
	// A duplicated mapping replaces the first one whole, as in Helm: nothing of it survives.
	a, _ = lintValues(t, "postgres:\n  enabled: true\npostgres:\n  wharfDatabase: \"w\"\n")
	if _, set := a.Lookup("postgres.enabled"); set {
		t.Error("a key from the overridden mapping survived")
	}
}

// A value fixed in the wizard (Set) is no longer reported.
func TestYAML11FindingClearsWhenSet(t *testing.T) {
	a, _ := lintValues(t, "secrets:\n  DB_PASSWORD: yes\n")
	a.Set("secrets.DB_PASSWORD", "yes")
	for _, p := range Validate(a) {
		if p.Path == "secrets.DB_PASSWORD" && strings.Contains(p.Message, "unquoted") {
			t.Fatalf("still reported after being set: %v", p)
		}
	}
}

func TestYAML11SameNumberToBothParsers(t *testing.T) {
	_, probs := lintValues(t, "web:\n  mode: 0777\n")
	if len(probs.For("web.mode")) != 0 {
		t.Errorf("0777 reads as 511 to both parsers, yet: %v", probs.For("web.mode"))
	}
}

// A key that holds dots (an annotation) is one key: the fix names it whole, and a typo in it
// is found among the catalog's keys under the same parent.
func TestDottedKeys(t *testing.T) {
	_, probs := lintValues(t, "ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: yes\n"+
		"serviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arm: arn:aws:iam::1:role/x\n")
	var fix, typo bool
	for _, p := range probs {
		if strings.Contains(p.Message, `(nginx.ingress.kubernetes.io/enable-cors: "...")`) {
			fix = true
		}
		if strings.Contains(p.Path, "role-arm") && strings.Contains(p.Message, "role-arn") {
			typo = true
		}
	}
	if !fix {
		t.Errorf("the quoting fix does not name the annotation whole: %v", probs)
	}
	if !typo {
		t.Errorf("eks.amazonaws.com/role-arm is not flagged as a typo of role-arn: %v", probs)
	}
}
