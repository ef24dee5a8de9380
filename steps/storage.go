package steps

import (
	"crewai-setup/model"
)

// NewStorage asks where files and artifacts are stored and how to reach the store.
func NewStorage(ctx *Context) Step {
	cat := ctx.Catalog
	svc := Ask(cat, "envVars.STORAGE_SERVICE")
	svc.Kind = Choice
	svc.Choices = append([]model.Choice{{Value: "", Label: "chart default"}}, svc.Entry.Choices...)
	amazon := equals("envVars.STORAGE_SERVICE", "amazon")
	microsoft := equals("envVars.STORAGE_SERVICE", "microsoft")
	creds := wizardQuestion("wizard.awsCredentials", "AWS credentials", "",
		"An IAM role for the service account (IRSA) needs no keys in the chart: annotate the service account with "+
			"eks.amazonaws.com/role-arn. Static access keys work anywhere but must be rotated by hand.",
		Choice,
		func(a *model.Answers) string {
			if a.AWSStatic() {
				return "static"
			}
			return "irsa"
		},
		func(a *model.Answers, v string) { a.Wizard.AWSCredentials = v })
	creds.Choices = []model.Choice{{Value: "irsa", Label: "IAM role (IRSA)"}, {Value: "static", Label: "access keys"}}
	creds.Visible = amazon
	static := func(a *model.Answers) bool { return amazon(a) && a.AWSStatic() }
	return newFormStep(ctx, "storage", "Storage",
		"Object storage for files and artifacts.",
		svc,
		creds,
		Ask(cat, "envVars.AWS_REGION").when(amazon),
		Ask(cat, "envVars.AWS_BUCKET").when(amazon),
		Ask(cat, "envVars.AWS_ENDPOINT").when(amazon),
		Ask(cat, "secrets.AWS_ACCESS_KEY_ID").when(static),
		Ask(cat, "secrets.AWS_SECRET_ACCESS_KEY").when(static),
		Ask(cat, "secrets.AZURE_STORAGE_ACCOUNT_NAME").when(microsoft),
		Ask(cat, "secrets.AZURE_STORAGE_ACCESS_KEY").when(microsoft),
		Ask(cat, "secrets.AZURE_CLIENT_SECRET").when(microsoft),
	)
}
