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
}

// Build renders values.yaml, secrets.yaml and summary.md from prepared, valid answers.
func Build(a *model.Answers, warnings model.Problems) (*Files, error) {
	values, err := yamledit.Encode(ValuesDocument(a))
	if err != nil {
		return nil, fmt.Errorf("rendering values.yaml: %w", err)
	}
	f := &Files{Values: values}
	external := a.Enabled("externalSecret.enabled")
	if !external {
		if f.Secrets, err = yamledit.Encode(SecretsDocument(a)); err != nil {
			return nil, fmt.Errorf("rendering secrets.yaml: %w", err)
		}
	}
	f.Summary = []byte(Summary(a, SummaryInfo{Warnings: warnings, SecretsWritten: !external}))
	return f, nil
}
