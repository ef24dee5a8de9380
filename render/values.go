package render

import (
	"crewai-setup/model"
	"crewai-setup/render/yamledit"

	yaml "go.yaml.in/yaml/v3"
)

// sectionComment is the head comment above the first key of a section inside envVars or secrets.
func sectionComment(s model.Section) string {
	switch s {
	case model.SectionDatabase:
		return "Database. User and password are taken as typed: the chart URL-encodes them."
	case model.SectionGitHub:
		return "GitHub App: how the platform reaches your repositories."
	case model.SectionAuth:
		return "Sign-in provider."
	case model.SectionIntegrations:
		return "Built-in Integrations (OAuth clients for tool connections)."
	case model.SectionLLM:
		return "Built-in LLM for the platform's own AI features."
	case model.SectionStorage:
		return "Object storage."
	case model.SectionPlatform:
		return "Platform secrets. Keep them stable: several protect data at rest."
	case model.SectionTLS:
		return "TLS certificates and keys (PEM)."
	default:
		return ""
	}
}

// topComment is the head comment of a top-level key.
func topComment(key string, secrets bool) string {
	switch {
	case key == "envVars":
		return "Settings the platform reads as environment variables. Always strings."
	case key == "secrets":
		return "Values for the chart's Secret. Pass this file after values.yaml: helm ... -f values.yaml -f secrets.yaml"
	case key == "oauth" && secrets:
		return "OAuth clients of the Built-in Integrations providers."
	case key == "crewaiSetup":
		return "crewai-setup's own key for the masked fingerprints in summary.md. The chart ignores it; keep it with the secrets."
	}
	return ""
}

// tree builds a values document key by key, in the order keys are added.
type tree struct {
	root    *yaml.Node
	secrets bool
	// commented remembers which sections already have a head comment inside a mapping.
	commented map[*yaml.Node]map[model.Section]bool
	// componentsDone is set once the comment above the first component toggle is placed.
	componentsDone bool
}

func newTree(secrets bool) *tree {
	return &tree{root: yamledit.Mapping(), secrets: secrets, commented: map[*yaml.Node]map[model.Section]bool{}}
}

// child returns the mapping under key in m, creating it (and its head comment) when missing.
func (t *tree) child(m *yaml.Node, key string, top bool) *yaml.Node {
	if c := mappingAt(m, key); c != nil {
		return c
	}
	k := yamledit.Key(key)
	if top {
		k.HeadComment = topComment(key, t.secrets)
		if k.HeadComment == "" && !t.componentsDone && !t.secrets {
			k.HeadComment = "Components and how the chart runs them."
			t.componentsDone = true
		}
	}
	c := yamledit.Mapping()
	m.Content = append(m.Content, k, c)
	return c
}

// set adds the value node for entry e at its path.
func (t *tree) set(e *model.Entry, val *yaml.Node) {
	parts := e.KeyPath()
	m := t.root
	for i, p := range parts[:len(parts)-1] {
		m = t.child(m, p, i == 0)
	}
	k := yamledit.Key(parts[len(parts)-1])
	if len(parts) == 2 && (parts[0] == "envVars" || parts[0] == "secrets") {
		if t.commented[m] == nil {
			t.commented[m] = map[model.Section]bool{}
		}
		if !t.commented[m][e.Section] {
			k.HeadComment = sectionComment(e.Section)
			t.commented[m][e.Section] = true
		}
	}
	m.Content = append(m.Content, k, val)
}

// splitExtra returns the part of the unknown-key tree src that belongs in secrets.yaml
// (wantSecrets) or in values.yaml, or nil when that part is empty. It descends into "oauth",
// the one mapping shared by both files, and into "envVars", whose values it writes as strings.
func splitExtra(src *yaml.Node, prefix string, wantSecrets bool) *yaml.Node {
	var out *yaml.Node
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i], src.Content[i+1]
		path := k.Value
		if prefix != "" {
			path = prefix + "." + k.Value
		}
		switch {
		case (path == "oauth" || path == "envVars") && v.Kind == yaml.MappingNode:
			v = splitExtra(v, path, wantSecrets)
		case model.IsSecretsPath(path) != wantSecrets:
			v = nil
		case prefix == "envVars" && v.Kind == yaml.ScalarNode && v.Tag != "!!null":
			// Environment variables are strings: an unknown envVars key written as on or 5
			// would reach Kubernetes as a boolean or number, which it rejects.
			s := yamledit.String(v.Value)
			s.HeadComment, s.LineComment, s.FootComment = v.HeadComment, v.LineComment, v.FootComment
			v = s
		}
		if v != nil {
			if out == nil {
				out = yamledit.Mapping()
			}
			out.Content = append(out.Content, k, v)
		}
	}
	return out
}

// mergeInto adds src's keys to dst, descending where both hold a mapping under the same key.
func mergeInto(dst, src *yaml.Node) {
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i], src.Content[i+1]
		if d := mappingAt(dst, k.Value); d != nil && v.Kind == yaml.MappingNode {
			mergeInto(d, v)
			continue
		}
		dst.Content = append(dst.Content, k, v)
	}
}

func mappingAt(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.MappingNode {
			return m.Content[i+1]
		}
	}
	return nil
}

// ValueNode returns the scalar node the tool writes for an entry's value.
func ValueNode(e *model.Entry, v string) *yaml.Node {
	switch e.Kind {
	case model.KindBool:
		return yamledit.Bool(v == "true")
	case model.KindPEM:
		return yamledit.Block(v)
	default:
		// KindOneLinePEM too: a double-quoted scalar turns each newline into the two
		// characters \n, which is the chart's one-line form.
		return yamledit.String(v)
	}
}

// document builds the values (secrets=false) or secrets (secrets=true) document.
func document(a *model.Answers, secrets bool, header string) *yaml.Node {
	t := newTree(secrets)
	for _, p := range a.Paths() {
		e := a.Catalog().Lookup(p)
		if e.InSecretsFile() != secrets || e.Forbidden != "" {
			continue
		}
		t.set(e, ValueNode(e, a.Get(p)))
	}
	if extra := a.Extra(); extra != nil {
		if part := splitExtra(extra, "", secrets); part != nil {
			mergeInto(t.root, part)
		}
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{t.root}, HeadComment: header}
	return doc
}

// ValuesDocument returns values.yaml as a node tree: every non-secret answer and the keys the
// catalog does not know, in catalog order.
func ValuesDocument(a *model.Answers) *yaml.Node {
	return document(a, false, "values.yaml for the crewai-platform Helm chart, written by crewai-setup.\n"+
		"Secrets are in secrets.yaml; see summary.md for what the chart generates and what to run next.")
}

// SecretsDocument returns secrets.yaml as a node tree: secrets: and oauth.secrets:.
func SecretsDocument(a *model.Answers) *yaml.Node {
	return document(a, true, "secrets.yaml for the crewai-platform Helm chart, written by crewai-setup.\n"+
		"Keep it private: encrypted with SOPS (as crewai-setup writes it where a .sops.yaml rule matches), or out of\n"+
		"version control with mode 0600, or in your secret manager.")
}
