package steps

import (
	"fmt"
	"strings"

	"crewai-setup/model"
)

// NewDatabase asks where the platform's PostgreSQL is and how to log in.
func NewDatabase(ctx *Context) Step {
	cat := ctx.Catalog
	// The user name lives either in envVars.DB_USER (values.yaml) or in secrets.DB_USER.
	inSecrets := ctx.Answers.Get("secrets.DB_USER") != ""
	place := wizardQuestion("wizard.dbUserPlace", "Keep the user name in", "",
		"envVars.DB_USER is plain configuration in values.yaml; secrets.DB_USER keeps the name in the Kubernetes "+
			"Secret and wins over envVars.DB_USER when both are set.",
		Choice,
		func(*model.Answers) string { return boolString(inSecrets) },
		func(a *model.Answers, v string) {
			user := dbUser(a, inSecrets)
			inSecrets = v == "true"
			a.Set("envVars.DB_USER", "")
			a.Set("secrets.DB_USER", "")
			setDBUser(a, inSecrets, user)
		})
	place.Choices = []model.Choice{{Value: "false", Label: "values.yaml (envVars.DB_USER)"}, {Value: "true", Label: "secrets.yaml (secrets.DB_USER)"}}
	user := Ask(cat, "envVars.DB_USER")
	user.Get = func(a *model.Answers) string { return dbUser(a, inSecrets) }
	user.Set = func(a *model.Answers, v string) { setDBUser(a, inSecrets, v) }
	user.Path = "envVars.DB_USER"

	s := newFormStep(ctx, "database", "Database",
		"The PostgreSQL server the platform stores its data in.",
		Ask(cat, "envVars.DB_HOST").when(func(a *model.Answers) bool { return !a.Enabled("postgres.enabled") || a.Get("envVars.DB_HOST") != "" }),
		Ask(cat, "envVars.DB_PORT"),
		place, user,
		Ask(cat, "secrets.DB_PASSWORD"),
		Ask(cat, "envVars.POSTGRES_OAUTH_DB").when(on("oauth.enabled")),
		Ask(cat, "postgres.wharfDatabase").when(on("wharf.enabled")),
	)
	s.outro = func(a *model.Answers) string {
		if a.Enabled("postgres.enabled") {
			return ctx.Styles.Muted.Render("The in-cluster PostgreSQL creates the OAuth and Wharf databases itself.")
		}
		var dbs []string
		for _, db := range a.NeededDatabases() {
			dbs = append(dbs, db.Name)
		}
		if len(dbs) == 0 {
			return ""
		}
		return ctx.Styles.Accent.Render(fmt.Sprintf("Before installing, create on your server: %s (and grant the user all privileges on them).",
			strings.Join(dbs, ", ")))
	}
	return s
}

func dbUser(a *model.Answers, inSecrets bool) string {
	if inSecrets {
		return a.Get("secrets.DB_USER")
	}
	return a.Get("envVars.DB_USER")
}

func setDBUser(a *model.Answers, inSecrets bool, v string) {
	if inSecrets {
		a.Set("secrets.DB_USER", v)
	} else {
		a.Set("envVars.DB_USER", v)
	}
}
