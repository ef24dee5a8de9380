package render

import (
	"maps"
	"slices"

	"crewai-setup/model"
	"crewai-setup/render/yamledit"

	yaml "go.yaml.in/yaml/v3"
)

// WizardFileName is the file beside values.yaml that remembers how the platform is deployed.
const WizardFileName = "crewai-setup.yaml"

// WizardFile renders crewai-setup.yaml: the wizard block without secrets (deployment mode,
// Replicated, host, release, namespace, AWS credentials style, OAuth providers, how the files
// are encrypted and for which age recipients), in the format
// --answers reads. init --from, rotate and check read it, so a re-run remembers the
// deployment; it holds no secret and is safe to commit.
func WizardFile(a *model.Answers) ([]byte, error) {
	w := a.Wizard
	if w.AWSCredentials == "" && a.Get("envVars.STORAGE_SERVICE") == "amazon" {
		w.AWSCredentials = a.AWSCredentials()
	}
	m := yamledit.Mapping()
	add := func(key string, v *yaml.Node) { m.Content = append(m.Content, yamledit.Key(key), v) }
	add("argocd", yamledit.Bool(w.ArgoCD))
	add("replicated", yamledit.Bool(w.Replicated))
	for _, kv := range [][2]string{{"host", w.Host}, {"release", w.Release}, {"namespace", w.Namespace}, {"awsCredentials", w.AWSCredentials}} {
		if kv[1] != "" {
			add(kv[0], yamledit.String(kv[1]))
		}
	}
	if len(w.OAuthProviders) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, p := range w.OAuthProviders {
			seq.Content = append(seq.Content, yamledit.String(p))
		}
		add("oauthProviders", seq)
	}
	if w.Encrypt != "" {
		add("encrypt", yamledit.String(w.Encrypt))
	}
	if len(w.SopsAge) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, r := range w.SopsAge {
			seq.Content = append(seq.Content, yamledit.String(r))
		}
		add("sopsAge", seq)
	}
	if gen := a.GeneratedPaths(); len(gen) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, p := range gen {
			seq.Content = append(seq.Content, yamledit.String(p))
		}
		add("generated", seq)
	}
	if len(w.Rotated) > 0 {
		rot := yamledit.Mapping()
		for _, path := range slices.Sorted(maps.Keys(w.Rotated)) {
			rot.Content = append(rot.Content, yamledit.Key(path), yamledit.String(w.Rotated[path]))
		}
		add("rotated", rot)
	}
	root := yamledit.Mapping()
	k := yamledit.Key("wizard")
	root.Content = append(root.Content, k, m)
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root},
		HeadComment: "How this platform is deployed, remembered by crewai-setup (no secrets: safe to commit).\n" +
			"crewai-setup init --from, rotate and check read it; it is an answers file, so --answers reads it too."}
	return yamledit.Encode(doc)
}
