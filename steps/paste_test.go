package steps

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// typeLines sends text the way a terminal does when it pastes without bracketed paste (tmux
// paste-buffer without -p): each character as a key, each line break as enter.
func (h *stepHarness) typeLines(text string) {
	h.t.Helper()
	for _, r := range text {
		if r == '\n' {
			h.send(kEnter)
			continue
		}
		h.send(char(r))
	}
}

// A PEM typed into the key field line by line stays in the key field: enter inside it ends a
// line, not the field, and the key is checked once its -----END line is complete.
func TestKeyTypedLineByLineStaysTogether(t *testing.T) {
	k := rsaKey(t, 2048)
	h := keyField(t)
	h.typeLines(pkcs1PEM(k))
	if got := h.focused(); !strings.HasPrefix(got, "Private key") {
		t.Fatalf("the typed key left the key field; focus on %q", got)
	}
	h.wantFlat("pasted key: RSA 2048-bit, PKCS#1, SHA256:")
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
	for _, p := range []string{"secrets.GITHUB_TOKEN", "secrets.GITHUB_CREW_STUDIO_TOKEN", "secrets.UV_DEFAULT_INDEX"} {
		h.wantAnswer(p, "")
	}
	// Now enter moves on.
	h.send(kEnter)
	if strings.HasPrefix(h.focused(), "Private key") {
		t.Fatal("enter after the key did not move on")
	}
	// Without the trailing line break the key is complete when enter is pressed.
	h = keyField(t)
	h.typeLines(strings.TrimSuffix(pkcs1PEM(k), "\n"))
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", "")
	h.send(kEnter)
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
}

// A PEM typed line by line into a text field is refused there, and none of its lines reaches
// the fields after it.
func TestKeyTypedIntoTextFieldIsDropped(t *testing.T) {
	k := rsaKey(t, 2048)
	h := start(t, newCtx(t), NewDatabase)
	h.typeText("db.example.com")
	h.typeLines(pkcs1PEM(k))
	if got := h.focused(); !strings.HasPrefix(got, "Database host") {
		t.Fatalf("the typed key moved the focus to %q", got)
	}
	h.wantAnswer("envVars.DB_HOST", "db.example.com")
	for _, p := range []string{"envVars.DB_PORT", "envVars.DB_USER", "secrets.DB_PASSWORD", "postgres.wharfDatabase"} {
		h.wantAnswer(p, "")
	}
	h.wantFlat("✗ this field takes no PEM key")
	h.dontWantView("MII")
	// The field works as before: typing goes on, enter moves on.
	h.typeText(".internal")
	h.wantAnswer("envVars.DB_HOST", "db.example.com.internal")
	h.send(kEnter)
	if got := h.focused(); !strings.HasPrefix(got, "Database port") {
		t.Fatalf("enter after the refused key focused %q", got)
	}
}

// A bracketed paste of a PEM into a text or secret field is refused the same way.
func TestKeyPastedIntoTextFieldIsRefused(t *testing.T) {
	k := rsaKey(t, 2048)
	for _, label := range []string{"Database host", "Database password"} {
		h := start(t, newCtx(t), NewDatabase)
		h.focusOn(label)
		h.paste(pkcs1PEM(k))
		h.wantFlat("✗ this field takes no PEM key")
		for _, p := range []string{"envVars.DB_HOST", "secrets.DB_PASSWORD"} {
			h.wantAnswer(p, "")
		}
	}
}

// Leaving a typed key before its end drops it; the field is usable again.
func TestUnfinishedTypedKeyIsDropped(t *testing.T) {
	h := keyField(t)
	h.typeLines("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n")
	h.send(tea.KeyPressMsg{Code: tea.KeyTab})
	if strings.HasPrefix(h.focused(), "Private key") {
		t.Fatal("tab inside an unfinished key did not leave the field")
	}
	h.wantFlat("dropped a typed key that had no -----END line")
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", "")
}

// A key typed on one line with \n escapes (the chart's own form) ends with its line.
func TestKeyTypedOnOneLine(t *testing.T) {
	k := rsaKey(t, 2048)
	h := keyField(t)
	h.typeText(strings.ReplaceAll(strings.TrimSuffix(pkcs1PEM(k), "\n"), "\n", `\n`))
	h.send(kEnter)
	if got := h.focused(); !strings.HasPrefix(got, "Private key") {
		t.Fatalf("focus on %q, want the key field until the key is read", got)
	}
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))
}
