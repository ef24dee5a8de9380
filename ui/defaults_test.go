package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"crewai-setup/model"
)

// The wizard starts from the catalog's wizard defaults, set once by New: on fresh answers
// exactly those keys change, and the review says which values are the wizard's defaults.
func TestNewAppliesOnlyTheWizardDefaults(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	hs := newHarness(t, a, t.TempDir(), 120, 40)
	if got, want := a.Paths(), []string{"postgres.enabled", "web.tls.autoGenerate"}; !slices.Equal(got, want) {
		t.Fatalf("starting the wizard set %v, want only the wizard defaults %v", got, want)
	}
	hs.send(jump(7))
	hs.wantView("my own server (wizard default)", "chart-generated (self-signed) (wizard default)")
	// Another choice is the operator's.
	hs.send(jump(0))
	hs.focusOn("PostgreSQL")
	hs.send(kRight)
	hs.send(jump(7))
	hs.wantView("in the cluster", "chart-generated (self-signed) (wizard default)")
	hs.dontWantView("in the cluster (wizard default)")
}

// An answers file that sets the keys keeps its values: no default is applied or shown.
func TestNewKeepsGivenAnswers(t *testing.T) {
	a := loadFixture(t)
	before := a.Get("postgres.enabled") + a.Get("web.tls.autoGenerate")
	hs := newHarness(t, a, t.TempDir(), 120, 40)
	if after := a.Get("postgres.enabled") + a.Get("web.tls.autoGenerate"); after != before {
		t.Fatalf("New changed given answers: %q → %q", before, after)
	}
	hs.send(jump(7))
	hs.dontWantView("(wizard default)")
}

// The rotation picker runs on the streams it is given, not the process's: a ctrl+c on the
// given input ends it with no changes, and the terminal set-up (the alternate screen on, then
// off) goes to the given output.
func TestRunRotateUsesItsStreams(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Set("secrets.DB_PASSWORD", "old")
	var out bytes.Buffer
	changes, err := RunRotate(a, strings.NewReader("\x03"), &out)
	if err != nil {
		t.Fatalf("RunRotate: %v", err)
	}
	if changes != nil {
		t.Fatalf("ctrl+c confirmed %d changes", len(changes))
	}
	if on, off := "\x1b[?1049h", "\x1b[?1049l"; !strings.Contains(out.String(), on) || !strings.Contains(out.String(), off) {
		t.Fatalf("the picker did not use the given output (%d bytes): %q", out.Len(), out.String())
	}
}
