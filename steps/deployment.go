package steps

import (
	"strings"

	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
)

// NewDeployment is the first screen: how the chart is deployed and which components run.
func NewDeployment(ctx *Context) Step {
	cat := ctx.Catalog
	argocd := NewChoice(Question{
		Path: "wizard.argocd", Label: "Deployed with",
		Hint: "ArgoCD: the wizard generates the secrets the chart would otherwise generate",
		Help: "Plain Helm keeps chart-generated secrets stable with its lookup function. ArgoCD (and any GitOps tool that " +
			"renders with helm template) has no lookup, so every sync would mint new secrets, signing users out and " +
			"making encrypted data unreadable. With ArgoCD the wizard therefore generates every secret the chart " +
			"would generate, in the chart's own formats, and writes them to secrets.yaml for you to keep in Git " +
			"through your secret tooling.",
		Get: func(a *model.Answers) string { return boolString(a.Wizard.ArgoCD) },
		Set: func(a *model.Answers, v string) { a.Wizard.ArgoCD = v == "true" },
	}, []model.Choice{{Value: "false", Label: "plain Helm"}, {Value: "true", Label: "ArgoCD / GitOps"}})

	replicated := NewToggle(Question{
		Path: "wizard.replicated", Label: "Installed through Replicated",
		Hint: "Yes if CrewAI gave you a license and you install with the Replicated admin console (KOTS) or the license's registry credentials",
		Help: "Through Replicated, the license supplies the GitHub token for CrewAI's repositories and the Python package " +
			"index. Without Replicated both are required: the GitHub App screen asks for them.",
		Get: func(a *model.Answers) string { return boolString(a.Wizard.Replicated) },
		Set: func(a *model.Answers, v string) { a.Wizard.Replicated = v == "true" },
	})

	// Two booleans asked as choices, with the answer as given (unset shows no choice; the
	// wizard starts from the catalog's wizard defaults, see model.Answers.ApplyWizardDefaults).
	pg := QuestionFor(cat, "postgres.enabled").with("PostgreSQL", "In the cluster (chart-run) or your own server")
	pg.Get = func(a *model.Answers) string { return a.Get("postgres.enabled") }
	tls := QuestionFor(cat, "web.tls.autoGenerate").with("TLS certificate", "")
	tls.Get = func(a *model.Answers) string { return a.Get("web.tls.autoGenerate") }
	ownCert := equals("web.tls.autoGenerate", "false")

	host := NewText(Question{
		Path: "wizard.host", Label: "Platform host name",
		Hint: "e.g. crewai.company.com — used to show the callback URLs you register",
		Help: "The public host name users open the platform at. The wizard only uses it to print the exact callback URLs " +
			"to register at GitHub and at your sign-in provider; it is not written to values.yaml.",
		Get: func(a *model.Answers) string { return a.Wizard.Host },
		Set: func(a *model.Answers, v string) { a.Wizard.Host = v },
	})
	release := NewText(Question{
		Path: "wizard.release", Label: "Release name", Hint: "Used in the helm command the wizard prints",
		Placeholder: model.DefaultRelease, Default: model.DefaultRelease,
		Get: func(a *model.Answers) string { return a.Wizard.Release },
		Set: func(a *model.Answers, v string) { a.Wizard.Release = v },
	})
	ns := NewText(Question{
		Path: "wizard.namespace", Label: "Namespace", Hint: "Kubernetes namespace for the release (empty: your current one)",
		Get: func(a *model.Answers) string { return a.Wizard.Namespace },
		Set: func(a *model.Answers, v string) { a.Wizard.Namespace = v },
	})
	out := NewText(Question{
		Path: "wizard.out", Label: "Write files into",
		Hint: "Directory for values.yaml, secrets.yaml and summary.md (created if needed)",
		Help: "Existing files there are kept as dated backups before being replaced.",
		Get:  func(*model.Answers) string { return ctx.OutDir },
		Set:  func(_ *model.Answers, v string) { ctx.OutDir = v },
	})

	encrypt := NewChoice(Question{
		Path: "wizard.encrypt", Label: "Encrypt secrets.yaml",
		Hint: "With sops, for the keys your .sops.yaml names, so the file can be committed to Git",
		Help: "secrets.yaml holds every password and key in plain text. Encrypted with sops it can be committed next to " +
			"values.yaml. When a .sops.yaml rule matches: encrypted if a creation rule in a .sops.yaml (looked for from " +
			"the output directory upward) matches the file, or if age recipients were given with --sops-age; plain text " +
			"otherwise. Always: never written unencrypted; with no rule and no recipient nothing is written. Never: " +
			"plain text (mode 0600) even where a rule matches. The line below the fields says what the choice means " +
			"for this directory. Encrypting runs the sops program; Helm or ArgoCD then needs the key to decrypt.",
		Get: func(a *model.Answers) string {
			if a.Wizard.Encrypt == "" {
				return model.EncryptAuto
			}
			return a.Wizard.Encrypt
		},
		Set: func(a *model.Answers, v string) { a.Wizard.Encrypt = v },
	}, model.EncryptChoices())

	s := newFormStep(ctx, "deployment", "Deployment",
		"How the chart is deployed and which optional components run.",
		argocd, replicated,
		NewChoice(pg, []model.Choice{{Value: "false", Label: "my own server"}, {Value: "true", Label: "in the cluster"}}),
		FieldFor(QuestionFor(cat, "wharf.enabled")), FieldFor(QuestionFor(cat, "cube.enabled")),
		FieldFor(QuestionFor(cat, "oauth.enabled")), FieldFor(QuestionFor(cat, "externalSecret.enabled")),
		NewChoice(tls, []model.Choice{{Value: "true", Label: "chart-generated (self-signed)"}, {Value: "false", Label: "my certificate and key"}}),
		FieldFor(QuestionFor(cat, "secrets.SSL_CERTIFICATE").with("Certificate file", "Path to the PEM certificate (chain after it)").when(ownCert)),
		FieldFor(QuestionFor(cat, "secrets.SSL_PRIVATE_KEY").with("Certificate key file", "Path to the certificate's PEM private key").when(ownCert)),
		host, release, ns, out, encrypt,
	)
	// The sentence on how secrets.yaml will be written is the last one made: making it reads
	// files, which happens in a command whenever its settings change (deployment.Update).
	s.outro = func(*model.Answers) string {
		var out []string
		if note := ctx.EncryptionNote(); note != "" {
			out = append(out, ctx.Styles.Accent.Render(note))
		}
		if !ctx.LineByLine {
			out = append(out, ctx.Styles.Muted.Render("First install? f2 shows what to have ready; nothing on it stops you here."))
		}
		return strings.Join(out, "\n")
	}
	return &deployment{s}
}

// deployment is the Deployment screen: a form whose outro says how secrets.yaml will be
// written, a sentence made in a command each time the settings it depends on change.
type deployment struct{ *formStep }

// Init asks for the sentence again: one that came while another screen was shown was
// dropped there.
func (d *deployment) Init() tea.Cmd {
	d.ctx.encryption.asked = ""
	return tea.Batch(d.formStep.Init(), d.ctx.noteEncryption())
}

// Update runs the form, then asks for the sentence when the encryption choice or the
// directory changed.
func (d *deployment) Update(msg tea.Msg) (Step, tea.Cmd) {
	if msg, ok := msg.(encryptionNoteMsg); ok {
		d.ctx.tookEncryptionNote(msg)
		return d, nil
	}
	_, cmd := d.formStep.Update(msg)
	return d, tea.Batch(cmd, d.ctx.noteEncryption())
}
