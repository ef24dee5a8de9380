package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"

	"crewai-setup/model"
)

// runAccessible runs the line-by-line mode on a script and returns what it printed.
func runAccessible(t *testing.T, script, out string) (string, error) {
	t.Helper()
	var prompts strings.Builder
	_, err := NewAccessible(strings.NewReader(script), &prompts).Run(model.NewAnswers(model.NewCatalog()), out)
	return prompts.String(), err
}

// < goes back to the previous question, also across screens, and the install still writes
// the same files.
func TestAccessibleBack(t *testing.T) {
	script := accessibleScript()
	for _, edit := range [][2]string{
		// at the port, back to the host, which is answered again
		{"crewai-db.example.internal\n", "crewai-db.example.internal\n<\ncrewai-db.example.internal\n"},
		// at the GitHub App ID, back to the Database screen's last question, kept
		{"\n123456\nIv1.", "\nback\n\n123456\nIv1."},
	} {
		if !strings.Contains(script, edit[0]) {
			t.Fatalf("the script has no %q", edit[0])
		}
		script = strings.Replace(script, edit[0], edit[1], 1)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "accessible")
	cryptotest.SetGlobalRandom(t, 7) // the fingerprint key is random: the same seed for both runs
	text, err := runAccessible(t, script, out)
	if err != nil {
		t.Fatalf("accessible run: %v\n%s", err, text)
	}
	if n := strings.Count(text, "Database host ["); n != 2 {
		t.Errorf("the host was asked %d times, want 2 (once more after <)", n)
	}
	_, afterBack, _ := strings.Cut(text, "GitHub App ID [not set]: ")
	if !strings.HasPrefix(afterBack, "\n== Database (screen 2 of 7) ==\nWharf database name [not set, default wharf]: ") {
		t.Errorf("back from the GitHub App's first question did not ask the Database screen's last one:\n%.300s", afterBack)
	}
	if t.Failed() {
		t.Log(text)
	}
	cryptotest.SetGlobalRandom(t, 7)
	sameFiles(t, out, reference(t, dir))
}

// Each way of ending without files says "nothing was written" once (app prints no second line).
func TestAccessibleSaysNothingWasWrittenOnce(t *testing.T) {
	for name, script := range map[string]string{
		"declined":    strings.TrimSuffix(accessibleScript(), "y\n") + "n\n",
		"input ended": "\nn\n",
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			text, err := runAccessible(t, script, out)
			if !errors.Is(err, ErrDeclined) && !errors.Is(err, ErrInputEnded) {
				t.Fatalf("run: %v", err)
			}
			if n := strings.Count(strings.ToLower(text), "nothing was written"); n != 1 {
				t.Errorf("said %d times that nothing was written, want once:\n%s", n, text)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatal("files were written")
			}
		})
	}
}

// The brackets hold what Enter keeps: "not set" for an empty answer (with the chart's default
// when there is one), and the wizard's own defaults are called so.
func TestAccessibleBracketsSayWhatIsKept(t *testing.T) {
	text, _ := runAccessible(t, accessibleScript(), filepath.Join(t.TempDir(), "out"))
	for _, want := range []string{
		"LLM provider (openai, or leave empty to go without) [not set]: ",
		"Database port [not set, default 5432]: ",
		"PostgreSQL (choose one: 1 my own server, 2 in the cluster) [my own server, the wizard's default]: ",
		"Deployed with (choose one: 1 plain Helm, 2 ArgoCD / GitOps) [plain Helm]: ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the prompts lack %q", want)
		}
	}
	if strings.Contains(text, "default openai") {
		t.Error("the LLM provider prompt offers openai as a default that Enter does not keep")
	}
	if t.Failed() {
		t.Log(text)
	}
}

// A key pasted at the key prompt arrives line by line: its lines are one answer, and the
// questions after it get their own answers.
func TestAccessiblePastedKey(t *testing.T) {
	pem, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	script := strings.Replace(accessibleScript(), keyFile+"\n", string(pem), 1)
	dir := t.TempDir()
	out := filepath.Join(dir, "accessible")
	cryptotest.SetGlobalRandom(t, 7) // the fingerprint key is random: the same seed for both runs
	text, err := runAccessible(t, script, out)
	if err != nil {
		t.Fatalf("accessible run: %v\n%s", err, text)
	}
	if !strings.Contains(text, "Loaded: RSA 2048-bit") {
		t.Errorf("the pasted key was not loaded:\n%s", text)
	}
	cryptotest.SetGlobalRandom(t, 7)
	sameFiles(t, out, reference(t, dir))
}
