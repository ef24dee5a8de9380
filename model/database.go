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

// DBUser returns the role web, worker and the OAuth service connect as: secrets.DB_USER wins
// over envVars.DB_USER, whose chart default is postgres (reference: Database Secrets).
func (a *Answers) DBUser() string {
	if v, ok := a.Lookup("secrets.DB_USER"); ok {
		return v
	}
	return a.ValueOrDefault("envVars.DB_USER")
}

// WharfDBUser returns the role Wharf connects as: envVars.DB_USER (default postgres). Wharf
// never reads secrets.DB_USER (reference: Wharf Secrets, WHARF_POSTGRES_URL).
func (a *Answers) WharfDBUser() string { return a.ValueOrDefault("envVars.DB_USER") }

// Database is a database an enabled feature needs on an external PostgreSQL server.
type Database struct {
	Name    string // the database name (the answer, or the chart's default)
	Path    string // the key that names it
	Feature string
	// User is the role that connects to it, which needs all privileges on it.
	User string
}

// NeededDatabases returns the databases the enabled features need besides the main one: the
// OAuth database with Built-in Integrations, the Wharf database with Wharf, each with the role
// that will connect to it. An external server must have them before the first install; the
// in-cluster one creates them.
func (a *Answers) NeededDatabases() []Database {
	var out []Database
	if a.Enabled("oauth.enabled") {
		out = append(out, Database{a.ValueOrDefault("envVars.POSTGRES_OAUTH_DB"), "envVars.POSTGRES_OAUTH_DB", "Built-in Integrations", a.DBUser()})
	}
	if a.Enabled("wharf.enabled") {
		out = append(out, Database{a.ValueOrDefault("postgres.wharfDatabase"), "postgres.wharfDatabase", "Wharf", a.WharfDBUser()})
	}
	return out
}

// SetDBUser stores the platform's database role: in envVars.DB_USER, or in secrets.DB_USER
// when inSecrets — and then in envVars.DB_USER too, because Wharf only reads that one.
func (a *Answers) SetDBUser(user string, inSecrets bool) {
	a.Set("envVars.DB_USER", user)
	if inSecrets {
		a.Set("secrets.DB_USER", user)
	} else {
		a.Set("secrets.DB_USER", "")
	}
}
