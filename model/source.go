package model

import "strings"

// Source says where a statement about a chart key comes from: the chart's secrets reference
// page (a section of it), what Helm or Kubernetes themselves enforce, other public CrewAI docs
// (the fact catalog, with its confidence), or an inference with its basis. Only the reference
// and Helm/Kubernetes may make a rule an error; everything else is a warning.
type Source string

// Source prefixes, the first word of every Source.
const (
	srcReference = "reference: "
	srcEnforced  = "Helm/Kubernetes: "
	srcDocs      = "other CrewAI docs: "
	srcInferred  = "inferred: "
	srcTool      = "this tool: "
)

// ref cites a section of the chart's secrets reference page.
func ref(section string) Source { return Source(srcReference + section) }

// enforced names what Helm or Kubernetes itself enforces.
func enforced(what string) Source { return Source(srcEnforced + what) }

// docs cites another public CrewAI page, through the fact catalog's source id and confidence.
func docs(what string) Source { return Source(srcDocs + what) }

// inferred states a rule's basis when no document states it.
func inferred(basis string) Source { return Source(srcInferred + basis) }

// tool is a rule about this tool's own input (a toggle must be true or false to be written).
func tool(what string) Source { return Source(srcTool + what) }

// Authoritative reports whether a rule from this source may be an error: the reference states
// it, Helm or Kubernetes enforce it, or it is this tool's own input format.
func (s Source) Authoritative() bool {
	return strings.HasPrefix(string(s), srcReference) || strings.HasPrefix(string(s), srcEnforced) ||
		strings.HasPrefix(string(s), srcTool)
}

// Inferred reports whether the statement rests on an inference, not on a document.
func (s Source) Inferred() bool { return strings.HasPrefix(string(s), srcInferred) }

// Known reports whether a source is recorded.
func (s Source) Known() bool { return s != "" }

// String returns the citation as shown to operators.
func (s Source) String() string {
	if s == "" {
		return "no source recorded"
	}
	return string(s)
}

// The sections of the chart's secrets reference page, as its headings name them.
const (
	secTop          = "Direct secret values (introduction)"
	secRestarts     = "Automatic Pod Restarts"
	secDatabase     = "Database Secrets"
	secGitHub       = "GitHub Integration Secrets"
	secRails        = "Rails Application Secrets"
	secTLS          = "SSL/TLS Secrets"
	secAWS          = "AWS Secrets (Optional)"
	secAzure        = "Azure Secrets (Optional)"
	secLLM          = "Built-in LLM Secrets (Optional)"
	secPyPI         = "Python Package Registry"
	secAuth         = "Authentication Provider Secrets"
	secIntegrations = "Built-in Integrations Secrets"
	secOAuth        = "OAuth Provider Secrets"
	secWharf        = "Wharf Secrets"
	secDeployment   = "Deployment Instance Secrets"
	secCube         = "Cube Analytics Secrets"
)

// refKey cites the reference's entry for one key within a section.
func refKey(section, key string) Source { return ref(section + ", " + key) }
