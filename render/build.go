package render

import (
	"fmt"

	"crewai-setup/model"
	"crewai-setup/render/yamledit"
)

// Files are the rendered outputs of init.
type Files struct {
	Values  []byte
	Secrets []byte // nil when externalSecret.enabled keeps secrets out of files
	Summary []byte
	// Wizard is crewai-setup.yaml, the remembered deployment (no secrets).
	Wizard []byte
	// ValuesSensitive is set when values.yaml holds a value the catalog marks sensitive
	// (envVars.WORKOS_COOKIE_PASSWORD): it is then kept private like secrets.yaml.
	ValuesSensitive bool
}

// SensitiveInValues returns the paths of sensitive values that go to values.yaml rather than
// secrets.yaml (the reference's own example puts WORKOS_COOKIE_PASSWORD under envVars).
func SensitiveInValues(a *model.Answers) []string {
	var out []string
	for _, p := range a.Paths() {
		if e := a.Catalog().Lookup(p); e.Sensitive && !e.InSecretsFile() && e.Forbidden == "" {
			out = append(out, p)
		}
	}
	return out
}

// Build renders values.yaml, secrets.yaml and summary.md from prepared, valid answers.
func Build(a *model.Answers, warnings model.Problems) (*Files, error) {
	values, err := yamledit.Encode(ValuesDocument(a))
	if err != nil {
		return nil, fmt.Errorf("rendering values.yaml: %w", err)
	}
	f := &Files{Values: values, ValuesSensitive: len(SensitiveInValues(a)) > 0}
	external := a.Enabled("externalSecret.enabled")
	if !external {
		if f.Secrets, err = yamledit.Encode(SecretsDocument(a)); err != nil {
			return nil, fmt.Errorf("rendering secrets.yaml: %w", err)
		}
	}
	f.Summary = []byte(Summary(a, SummaryInfo{Warnings: warnings, SecretsWritten: !external}))
	if f.Wizard, err = WizardFile(a); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", WizardFileName, err)
	}
	return f, nil
}
