package steps

import (
	"fmt"
	"strings"

	"crewai-setup/model"
)

// NewDatabase asks where the platform's PostgreSQL is and how to log in.
func NewDatabase(ctx *Context) Step {
	cat := ctx.Catalog
	// The user name lives in envVars.DB_USER (values.yaml), or in secrets.DB_USER as well
	// (model.Answers.SetDBUser). Which one is the screen's own state, held by the choice: it
	// starts where the answers have the name, and moving it moves the name.
	place := NewChoice(Question{
		Path: "wizard.dbUserPlace", Label: "Keep the user name in",
		Help: "envVars.DB_USER is plain configuration in values.yaml; secrets.DB_USER keeps the name in the Kubernetes " +
			"Secret and wins over envVars.DB_USER when both are set.",
		Get: func(a *model.Answers) string { return boolString(a.Get("secrets.DB_USER") != "") },
		Set: func(a *model.Answers, v string) { a.SetDBUser(dbUser(a, v != "true"), v == "true") },
	}, []model.Choice{{Value: "false", Label: "values.yaml (envVars.DB_USER)"}, {Value: "true", Label: "secrets.yaml (secrets.DB_USER)"}})
	inSecrets := func() bool { return place.Value() == "true" }
	user := QuestionFor(cat, "envVars.DB_USER")
	user.Get = func(a *model.Answers) string { return dbUser(a, inSecrets()) }
	user.Set = func(a *model.Answers, v string) { a.SetDBUser(v, inSecrets()) }

	s := newFormStep(ctx, "database", "Database",
		"The PostgreSQL server the platform stores its data in.",
		FieldFor(QuestionFor(cat, "envVars.DB_HOST").when(func(a *model.Answers) bool { return !a.Enabled("postgres.enabled") || a.Get("envVars.DB_HOST") != "" })),
		FieldFor(QuestionFor(cat, "envVars.DB_PORT")),
		place, FieldFor(user),
		FieldFor(QuestionFor(cat, "secrets.DB_PASSWORD")),
		FieldFor(QuestionFor(cat, "envVars.POSTGRES_OAUTH_DB").when(on("oauth.enabled"))),
		FieldFor(QuestionFor(cat, "postgres.wharfDatabase").when(on("wharf.enabled"))),
	)
	s.outro = func(a *model.Answers) string {
		st := ctx.Styles
		if a.Enabled("postgres.enabled") {
			return st.Muted.Render("The in-cluster PostgreSQL creates the OAuth and Wharf databases itself.")
		}
		dbs := a.NeededDatabases()
		if len(dbs) == 0 {
			return ""
		}
		out := []string{st.Accent.Render("Before installing, create on your server:")}
		for _, db := range dbs {
			out = append(out, st.Accent.Render(fmt.Sprintf("• %s for %s, all privileges granted to %s (the role it connects as)",
				db.Name, db.Feature, db.User)))
		}
		return strings.Join(out, "\n")
	}
	s.notes = func(a *model.Answers) []string {
		if a.Enabled("postgres.enabled") {
			return nil
		}
		return []string{
			"Main database: " + model.MainDatabaseUnknown + "; check your chart version's docs for the name it expects.",
			"SSL: " + model.SSLModePrefer + ". The sslmode on the Review screen only changes the connection test.",
		}
	}
	return s
}

// dbUser is the user name where the placement keeps it.
func dbUser(a *model.Answers, inSecrets bool) string {
	if inSecrets {
		return a.Get("secrets.DB_USER")
	}
	return a.Get("envVars.DB_USER")
}
