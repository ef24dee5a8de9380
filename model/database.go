package model

// ValueOrDefault returns the answer at path, or the chart's documented default when unset.
func (a *Answers) ValueOrDefault(path string) string {
	if v, ok := a.Lookup(path); ok {
		return v
	}
	if e := a.cat.Lookup(path); e != nil {
		return e.Default
	}
	return ""
}

// DBUser returns the role the platform connects as: secrets.DB_USER wins over envVars.DB_USER,
// whose chart default is postgres.
func (a *Answers) DBUser() string {
	if v, ok := a.Lookup("secrets.DB_USER"); ok {
		return v
	}
	return a.ValueOrDefault("envVars.DB_USER")
}

// Database is a database an enabled feature needs on an external PostgreSQL server.
type Database struct {
	Name    string // the database name (the answer, or the chart's default)
	Path    string // the key that names it
	Feature string
}

// NeededDatabases returns the databases the enabled features need besides the main one: the
// OAuth database with Built-in Integrations, the Wharf database with Wharf. An external
// server must have them before the first install; the in-cluster one creates them.
func (a *Answers) NeededDatabases() []Database {
	var out []Database
	if a.Enabled("oauth.enabled") {
		out = append(out, Database{a.ValueOrDefault("envVars.POSTGRES_OAUTH_DB"), "envVars.POSTGRES_OAUTH_DB", "Built-in Integrations"})
	}
	if a.Enabled("wharf.enabled") {
		out = append(out, Database{a.ValueOrDefault("postgres.wharfDatabase"), "postgres.wharfDatabase", "Wharf"})
	}
	return out
}
