package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"crewai-setup/model"
)

// TestConcurrentRotations runs eight rotate processes at once on one secrets.yaml, each
// rotating a different generated key, five rounds: every rotation reported as done must be on
// disk at the end (the custody issue measured 2–4 lost of 15–40 before the lock).
func TestConcurrentRotations(t *testing.T) {
	keys := []string{"SECRET_KEY_BASE", "CREWAI_PLUS_INTERNAL_API_KEY", "FACTORY_DEBUG_TOKEN", "REGISTRY_HTTP_SECRET",
		"WHARF_JWT_SECRET", "GITHUB_WEBHOOK_SECRET_TOKEN", "CUBE_JWT_SECRET", "OAUTH_INTERNAL_API_KEY"}
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets.yaml")
	text := "secrets:\n  DB_PASSWORD: \"pw\"\n"
	for _, k := range keys {
		text += "  " + k + ": \"original\"\n"
	}
	if err := os.WriteFile(secrets, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte("postgres:\n  enabled: true\ncube:\n  enabled: true\noauth:\n  enabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	read := func() *model.Answers {
		a := model.NewAnswers(model.NewCatalog())
		data, err := os.ReadFile(secrets)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Merge(data, secrets, false); err != nil {
			t.Fatal(err)
		}
		return a
	}
	for round := range 5 {
		before := read()
		var wg sync.WaitGroup
		errs := make([]error, len(keys))
		outs := make([]string, len(keys))
		for i, k := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(bin, "rotate", k, "--yes", "--keep-backups", "0")
				cmd.Dir = dir
				out, err := cmd.CombinedOutput()
				errs[i], outs[i] = err, string(out)
			}()
		}
		wg.Wait()
		after := read()
		for i, k := range keys {
			if errs[i] != nil {
				t.Errorf("round %d: rotate %s failed: %v\n%s", round, k, errs[i], outs[i])
				continue
			}
			if !strings.Contains(outs[i], "Rotated:") {
				t.Errorf("round %d: rotate %s reported no rotation:\n%s", round, k, outs[i])
			}
			if after.Get("secrets."+k) == before.Get("secrets."+k) {
				t.Errorf("round %d: %s was reported rotated but the file holds the old value", round, k)
			}
		}
	}
	if backups, _ := filepath.Glob(filepath.Join(dir, "*.bak-*")); len(backups) != 0 {
		t.Errorf("--keep-backups 0 left backups: %v", backups)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}
