package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	"crewai-setup/model"
	"crewai-setup/steps"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Keys as the terminal reports them.
var (
	kEnter     = tea.KeyPressMsg{Code: tea.KeyEnter}
	kTab       = tea.KeyPressMsg{Code: tea.KeyTab}
	kEsc       = tea.KeyPressMsg{Code: tea.KeyEscape}
	kRight     = tea.KeyPressMsg{Code: tea.KeyRight}
	kSpace     = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	kCtrlC     = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	kCtrlG     = tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl}
	kF1        = tea.KeyPressMsg{Code: tea.KeyF1}
	darkColor  = color.RGBA{R: 0x1e, G: 0x1e, B: 0x2e, A: 0xff}
	lightColor = color.RGBA{R: 0xfa, G: 0xfa, B: 0xfa, A: 0xff}
)

// char is the key press of one printable character.
func char(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// harness drives the root model the way the Bubble Tea loop does, synchronously: every
// command a message returns is run and its message fed back, so key files load, generators
// finish and files get written before the next key.
type harness struct {
	t    *testing.T
	m    *Model
	quit bool
}

// newHarness starts the wizard on answers a, writing into out, at a terminal of w×h.
func newHarness(t *testing.T, a *model.Answers, out string, w, h int) *harness {
	t.Helper()
	hs := &harness{t: t, m: New(a, out)}
	hs.run(hs.m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// emptyHarness starts the wizard with no answers.
func emptyHarness(t *testing.T, out string, w, h int) *harness {
	return newHarness(t, model.NewAnswers(model.NewCatalog()), out, w, h)
}

// send delivers one message, checks the frame, then delivers everything it causes.
func (hs *harness) send(msg tea.Msg) {
	hs.t.Helper()
	nm, cmd := hs.m.Update(msg)
	hs.m = nm.(*Model)
	hs.checkFrame(msg) // Bubble Tea draws after every message, before commands report back
	hs.run(cmd)
}

// checkFrame fails when the frame does not show the state the wizard is in: on a screen of
// fields, the focused field carries the › marker (on one line only, where the terminal
// cursor is, if there is one) and its error is visible. A frame left over from an earlier
// state fails here, whichever message left it.
func (hs *harness) checkFrame(after tea.Msg) {
	hs.t.Helper()
	m := hs.m
	if m.width < minWidth || m.height < minHeight || m.overlay != overlayNone {
		return
	}
	var focused []steps.Field
	for _, f := range m.screens[m.cur].Fields() {
		if f.Focused() {
			focused = append(focused, f)
		}
	}
	v := m.View()
	lines := strings.Split(ansi.Strip(v.Content), "\n")
	marked := -1
	for i, l := range lines {
		if strings.Contains(l, "│  › ") {
			if marked >= 0 {
				hs.t.Fatalf("after %T: two lines carry the focus marker:\n%s", after, hs.view())
			}
			marked = i
		}
	}
	switch {
	case len(focused) > 1:
		hs.t.Fatalf("after %T: %d fields are focused", after, len(focused))
	case len(focused) == 0 && marked >= 0:
		hs.t.Fatalf("after %T: no field is focused, but the screen marks one:\n%s", after, hs.view())
	case len(focused) == 0:
		return
	}
	q := focused[0].Question()
	if _, rest, _ := strings.Cut(lines[max(marked, 0)], "│  › "); marked < 0 || !strings.HasPrefix(rest, strings.Fields(q.Label)[0]) {
		hs.t.Fatalf("after %T: the focused field is %q, but the screen marks another line:\n%s", after, q.Label, hs.view())
	}
	if v.Cursor != nil && v.Cursor.Y != marked {
		hs.t.Fatalf("after %T: the terminal cursor is on line %d, the focused field %q on line %d:\n%s", after, v.Cursor.Y, q.Label, marked, hs.view())
	}
	if p := focused[0].Problem(); p != "" {
		squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if !strings.Contains(squeeze(mainText(hs.view())), squeeze("✗ "+p)) {
			hs.t.Fatalf("after %T: the focused field %q has the error %q, which the screen does not show:\n%s", after, q.Label, p, hs.view())
		}
	}
}

// mainText is the screen column of a plain view (right of the step list).
func mainText(v string) string {
	var b strings.Builder
	for _, l := range strings.Split(v, "\n") {
		if _, right, ok := strings.Cut(l, "│"); ok {
			b.WriteString(right + "\n")
		}
	}
	return b.String()
}

// run executes a command and feeds its messages back. Spinner ticks are dropped (they would
// tick forever); Bubble Tea's own requests (background colour) are ignored like a terminal
// that does not answer.
func (hs *harness) run(cmd tea.Cmd) {
	hs.t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			hs.run(c)
		}
	case tea.QuitMsg:
		hs.quit = true
	case spinner.TickMsg:
	default:
		if strings.HasPrefix(typeName(msg), "tea.") {
			return
		}
		hs.send(msg)
	}
}

// typeText types s one character at a time.
func (hs *harness) typeText(s string) {
	hs.t.Helper()
	for _, r := range s {
		hs.send(char(r))
	}
}

// view is the screen as plain text.
func (hs *harness) view() string { return ansi.Strip(hs.m.View().Content) }

// screen is the ID of the current screen.
func (hs *harness) screen() string { return hs.m.screens[hs.m.cur].ID() }

// wantScreen fails unless the current screen is id.
func (hs *harness) wantScreen(id string) {
	hs.t.Helper()
	if got := hs.screen(); got != id {
		hs.t.Fatalf("on screen %q, want %q\n%s", got, id, hs.view())
	}
}

// wantView fails unless the plain view contains every string.
func (hs *harness) wantView(subs ...string) {
	hs.t.Helper()
	v := hs.view()
	for _, s := range subs {
		if !strings.Contains(v, s) {
			hs.t.Fatalf("view lacks %q:\n%s", s, v)
		}
	}
}

// dontWantView fails if the plain view contains any of the strings.
func (hs *harness) dontWantView(subs ...string) {
	hs.t.Helper()
	v := hs.view()
	for _, s := range subs {
		if strings.Contains(v, s) {
			hs.t.Fatalf("view shows %q:\n%s", s, v)
		}
	}
}

// focusedLabel is the label of the field marked with ›, read off the screen.
func (hs *harness) focusedLabel() string {
	for _, l := range strings.Split(hs.view(), "\n") {
		if _, rest, ok := strings.Cut(l, "│  › "); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// focusOn presses tab until the focused field's line starts with label (at most 30 times).
func (hs *harness) focusOn(label string) {
	hs.t.Helper()
	for range 30 {
		if strings.HasPrefix(hs.focusedLabel(), label) {
			return
		}
		hs.send(kTab)
	}
	hs.t.Fatalf("never focused %q:\n%s", label, hs.view())
}

func typeName(v any) string { return strings.TrimPrefix(fmt.Sprintf("%T", v), "*") }

// answer returns the current answer at path.
func (hs *harness) answer(path string) string { return hs.m.ctx.Answers.Get(path) }

// jump shows screen i, as the review's number keys do.
func jump(i int) tea.Msg { return steps.JumpMsg{Index: i} }
