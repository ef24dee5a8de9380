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
	webhook := ask("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	webhook.Hint = "Any long random string: ctrl+g makes one, ctrl+r shows it. Enter the same value in " + webhook.Entry.CopyTo
	s := newFormStep(ctx, "github", "GitHub App",
		"Optional, but without a GitHub App the platform can't reach your repositories. The App's settings page "+
			"(GitHub > Settings > Developer settings > GitHub Apps) shows every value below.",
		FieldFor(ask("envVars.GITHUB_APP_ID")),
		FieldFor(ask("envVars.GITHUB_CLIENT_ID")),
		FieldFor(ask("envVars.GITHUB_APP_URL")),
		FieldFor(ask("secrets.GITHUB_CLIENT_SECRET")),
		FieldFor(webhook),
		FieldFor(key),
		FieldFor(ask("secrets.GITHUB_TOKEN").when(notReplicated)),
		FieldFor(ask("secrets.GITHUB_CREW_STUDIO_TOKEN").when(notReplicated)),
		FieldFor(ask("secrets.UV_DEFAULT_INDEX").when(notReplicated)),
	)
	s.outro = func(a *model.Answers) string {
		return ctx.copyable(ctx.Styles.Accent, "Callback URL to set in the App (tick \"Request user authorization (OAuth) during installation\"):",
			model.GitHubCallbackURL(a))
	}
	s.notes = func(*model.Answers) []string {
		return []string{"The permissions and webhook events the App needs are in the chart's GitHub App Setup Guide; this tool does not know them."}
	}
	return s
}
