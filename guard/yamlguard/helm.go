package yamlguard

import (
	"errors"

	helmyaml "sigs.k8s.io/yaml"
)

// HelmPlain returns what Helm's parser (sigs.k8s.io/yaml, YAML 1.1 rules) reads for s written
// as a plain (unquoted) scalar value, "k: s": the string itself, or a boolean, number or nil.
// An error means Helm cannot read it as one value.
func HelmPlain(s string) (any, error) {
	var m map[string]any
	if err := helmyaml.Unmarshal([]byte("k: "+s+"\n"), &m); err != nil {
		return nil, err
	}
	if len(m) != 1 {
		return nil, errors.New("not one value")
	}
	return m["k"], nil
}
