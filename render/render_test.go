package render

import (
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"crewai-setup/internal/helmtest"
	"crewai-setup/internal/testtool"
	"crewai-setup/model"
	"crewai-setup/render/yamledit"

	"github.com/charmbracelet/x/exp/golden"
	helmyaml "sigs.k8s.io/yaml"
)

// loadPrepared loads an answers file and prepares it, failing the test on any error.
func loadPrepared(t *testing.T, path string) (*model.Answers, model.Problems) {
	t.Helper()
	a, probs, err := model.LoadAnswersFile(model.NewCatalog(), path)
	if err != nil {
		t.Fatal(err)
	}
	more, err := model.Prepare(a)
	if err != nil {
		t.Fatal(err)
	}
	// A fixed fingerprint key keeps the masked fingerprints in the goldens stable.
	a.Set(model.FingerprintKeyPath, strings.Repeat("5a", 32))
	probs = append(probs, more...)
	if probs.HasErrors() {
		t.Fatalf("answers have errors:\n%v", probs.Errors())
	}
	return a, probs
}

func TestGoldenFiles(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	files, err := Build(a, probs.Warnings())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("values", func(t *testing.T) { golden.RequireEqual(t, files.Values) })
	t.Run("secrets", func(t *testing.T) { golden.RequireEqual(t, files.Secrets) })
	t.Run("summary", func(t *testing.T) { golden.RequireEqual(t, files.Summary) })
}

// In ArgoCD mode the summary lists what was generated; the values are random, so their
// fingerprints are blanked before comparing.
func TestGoldenArgoCDSummary(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	a.Wizard.ArgoCD = true
	if _, err := model.Generate(a); err != nil {
		t.Fatal(err)
	}
	s := Summary(a, SummaryInfo{Warnings: probs.Warnings(), SecretsWritten: true})
	s = regexp.MustCompile(`fp:[0-9a-f]{8}\) — generated`).ReplaceAllString(s, "fp:XXXXXXXX) — generated")
	s = regexp.MustCompile(`PEM private key •••••••• \(fp:[0-9a-f]{8}`).ReplaceAllString(s, "PEM private key •••••••• (fp:XXXXXXXX")
	s = regexp.MustCompile(`crewai-oidc-[a-z0-9]{16}`).ReplaceAllString(s, "crewai-oidc-XXXXXXXXXXXXXXXX")
	golden.RequireEqual(t, s)
}

func TestGoldenExternalSecretSummary(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	a.SetBool("externalSecret.enabled", true)
	files, err := Build(a, probs.Warnings())
	if err != nil {
		t.Fatal(err)
	}
	if files.Secrets != nil {
		t.Fatal("secrets.yaml rendered although externalSecret.enabled is true")
	}
	golden.RequireEqual(t, files.Summary)
}

// The GitHub App key is written exactly as the reference shows: KEY: "<awk output>".
func TestGitHubKeyOneLineMatchesAwk(t *testing.T) {
	a, _ := loadPrepared(t, "testdata/answers-golden.yaml")
	files, err := Build(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	testtool.Need(t, "awk")
	out, err := exec.Command("awk", `NF {sub(/\r/, ""); printf "%s\\n", $0}`, "../testdata/example-github-app.pem").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := `  GITHUB_APP_PRIVATE_KEY: "` + string(out) + `"` + "\n"
	if !strings.Contains(string(files.Secrets), want) {
		t.Fatalf("secrets.yaml does not hold the one-line key line\nwant line: %.80s...", want)
	}
}

// Every value survives a round trip through Helm's own parser, including YAML 1.1 traps.
func TestHelmRoundTripTraps(t *testing.T) {
	traps := []string{
		"yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF", "true", "True", "FALSE",
		"~", "null", "Null", "NULL", "0777", "0o17", "0x1F", "0b101", "1e3", "1E3", "1_000", "1.0", "+1", "-1",
		".inf", "-.Inf", ".NaN", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "12:30:45", "190:20:30",
		" leading", "trailing ", "a: b", "a #b", "#hash", "@at", "`tick", "%pct", "&amp", "*star", "!bang",
		"|pipe", ">gt", "'sq", "\"dq", "-dash", "- dash", "?q", "? q", "[x", "{x", "]", "}", ",comma",
		"ünïcødé", "日本語", "emoji 🎉", "tab\tin", `back\slash`, "line\nbreak", "=", "<<", "\u2028sep",
		"p@ss:w/rd?#%", "\x7f", "\u00a0nbsp", strings.Repeat("long value with spaces ", 20),
	}
	cat := model.NewCatalog()
	var stringEntries []*model.Entry
	for _, e := range cat.Entries() {
		if e.Kind == model.KindString && e.Forbidden == "" {
			stringEntries = append(stringEntries, e)
		}
	}
	for i, trap := range traps {
		a := model.NewAnswers(cat)
		e := stringEntries[i%len(stringEntries)]
		a.Set(e.Path, trap)
		a.Set("envVars.DB_PORT", trap)
		a.Set("secrets.DB_PASSWORD", trap)
		for _, doc := range []*struct {
			secrets bool
		}{{false}, {true}} {
			var node = ValuesDocument(a)
			if doc.secrets {
				node = SecretsDocument(a)
			}
			out, err := yamledit.Encode(node)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := helmyaml.Unmarshal(out, &got); err != nil {
				t.Fatalf("Helm cannot parse output for %q: %v\n%s", trap, err, out)
			}
			for _, p := range a.Paths() {
				if model.IsSecretsPath(p) != doc.secrets {
					continue
				}
				v, ok := helmtest.LookupDotted(got, p)
				if s, isStr := v.(string); !ok || !isStr || s != trap {
					t.Errorf("%s = %q: Helm reads back %#v", p, trap, v)
				}
			}
		}
	}
}

// Keys the catalog does not know reach values.yaml unchanged: Helm reads the same thing from
// the output as it would have read from the answers file.
func TestPassThroughMeansTheSameToHelm(t *testing.T) {
	a, _ := loadPrepared(t, "testdata/answers-golden.yaml")
	files, err := Build(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile("testdata/answers-golden.yaml")
	var in, outValues, outSecrets map[string]any
	for _, x := range []struct {
		data []byte
		dst  *map[string]any
	}{{src, &in}, {files.Values, &outValues}, {files.Secrets, &outSecrets}} {
		if err := helmyaml.Unmarshal(x.data, x.dst); err != nil {
			t.Fatal(err)
		}
	}
	// Unknown envVars are the one exception: they become strings, as environment variables must.
	if got, _ := helmtest.LookupDotted(outValues, "envVars.CUSTOM_FLAG"); got != "on" {
		t.Errorf("envVars.CUSTOM_FLAG: Helm reads %#v, want the string \"on\"", got)
	}
	for _, c := range []struct {
		path string
		out  map[string]any
	}{
		{"oauth.replicaCount", outValues},
		{"oauth.secrets.salesforce.clientId", outSecrets}, {"secrets.EXTRA_SECRET", outSecrets},
	} {
		want, _ := helmtest.LookupDotted(in, c.path)
		got, ok := helmtest.LookupDotted(c.out, c.path)
		if !ok || got != want {
			t.Errorf("%s: Helm reads %#v from the output, %#v from the answers", c.path, got, want)
		}
	}
	if _, ok := helmtest.LookupDotted(outValues, "wizard"); ok {
		t.Error("the wizard block leaked into values.yaml")
	}
	if _, ok := helmtest.LookupDotted(outValues, "oauth.secrets"); ok {
		t.Error("oauth.secrets leaked into values.yaml")
	}
	if _, ok := helmtest.LookupDotted(outSecrets, "oauth.replicaCount"); ok {
		t.Error("a non-secret oauth key leaked into secrets.yaml")
	}
}

func TestHelmCommand(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	if got, want := HelmCommand(a), "helm upgrade --install crewai-platform "+model.ChartRef+" -f values.yaml -f secrets.yaml"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	a.Wizard.Release, a.Wizard.Namespace = "prod", "team's ns"
	a.SetBool("externalSecret.enabled", true)
	if got, want := HelmCommand(a), "helm upgrade --install prod "+model.ChartRef+` --namespace 'team'\''s ns' --create-namespace -f values.yaml`; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// model and render must not depend on any UI package.
func TestNoUIImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "crewai-setup/model", "crewai-setup/render").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "charm.land/") || strings.Contains(dep, "charmbracelet/bubbletea") ||
			strings.Contains(dep, "charmbracelet/bubbles") || strings.Contains(dep, "charmbracelet/lipgloss") {
			t.Errorf("model or render depends on UI package %s", dep)
		}
	}
}

// Replicated: the checklist says what the license supplies; the GitHub token and package index
// are not required.
func TestGoldenReplicatedSummary(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	a.Wizard.Replicated = true
	s := Summary(a, SummaryInfo{Warnings: probs.Warnings(), SecretsWritten: true})
	for _, want := range []string{"licensed through Replicated", "Replicated supplies it with your license",
		"## After the install: back up what the chart generated", "kubectl get secret my-crewai-secrets -n crewai-prod",
		"## Not covered by this tool"} {
		if !strings.Contains(s, want) {
			t.Errorf("the Replicated summary lacks %q", want)
		}
	}
	golden.RequireEqual(t, s)
}

// Every generated key in the summary's tables says what it protects.
func TestSummaryPurposeLines(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	s := Summary(a, SummaryInfo{Warnings: probs.Warnings(), SecretsWritten: true})
	rows := 0
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "| `secrets.") && strings.Count(line, "|") == 4 {
			rows++
			if cells := strings.Split(line, "|"); strings.TrimSpace(cells[3]) == "" {
				t.Errorf("a generated key without its purpose: %s", line)
			}
		}
	}
	if rows == 0 {
		t.Fatal("no generated-key rows found")
	}
}

// Documents is Build without summary.md, which a caller that encrypts renders itself.
func TestDocumentsIsBuildWithoutSummary(t *testing.T) {
	a, probs := loadPrepared(t, "testdata/answers-golden.yaml")
	built, err := Build(a, probs.Warnings())
	if err != nil {
		t.Fatal(err)
	}
	docs, err := Documents(a)
	if err != nil {
		t.Fatal(err)
	}
	if docs.Summary != nil {
		t.Error("Documents rendered summary.md")
	}
	docs.Summary = []byte(Summary(a, SummaryInfo{Warnings: probs.Warnings(), SecretsWritten: true}))
	if !reflect.DeepEqual(docs, built) {
		t.Error("Documents plus Summary differs from Build")
	}
}
