package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	helmyaml "sigs.k8s.io/yaml"

	"crewai-setup/guard"
	"crewai-setup/guard/guardtest"
	"crewai-setup/model"
)

// utf8Hostile is every hostile sequence that a YAML file can hold (bytes that are not UTF-8
// are left out: no values file can carry them).
func utf8Hostile() string {
	var raw []string
	for _, e := range guardtest.Escapes() {
		if utf8.ValidString(e.Raw) {
			raw = append(raw, e.Raw)
		}
	}
	return strings.Join(raw, " ")
}

// summary.md shows every value, key and name through guard.Visible, while values.yaml keeps the
// exact value, control characters escaped inside double quotes, so Helm reads what was given
// and a cat of the file runs no escape sequence either.
func TestSummaryShowsEscapes(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	h := utf8Hostile()
	for _, p := range []string{"envVars.DB_HOST", "envVars.DB_USER", "envVars.AWS_BUCKET", "postgres.wharfDatabase", "envVars.GITHUB_APP_ID"} {
		a.Set(p, "x"+h)
	}
	a.Wizard.Host, a.Wizard.Release, a.Wizard.Namespace = "host"+h, "rel"+h, "ns"+h
	warnings := append(probs.Warnings(), model.Problem{Path: "envVars.K" + h, Severity: model.Warning, Message: "unknown key " + h})
	files, err := Build(a, warnings)
	if err != nil {
		t.Fatal(err)
	}
	guardtest.AssertClean(t, "summary.md", string(files.Summary), false)
	for _, want := range []string{"x" + guard.Visible(h), "host" + guard.Visible(h), "envVars.K" + guard.Visible(h)} {
		if !strings.Contains(string(files.Summary), want) {
			t.Errorf("summary.md does not show %q", want)
		}
	}
	// The YAML writer escapes control characters inside double quotes; bidi characters are
	// printable to YAML and stay as they are (they are the value).
	for i, r := range string(files.Values) {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Fatalf("values.yaml holds the control character %U at byte %d", r, i)
		}
	}
	var v map[string]map[string]any
	if err := helmyaml.Unmarshal(files.Values, &v); err != nil {
		t.Fatal(err)
	}
	if got := v["envVars"]["DB_HOST"]; got != "x"+h {
		t.Errorf("Helm reads DB_HOST = %q, want the exact value %q", got, "x"+h)
	}
}

// A database name holding a backslash and an n stays one identifier in the SQL block: the
// block is not split where Visible's own escapes would be.
func TestSummarySQLKeepsBackslashN(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	a.Set("postgres.wharfDatabase", `tr\naces`)
	a.Set("envVars.DB_USER", "line\nbreak")
	s := Summary(a, SummaryInfo{Warnings: probs.Warnings(), SecretsWritten: true})
	for _, want := range []string{
		"\n  CREATE DATABASE \"tr\\naces\";\n",
		"\n  GRANT ALL PRIVILEGES ON DATABASE \"tr\\naces\" TO \"line\\nbreak\";  -- Wharf connects as this role\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the SQL block lacks the line %q:\n%s", want, s[strings.Index(s, "```sql"):])
		}
	}
}
