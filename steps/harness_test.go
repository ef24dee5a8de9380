package steps

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"crewai-setup/model"
	"crewai-setup/steps/theme"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Keys as the terminal reports them.
var (
	kEnter    = tea.KeyPressMsg{Code: tea.KeyEnter}
	kTab      = tea.KeyPressMsg{Code: tea.KeyTab}
	kShiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	kLeft     = tea.KeyPressMsg{Code: tea.KeyLeft}
	kRight    = tea.KeyPressMsg{Code: tea.KeyRight}
	kUp       = tea.KeyPressMsg{Code: tea.KeyUp}
	kDown     = tea.KeyPressMsg{Code: tea.KeyDown}
	kSpace    = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	kBack     = tea.KeyPressMsg{Code: tea.KeyBackspace}
	kCtrlR    = tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	kCtrlG    = tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl}
)

func char(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// stepHarness drives one screen as the root model would: keys and pastes go to Update, and
// the commands it returns are run and their messages fed back (key files load, generators
// finish). NextMsg is counted, and handled as the root does up to the point of changing
// screens: the screen is validated and, with errors, the focus goes to the first bad field.
// After every message the harness checks the frame (checkFrame).
type stepHarness struct {
	t    *testing.T
	ctx  *Context
	s    Step
	next int // NextMsg count
	// stayed counts NextMsg the root would refuse (the screen has errors).
	stayed int
}

// newCtx returns a context over fresh answers with the wizard's defaults, as the root starts
// from, and a content area of 90×36.
func newCtx(t *testing.T) *Context {
	t.Helper()
	cat := model.NewCatalog()
	st := theme.New(true)
	a := model.NewAnswers(cat)
	return &Context{Answers: a, Catalog: cat, Styles: &st, Width: 90, Height: 36, OutDir: "out", Defaulted: a.ApplyWizardDefaults()}
}

// start shows a screen built by mk on ctx, as the root does when it becomes current.
func start(t *testing.T, ctx *Context, mk func(*Context) Step) *stepHarness {
	t.Helper()
	h := &stepHarness{t: t, ctx: ctx, s: mk(ctx)}
	h.run(h.s.Init())
	return h
}

func (h *stepHarness) send(msg tea.Msg) {
	h.t.Helper()
	s, cmd := h.s.Update(msg)
	h.s = s
	h.checkFrame(msg) // Bubble Tea draws after every message, before commands report back
	h.run(cmd)
}

// checkFrame fails when the drawn screen does not show the state it is in: the focused field
// must carry the › marker (on one line only, where the text cursor is, if there is one) and
// its error must be visible. A frame drawn from an old state fails here, whatever message
// left it behind.
func (h *stepHarness) checkFrame(after tea.Msg) {
	h.t.Helper()
	var focused []Field
	for _, f := range h.s.Fields() {
		if f.Focused() {
			focused = append(focused, f)
		}
	}
	lines := strings.Split(h.view(), "\n")
	var marked []int
	for i, l := range lines {
		if strings.HasPrefix(l, "› ") {
			marked = append(marked, i)
		}
	}
	switch {
	case len(focused) > 1:
		h.t.Fatalf("after %T: %d fields are focused", after, len(focused))
	case len(focused) == 0 && len(marked) > 0:
		h.t.Fatalf("after %T: no field is focused, but the screen marks one:\n%s", after, h.view())
	case len(focused) == 0:
		return
	}
	f := focused[0]
	q := f.Question()
	first := strings.Fields(q.Label)[0]
	if !q.Shown(h.ctx.Answers) {
		h.t.Fatalf("after %T: the focused field %q is hidden", after, q.Label)
	}
	if len(marked) != 1 || !strings.HasPrefix(lines[marked[0]], "› "+first) {
		h.t.Fatalf("after %T: the focused field is %q, but the screen marks %d line(s):\n%s", after, q.Label, len(marked), h.view())
	}
	if c := h.s.Cursor(); c != nil && c.Y != marked[0] {
		h.t.Fatalf("after %T: the text cursor is on line %d, the focused field %q on line %d:\n%s", after, c.Y, q.Label, marked[0], h.view())
	}
	if p := f.Problem(); p != "" && !strings.Contains(squeeze(h.view()), squeeze("✗ "+p)) {
		h.t.Fatalf("after %T: the focused field %q has the error %q, which the screen does not show:\n%s", after, q.Label, p, h.view())
	}
}

func (h *stepHarness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case NextMsg:
		h.next++
		if h.s.Validate().HasErrors() {
			h.stayed++
			if pf, ok := h.s.(ProblemFocuser); ok {
				cmd := pf.FocusProblem()
				h.checkFrame(msg)
				h.run(cmd)
			}
		}
	default:
		h.send(msg)
	}
}

func (h *stepHarness) keys(ks ...tea.KeyPressMsg) {
	h.t.Helper()
	for _, k := range ks {
		h.send(k)
	}
}

func (h *stepHarness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(char(r))
	}
}

func (h *stepHarness) paste(s string) { h.t.Helper(); h.send(tea.PasteMsg{Content: s}) }

func (h *stepHarness) view() string { return ansi.Strip(h.s.View()) }

// focused returns the line of the field marked with ›, without the marker.
func (h *stepHarness) focused() string {
	for _, l := range strings.Split(h.view(), "\n") {
		if rest, ok := strings.CutPrefix(l, "› "); ok {
			return rest
		}
	}
	return ""
}

// focusOn moves focus (up first, then down) until the focused field's label starts with
// label, without ever leaving the screen.
func (h *stepHarness) focusOn(label string) {
	h.t.Helper()
	for _, k := range []tea.KeyPressMsg{kUp, kDown} {
		for range 40 {
			if strings.HasPrefix(h.focused(), label) {
				return
			}
			before := h.focused()
			h.send(k)
			if h.focused() == before {
				break
			}
		}
	}
	h.t.Fatalf("never focused %q:\n%s", label, h.view())
}

// field returns the field labelled label.
func (h *stepHarness) field(label string) Field {
	h.t.Helper()
	for _, f := range h.s.Fields() {
		if f.Question().Label == label {
			return f
		}
	}
	h.t.Fatalf("no field %q", label)
	return nil
}

// input returns the typed text of the text or key file field labelled label.
func (h *stepHarness) input(label string) string {
	h.t.Helper()
	switch f := h.field(label).(type) {
	case *Text:
		return f.in.value()
	case *Secret:
		return f.in.value()
	case *KeyFile:
		return f.in.value()
	default:
		h.t.Fatalf("%q is a %T, which takes no typed text", label, f)
		return ""
	}
}

// line returns the view's line that holds s.
func (h *stepHarness) line(s string) string {
	h.t.Helper()
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	h.t.Fatalf("no line holds %q:\n%s", s, h.view())
	return ""
}

// wantFlat fails unless the view, with line breaks folded, contains every string.
func (h *stepHarness) wantFlat(subs ...string) {
	h.t.Helper()
	for _, s := range subs {
		if !strings.Contains(h.flat(), s) {
			h.t.Fatalf("view lacks %q:\n%s", s, h.view())
		}
	}
}

func (h *stepHarness) wantView(subs ...string) {
	h.t.Helper()
	v := h.view()
	for _, s := range subs {
		if !strings.Contains(v, s) {
			h.t.Fatalf("view lacks %q:\n%s", s, v)
		}
	}
}

func (h *stepHarness) dontWantView(subs ...string) {
	h.t.Helper()
	v := h.view()
	for _, s := range subs {
		if strings.Contains(v, s) {
			h.t.Fatalf("view shows %q:\n%s", s, v)
		}
	}
}

// flat is the view with line breaks and indentation folded into single spaces, for
// asserting on messages that wrap.
func (h *stepHarness) flat() string { return strings.Join(strings.Fields(h.view()), " ") }

func (h *stepHarness) wantAnswer(path, want string) {
	h.t.Helper()
	if got := h.ctx.Answers.Get(path); got != want {
		h.t.Fatalf("answer %s = %q, want %q", path, got, want)
	}
}

// PEM fixtures, generated per test run.

// rsaKeys caches generated keys by size: generating one takes a while, more so with -race.
var rsaKeys sync.Map

func rsaKey(t *testing.T, bits int) *rsa.PrivateKey {
	t.Helper()
	if k, ok := rsaKeys.Load(bits); ok {
		return k.(*rsa.PrivateKey)
	}
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	rsaKeys.Store(bits, k)
	return k
}

func pemText(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func pkcs1PEM(k *rsa.PrivateKey) string {
	return pemText("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
}

func publicPEM(t *testing.T, k *rsa.PrivateKey) string {
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pemText("PUBLIC KEY", der)
}

func ecPEM(t *testing.T) string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pemText("EC PRIVATE KEY", der)
}

func certPEM(t *testing.T, k *rsa.PrivateKey) string {
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "crewai.example.com"},
		DNSNames: []string{"crewai.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return pemText("CERTIFICATE", der)
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fmtWizard prints the wizard block of answers.
func fmtWizard(a *model.Answers) string { return fmt.Sprintf("%+v", a.Wizard) }

// squeeze drops all white space, so that text compares equal however it was wrapped (a
// wrap after a hyphen adds no space to join at).
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
