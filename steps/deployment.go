package steps

import (
	"crewai-setup/model"
)

// NewDeployment is the first screen: how the chart is deployed and which components run.
func NewDeployment(ctx *Context) Step {
	cat := ctx.Catalog
	argocd := wizardQuestion("wizard.argocd", "Deployed with", "",
		"Plain Helm keeps chart-generated secrets stable with its lookup function. ArgoCD (and any GitOps tool that "+
			"renders with helm template) has no lookup, so every sync would mint new secrets, signing users out and "+
			"making encrypted data unreadable. With ArgoCD the wizard therefore generates every secret the chart "+
			"would generate, in the chart's own formats, and writes them to secrets.yaml for you to keep in Git "+
			"through your secret tooling.",
		Choice,
		func(a *model.Answers) string { return boolString(a.Wizard.ArgoCD) },
		func(a *model.Answers, v string) { a.Wizard.ArgoCD = v == "true" })
	argocd.Choices = []model.Choice{{Value: "false", Label: "plain Helm"}, {Value: "true", Label: "ArgoCD / GitOps"}}
	argocd.Hint = "ArgoCD: the wizard generates the secrets the chart would otherwise generate"

	replicated := wizardQuestion("wizard.replicated", "Installed through Replicated", "Replicated fills in GITHUB_TOKEN and UV_DEFAULT_INDEX from your license",
		"CrewAI ships the platform through Replicated (KOTS or Helm with a license). Such installs get the GitHub "+
			"token and the Python package index from the license; others must enter them on the GitHub App screen.",
		Toggle,
		func(a *model.Answers) string { return boolString(a.Wizard.Replicated) },
		func(a *model.Answers, v string) { a.Wizard.Replicated = v == "true" })

	pg := Ask(cat, "postgres.enabled").with("PostgreSQL", "In the cluster (chart-run) or your own server")
	pg.Kind = Choice
	pg.Get = func(a *model.Answers) string { return a.Get("postgres.enabled") }
	pg.Choices = []model.Choice{{Value: "false", Label: "my own server"}, {Value: "true", Label: "in the cluster"}}
	pg.Set = func(a *model.Answers, v string) { a.Set("postgres.enabled", v) }

	tls := Ask(cat, "web.tls.autoGenerate").with("TLS certificate", "")
	tls.Kind = Choice
	tls.Choices = []model.Choice{{Value: "true", Label: "chart-generated (self-signed)"}, {Value: "false", Label: "my certificate and key"}}
	tls.Get = func(a *model.Answers) string { return a.Get("web.tls.autoGenerate") }
	tls.Set = func(a *model.Answers, v string) { a.Set("web.tls.autoGenerate", v) }
	ownCert := equals("web.tls.autoGenerate", "false")

	host := wizardQuestion("wizard.host", "Platform host name", "e.g. crewai.company.com — used to show the callback URLs you register",
		"The public host name users open the platform at. The wizard only uses it to print the exact callback URLs "+
			"to register at GitHub and at your sign-in provider; it is not written to values.yaml.",
		Text,
		func(a *model.Answers) string { return a.Wizard.Host },
		func(a *model.Answers, v string) { a.Wizard.Host = v })
	release := wizardQuestion("wizard.release", "Release name", "Used in the helm command the wizard prints", "", Text,
		func(a *model.Answers) string { return a.Wizard.Release },
		func(a *model.Answers, v string) { a.Wizard.Release = v })
	release.Placeholder = "crewai-platform"
	ns := wizardQuestion("wizard.namespace", "Namespace", "Kubernetes namespace for the release (empty: your current one)", "", Text,
		func(a *model.Answers) string { return a.Wizard.Namespace },
		func(a *model.Answers, v string) { a.Wizard.Namespace = v })
	out := wizardQuestion("wizard.out", "Write files into", "Directory for values.yaml, secrets.yaml and summary.md (created if needed)",
		"Existing files there are kept as dated backups before being replaced.", Text,
		func(*model.Answers) string { return ctx.OutDir },
		func(_ *model.Answers, v string) { ctx.OutDir = v })

	return newFormStep(ctx, "deployment", "Deployment",
		"How the chart is deployed and which optional components run.",
		argocd, replicated, pg,
		Ask(cat, "wharf.enabled"), Ask(cat, "cube.enabled"), Ask(cat, "oauth.enabled"),
		Ask(cat, "externalSecret.enabled"),
		tls,
		Ask(cat, "secrets.SSL_CERTIFICATE").with("Certificate file", "Path to the PEM certificate (chain after it)").when(ownCert),
		Ask(cat, "secrets.SSL_PRIVATE_KEY").with("Certificate key file", "Path to the certificate's PEM private key").when(ownCert),
		host, release, ns, out,
	)
}
