package render

import (
	"fmt"
	"slices"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
)

// HelmCommand returns the command that installs or upgrades the release with the written files.
func HelmCommand(a *model.Answers) string {
	return HelmUpgrade(a.Wizard.Release, a.Wizard.Namespace, helmFiles(a))
}

// HelmUpgrade returns "helm upgrade --install" for a release (default crewai-platform) in a
// namespace (none: the current one) with values files in -f order.
func HelmUpgrade(release, namespace string, files []string) string {
	return helmUpgrade("helm upgrade", release, namespace, shellWords(files))
}

// helmUpgrade is HelmUpgrade with the -f arguments already shell words.
func helmUpgrade(helm, release, namespace string, fileWords []string) string {
	if release == "" {
		release = model.DefaultRelease
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s --install %s %s", helm, ShellWord(release), model.ChartRef)
	if namespace != "" {
		fmt.Fprintf(&b, " --namespace %s --create-namespace", ShellWord(namespace))
	}
	for _, f := range fileWords {
		b.WriteString(" -f " + f)
	}
	return b.String()
}

// HelmUpgradeDecrypting is HelmUpgrade for values files of which those named in encrypted are
// SOPS files: sops decrypts them on the way into Helm, so no plaintext copy is made. One
// encrypted file is piped in (sops decrypt FILE | helm ... -f -), in its place in the -f
// order; several are passed by process substitution (-f <(sops decrypt FILE), bash or zsh).
// Without encrypted files it is HelmUpgrade.
func HelmUpgradeDecrypting(release, namespace string, files, encrypted []string) string {
	var enc []string
	for _, f := range files {
		if slices.Contains(encrypted, f) {
			enc = append(enc, f)
		}
	}
	if len(enc) == 0 {
		return HelmUpgrade(release, namespace, files)
	}
	words := make([]string, len(files))
	for i, f := range files {
		switch {
		case !slices.Contains(enc, f):
			words[i] = ShellWord(f)
		case len(enc) == 1:
			words[i] = "-"
		default:
			words[i] = "<(sops decrypt " + ShellWord(f) + ")"
		}
	}
	cmd := helmUpgrade("helm upgrade", release, namespace, words)
	if len(enc) == 1 {
		cmd = "sops decrypt " + ShellWord(enc[0]) + " | " + cmd
	}
	return cmd
}

// HelmSecretsUpgrade is HelmUpgrade through the helm-secrets plugin, which decrypts SOPS
// values files itself: "helm secrets upgrade --install ...".
func HelmSecretsUpgrade(release, namespace string, files []string) string {
	return helmUpgrade("helm secrets upgrade", release, namespace, shellWords(files))
}

// shellWords quotes each of list with ShellWord.
func shellWords(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = ShellWord(s)
	}
	return out
}

// ShellWord quotes s for a POSIX shell when it holds anything but safe characters.
func ShellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// SummaryInfo is what the summary needs beyond the answers.
type SummaryInfo struct {
	// Warnings are the validation warnings to repeat.
	Warnings model.Problems
	// SecretsWritten is false when externalSecret.enabled keeps secrets.yaml from being written.
	SecretsWritten bool
	// Encrypted says which files sops encrypted and for whom (the zero value: none).
	Encrypted Encryption
}

// Encryption is what the summary says about files encrypted with sops.
type Encryption struct {
	// Values and Secrets are set for the files that are encrypted.
	Values, Secrets bool
	// For says for whom, e.g. "age1…abcd per .sops.yaml (rule 1)".
	For string
}

// Any reports whether a file is encrypted.
func (e Encryption) Any() bool { return e.Values || e.Secrets }

// names lists the encrypted files of an install by their names in the output directory.
func (e Encryption) names() []string {
	var out []string
	if e.Values {
		out = append(out, "values.yaml")
	}
	if e.Secrets {
		out = append(out, "secrets.yaml")
	}
	return out
}

// helmFiles lists the values files the written files are passed to helm as, in -f order.
func helmFiles(a *model.Answers) []string {
	files := []string{"values.yaml"}
	if !a.Enabled("externalSecret.enabled") {
		files = append(files, "secrets.yaml")
	}
	return files
}

// Summary returns summary.md: what was configured (secrets masked), what the chart generates
// or what the tool generated, prerequisites, warnings and the next command.
func Summary(a *model.Answers, info SummaryInfo) string {
	var b strings.Builder
	cat := a.Catalog()
	mode := "an install with plain Helm"
	if a.Wizard.ArgoCD {
		mode = "an install through ArgoCD (GitOps)"
	}
	if a.Wizard.Replicated {
		mode += ", licensed through Replicated"
	}
	fmt.Fprintf(&b, "# CrewAI Platform setup summary\n\nPrepared by crewai-setup for %s.\n\n", mode)
	enc := info.Encrypted
	var sens []string
	for _, e := range a.SensitiveInValues("") {
		sens = append(sens, e.Path)
	}
	switch {
	case len(sens) > 0 && enc.Values:
		fmt.Fprintf(&b, "- `values.yaml`: settings, including the secret %s, which the chart reads from envVars; encrypted with sops for %s, like `secrets.yaml`.\n",
			"`"+strings.Join(sens, "`, `")+"`", guard.Visible(enc.For))
	case len(sens) > 0:
		fmt.Fprintf(&b, "- `values.yaml`: settings, including the secret %s, which the chart reads from envVars; so the file is private too (mode 0600) and belongs with your secrets, not in plain Git.\n",
			"`"+strings.Join(sens, "`, `")+"`")
	default:
		b.WriteString("- `values.yaml`: settings without secrets.\n")
	}
	switch {
	case info.SecretsWritten && enc.Secrets:
		fmt.Fprintf(&b, "- `secrets.yaml`: secret values, encrypted with sops for %s. Only those keys can read it, so it may go into version control; `sops decrypt secrets.yaml` shows it, `sops edit secrets.yaml` changes it.\n",
			guard.Visible(enc.For))
	case info.SecretsWritten:
		b.WriteString("- `secrets.yaml`: secret values (file mode 0600). Keep it out of version control.\n")
	default:
		b.WriteString("- No `secrets.yaml`: externalSecret.enabled is true, so your external store holds the secrets (listed below).\n")
	}

	b.WriteString("- `" + WizardFileName + "`: how the platform is deployed (no secrets); crewai-setup reads it on the next run.\n")
	writeChecklist(&b, a)

	b.WriteString("\n## What was configured\n")
	for _, s := range model.Sections() {
		var rows []string
		for _, e := range cat.Section(s) {
			if v, ok := a.Lookup(e.Path); ok && e.Forbidden == "" {
				shown := guard.Visible(a.Display(e, v))
				if a.Generated(e.Path) {
					shown += " — generated"
				}
				if date := a.Wizard.Rotated[e.Path]; date != "" {
					shown += " — rotated " + date
				}
				rows = append(rows, fmt.Sprintf("| `%s` | %s |", e.Path, mdCell(shown)))
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n| Key | Value |\n|---|---|\n%s\n", s.Title(), strings.Join(rows, "\n"))
	}

	writeGenerated(&b, a, info)
	writePrerequisites(&b, a, info.Encrypted.Secrets)
	writeAfterInstall(&b, a, info)
	writeNotCovered(&b, a)
	if len(info.Warnings) > 0 {
		b.WriteString("\n## Warnings\n\n")
		for _, w := range info.Warnings {
			fmt.Fprintf(&b, "- `%s`: %s\n", guard.Visible(w.Path), guard.Visible(w.Message))
		}
	}

	if enc.Any() {
		writeNextDecrypting(&b, a, enc)
	} else {
		b.WriteString("\n## Next: install\n\n```sh\n" + guard.Visible(HelmCommand(a)) + "\n```\n\n")
		if a.Wizard.ArgoCD {
			b.WriteString("With ArgoCD, commit `values.yaml` to the application's repository and deliver `secrets.yaml` " +
				"through your secret path (SOPS, sealed-secrets, a secret manager); the command above is the plain " +
				"Helm equivalent.\n\n")
		}
	}
	b.WriteString("When secrets change, " + model.UpgradeRollsPods + ".\n")
	return b.String()
}

// writeNextDecrypting is the summary's last section when sops encrypted files: the helm
// command that decrypts them on the way in, the helm-secrets form, and what ArgoCD needs.
func writeNextDecrypting(b *strings.Builder, a *model.Answers, enc Encryption) {
	files, names := helmFiles(a), enc.names()
	w := a.Wizard
	b.WriteString("\n## Next: install\n\n```sh\n" + guard.Visible(HelmUpgradeDecrypting(w.Release, w.Namespace, files, names)) + "\n```\n\n")
	shell := ""
	if len(names) > 1 {
		shell = " (the `<(...)` form needs bash or zsh)"
	}
	fmt.Fprintf(b, "sops decrypts %s as Helm reads it%s, with your usual sops key (SOPS_AGE_KEY_FILE, KMS credentials, gpg-agent); "+
		"no decrypted copy is written. With the helm-secrets plugin the same is:\n\n```sh\n%s\n```\n\n",
		"`"+strings.Join(names, "` and `")+"`", shell, guard.Visible(HelmSecretsUpgrade(w.Release, w.Namespace, files)))
	if w.ArgoCD {
		b.WriteString("With ArgoCD, commit the files, encrypted as they are, to the application's repository. ArgoCD's " +
			"repo server renders the chart, so it must decrypt them: install the helm-secrets plugin or KSOPS there " +
			"and give it a key the files are encrypted for.\n\n")
	}
}

// writeGenerated explains who generates the values the files leave out, from the one
// generation plan the Review screen shows too.
func writeGenerated(b *strings.Builder, a *model.Answers, info SummaryInfo) {
	plan := model.PlanGeneration(a)
	if !info.SecretsWritten {
		writeExternalKeys(b, a, plan)
		return
	}
	var chart, tool []string
	for _, p := range plan {
		switch {
		case p.Gap != nil:
			purpose := p.Gap.Purpose
			if a.Wizard.ArgoCD {
				// Left to the chart like the rest, but it cannot be pinned either: say what to do.
				purpose += " Not pinned: " + p.Gap.Advice + "."
			}
			chart = append(chart, fmt.Sprintf("| %s | %s | %s |", mdCell(p.Gap.Name), mdCell(p.Gap.ChartGen), mdCell(purpose)))
		case p.By == model.ByTool:
			tool = append(tool, fmt.Sprintf("| `%s` | %s | %s |", p.Entry.Path, mdCell(p.Entry.Gen.Format), mdCell(p.Entry.Purpose)))
		default:
			chart = append(chart, fmt.Sprintf("| `%s` | %s | %s |", p.Entry.Path, mdCell(p.Entry.ChartGen), mdCell(p.Entry.Purpose)))
		}
	}
	if len(tool) > 0 {
		b.WriteString("\n## Generated by crewai-setup\n\n")
		if a.Wizard.ArgoCD {
			b.WriteString("ArgoCD renders the chart without Helm's `lookup`, so values the chart " +
				"would generate would change on every sync, signing users out and making encrypted data unreadable. " +
				"These were generated here instead, in the chart's own formats. They must stay exactly as they are: " +
				"keep them in your Git-managed secret path.\n\n")
		} else {
			b.WriteString("These were generated here, as asked (wizard.generate or ctrl+g).\n\n")
		}
		b.WriteString("| Key | Format | What it protects |\n|---|---|---|\n" + strings.Join(tool, "\n") + "\n")
	}
	switch {
	case len(chart) == 0:
	case a.Wizard.ArgoCD:
		b.WriteString("\n## Left to the chart\n\nThe chart generates these itself. Under ArgoCD there is no `lookup`, so " +
			"they may change on every sync.\n\n| Key | Generated as | What it protects |\n|---|---|---|\n")
	default:
		b.WriteString("\n## What the chart generates itself\n\nThese are left out of secrets.yaml on purpose: the chart " +
			"generates them at the first install and keeps them across upgrades with Helm's `lookup`.\n\n" +
			"| Key | Generated as | What it protects |\n|---|---|---|\n")
	}
	if len(chart) > 0 {
		b.WriteString(strings.Join(chart, "\n") + "\n")
	}
}

// writeExternalKeys lists, for externalSecret.enabled, the secrets.yaml keys the external
// store must hold: the required ones and the ones the plan leaves to the store, in catalog
// order, then the documented secrets whose key names are not known.
func writeExternalKeys(b *strings.Builder, a *model.Answers, plan []model.Planned) {
	planned := map[*model.Entry]bool{}
	var rows, gaps []string
	for _, p := range plan {
		if p.Gap != nil {
			gaps = append(gaps, fmt.Sprintf("| %s | %s | %s |", mdCell(p.Gap.Name), mdCell(p.Gap.ChartGen), "the chart generates it; its key name is not documented"))
		} else {
			planned[p.Entry] = true
		}
	}
	for _, e := range a.Catalog().Entries() {
		if !e.InSecretsFile() || e.Forbidden != "" {
			continue
		}
		format, need := e.Format, ""
		switch {
		case e.IsRequired(a):
			need = "required"
		case planned[e]:
			need = "required; generate one in this format (whether the chart fills it in for an external store is not documented)"
			if format == "" && e.Gen != nil {
				format = e.Gen.Format
			}
		default:
			continue
		}
		if format == "" {
			format = "any text"
		}
		rows = append(rows, fmt.Sprintf("| `%s` | %s | %s |", e.Path, mdCell(format), need))
	}
	rows = append(rows, gaps...)
	if len(rows) > 0 {
		b.WriteString("\n## Keys your external secret store must hold\n\n| Key | Format | Needed |\n|---|---|---|\n")
		b.WriteString(strings.Join(rows, "\n") + "\n")
	}
}

// writeChecklist lists what an install needs besides these files (model.Checklist), marking
// what Replicated supplies and what is optional.
func writeChecklist(b *strings.Builder, a *model.Answers) {
	b.WriteString("\n## Checklist: what the install needs\n\n")
	for _, it := range model.Checklist() {
		note := ""
		switch {
		case it.Replicated && a.Wizard.Replicated:
			note = " — Replicated supplies it with your license"
		case it.Optional:
			note = " — optional"
		}
		fmt.Fprintf(b, "- %s. Where: %s%s.\n", it.What, it.From, note)
	}
}

// writePrerequisites lists what must exist or be registered before the first install.
func writePrerequisites(b *strings.Builder, a *model.Answers, encrypted bool) {
	var items []string
	if a.Get("postgres.enabled") == "false" {
		if dbs := a.NeededDatabases(); len(dbs) > 0 {
			var sql strings.Builder
			for _, db := range dbs {
				name, user := guard.Visible(sqlIdent(db.Name)), guard.Visible(sqlIdent(db.User))
				fmt.Fprintf(&sql, "  CREATE DATABASE %s;\n  GRANT ALL PRIVILEGES ON DATABASE %s TO %s;  -- %s connects as this role\n",
					name, name, user, db.Feature)
			}
			items = append(items, "Create these databases on your PostgreSQL server before installing, each granted to the role that connects to it:\n\n  ```sql\n"+
				sql.String()+"  ```")
		}
		items = append(items, "The platform's main database: "+model.MainDatabaseUnknown+", so this tool "+
			"does not create SQL for it. Make sure the database your chart version uses exists on the server (or that "+
			"`"+guard.Visible(a.DBUser())+"` may create it); check your chart version's docs.",
			"SSL: "+model.SSLModePrefer+". The sslmode choice on the wizard's Review screen only affects the connection test.")
	}
	if model.GitHubAppStarted(a) {
		items = append(items, githubAppSetup(a, encrypted))
	}
	if redirect, also := model.SignInRedirect(a); redirect != "" {
		item := fmt.Sprintf("At your sign-in provider, register the redirect URI `%s`", guard.Visible(redirect))
		if also != "" {
			item += " (also: " + guard.Visible(also) + ")"
		}
		items = append(items, item+".")
	}
	if on := oauthProvidersOn(a); a.Enabled("oauth.enabled") && len(on) > 0 {
		items = append(items, "In each OAuth client ("+strings.Join(on, ", ")+"), register the redirect URI of the "+
			"Built-in Integrations service. It depends on how your ingress exposes the service, and the chart's secrets "+
			"reference does not give it: take it from the chart's Built-in Integrations overview (Redirect URIs), for your "+
			"ingress layout. This tool does not know it.")
	}
	if a.Get("envVars.STORAGE_SERVICE") == "amazon" {
		items = append(items, "Create the S3 bucket `"+guard.Visible(orText(a.Get("envVars.AWS_BUCKET"), "<bucket>"))+"` in `"+
			guard.Visible(orText(a.Get("envVars.AWS_REGION"), "<region>"))+"` before installing.")
	}
	if a.S3WithRole() {
		role := a.Get("serviceAccount.annotations.eks.amazonaws.com/role-arn")
		if role == "" {
			role = "arn:aws:iam::ACCOUNT:role/NAME"
		}
		items = append(items, fmt.Sprintf("Let the IAM role `%s` be assumed by the platform's service account (IRSA): its trust policy allows "+
			"the cluster's OIDC provider and the service account `%s-sa` (unless serviceAccount.name says otherwise), and its policy the bucket.",
			guard.Visible(role), guard.Visible(a.Release())))
	}
	if len(items) == 0 {
		return
	}
	b.WriteString("\n## Before you install\n\n")
	for _, it := range items {
		b.WriteString("- " + it + "\n")
	}
}

// githubAppSetup is the GitHub App part of the prerequisites.
func githubAppSetup(a *model.Answers, encrypted bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Set up the GitHub App (App settings on GitHub):\n"+
		"  - Callback URL: `%s` (it must match exactly), with \"Request user authorization (OAuth) during installation\" ticked.\n"+
		"  - Permissions and events: the chart's secrets reference does not list them; follow the GitHub App Setup Guide in the chart's docs.\n",
		guard.Visible(model.GitHubCallbackURL(a)))
	if _, set := a.Lookup("secrets.GITHUB_WEBHOOK_SECRET_TOKEN"); set {
		read := "read it from secrets.yaml"
		if encrypted {
			read = "read it with `sops decrypt secrets.yaml`"
		}
		b.WriteString("  - Webhook secret: put the same value as `secrets.GITHUB_WEBHOOK_SECRET_TOKEN` into the App's webhook settings (" +
			read + ", or press ctrl+r on the wizard's Done screen); deliveries signed with another secret are rejected.\n")
	} else {
		b.WriteString("  - Webhook: no webhook secret is set, so leave the App's webhook inactive (or set one and run crewai-setup init --from again).\n")
	}
	b.WriteString("  - Without a GitHub App the platform cannot reach your repositories: the reference lists these keys as what GitHub App API operations need.")
	return b.String()
}

// oauthProvidersOn names the Built-in Integrations providers in use.
func oauthProvidersOn(a *model.Answers) []string {
	var out []string
	for _, p := range model.OAuthProviders() {
		if a.OAuthProviderOn(p.ID) {
			out = append(out, p.Label)
		}
	}
	return out
}

// writeAfterInstall says what to back up once the chart has generated its secrets: in plain
// Helm they exist only in the cluster's <release>-secrets Secret.
func writeAfterInstall(b *strings.Builder, a *model.Answers, info SummaryInfo) {
	if !info.SecretsWritten {
		return
	}
	var keys, pems []string
	for _, e := range model.KeptInCluster(a) {
		if e.Kind == model.KindPEM {
			pems = append(pems, e.Name())
		} else {
			keys = append(keys, e.Name())
		}
	}
	if len(keys)+len(pems) == 0 {
		return
	}
	secret := a.ChartSecret()
	ns := ""
	if a.Wizard.Namespace != "" {
		ns = " -n " + ShellWord(a.Wizard.Namespace)
	}
	b.WriteString("\n## After the install: back up what the chart generated\n\n")
	b.WriteString("The chart generated these at the first install and keeps them only in the cluster's `" + guard.Visible(secret) +
		"` Secret. Several protect data at rest (ENCRYPTION_KEY, the ACTIVE_RECORD_* keys): if the Secret is lost, encrypted " +
		"data cannot be read again. Read them back once the install is up and keep them with your other secrets — in the " +
		"SOPS-encrypted secrets.yaml or your secret manager. Pinned in secrets.yaml under `secrets:`, they stay as they are " +
		"(and an ArgoCD move later needs them).\n\n```sh\n")
	if len(keys) > 0 {
		fmt.Fprintf(b, "for k in %s; do\n  printf '  %%s: \"%%s\"\\n' \"$k\" \"$(kubectl get secret %s%s -o jsonpath=\"{.data.$k}\" | base64 -d)\"\ndone\n",
			strings.Join(keys, " "), guard.Visible(ShellWord(secret)), guard.Visible(ns))
	}
	for _, k := range pems {
		fmt.Fprintf(b, "kubectl get secret %s%s -o jsonpath='{.data.%s}' | base64 -d > %s.pem\n",
			guard.Visible(ShellWord(secret)), guard.Visible(ns), k, strings.ToLower(k))
	}
	paste := "to paste under `secrets:`"
	if info.Encrypted.Secrets {
		paste = "to add under `secrets:` with `sops edit secrets.yaml`"
	}
	b.WriteString("```\n\nThe loop prints lines " + paste + "; the PEM files belong there as `|` blocks. " +
		"Delete the printed output and the .pem files once they are stored.\n")
}

// writeNotCovered names what an install needs that this tool does not set, with where to look.
func writeNotCovered(b *strings.Builder, a *model.Answers) {
	b.WriteString("\n## Not covered by this tool\n\n")
	b.WriteString("- Ingress, DNS and a publicly trusted certificate for `" + guard.Visible(a.Host()) + "` (in the checklist): " +
		"see the chart's deployment and cloud-provider guides.\n")
	b.WriteString("- Logging in to the chart's registry before `helm upgrade --install`, with the registry access from the " +
		"checklist: the chart's secrets reference does not describe it.\n")
	if a.Get("postgres.enabled") == "true" {
		b.WriteString("- Backups of the in-cluster PostgreSQL: the chart's docs describe no backup of it here; plan one for production.\n")
	}
}

// orText returns s, or alt when s is empty.
func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// sqlIdent quotes a PostgreSQL identifier. Always quoting keeps reserved words (user) and
// mixed case working: the names are used exactly as the platform will connect with them.
func sqlIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// mdCell keeps a value inside one Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
