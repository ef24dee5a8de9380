package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
)

// verifyWritten accepts a file that holds exactly the new values and refuses, naming the key
// and never a value, one that does not.
func TestVerifyWritten(t *testing.T) {
	cat := model.NewCatalog()
	pw := cat.Lookup("secrets.DB_PASSWORD")
	toggle := cat.Lookup("oauth.enabled")
	role := cat.Lookup("serviceAccount.annotations.eks.amazonaws.com/role-arn") // a key with dots in it
	if pw == nil || toggle == nil || role == nil {
		t.Fatal("catalog entries missing")
	}
	old := []byte("oauth:\n  enabled: false # c\nsecrets:\n  DB_PASSWORD: \"old-Secret-1\"\n  OTHER: x\n" +
		"serviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arn: \"arn:aws:iam::1:role/old\"\n")
	good := []byte("oauth:\n  enabled: true # c\nsecrets:\n  DB_PASSWORD: \"new-Secret-2\"\n  OTHER: x\n" +
		"serviceAccount:\n  annotations:\n    eks.amazonaws.com/role-arn: \"arn:aws:iam::1:role/new\"\n")
	sets := []Set{{Entry: pw, Value: "new-Secret-2"}, {Entry: toggle, Value: "true"}, {Entry: role, Value: "arn:aws:iam::1:role/new"}}
	path := filepath.Join(t.TempDir(), "secrets.yaml")
	write := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	write(good)
	if err := verifyWritten(path, good, old, sets); err != nil {
		t.Fatalf("the right file is refused: %v", err)
	}
	if err := verifyWritten(path, old, old, sets); err == nil || !strings.Contains(err.Error(), "differ from what was written") {
		t.Errorf("other bytes on disk than written: %v", err)
	}
	for _, c := range []struct{ name, file, want string }{
		{"old password", strings.Replace(string(good), "new-Secret-2", "old-Secret-1", 1), "secrets.DB_PASSWORD"},
		{"toggle a string", strings.Replace(string(good), "enabled: true", "enabled: \"true\"", 1), "oauth.enabled"},
		{"other key changed", strings.Replace(string(good), "OTHER: x", "OTHER: y", 1), "secrets.OTHER"},
		{"role kept", strings.Replace(string(good), "role/new", "role/old", 1), "serviceAccount.annotations.eks.amazonaws.com/role-arn"},
		{"not YAML", "secrets: [\n", "not valid YAML"},
	} {
		write([]byte(c.file))
		err := verifyWritten(path, []byte(c.file), old, sets)
		switch {
		case err == nil:
			t.Errorf("%s: accepted", c.name)
		case !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: %v, want %q in it", c.name, err, c.want)
		case strings.Contains(err.Error(), "Secret-"):
			t.Errorf("%s: the error shows a value: %v", c.name, err)
		}
	}
}
