package model

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"crewai-setup/model/pemkey"
)

// Validate checks answers that are about to be written against every catalog rule and
// cross-key rule and returns all problems at once. Keys this tool will generate when it writes
// count as given. Errors stop the write; warnings do not. No message contains a value.
func Validate(a *Answers) Problems { return validate(a, true) }

// Lint checks values files as they are, for check: nothing will be generated, so under ArgoCD
// every key the chart would generate must already be in them.
func Lint(a *Answers) Problems { return validate(a, false) }

func validate(a *Answers, writing bool) Problems {
	v := validator{a: a}
	external := a.Enabled("externalSecret.enabled")
	toolMade := map[*Entry]bool{}
	if writing {
		for _, p := range PlanGeneration(a) {
			if p.By == ByTool && p.Entry != nil {
				toolMade[p.Entry] = true
			}
		}
	}
	for _, e := range a.cat.Entries() {
		val, set := a.Lookup(e.Path)
		switch {
		case toolMade[e] && !set:
		case set && e.Forbidden != "":
			v.add(e.Path, Error, "must not be set: %s", e.Forbidden)
		case set && e.Derived != "":
			v.add(e.Path, Warning, "is a key the chart generates from %s.clientId and .clientSecret; set the credentials there instead (per-product overrides inside oauth.secrets are not laid out in the reference)", e.Derived)
		case set:
			v.checkValue(e, val)
		case e.IsRequired(a) && (!external || !e.InSecretsFile()):
			sev := Error
			if !e.StatementSource(e.From.Required).Authoritative() {
				sev = Warning // the reference does not state it: say so, do not block
			}
			v.add(e.Path, sev, "is required %s. %s", requiredPhrase(e), e.Hint)
		case a.Wizard.ArgoCD && !external && e.ArgoCD && e.ChartGenerates(a):
			v.add(e.Path, Error, "must be set explicitly under ArgoCD: without Helm's lookup the chart would make a new value on every sync (format: %s)", e.Gen.Format)
		}
	}
	v.helmReadings()
	v.crossKey(external)
	return v.probs
}

// HelmFindings returns the findings about values read from a file that Helm reads as something
// other than their text (what rotate reports about the files it edits).
func (a *Answers) HelmFindings() Problems {
	v := validator{a: a}
	v.helmReadings()
	return v.probs
}

// helmReadings reports values read from a file that Helm reads differently from their text.
// A secret's reading is named only by its kind (a boolean, a number), never by its value.
func (v *validator) helmReadings() {
	for _, e := range v.a.cat.Entries() {
		n, ok := v.a.read[e.Path]
		if !ok {
			continue
		}
		if n.quotedBool {
			v.add(e.Path, Error, "is written as quoted text; Helm templates treat any non-empty text as true, so \"false\" would switch it on: write true or false without quotes")
			continue
		}
		what := n.helm.describe()
		if e.Sensitive {
			what = n.helm.kind()
		}
		v.add(e.Path, Error, "is unquoted, so Helm's YAML 1.1 parser reads %s instead of the text written: %s", what, quoteFix(e.Name()))
	}
}

type validator struct {
	a     *Answers
	probs Problems
}

func (v *validator) add(path string, sev Severity, format string, args ...any) {
	v.probs = append(v.probs, Problem{Path: path, Severity: sev, Message: fmt.Sprintf(format, args...), Pos: v.a.Pos(path)})
}

func requiredPhrase(e *Entry) string {
	switch {
	case e.RequiredWhen == "always":
		return "by the chart for every install"
	case strings.HasPrefix(e.RequiredWhen, "when "):
		return e.RequiredWhen
	}
	return "when " + e.RequiredWhen
}

// checkValue runs the entry's rules plus the checks every text value gets.
func (v *validator) checkValue(e *Entry, val string) {
	if (e.Kind == KindPEM || e.Kind == KindOneLinePEM) && literalEscapes(val) {
		// A single-quoted or plain scalar keeps \n as two characters, so the chart would get
		// one long broken line instead of a PEM. (init's Resolve converts such a value.)
		v.add(e.Path, Error, "%s", literalEscapesMessage)
		return
	}
	for _, r := range e.Rules {
		for _, f := range r.Check(val) {
			v.add(e.Path, f.Severity, "%s", f.Message)
		}
	}
	if e.Kind != KindString {
		return
	}
	// Values are taken byte for byte, so stray whitespace from a copy and paste would reach the
	// chart; say so rather than silently trimming.
	if strings.TrimSpace(val) != val {
		v.add(e.Path, Warning, "starts or ends with whitespace, which is kept as part of the value; remove it unless it belongs there")
	}
	if strings.ContainsFunc(val, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }) {
		v.add(e.Path, Warning, "contains a line break or control character; one-line values rarely should — check the paste")
	}
}

// crossKey checks rules that involve more than one key.
func (v *validator) crossKey(external bool) {
	a := v.a
	v.tlsPairs()
	if a.Get("postgres.enabled") == "" {
		v.add("postgres.enabled", Warning, "is not set, so the chart's default decides between in-cluster and external PostgreSQL; set true or false explicitly")
	}
	if a.Get("envVars.AUTH_PROVIDER") == "" {
		var ids []string
		for _, p := range AuthProviders() {
			ids = append(ids, p.ID)
		}
		v.add("envVars.AUTH_PROVIDER", Warning, "is not set: choose the sign-in provider (%s)", strings.Join(ids, ", "))
	}
	if a.Get("secrets.BUILT_IN_LLM_API_KEY") != "" && a.Get("envVars.BUILT_IN_LLM_PROVIDER") == "" {
		v.add("envVars.BUILT_IN_LLM_PROVIDER", Warning, "is not set, so secrets.BUILT_IN_LLM_API_KEY is unused; set the provider (e.g. openai)")
	}
	v.wharfUser()
	v.oauth()
	if external {
		for _, p := range a.Paths() {
			if e := a.cat.Lookup(p); e.InSecretsFile() && e.Forbidden == "" {
				v.add(p, Warning, "is given, but externalSecret.enabled is true, so secrets.yaml is not written: put this value in your external secret store")
			}
		}
	}
	if a.Wizard.ArgoCD && a.Enabled("web.tls.autoGenerate") {
		v.add("web.tls.autoGenerate", Warning, "is true under ArgoCD: whether the chart keeps its generated certificate without Helm's lookup is not documented; supply your own certificate to be safe")
	}
	v.generateList()
	v.wizardNames()
}

var (
	// Helm release names: lower-case DNS labels joined by dots, at most 53 characters.
	releasePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// Kubernetes namespaces: one lower-case DNS label, at most 63 characters.
	namespacePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
)

// wizardNames checks the release, namespace and host the helm command and callbacks use.
func (v *validator) wizardNames() {
	w := v.a.Wizard
	if w.Release != "" && (len(w.Release) > 53 || !releasePattern.MatchString(w.Release)) {
		v.add("wizard.release", Error, "must be a Helm release name: lower-case letters, digits and -, at most 53 characters (e.g. crewai-platform)")
	}
	if w.Namespace != "" && (len(w.Namespace) > 63 || !namespacePattern.MatchString(w.Namespace)) {
		v.add("wizard.namespace", Error, "must be a Kubernetes namespace: lower-case letters, digits and -, at most 63 characters")
	}
	if strings.Contains(w.Host, "/") || strings.Contains(w.Host, ":") || strings.Contains(w.Host, " ") {
		v.add("wizard.host", Warning, "should be a bare host name such as crewai.company.com, without https:// or a path")
	}
}

// wharfUser: Wharf connects as envVars.DB_USER (default postgres) and never reads
// secrets.DB_USER (reference: Wharf Secrets, WHARF_POSTGRES_URL), while the other components
// prefer secrets.DB_USER.
func (v *validator) wharfUser() {
	a := v.a
	secretUser, inSecrets := a.Lookup("secrets.DB_USER")
	if !inSecrets || !a.Enabled("wharf.enabled") {
		return
	}
	envUser, hasEnv := a.Lookup("envVars.DB_USER")
	switch {
	case !hasEnv:
		v.add("envVars.DB_USER", Warning, "is not set while secrets.DB_USER is: Wharf connects as envVars.DB_USER (default postgres), never as secrets.DB_USER; set envVars.DB_USER to the same role (the wizard writes both), or make sure postgres may use the Wharf database")
	case envUser != secretUser:
		v.add("secrets.DB_USER", Warning, "differs from envVars.DB_USER: web, worker and OAuth connect as secrets.DB_USER, Wharf as envVars.DB_USER; both roles need access to their databases (summary.md's SQL grants each database to the role that uses it)")
	}
}

// tlsPairs checks that each certificate has its key and that they match. The certificates are
// the catalog's PEM entries that are not secret and name their key as Pair.
func (v *validator) tlsPairs() {
	for _, e := range v.a.cat.Entries() {
		if e.Kind != KindPEM || e.Sensitive || e.Pair == "" {
			continue
		}
		pair := [2]string{e.Path, e.Pair}
		certText, hasCert := v.a.Lookup(pair[0])
		keyText, hasKey := v.a.Lookup(pair[1])
		switch {
		case hasCert && !hasKey:
			v.add(pair[1], Error, "is required when %s is set: give the certificate's private key", pair[0])
		case hasKey && !hasCert:
			v.add(pair[0], Error, "is required when %s is set: give the certificate for that key", pair[1])
		case hasCert && hasKey:
			certs, err1 := pemkey.ParseCertificatesPEM(certText)
			key, err2 := pemkey.ParsePrivateKeyPEM(keyText)
			if err1 == nil && err2 == nil && !pemkey.KeyMatchesCertificate(key, certs[0]) {
				v.add(pair[1], Error, "does not belong to the first certificate in %s: supply the key the certificate was issued for", pair[0])
			}
		}
	}
}

// oauth checks the Built-in Integrations settings as a whole.
func (v *validator) oauth() {
	a := v.a
	var configured []string
	for _, e := range a.cat.Section(SectionIntegrations) {
		if e.ChartGen == "" && a.Get(e.Path) != "" {
			configured = append(configured, e.Path)
		}
	}
	on := a.Enabled("oauth.enabled")
	if !on && len(configured) > 0 {
		v.add("oauth.enabled", Warning, "is not true, so the OAuth credentials given (%s) are unused; set oauth.enabled: true to use them", strings.Join(configured, ", "))
	}
	if on && len(configured) == 0 && len(a.Wizard.OAuthProviders) == 0 {
		v.add("oauth.secrets", Warning, "is empty although oauth.enabled is true: no integration provider is configured, so the OAuth service runs unused")
	}
}

// generateList checks wizard.generate: every key must be generatable and not also given.
func (v *validator) generateList() {
	for _, name := range v.a.Wizard.Generate {
		e, err := ResolveKey(v.a.cat, name)
		switch {
		case err != nil:
			v.add("wizard.generate", Error, "%v; use a path such as secrets.GITHUB_WEBHOOK_SECRET_TOKEN", err)
		case e.Gen == nil:
			v.add("wizard.generate", Error, "lists %s, which cannot be generated: it comes from %s", e.Path, e.Hint)
		case v.a.Get(e.Path) != "" && !v.a.Generated(e.Path) && v.a.Pos(e.Path).File == v.a.Source:
			v.add("wizard.generate", Warning, "lists %s, which the answers also give: the given value is kept and nothing is generated", e.Path)
		}
	}
}
