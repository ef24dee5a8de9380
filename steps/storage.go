package steps

import (
	"crewai-setup/model"
)

// NewStorage asks where files and artifacts are stored and how to reach the store.
func NewStorage(ctx *Context) Step {
	cat := ctx.Catalog
	ask := func(path string) Question { return QuestionFor(cat, path) }
	svc := ask("envVars.STORAGE_SERVICE")
	amazon := equals("envVars.STORAGE_SERVICE", "amazon")
	microsoft := equals("envVars.STORAGE_SERVICE", "microsoft")
	creds := NewChoice(Question{
		Path: "wizard.awsCredentials", Label: "AWS credentials",
		Help: "An IAM role for the service account (IRSA) needs no keys in the chart: annotate the service account with " +
			"eks.amazonaws.com/role-arn. Access keys work anywhere but must be rotated by hand.",
		Visible: amazon,
		Get:     (*model.Answers).AWSCredentials,
		Set:     func(a *model.Answers, v string) { a.Wizard.AWSCredentials = v },
	}, model.AWSCredentialChoices())
	static, irsa := (*model.Answers).S3WithKeys, (*model.Answers).S3WithRole
	return newFormStep(ctx, "storage", "Storage",
		"Object storage for files and artifacts.",
		NewChoice(svc, append([]model.Choice{{Value: "", Label: "chart default"}}, svc.Entry.Choices...)),
		creds,
		FieldFor(ask("serviceAccount.annotations.eks.amazonaws.com/role-arn").when(irsa)),
		FieldFor(ask("envVars.AWS_REGION").when(amazon)),
		FieldFor(ask("envVars.AWS_BUCKET").when(amazon)),
		FieldFor(ask("envVars.AWS_ENDPOINT").when(amazon)),
		FieldFor(ask("secrets.AWS_ACCESS_KEY_ID").when(static)),
		FieldFor(ask("secrets.AWS_SECRET_ACCESS_KEY").when(static)),
		FieldFor(ask("secrets.AZURE_STORAGE_ACCOUNT_NAME").when(microsoft)),
		FieldFor(ask("secrets.AZURE_STORAGE_ACCESS_KEY").when(microsoft)),
		FieldFor(ask("secrets.AZURE_CLIENT_SECRET").when(microsoft)),
	)
}
