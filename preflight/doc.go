// Package preflight tests the operator's credentials against the real services (PostgreSQL,
// the GitHub App API, the SSO provider, the LLM provider, the private package index) before
// they are written. Each check runs on its own, bounded by a timeout, so a UI can start one
// command per check. A secret is only ever sent to the service it belongs to and never appears
// in a Result.
package preflight
