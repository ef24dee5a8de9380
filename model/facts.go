package model

// Facts about the chart that are not one key's, stated once for the screens, the summary and
// the commands' reports to put in their sentences.
const (
	// MainDatabaseUnknown, said of the platform's main database: the reference's database
	// section gives the OAuth and Wharf databases' keys and defaults, none for the main one.
	MainDatabaseUnknown = "the chart's docs name neither its key nor its default name"
	// SSLModePrefer: reference, Wharf Secrets (SSL Mode: PostgreSQL's default, prefer;
	// enforce on the server, e.g. rds.force_ssl=1).
	SSLModePrefer = "the chart connects to PostgreSQL with sslmode prefer, which uses TLS when the server offers it but " +
		"falls back to an unencrypted connection; to require TLS, enforce it on the server (on AWS RDS, the parameter rds.force_ssl=1)"
	// UpgradeRollsPods: reference, automatic restarts (web, worker, OAuth, registry, MinIO).
	UpgradeRollsPods = "helm upgrade rolls the web, worker, OAuth, registry and MinIO pods by itself"
)
