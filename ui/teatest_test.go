package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/cryptotest"
	"time"

	"crewai-setup/internal/pemtest"
	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// keyFile is the throwaway GitHub App key the realistic answers name.
var keyFile, _ = filepath.Abs("../testdata/example-github-app.pem")

// pingMsg is a message no screen reacts to: it only makes the program's filter look at the
// model again.
type pingMsg struct{}

// program runs the wizard in a real Bubble Tea program (teatest) at a fixed size and colour
// profile, and lets the test wait for a screen: a filter records the current screen's ID as
// the event loop handles each message.
type program struct {
	t      *testing.T
	tm     *teatest.TestModel
	screen atomic.Value
	// generated records, from the event loop, which of the watched paths hold a generated value.
	generated sync.Map
	// shown records every screen the wizard showed.
	shown sync.Map
}

// watchedGenerated are the paths the walks generate with ctrl+g.
var watchedGenerated = []string{"secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "envVars.WORKOS_COOKIE_PASSWORD"}

func startProgram(t *testing.T, a *model.Answers, out string) *program {
	p := &program{t: t}
	p.screen.Store("")
	filter := func(m tea.Model, msg tea.Msg) tea.Msg {
		if wm, ok := m.(*Model); ok {
			for _, path := range watchedGenerated {
				p.generated.Store(path, wm.ctx.Answers.Generated(path))
			}
			id := wm.screens[wm.cur].ID()
			if wm.busy {
				id += " (writing)"
			}
			p.screen.Store(id)
			p.shown.Store(id, true)
		}
		return msg
	}
	p.tm = teatest.NewTestModel(t, New(a, out),
		teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.TrueColor), tea.WithFilter(filter)))
	return p
}

// wait blocks until the wizard shows screen id (commands such as moving to the next screen
// run asynchronously, so keys sent before that would land on the old screen).
func (p *program) wait(id string) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		p.tm.Send(pingMsg{})
		time.Sleep(5 * time.Millisecond)
		if p.screen.Load() == id {
			return
		}
	}
	p.t.Fatalf("the wizard never showed %q (last: %q)", id, p.screen.Load())
}

func (p *program) key(k tea.KeyPressMsg, times int) {
	for range times {
		p.tm.Send(k)
	}
}

// field types text into the focused field and presses enter.
func (p *program) field(text string) {
	p.tm.Type(text)
	p.tm.Send(kEnter)
}

// pasted pastes text into the focused field and presses enter.
func (p *program) pasted(text string) {
	p.tm.Send(tea.PasteMsg{Content: text})
	p.tm.Send(kEnter)
}

// TestRealisticInstallMatchesAnswersFile walks every screen of a realistic install by keys
// and pastes, writes the files, then writes files from an answers file with the same answers
// through the non-interactive path, and requires the same bytes.
func TestRealisticInstallMatchesAnswersFile(t *testing.T) {
	dir := t.TempDir()
	interactive := filepath.Join(dir, "interactive")
	cryptotest.SetGlobalRandom(t, 7) // the fingerprint key is random: the same seed for both runs
	p := startProgram(t, model.NewAnswers(model.NewCatalog()), interactive)
	p.wait("deployment")

	// Deployment: plain Helm, not Replicated, own PostgreSQL, Wharf on, Cube off,
	// Built-in Integrations on, no external secret store, chart-made TLS.
	p.key(kEnter, 5)
	p.tm.Send(char('y'))
	p.key(kEnter, 3)
	p.field("crewai.example.com")
	p.field("crewai")
	p.field("crewai-platform")
	p.tm.Send(kEnter) // the output directory given on the command line
	p.tm.Send(kEnter) // encryption: when a .sops.yaml rule matches (none does here)
	p.wait("database")

	p.field("crewai-db.example.internal")
	p.key(kEnter, 2) // default port; user name in values.yaml
	p.field("crewai")
	p.pasted("p@ss:w/rd?#%-example\n")
	p.field("crewai_oauth")
	p.tm.Send(kEnter) // default Wharf database
	p.wait("github")

	p.field("123456")
	p.field("Iv1.0123456789abcdef")
	p.pasted("https://github.com/apps/crewai-example/installations/new")
	p.pasted("example-github-client-secret")
	p.field("example-webhook-secret-0123456789")
	p.field(keyFile)
	p.pasted("ghp_exampleexampleexampleexample\r\n")
	p.tm.Send(kEnter) // no Crew Studio token
	p.pasted("https://customer:example-password@pypi.example.com/simple/")
	p.wait("auth")

	p.key(kRight, 3) // not chosen → WorkOS → Entra ID → Okta
	p.tm.Send(kEnter)
	p.field("https://example.okta.com")
	p.field("0oa1234567890abcdef")
	p.field("default")
	p.field("api://default")
	p.pasted("example-okta-client-secret")
	p.wait("integrations")

	p.tm.Send(kSpace) // Google
	p.tm.Send(kEnter)
	p.pasted("123456789-abcdefg.apps.googleusercontent.com")
	p.pasted("GOCSPX-example-not-a-real-secret")
	p.wait("llm")

	p.field("openai")
	p.field("gpt-4o-mini")
	p.pasted("sk-proj-example")
	p.wait("storage")

	p.tm.Send(kRight) // Amazon S3
	p.tm.Send(kEnter)
	p.tm.Send(kRight) // static access keys
	p.tm.Send(kEnter)
	p.field("us-east-1")
	p.field("crewai-example-artifacts")
	p.tm.Send(kEnter) // no endpoint
	p.pasted("AKIAEXAMPLEEXAMPLE12")
	p.pasted("example/secret+access/key0123456789abcdef")
	p.wait("review")

	p.tm.Send(kEnter)
	p.wait("done")
	p.tm.Send(char('q'))
	final := p.tm.FinalModel(t, teatest.WithFinalTimeout(15*time.Second)).(*Model)
	if final.Aborted() || final.Result() == nil {
		t.Fatalf("the wizard ended without writing (aborted %v)", final.Aborted())
	}
	if v := final.View().Content; !bytes.Contains([]byte(v), []byte("wrote "+filepath.Join(interactive, "secrets.yaml"))) {
		t.Errorf("the done screen does not list secrets.yaml:\n%s", v)
	}

	// The same answers through the non-interactive path.
	cryptotest.SetGlobalRandom(t, 7)
	sameFiles(t, interactive, reference(t, dir))
}

// sameFiles requires the three files in two directories to be byte-identical, and
// secrets.yaml to be private.
func sameFiles(t *testing.T, got, want string) {
	t.Helper()
	for _, name := range []string{"values.yaml", "secrets.yaml", "summary.md", "crewai-setup.yaml"} {
		g, err := os.ReadFile(filepath.Join(got, name))
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.ReadFile(filepath.Join(want, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s differs from the answers file's:\n--- wizard\n%s\n--- answers file\n%s", name, g, w)
		}
	}
	if fi, err := os.Stat(filepath.Join(got, "secrets.yaml")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets.yaml mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

// TestPrefilledAnswersWriteTheSameFiles is `init --answers FILE` in the interactive wizard:
// everything prefilled (the GitHub App key read from the file the answers name), the operator
// goes straight to the review and writes. The files must be those the non-interactive path
// writes from the same file. (Writing used to read the key file a second time and refuse it
// as given twice.)
func TestPrefilledAnswersWriteTheSameFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "prefilled")
	cryptotest.SetGlobalRandom(t, 7)
	hs := newHarness(t, loadFixture(t), out, 120, 40)
	hs.wantScreen("review") // prefilled answers open on the review
	hs.wantView("✓ Ready to write")
	hs.send(kEnter)
	hs.wantScreen("done")
	cryptotest.SetGlobalRandom(t, 7)
	sameFiles(t, out, reference(t, dir))
}

// TestEditFromReviewAndBack is a re-run with prefilled answers in a real program: it opens on
// the review, one number opens the LLM screen, the model is changed, enter past the screen's
// last field goes back to the review (not on to Storage), and enter writes. The written
// files hold the new model and the rest of the answers.
func TestEditFromReviewAndBack(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	cryptotest.SetGlobalRandom(t, 7)
	p := startProgram(t, loadFixture(t), out)
	p.wait("review")
	p.tm.Send(char('6'))
	p.wait("llm")
	p.tm.Send(kTab)                                         // the model
	p.tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear it
	p.field("gpt-4.1-mini")
	p.tm.Send(kEnter) // past the API key, the last field
	p.wait("review")
	if _, ok := p.shown.Load("storage"); ok {
		t.Fatal("leaving a screen opened from the review went on to the next screen")
	}
	p.tm.Send(kEnter)
	p.wait("done")
	p.tm.Send(char('q'))
	final := p.tm.FinalModel(t, teatest.WithFinalTimeout(15*time.Second)).(*Model)
	if final.Result() == nil {
		t.Fatal("nothing was written")
	}
	values, err := os.ReadFile(filepath.Join(out, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(values, []byte(`BUILT_IN_LLM_MODEL: "gpt-4.1-mini"`)) || !bytes.Contains(values, []byte(`AWS_BUCKET: "crewai-example-artifacts"`)) {
		t.Fatalf("values.yaml lacks the new model or the prefilled answers:\n%s", values)
	}
}

// TestArgoCDInstallMatchesAnswersFile walks an ArgoCD install (Replicated, in-cluster
// PostgreSQL, Cube, own TLS files, WorkOS, Azure storage, two values generated with ctrl+g)
// and requires the files the non-interactive path writes from the same answers. The review
// must accept the keys the wizard is about to generate (they used to block the write). Both
// runs draw randomness from the same seed, so the generated secrets are the same too.
func TestArgoCDInstallMatchesAnswersFile(t *testing.T) {
	dir := t.TempDir()
	cert, key := pemtest.WriteTLSPair(t, dir)
	interactive := filepath.Join(dir, "interactive")
	cryptotest.SetGlobalRandom(t, 42)
	p := startProgram(t, model.NewAnswers(model.NewCatalog()), interactive)
	p.wait("deployment")

	p.tm.Send(kRight) // ArgoCD
	p.tm.Send(kEnter)
	p.tm.Send(char('y')) // Replicated
	p.tm.Send(kEnter)
	p.tm.Send(kRight) // in the cluster
	p.tm.Send(kEnter)
	p.tm.Send(kEnter)    // Wharf on
	p.tm.Send(char('y')) // Cube on
	p.key(kEnter, 3)     // Cube, Built-in Integrations off, no external store
	p.tm.Send(kRight)    // my certificate and key
	p.tm.Send(kEnter)
	p.field(cert)
	p.field(key)
	p.field("crewai.example.com")
	p.field("crewai")
	p.field("crewai-gitops")
	p.tm.Send(kEnter)
	p.key(kRight, 2) // encryption: never (plain text)
	p.tm.Send(kEnter)
	p.wait("database")

	p.key(kEnter, 3) // default port, user in values.yaml, default user
	p.pasted("in-cluster-example-password")
	p.tm.Send(kEnter) // default Wharf database
	p.wait("github")

	p.field("654321")
	p.field("Iv1.fedcba9876543210")
	p.pasted("https://github.com/apps/crewai-gitops/installations/new")
	p.pasted("example-gitops-client-secret")
	p.tm.Send(kCtrlG)
	p.waitGenerated("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	p.tm.Send(kEnter)
	p.field(keyFile)
	p.wait("auth")

	p.tm.Send(kRight) // WorkOS
	p.tm.Send(kEnter)
	p.field("client_01HXYZ123ABC456")
	p.field("example.authkit.app")
	p.tm.Send(kCtrlG)
	p.waitGenerated("envVars.WORKOS_COOKIE_PASSWORD")
	p.tm.Send(kEnter)
	p.pasted("sk_test_example0123456789")
	p.wait("llm")

	p.tm.Send(kEnter) // no LLM
	p.wait("storage")

	p.key(kRight, 2) // Azure Blob Storage
	p.tm.Send(kEnter)
	p.field("crewaiexample")
	p.pasted("example-azure-access-key==")
	p.tm.Send(kEnter) // no client secret
	p.wait("review")

	p.tm.Send(kEnter)
	p.wait("done")
	p.tm.Send(char('q'))
	final := p.tm.FinalModel(t, teatest.WithFinalTimeout(15*time.Second)).(*Model)
	if final.Aborted() || final.Result() == nil {
		t.Fatalf("the ArgoCD wizard ended without writing (aborted %v)", final.Aborted())
	}

	answers := argoCDAnswers(t, dir, cert, key)
	cryptotest.SetGlobalRandom(t, 42)
	sameFiles(t, interactive, referenceFrom(t, answers, filepath.Join(dir, "reference")))
	secrets, err := os.ReadFile(filepath.Join(interactive, "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"SECRET_KEY_BASE", "ENCRYPTION_KEY", "OIDC_PRIVATE_KEY", "CUBE_JWT_SECRET", "GITHUB_WEBHOOK_SECRET_TOKEN"} {
		if !bytes.Contains(secrets, []byte(k+":")) {
			t.Errorf("the ArgoCD secrets.yaml lacks %s", k)
		}
	}
}

// argoCDAnswers writes testdata/wizard-argocd.yaml into dir with the TLS pair's and the
// GitHub App key's paths filled in, and returns its path.
func argoCDAnswers(t *testing.T, dir, cert, key string) string {
	t.Helper()
	text, err := os.ReadFile("../testdata/wizard-argocd.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text = bytes.ReplaceAll(text, []byte("CERT"), []byte(cert))
	text = bytes.ReplaceAll(text, []byte("KEY\n"), []byte(key+"\n"))
	text = bytes.ReplaceAll(text, []byte("example-github-app.pem"), []byte(keyFile))
	answers := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(answers, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return answers
}

// waitGenerated blocks until the wizard holds a generated value at path (ctrl+g runs in a
// command; the next key must not arrive before its result).
func (p *program) waitGenerated(path string) {
	p.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		p.tm.Send(pingMsg{})
		time.Sleep(5 * time.Millisecond)
		if v, ok := p.generated.Load(path); ok && v.(bool) {
			return
		}
	}
	p.t.Fatalf("no value was generated for %s", path)
}

// TestArgoCDExternalInstallMatchesAnswersFile walks the other side of each choice the first
// ArgoCD walk makes — not Replicated, an external PostgreSQL, Wharf off, Built-in Integrations
// on with Microsoft, chart-made TLS, Entra ID, OpenAI, S3 through an IAM role — and requires the
// files the non-interactive path writes from testdata/wizard-argocd-external.yaml.
func TestArgoCDExternalInstallMatchesAnswersFile(t *testing.T) {
	dir := t.TempDir()
	interactive := filepath.Join(dir, "interactive")
	cryptotest.SetGlobalRandom(t, 11)
	p := startProgram(t, model.NewAnswers(model.NewCatalog()), interactive)
	p.wait("deployment")

	p.tm.Send(kRight) // ArgoCD
	p.tm.Send(kEnter)
	p.tm.Send(char('n')) // not Replicated
	p.tm.Send(kEnter)
	p.tm.Send(kEnter) // my own server
	p.tm.Send(char('n'))
	p.tm.Send(kEnter) // Wharf off
	p.tm.Send(kEnter) // Cube as is (off)
	p.tm.Send(char('y'))
	p.tm.Send(kEnter) // Built-in Integrations on
	p.key(kEnter, 2)  // no external store, chart-generated TLS
	p.field("platform.example.org")
	p.field("crewai-prod")
	p.field("crewai-prod")
	p.key(kEnter, 2) // the output directory given on the command line; encryption when a rule matches
	p.wait("database")

	p.field("pg.example.org")
	p.key(kEnter, 2) // default port; user name in values.yaml
	p.field("crewai_app")
	p.pasted("external-db-password-example")
	p.field("crewai_oauth")
	p.wait("github")

	p.field("777777")
	p.field("Iv1.1111222233334444")
	p.pasted("https://github.com/apps/crewai-prod/installations/new")
	p.pasted("example-prod-client-secret")
	p.field("example-prod-webhook-secret-0123")
	p.field(keyFile)
	p.pasted("ghp_prodexampleprodexampleprodexample")
	p.tm.Send(kEnter) // no Crew Studio token
	p.pasted("https://customer:prod-password@pypi.example.org/simple/")
	p.wait("auth")

	p.key(kRight, 2) // not chosen → WorkOS → Entra ID
	p.tm.Send(kEnter)
	p.field("11111111-2222-3333-4444-555555555555")
	p.field("66666666-7777-8888-9999-000000000000")
	p.pasted("example-entra-client-secret")
	p.wait("integrations")

	p.tm.Send(kRight) // Google → Microsoft
	p.tm.Send(kSpace)
	p.tm.Send(kEnter)
	p.pasted("00000000-1111-2222-3333-444444444444")
	p.pasted("example-microsoft-oauth-secret")
	p.wait("llm")

	p.field("openai")
	p.field("gpt-4o")
	p.pasted("sk-proj-prod-example")
	p.wait("storage")

	p.tm.Send(kRight) // Amazon S3
	p.tm.Send(kEnter)
	p.tm.Send(kEnter) // IAM role (IRSA)
	p.field("arn:aws:iam::123456789012:role/crewai-artifacts")
	p.field("eu-west-1")
	p.field("crewai-prod-artifacts")
	p.tm.Send(kEnter) // no endpoint
	p.wait("review")

	p.tm.Send(kEnter)
	p.wait("done")
	p.tm.Send(char('q'))
	final := p.tm.FinalModel(t, teatest.WithFinalTimeout(15*time.Second)).(*Model)
	if final.Aborted() || final.Result() == nil {
		t.Fatalf("the wizard ended without writing (aborted %v)", final.Aborted())
	}
	cryptotest.SetGlobalRandom(t, 11)
	sameFiles(t, interactive, referenceFrom(t, absFixture(t, "../testdata/wizard-argocd-external.yaml"), filepath.Join(dir, "reference")))
}
