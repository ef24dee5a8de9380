package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"crewai-setup/internal/helmtest"
	"crewai-setup/internal/pemtest"
)

// An ArgoCD install typed into the real binary in a real terminal (Replicated, in-cluster
// PostgreSQL, Cube, own TLS files, never encrypted, WorkOS with the cookie password generated,
// the webhook secret generated, no LLM, Azure storage) writes what `init --non-interactive`
// writes from the same answers, byte for byte once the values generated at random in each run
// are masked. (The in-process walk compares unmasked bytes with a seeded random source; this
// one runs the shipped binary, keys through tmux.)
func TestArgoCDInstallInTerminal(t *testing.T) {
	dir := t.TempDir()
	cert, key := pemtest.WriteTLSPair(t, dir)
	keyFile, err := filepath.Abs("../testdata/example-github-app.pem")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "wizard")
	tm := startCommand(t, 120, 40, "init", "--out", out)
	tm.waitScreen("Deployment")
	tm.waitFor("Deployed with")
	// ArgoCD, Replicated, in the cluster, Wharf on, Cube on, Built-in Integrations off, no
	// external store, my certificate and key.
	tm.keys("Right", "Enter", "y", "Enter", "Right", "Enter", "Enter", "y", "Enter", "Enter", "Enter", "Right", "Enter")
	for _, answer := range []string{cert, key, "crewai.example.com", "crewai", "crewai-gitops"} {
		tm.text(answer)
		tm.keys("Enter")
	}
	tm.keys("Enter")                   // the output directory given on the command line
	tm.keys("Right", "Right", "Enter") // encryption: never (plain text)
	tm.waitScreen("Database")
	tm.keys("Enter", "Enter", "Enter") // default port, user in values.yaml, default user
	tm.paste("in-cluster-example-password")
	tm.keys("Enter", "Enter") // the password, the default Wharf database
	tm.waitScreen("GitHub App")
	tm.text("654321")
	tm.keys("Enter")
	tm.text("Iv1.fedcba9876543210")
	tm.keys("Enter")
	tm.paste("https://github.com/apps/crewai-gitops/installations/new")
	tm.keys("Enter")
	tm.paste("example-gitops-client-secret")
	tm.keys("Enter", "C-g")
	tm.waitFor("generated a fresh value")
	tm.keys("Enter")
	tm.text(keyFile)
	tm.keys("Enter")
	tm.waitScreen("Authentication")
	tm.keys("Right", "Enter") // WorkOS
	tm.text("client_01HXYZ123ABC456")
	tm.keys("Enter")
	tm.text("example.authkit.app")
	tm.keys("Enter", "C-g")
	tm.waitFor("generated a fresh value")
	tm.keys("Enter")
	tm.paste("sk_test_example0123456789")
	tm.keys("Enter")
	tm.waitScreen("LLM")
	tm.keys("Enter") // none
	tm.waitScreen("Storage")
	tm.keys("Right", "Right", "Enter") // Azure Blob Storage
	tm.text("crewaiexample")
	tm.keys("Enter")
	tm.paste("example-azure-access-key==")
	tm.keys("Enter", "Enter") // the access key, no client secret
	tm.waitScreen("Review")
	tm.waitFor("Ready to write")
	tm.keys("Enter")
	tm.waitScreen("Done")
	tm.keys("q")
	if code := tm.exited(); code != 0 {
		t.Fatalf("exit status %d:\n%s", code, tm.history())
	}

	text, err := os.ReadFile("../testdata/wizard-argocd.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text = bytes.ReplaceAll(text, []byte("CERT"), []byte(cert))
	text = bytes.ReplaceAll(text, []byte("KEY\n"), []byte(key+"\n"))
	text = bytes.ReplaceAll(text, []byte("example-github-app.pem"), []byte(keyFile))
	answers, ref := filepath.Join(dir, "answers.yaml"), filepath.Join(dir, "reference")
	if err := os.WriteFile(answers, text, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(bin, "init", "--non-interactive", "--answers", answers, "--out", ref).CombinedOutput(); err != nil {
		t.Fatalf("the answers file does not write: %v\n%s", err, b)
	}
	got, want := generatedMasked(t, out), generatedMasked(t, ref)
	for _, name := range []string{"values.yaml", "secrets.yaml", "summary.md", "crewai-setup.yaml"} {
		if got[name] != want[name] {
			t.Errorf("%s differs from the answers file's (generated values masked):\n--- wizard\n%s\n--- answers file\n%s", name, got[name], want[name])
		}
	}
}

// generatedMasked reads the files written into dir with every value generated at random in
// the run (the keys crewai-setup.yaml lists as generated, and the fingerprint key) and every
// fingerprint replaced by a mark, so that two runs with the same answers compare equal.
func generatedMasked(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, name := range []string{"values.yaml", "secrets.yaml", "summary.md", "crewai-setup.yaml"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	remembered := helmtest.Values(t, "crewai-setup.yaml", []byte(files["crewai-setup.yaml"]))
	wizard, _ := remembered["wizard"].(map[string]any)
	generated, _ := wizard["generated"].([]any)
	if len(generated) < 10 {
		t.Fatalf("%s: crewai-setup.yaml lists %d generated keys, want every secret the chart would generate", dir, len(generated))
	}
	paths := []string{"crewaiSetup.fingerprintKey"}
	for _, g := range generated {
		paths = append(paths, g.(string))
	}
	values := helmtest.Values(t, "values.yaml", []byte(files["values.yaml"]))
	secrets := helmtest.Values(t, "secrets.yaml", []byte(files["secrets.yaml"]))
	var lines []string
	for _, p := range paths {
		v, ok := helmtest.LookupDotted(secrets, p)
		if !ok {
			v, ok = helmtest.LookupDotted(values, p)
		}
		s, _ := v.(string)
		if !ok || s == "" {
			t.Fatalf("%s: the generated %s is in neither file", dir, p)
		}
		for _, l := range strings.Split(s, "\n") {
			if len(l) >= 8 && !strings.HasPrefix(l, "-----") {
				lines = append(lines, l)
			}
		}
	}
	// Longest first, so that no shorter value masks part of a longer one.
	sort.Slice(lines, func(i, j int) bool { return len(lines[i]) > len(lines[j]) })
	fp := regexp.MustCompile(`fp:[0-9a-f]+`)
	for name, text := range files {
		for _, l := range lines {
			text = strings.ReplaceAll(text, l, "<generated>")
		}
		files[name] = fp.ReplaceAllString(text, "fp:<fingerprint>")
	}
	return files
}
