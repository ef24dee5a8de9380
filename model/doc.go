// Package model is the domain of crewai-setup: the catalog of chart keys (each with its source),
// answers read the way Helm reads them, validation, the generation plan, callback URLs, the
// effective database users, rotation plans and keyed fingerprints. It imports no UI package
// and runs no program.
package model
