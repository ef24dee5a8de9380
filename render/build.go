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

// Documents renders values.yaml, secrets.yaml and crewai-setup.yaml from prepared, valid
// answers and leaves Summary nil: a caller that encrypts files renders summary.md once it
// knows what was encrypted.
func Documents(a *model.Answers) (*Files, error) {
	values, err := yamledit.Encode(ValuesDocument(a))
	if err != nil {
		return nil, fmt.Errorf("rendering values.yaml: %w", err)
	}
	f := &Files{Values: values, ValuesSensitive: len(a.SensitiveInValues("")) > 0}
	if !a.Enabled("externalSecret.enabled") {
		if f.Secrets, err = yamledit.Encode(SecretsDocument(a)); err != nil {
			return nil, fmt.Errorf("rendering secrets.yaml: %w", err)
		}
	}
	if f.Wizard, err = WizardFile(a); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", WizardFileName, err)
	}
	return f, nil
}

// Build is Documents plus summary.md for files written as they are (none encrypted).
func Build(a *model.Answers, warnings model.Problems) (*Files, error) {
	f, err := Documents(a)
	if err != nil {
		return nil, err
	}
	f.Summary = []byte(Summary(a, SummaryInfo{Warnings: warnings, SecretsWritten: f.Secrets != nil}))
	return f, nil
}
