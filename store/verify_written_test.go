package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
)

// verifyWritten accepts a file that holds exactly the bytes written and refuses one that does
// not, or is gone.
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
	// What the bytes mean was checked by the splicer before writing (yamledit.Verify, tested
	// in its package); the read-back makes sure the disk holds exactly those bytes.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := verifyWritten(path, good, old, sets); err == nil {
		t.Error("a file gone after writing was accepted")
	}
}
