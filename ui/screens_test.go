package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"crewai-setup/model"
	"crewai-setup/render"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

var (
	kHome   = tea.KeyPressMsg{Code: tea.KeyHome}
	kEnd    = tea.KeyPressMsg{Code: tea.KeyEnd}
	kPgDown = tea.KeyPressMsg{Code: tea.KeyPgDown}
	kF2     = tea.KeyPressMsg{Code: tea.KeyF2}
	kCtrlR  = tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	kCtrlU  = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
)

// footerLine is the key help line at the bottom of a plain view.
func footerLine(v string) string {
	lines := strings.Split(v, "\n")
	return lines[len(lines)-1]
}

// flat folds a text's line breaks and runs of spaces into single spaces.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// Prefilled answers open on the review. A screen opened from it goes back to it when it is
// left: past its last field, or with esc. Changing one value takes a handful of keys.
func TestJumpFromReviewReturnsToReview(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	hs := newHarness(t, loadFixture(t), out, 120, 40)
	hs.wantScreen("review")
	keys := 0
	press := func(msgs ...tea.Msg) {
		for _, msg := range msgs {
			keys++
			hs.send(msg)
		}
	}
	// Enter past the database screen's last field: back on the review, not on to GitHub.
	press(char('2'))
	hs.wantScreen("database")
	hs.wantView("esc back to review")
	for range 8 {
		if hs.screen() != "database" {
			break
		}
		press(kEnter)
	}
	hs.wantScreen("review")
	// Esc from a screen opened from the review goes back to it too.
	press(char('2'))
	hs.focusOn("Database password")
	keys += 4 // the tabs focusOn pressed: host, port, placement, user
	press(kCtrlU)
	hs.typeText("n3w")
	keys += 3
	press(kEsc)
	hs.wantScreen("review")
	if got := hs.answer("secrets.DB_PASSWORD"); got != "n3w" {
		t.Fatalf("DB_PASSWORD = %q", got)
	}
	press(kEnter)
	hs.wantScreen("done")
	if keys > 24 {
		t.Errorf("%d keys to check everything, change the password and write", keys)
	}
	// A screen reached by moving on through the screens goes back to the one before it.
	hs2 := emptyHarness(t, t.TempDir(), 120, 40)
	hs2.focusOn("Encrypt secrets.yaml")
	hs2.send(kEnter)
	hs2.wantScreen("database")
	hs2.send(kEsc)
	hs2.wantScreen("deployment")
}

// The review's headline counts errors and warnings; the step list marks a screen with
// warnings (a sign-in provider left unchosen is one) with !, not ✓.
func TestReviewCountsWarningsAndMarksScreens(t *testing.T) {
	a := loadFixture(t)
	a.Set("envVars.AUTH_PROVIDER", "")
	a.Set("envVars.OKTA_SITE", "")
	a.Set("envVars.OKTA_CLIENT_ID", "")
	a.Set("envVars.OKTA_AUTHORIZATION_SERVER", "")
	a.Set("envVars.OKTA_AUDIENCE", "")
	a.Set("secrets.OKTA_CLIENT_SECRET", "")
	hs := newHarness(t, a, t.TempDir(), 120, 40)
	hs.wantScreen("review")
	v := hs.view()
	if !regexp.MustCompile(`✓ Ready to write — \d+ warnings? below`).MatchString(flat(v)) {
		t.Fatalf("the headline does not count the warnings:\n%s", v)
	}
	if !strings.Contains(sidebarText(v), "! Authentication") || strings.Contains(sidebarText(v), "✓ Authentication") {
		t.Fatalf("the step list does not mark the unchosen sign-in provider:\n%s", v)
	}
	if !strings.Contains(sidebarText(v), "✓ Database") {
		t.Fatalf("a screen without problems is not ✓:\n%s", v)
	}
	// Errors too: both are counted, the screen marked ✗.
	hs.send(char('2'))
	hs.focusOn("Database password")
	hs.send(kCtrlU)
	hs.send(kEsc)
	v = hs.view()
	if !regexp.MustCompile(`✗ 1 problem to fix, \d+ warnings?`).MatchString(flat(v)) || !strings.Contains(sidebarText(v), "✗ Database") {
		t.Fatalf("errors and warnings are not both counted:\n%s", v)
	}
	// Leaving the screen with the provider unchosen marks it ! as well.
	hs2 := emptyHarness(t, t.TempDir(), 120, 40)
	hs2.send(jump(3))
	hs2.send(kEnter)
	hs2.wantScreen("llm")
	if side := sidebarText(hs2.view()); !strings.Contains(side, "! Authentication") {
		t.Fatalf("leaving the sign-in provider unchosen marks the screen done:\n%s", hs2.view())
	}
}

// The footer shows the screen's own keys first and cuts at its end, never wider than the
// terminal: on a secret field ctrl+r and ctrl+g come before moving on and the help key.
func TestFooterShowsTheImportantKeysFirst(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}} {
		hs := newHarness(t, loadFixture(t), t.TempDir(), size[0], size[1])
		hs.send(char('3'))
		hs.focusOn("GitHub webhook secret")
		f := footerLine(hs.view())
		if ansi.StringWidth(f) > size[0] {
			t.Errorf("%dx%d: footer of %d cells: %q", size[0], size[1], ansi.StringWidth(f), f)
		}
		if !strings.HasPrefix(f, "ctrl+r show/hide value • ctrl+g generate") {
			t.Errorf("%dx%d: the field's keys are not first: %q", size[0], size[1], f)
		}
		if size[0] >= 80 && !strings.Contains(f, "f1 all keys") {
			t.Errorf("%dx%d: no help key: %q", size[0], size[1], f)
		}
		if size[0] < 120 && !strings.HasSuffix(f, " …") {
			t.Errorf("%dx%d: a cut footer does not end in … after a whole key: %q", size[0], size[1], f)
		}
	}
}

// F1 lists every key that works on the screen, the keys of every screen, how to close the
// panel, and what the screen says besides its fields; esc closes it.
func TestHelpListsEveryKey(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 60)
	hs.send(kF1)
	v := flat(mainText(hs.view()))
	for _, want := range []string{"y/n ←/→ space yes/no", "←/→ space change choice", "enter/tab next field",
		"shift+tab previous field", "f1 all keys", "? all keys (outside text fields)", "f2 what to have ready",
		"ctrl+c quit", "esc, f1 or ? close it", "How the chart is deployed"} {
		if !strings.Contains(v, want) {
			t.Errorf("the help lacks %q:\n%s", want, hs.view())
		}
	}
	hs.send(kEsc)
	hs.dontWantView("On this screen")
	hs.wantScreen("deployment")
	// A key file field: tab completes; the webhook secret: ctrl+r and ctrl+g.
	hs.send(jump(2))
	hs.send(kF1)
	v = flat(mainText(hs.view()))
	for _, want := range []string{"tab complete path", "ctrl+r show/hide value", "ctrl+g generate", "GitHub App Setup Guide"} {
		if !strings.Contains(v, want) {
			t.Errorf("the GitHub App screen's help lacks %q:\n%s", want, hs.view())
		}
	}
}

// The first screen points to the checklist (F2): model.Checklist, where each item comes
// from and which ones Replicated supplies. It blocks nothing: esc closes it, and the wizard
// goes on.
func TestChecklistOnTheFirstScreen(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 60)
	hs.wantView("f2 shows what to have ready")
	if !strings.Contains(footerLine(hs.view()), "f2 what to have ready") {
		t.Fatalf("the first screen's footer does not offer the checklist: %q", footerLine(hs.view()))
	}
	hs.send(kF2)
	hs.send(kEnd)
	all := flat(mainText(hs.view()))
	hs.send(kHome)
	all += " " + flat(mainText(hs.view()))
	for _, it := range model.Checklist() {
		if !strings.Contains(all, flat(it.What)) || !strings.Contains(all, flat("from: "+it.From)) {
			t.Errorf("the checklist lacks %q (from %q):\n%s", it.What, it.From, all)
		}
	}
	if !strings.Contains(all, "supplied by Replicated") || !strings.Contains(all, "init --from DIR") {
		t.Errorf("the checklist does not say what Replicated supplies or how to fill values in later:\n%s", all)
	}
	hs.send(kEsc)
	hs.wantScreen("deployment")
	hs.focusOn("Encrypt secrets.yaml")
	hs.send(kEnter)
	hs.wantScreen("database")
}

// Below 90 columns the step list is a rail of screen numbers and marks, leaving the screen the
// room; at 60 columns a hint keeps every word, wrapped.
func TestNarrowTerminals(t *testing.T) {
	hs := newHarness(t, loadFixture(t), t.TempDir(), 120, 40)
	if side := sidebarText(hs.view()); !strings.Contains(side, "Database") {
		t.Fatalf("a wide terminal lost the step titles:\n%s", hs.view())
	}
	hs.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	side := sidebarText(hs.view())
	if strings.Contains(side, "Database") || !strings.Contains(side, " 2 ✓") || !strings.Contains(side, "›8") {
		t.Fatalf("an 80-column terminal keeps the step titles:\n%s", hs.view())
	}
	hs.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	hs.send(char('2'))
	hs.focusOn("Database password")
	hint := hs.m.ctx.Catalog.Lookup("secrets.DB_PASSWORD").Hint
	if !strings.Contains(flat(mainText(hs.view())), hint) {
		t.Fatalf("the hint lost words at 60 columns:\n%s", hs.view())
	}
	for i, l := range strings.Split(hs.view(), "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("line %d is %d cells wide: %q", i, w, l)
		}
	}
}

// A long value in a field that is not being edited shows its start and … where it is cut; the
// field being edited scrolls as the text input does.
func TestBlurredValueEndsInEllipsis(t *testing.T) {
	a := loadFixture(t)
	long := "https://github.com/apps/" + strings.Repeat("crewai-example-", 6) + "app/installations/new"
	a.Set("envVars.GITHUB_APP_URL", long)
	hs := newHarness(t, a, t.TempDir(), 80, 24)
	hs.send(char('3'))
	line := ""
	for _, l := range strings.Split(hs.view(), "\n") {
		if strings.Contains(l, "GitHub App URL") {
			line = l
		}
	}
	if !strings.HasSuffix(line, "…") || !strings.Contains(line, "https://github.com/apps/crewai-") {
		t.Fatalf("the blurred URL is not cut with …: %q", line)
	}
}

// Copyable text is never broken: the GitHub callback URL is whole on a line of its own where
// it fits, and cut with … and a note where it does not; the helm command on Done is split
// between its arguments with \ continuations, which a shell joins back.
func TestCopyableTextStaysWhole(t *testing.T) {
	url := model.GitHubCallbackURL(loadFixture(t))
	hs := newHarness(t, loadFixture(t), t.TempDir(), 80, 24)
	hs.send(char('3'))
	if !strings.Contains(hs.view(), "│  "+url+"\n") {
		t.Fatalf("the callback URL is not whole on its own line:\n%s", hs.view())
	}
	hs.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	if v := hs.view(); !strings.Contains(v, "│  "+url[:hs.m.ctx.Width-1]+"…\n") || !strings.Contains(flat(mainText(v)), "(cut to fit: a wider terminal shows it whole") {
		t.Fatalf("the cut callback URL is not marked:\n%s", v)
	}

	t.Chdir(t.TempDir())
	hs = newHarness(t, loadFixture(t), "out", 80, 24)
	hs.send(kEnter)
	hs.wantScreen("done")
	var cmd []string
	for range 20 {
		for _, l := range strings.Split(mainText(hs.view()), "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "helm upgrade") || len(cmd) > 0 && len(cmd) < 10 && strings.HasSuffix(cmd[len(cmd)-1], `\`) && !strings.Contains(strings.Join(cmd, "\n"), l) {
				cmd = append(cmd, l)
			}
		}
		if len(cmd) > 0 && !strings.HasSuffix(cmd[len(cmd)-1], `\`) {
			break
		}
		hs.send(kPgDown)
	}
	joined := strings.ReplaceAll(strings.Join(cmd, "\n"), " \\\n", " ")
	if want := render.HelmCommand(hs.m.review.Pruned()); joined != want || len(cmd) < 2 {
		t.Fatalf("the helm command on Done (%d lines) does not join back into the summary's:\n%s\nwant %s", len(cmd), strings.Join(cmd, "\n"), want)
	}
}

// Done says what to do with what was written: the webhook secret to paste into GitHub
// (masked; ctrl+r shows it) and, with plain Helm, the keys to back up from the cluster.
func TestDoneSaysWhatToDoNext(t *testing.T) {
	t.Chdir(t.TempDir())
	a := loadFixture(t)
	secret := a.Get("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	hs := newHarness(t, a, "out", 120, 60)
	hs.send(kEnter)
	hs.wantScreen("done")
	v := flat(mainText(hs.view()))
	if strings.Contains(v, secret) || !strings.Contains(v, "GitHub webhook secret: •••••••• (fp:") || !strings.Contains(v, "(ctrl+r shows it)") {
		t.Fatalf("the webhook secret is shown, or not offered:\n%s", hs.view())
	}
	for _, want := range []string{"Back up after installing", "ENCRYPTION_KEY", "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
		"crewai-secrets (namespace crewai-platform)", "summary.md's section on backing up has the kubectl commands"} {
		if !strings.Contains(v, want) {
			t.Errorf("Done lacks %q:\n%s", want, hs.view())
		}
	}
	if !strings.Contains(footerLine(hs.view()), "ctrl+r") {
		t.Errorf("the footer does not offer ctrl+r: %q", footerLine(hs.view()))
	}
	hs.send(kCtrlR)
	if !strings.Contains(hs.view(), secret) {
		t.Fatalf("ctrl+r does not show the webhook secret:\n%s", hs.view())
	}
	hs.send(kCtrlR)
	hs.dontWantView(secret)
	if _, err := os.Stat("out/secrets.yaml"); err != nil {
		t.Fatal(err)
	}
}

// Review and Done scroll with the usual keys: End shows the last lines, Home the first,
// PgDn a page; the last line says what is hidden.
func TestReviewScrollsWithTheUsualKeys(t *testing.T) {
	hs := newHarness(t, loadFixture(t), t.TempDir(), 80, 24)
	top := hs.view()
	if !strings.Contains(top, "↓ more below") {
		t.Fatalf("the review does not say there is more below:\n%s", top)
	}
	hs.send(kPgDown)
	if hs.view() == top {
		t.Fatal("pgdn did not scroll")
	}
	hs.send(kEnd)
	if v := hs.view(); !strings.Contains(v, "Generated secrets") || !strings.Contains(v, "↑ more above") {
		t.Fatalf("end did not reach the last lines:\n%s", v)
	}
	hs.send(kHome)
	if hs.view() != top {
		t.Fatalf("home did not go back to the top:\n%s", hs.view())
	}
}

// The Deployment screen says how secrets.yaml will be written for the encryption chosen and
// the output directory, and says it again when either changes. The sentence reads files, so
// it is made in a command (which the harness runs before the next message), never in View.
func TestDeploymentSaysHowSecretsAreWritten(t *testing.T) {
	calls := 0
	// Set before the start, as the app does: starting the screen asks for the sentence.
	hs := &harness{t: t, m: New(model.NewAnswers(model.NewCatalog()), "deploy").WithEncryption(func(w model.Wizard, dir string) string {
		calls++
		return "secrets.yaml in " + dir + " for mode [" + w.Encrypt + "]"
	})}
	hs.run(hs.m.Init())
	hs.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	hs.wantView("secrets.yaml in deploy for mode []")
	hs.focusOn("Write files into")
	hs.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	hs.wantView("secrets.yaml in deplo for mode []")
	hs.focusOn("Encrypt secrets.yaml")
	hs.send(kRight)
	hs.send(kRight)
	hs.wantView("secrets.yaml in deplo for mode [none]")
	if calls > 4 { // deploy and deplo with auto, then always and never
		t.Errorf("the sentence was computed %d times for 4 different settings", calls)
	}
}

// Drawing the Deployment screen reads no files: a keystroke in "Write files into" is drawn
// with the last sentence, and the new one is made by the command the keystroke returns.
func TestDeploymentViewReadsNoFiles(t *testing.T) {
	calls := 0
	hs := &harness{t: t, m: New(model.NewAnswers(model.NewCatalog()), "deploy").WithEncryption(func(w model.Wizard, dir string) string {
		calls++
		return "secrets.yaml in " + dir
	})}
	hs.run(hs.m.Init())
	hs.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	hs.focusOn("Write files into")
	before := calls
	_, cmd := hs.m.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	hs.m.View()
	if calls != before {
		t.Fatalf("drawing the screen after a keystroke made the sentence (%d calls)", calls-before)
	}
	hs.wantView("secrets.yaml in deploy")
	hs.run(cmd)
	hs.wantView("secrets.yaml in deplo")
	if calls != before+1 {
		t.Fatalf("the keystroke's command made the sentence %d times, want once", calls-before)
	}
}
