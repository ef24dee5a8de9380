package steps

import (
	"crewai-setup/model"
)

// NewGitHub asks for the GitHub App and, without Replicated, CrewAI's access tokens.
func NewGitHub(ctx *Context) Step {
	cat := ctx.Catalog
	notReplicated := func(a *model.Answers) bool { return !a.Wizard.Replicated }
	ask := func(path string) Question { return QuestionFor(cat, path) }
	key := ask("secrets.GITHUB_APP_PRIVATE_KEY").with("Private key (.pem)", "")
	key.Hint = "Type the path (tab completes) or paste the PEM itself; the SHA256 fingerprint GitHub shows is not the key"
	s := newFormStep(ctx, "github", "GitHub App",
		"The GitHub App lets the platform read your repositories. Its settings page (GitHub > Settings > Developer settings > GitHub Apps) shows every value below.",
		FieldFor(ask("envVars.GITHUB_APP_ID")),
		FieldFor(ask("envVars.GITHUB_CLIENT_ID")),
		FieldFor(ask("envVars.GITHUB_APP_URL")),
		FieldFor(ask("secrets.GITHUB_CLIENT_SECRET")),
		FieldFor(ask("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")),
		FieldFor(key),
		FieldFor(ask("secrets.GITHUB_TOKEN").when(notReplicated)),
		FieldFor(ask("secrets.GITHUB_CREW_STUDIO_TOKEN").when(notReplicated)),
		FieldFor(ask("secrets.UV_DEFAULT_INDEX").when(notReplicated)),
	)
	s.outro = func(a *model.Answers) string {
		// The URL gets a line of its own so that wrapping never splits it at a hyphen.
		return ctx.Styles.Accent.Render("Callback URL to set in the App (tick \"Request user authorization (OAuth) during installation\"):\n" +
			"https://" + hostOr(a) + "/crewai_plus/organizations/github/callback")
	}
	return s
}

// hostOr returns the platform host, or a placeholder naming it.
func hostOr(a *model.Answers) string {
	if a.Wizard.Host != "" {
		return a.Wizard.Host
	}
	return "<platform-host>"
}
