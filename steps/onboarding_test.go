package steps

import (
	"regexp"
	"strings"
	"testing"

	"crewai-setup/model"

	"github.com/charmbracelet/x/ansi"
)

// allScreens builds every question screen on ctx.
func allScreens(ctx *Context) []Step { return Screens(ctx) }

// choicesOf returns the values and labels a field offers, or nil for a field without choices.
func choicesOf(f Field) []model.Choice {
	switch f := f.(type) {
	case *Choice:
		return f.choices
	case *Multi:
		return f.choices
	case *Toggle:
		return []model.Choice{{Value: "true", Label: "yes"}, {Value: "false", Label: "no"}}
	}
	return nil
}

// Every help panel speaks in the labels its field shows: a choice's help never names a value
// the screen does not show ("false" where the choices read "my own server / in the cluster",
// "Chart default: false" on a yes/no question). The same holds for the notes the help no
// longer carries: "Not documented:" is gone.
func TestHelpPanelsUseTheScreensLabels(t *testing.T) {
	ctx := newCtx(t)
	checked := 0
	for _, s := range allScreens(ctx) {
		for _, f := range s.Fields() {
			help := HelpText(f)
			if strings.Contains(help, "Not documented") {
				t.Errorf("%s: the help still says \"Not documented\": %q", f.Question().Label, help)
			}
			choices := choicesOf(f)
			if choices == nil {
				continue
			}
			checked++
			var labels []string
			for _, c := range choices {
				labels = append(labels, strings.ToLower(c.Label))
			}
			for _, c := range choices {
				v := strings.ToLower(c.Value)
				if v == "" || strings.Contains(strings.Join(labels, " | "), v) {
					continue
				}
				if regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(v) + `\b`).MatchString(help) {
					t.Errorf("%s (%s): the help names %q, which the field shows as %q:\n%s", f.Question().Label, s.ID(), c.Value, c.Label, help)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d choice fields checked", checked)
	}
	// A yes/no question's chart default is said in its words, and an inferred one is marked.
	ctx.Answers.Set("oauth.enabled", "true")
	for _, f := range NewDeployment(ctx).Fields() {
		switch f.Question().Path {
		case "oauth.enabled":
			if !strings.Contains(HelpText(f), "Chart default: no.") {
				t.Errorf("Built-in Integrations' default: %q", HelpText(f))
			}
		case "cube.enabled":
			if !strings.Contains(HelpText(f), "Chart default: probably no (the chart's docs don't state it).") {
				t.Errorf("Cube's inferred default: %q", HelpText(f))
			}
		}
	}
}

// What the chart's docs leave open is said once per screen, after the labels it concerns,
// below the fields; not in each field's help panel.
func TestNotesSaidOncePerScreen(t *testing.T) {
	ctx := newCtx(t)
	ctx.Height = 60
	ctx.Answers.Set("envVars.STORAGE_SERVICE", "amazon")
	h := start(t, ctx, NewStorage)
	region := ctx.Catalog.Lookup("envVars.AWS_REGION")
	flat := h.flat()
	if n := strings.Count(flat, region.Unknown); n != 1 {
		t.Fatalf("the third-party note is said %d times:\n%s", n, h.view())
	}
	if !strings.Contains(flat, "AWS region, S3 bucket, S3 endpoint: "+region.Unknown) {
		t.Fatalf("the note does not name the fields it is about:\n%s", h.view())
	}
	h.focusOn("AWS region")
	if strings.Contains(HelpText(h.field("AWS region")), region.Unknown) {
		t.Fatal("the field's help panel repeats the note")
	}
}

// Required fields are marked, following the answers: without Replicated the GitHub token and
// the package index are required; the App's values once one of them is given.
func TestRequiredMarks(t *testing.T) {
	ctx := newCtx(t)
	ctx.Height = 60
	h := start(t, ctx, NewGitHub)
	h.wantView("GitHub token for CrewAI repositories *", "Private Python package index *")
	h.dontWantView("GitHub App ID *", "GitHub App client ID *")
	h.typeText("123")
	h.wantView("GitHub App ID *", "GitHub App client ID *")
	ctx.Answers.Wizard.Replicated = true
	h.send(kDown)
	h.dontWantView("GitHub token for CrewAI", "Private Python package index")
}

// The GitHub App screen says what the App is for and whether it is needed, where its values
// are, the callback URL, that its permissions are in the chart's setup guide, and how the
// webhook secret is made, seen and where it goes.
func TestGitHubScreenTeaches(t *testing.T) {
	ctx := newCtx(t)
	ctx.Height = 80
	ctx.Answers.Wizard.Host = "crewai.example.com"
	h := start(t, ctx, NewGitHub)
	h.wantFlat("without a GitHub App the platform can't reach your repositories", model.GitHubCallbackURL(ctx.Answers),
		"GitHub App Setup Guide")
	h.focusOn("GitHub webhook secret")
	h.wantFlat("ctrl+g makes one, ctrl+r shows it", "Enter the same value in the GitHub App's webhook settings")
}

// The database screen says which role each database is granted to (Wharf connects as
// envVars.DB_USER even when secrets.DB_USER names another role), that the chart's docs do not
// name the main database, and how SSL is enforced: on the server, the review's sslmode being
// the connection test's alone.
func TestDatabaseScreenNamesRolesAndSSL(t *testing.T) {
	ctx := newCtx(t)
	ctx.Height = 80
	a := ctx.Answers
	a.Set("postgres.enabled", "false")
	a.Set("oauth.enabled", "true")
	a.Set("envVars.DB_USER", "wharf_role")
	a.Set("secrets.DB_USER", "app_role")
	h := start(t, ctx, NewDatabase)
	h.wantFlat("oauth_db for Built-in Integrations, all privileges granted to app_role",
		"wharf for Wharf, all privileges granted to wharf_role",
		"Main database: the chart's docs name neither its key nor its default name",
		"rds.force_ssl=1", "sslmode on the Review screen only changes the connection test")
	// In the cluster: the databases are made for you; no SSL advice for your own server.
	a.Set("postgres.enabled", "true")
	h = start(t, ctx, NewDatabase)
	h.wantFlat("The in-cluster PostgreSQL creates the OAuth and Wharf databases itself.")
	if strings.Contains(h.flat(), "rds.force_ssl") {
		t.Fatalf("SSL advice for a server you do not run:\n%s", h.view())
	}
}

// The OAuth products screen says where the redirect URIs are documented once a provider is
// chosen; the providers' help gives the place too, never the instruction alone.
func TestOAuthProductsSayWhereTheRedirectURIsAre(t *testing.T) {
	ctx := newCtx(t)
	ctx.Height = 60
	ctx.Answers.Set("oauth.enabled", "true")
	h := start(t, ctx, NewIntegrations)
	if strings.Contains(h.flat(), "Redirect URIs") {
		t.Fatalf("redirect advice with no provider chosen:\n%s", h.view())
	}
	h.send(kSpace)
	h.wantFlat("Built-in Integrations overview, Redirect URIs", "depends on your ingress layout")
	if help := HelpText(h.field("Providers")); !strings.Contains(help, "Built-in Integrations docs") {
		t.Fatalf("the providers' help says to register a URL without saying where it is: %q", help)
	}
}

// The deployment screen says how to tell whether the install goes through Replicated.
func TestReplicatedSaysHowToTell(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewDeployment)
	h.focusOn("Installed through")
	h.wantFlat("CrewAI gave you a license", "Replicated admin console (KOTS)")
}

// A problem shown away from its field names the setting: the review's other findings give
// the label and the key, not "is required" alone.
func TestOtherFindingsNameTheSetting(t *testing.T) {
	ctx, screens := reviewFixture(t)
	ctx.Answers.Set("secrets.WHARF_POSTGRES_URL", "postgres://x")
	h := start(t, ctx, func(ctx *Context) Step { return NewReview(ctx, screens) })
	r := h.s.(*Review)
	all := strings.Join(strings.Fields(strings.Join(r.lines(), " ")), " ")
	if !strings.Contains(stripANSI(all), "✗ Wharf connection string (secrets.WHARF_POSTGRES_URL): ") {
		t.Fatalf("the finding does not name its setting:\n%s", stripANSI(all))
	}
}

// stripANSI drops escape sequences.
func stripANSI(s string) string { return ansi.Strip(s) }
