package steps

import (
	"crypto/x509"
	"path/filepath"
	"strings"
	"testing"
)

// keyField focuses the GitHub App screen's private key field.
func keyField(t *testing.T) *stepHarness {
	t.Helper()
	h := start(t, newCtx(t), NewGitHub)
	h.focusOn("Private key (.pem)")
	return h
}

func TestKeyFileLoads(t *testing.T) {
	k := rsaKey(t, 2048)
	path := writeFile(t, t.TempDir(), "app.pem", pkcs1PEM(k))
	h := keyField(t)
	h.typeText(path)
	h.send(kEnter)
	h.wantFlat("RSA 2048-bit, PKCS#1, SHA256:")
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
	if strings.HasPrefix(h.focused(), "Private key") {
		t.Fatal("focus stayed on the key field after enter")
	}
	// Unfocused, the field shows the path; the key itself is never on screen.
	h.wantView(path)
	h.dontWantView("MII")
}

func TestKeyFilePKCS8IsConverted(t *testing.T) {
	k := rsaKey(t, 2048)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, t.TempDir(), "app-pkcs8.pem", pemText("PRIVATE KEY", der))
	h := keyField(t)
	h.typeText(path)
	h.send(kEnter)
	h.wantFlat("RSA 2048-bit", "converted to PKCS#1")
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
}

func TestKeyFileRefusedWithReason(t *testing.T) {
	k := rsaKey(t, 2048)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, typed, reason string
	}{
		{"certificate", writeFile(t, dir, "cert.pem", certPEM(t, k)), "this is a certificate (CERTIFICATE block), not a private key"},
		{"public key", writeFile(t, dir, "pub.pem", publicPEM(t, k)), "this is a public key (PUBLIC KEY block), but the private key is needed"},
		{"EC key", writeFile(t, dir, "ec.pem", ecPEM(t)), "this is an EC private key (EC PRIVATE KEY block), but GitHub App keys are RSA"},
		{"fingerprint", "SHA256:EALePMmaxTEhrElBqhMZ4A9t7YRJ1eoP/hIx4WzmdGA=", "this is the key's fingerprint, not the key"},
		{"missing file", filepath.Join(dir, "nope.pem"), "there is no file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := keyField(t)
			h.typeText(tc.typed)
			h.send(kEnter)
			h.wantFlat("✗ " + tc.reason)
			h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", "")
			// The reason stays next to the field when the screen is checked.
			probs := h.s.Validate()
			if len(probs.For("secrets.GITHUB_APP_PRIVATE_KEY").Errors()) == 0 {
				t.Fatalf("Validate passed a refused key file: %v", probs)
			}
			h.wantFlat("✗ " + tc.reason)
		})
	}
}

func TestKeyFingerprintPasted(t *testing.T) {
	h := keyField(t)
	h.paste("SHA256:EALePMmaxTEhrElBqhMZ4A9t7YRJ1eoP/hIx4WzmdGA=\n")
	h.send(kEnter)
	h.wantFlat("✗ this is the key's fingerprint, not the key")
}

func TestKeyPathTabCompletion(t *testing.T) {
	dir := t.TempDir()
	k := rsaKey(t, 2048)
	writeFile(t, dir, "crewai-app.2024-01-01.private-key.pem", pkcs1PEM(k))
	writeFile(t, dir, "other-a.txt", "x")
	writeFile(t, dir, "other-b.txt", "x")
	h := keyField(t)
	h.typeText(filepath.Join(dir, "cre"))
	h.send(kTab)
	want := filepath.Join(dir, "crewai-app.2024-01-01.private-key.pem")
	if got := h.input("Private key (.pem)"); got != want {
		t.Fatalf("tab completed to %q, want %q", got, want)
	}
	if !strings.HasPrefix(h.focused(), "Private key") {
		t.Fatal("tab that completed a path moved focus")
	}
	// Several candidates: the common prefix, and the candidates listed.
	h.send(kBack) // the path no longer names the loaded file
	for range len(want) {
		h.send(kBack)
	}
	h.typeText(filepath.Join(dir, "oth"))
	h.send(kTab)
	if got := h.input("Private key (.pem)"); got != filepath.Join(dir, "other-") {
		t.Fatalf("tab completed to %q, want the common prefix", got)
	}
	h.wantFlat("· matches: other-a.txt other-b.txt") // candidates, with a neutral mark: not a check that passed
	h.dontWantView("✓ matches")
	// Completed to the unique file, enter loads it.
	for range len("other-") {
		h.send(kBack)
	}
	h.typeText("cr")
	h.send(kTab)
	h.send(kEnter)
	h.wantFlat("RSA 2048-bit, PKCS#1")
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
}

func TestKeyTabWithoutCompletionMovesOn(t *testing.T) {
	h := keyField(t)
	h.send(kTab)
	if strings.HasPrefix(h.focused(), "Private key") {
		t.Fatal("tab on an empty key field did not move on")
	}
}

func TestKeyPastedPEM(t *testing.T) {
	k := rsaKey(t, 2048)
	for name, text := range map[string]string{
		"LF":   pkcs1PEM(k),
		"CRLF": strings.ReplaceAll(pkcs1PEM(k), "\n", "\r\n"),
	} {
		t.Run(name, func(t *testing.T) {
			h := keyField(t)
			h.paste(text)
			h.wantFlat("pasted key: RSA 2048-bit, PKCS#1, SHA256:")
			h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
			h.dontWantView("MII")
			if probs := h.s.Validate().For("secrets.GITHUB_APP_PRIVATE_KEY"); probs.HasErrors() {
				t.Fatalf("pasted key fails validation: %v", probs)
			}
		})
	}
}

func TestKeyPastedWrongPEM(t *testing.T) {
	k := rsaKey(t, 2048)
	h := keyField(t)
	h.paste(publicPEM(t, k))
	h.wantFlat("✗ this is a public key")
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", "")
}

// A required key whose screen hint differs from the catalog's: its message says what is missing
// without the catalog's hint, which the model appends to "is required" (the screen's own hint
// is shown under the field).
func TestRequiredErrorWithoutCatalogHint(t *testing.T) {
	h := start(t, newCtx(t), NewGitHub)
	h.ctx.Answers.Set("envVars.GITHUB_APP_ID", "12345")
	_ = h.s.Validate() // shows the problems next to the fields
	f := h.field("Private key (.pem)")
	p := f.base().warning // the reference does not state it: a warning
	if !strings.HasPrefix(p, "is required") {
		t.Fatalf("the private key's warning is %q, want an \"is required\" one", p)
	}
	if hint := f.Question().Entry.Hint; strings.Contains(p, hint) {
		t.Fatalf("the private key's warning %q repeats the catalog hint %q", p, hint)
	}
}
