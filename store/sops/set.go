package sops

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"crewai-setup/guard/yamlguard"

	yaml "go.yaml.in/yaml/v3"
)

// Set is one value SetValues writes.
type Set struct {
	// Path is the chain of mapping keys from the top: ["secrets", "SECRET_KEY_BASE"].
	Path []string
	// Value is the new string value, or "true" or "false" with Bool.
	Value string
	// Bool writes Value as a YAML boolean (a toggle such as oauth.enabled), not a string.
	Bool bool
}

func dotted(p []string) string { return strings.Join(p, ".") }

// SetValues changes the values at sets' paths in the SOPS file at path, whose current content
// (as the caller read it, under its lock and snapshot) is current, and returns the new
// encrypted content; plain is current's decryption as Decrypt returned it to the caller (nil:
// SetValues decrypts current itself); it does not replace the file: the caller writes the result atomically,
// with its backup, as for plaintext files.
//
// It works like an operator's `sops set`: on a copy of current beside the file (created 0600
// and exclusively, removed on every path out), one `sops set --value-stdin` per value, so each
// value reaches sops on standard input only; sops re-encrypts only the changed values, so a Git
// diff shows their ciphertext and sops's mac and lastmodified, nothing else. The result is
// decrypted and compared with current's decryption: every set path holds exactly its new
// value, encrypted, and nothing else changed (values, types, key order, comments); otherwise
// an error wrapping ErrVerify or ErrLeftPlaintext that names keys, never values.
func (t Tool) SetValues(ctx context.Context, path string, current, plain []byte, sets []Set) ([]byte, error) {
	if err := checkSets(path, sets); err != nil {
		return nil, err
	}
	if !IsEncrypted(current) {
		return nil, fmt.Errorf("%w: %s has no sops: metadata (with mac and lastmodified) at its top level", ErrNotEncrypted, path)
	}
	if _, err := t.Check(ctx); err != nil {
		return nil, err
	}
	file, err := physical(path)
	if err != nil {
		return nil, fmt.Errorf("cannot resolve %s: %w", path, err)
	}
	before := plain
	if before == nil {
		if before, err = t.decrypt(ctx, current, path); err != nil {
			return nil, err
		}
	}
	want, err := expected(before, sets, path)
	if err != nil {
		return nil, err
	}
	// sops set reads the stores settings (YAML indentation) from the file's .sops.yaml; the
	// same config keeps the rewritten file's layout, and so the diff, as it was.
	config, _, err := t.configFor(file)
	if err != nil {
		return nil, err
	}
	if config == "" {
		config = os.DevNull
	} else if _, err := loadConfig(config); err != nil {
		return nil, err
	}

	copyPath, err := makeCopy(filepath.Dir(file), filepath.Base(file), current)
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.Remove(copyPath) }()

	values := make([]string, len(sets))
	for i, s := range sets {
		values[i] = s.Value
	}
	for _, s := range sets {
		var value bytes.Buffer
		enc := json.NewEncoder(&value)
		enc.SetEscapeHTML(false)
		var v any = s.Value
		if s.Bool {
			v = s.Value == "true"
		}
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("%s: the new value cannot be passed to sops: %w", dotted(s.Path), err)
		}
		res, err := t.run(ctx, t.env(), value.Bytes(), "--config", config, "set",
			"--input-type", "yaml", "--output-type", "yaml", "--value-stdin", copyPath, treePath(s.Path))
		if err != nil {
			return nil, err
		}
		if res.code != 0 {
			hide := append(values, docValues(before)...)
			err := decryptError(res, current, path, t, hide)
			if errors.Is(err, ErrFailed) {
				err = fmt.Errorf("%w: sops set %s in %s failed (exit %d): %s", ErrFailed, dotted(s.Path), path,
					res.code, redact(condense(res.stderr), hide))
			}
			return nil, err
		}
	}
	out, err := os.ReadFile(copyPath)
	if err != nil {
		return nil, fmt.Errorf("cannot read back the edited copy of %s: %w", path, err)
	}
	if !IsEncrypted(out) {
		return nil, fmt.Errorf("%w: sops set left %s without its sops: metadata", ErrVerify, path)
	}
	if left := plaintextLeaves(out, setPaths(sets)); len(left) > 0 {
		return nil, fmt.Errorf("%w: sops stored %s in %s unencrypted (the file's encrypted_regex, unencrypted_suffix or the like excludes it); the file was not changed: encrypt that key in the file's sops settings, then rotate again",
			ErrLeftPlaintext, strings.Join(left, ", "), path)
	}
	after, err := t.decrypt(ctx, out, path)
	if err != nil {
		return nil, fmt.Errorf("%w: the edited %s cannot be decrypted: %w", ErrVerify, path, err)
	}
	got, err := yamlguard.Parse(after)
	if err != nil {
		return nil, fmt.Errorf("%w: the edited %s decrypts to invalid YAML: %w", ErrVerify, path, err)
	}
	if diffs := diffNodes(want, got, nil, setPaths(sets)); len(diffs) > 0 {
		return nil, fmt.Errorf("%w: after sops set, %s differs from the intended change at %s; the file was not changed",
			ErrVerify, path, strings.Join(diffs, ", "))
	}
	return out, nil
}

// checkSets reports every unusable set at once.
func checkSets(path string, sets []Set) error {
	var probs []string
	seen := map[string]bool{}
	if len(sets) == 0 {
		probs = append(probs, "no values to set")
	}
	for _, s := range sets {
		name := dotted(s.Path)
		switch {
		case len(s.Path) == 0:
			probs = append(probs, "a value without a key path")
		case slices.ContainsFunc(s.Path, func(k string) bool { return strings.Contains(k, "[") }):
			// sops set splits its index argument at "[".
			probs = append(probs, fmt.Sprintf("%s: sops set cannot address a key containing [", name))
		case !utf8.ValidString(s.Value):
			probs = append(probs, fmt.Sprintf("%s: the new value is not valid UTF-8 text", name))
		case s.Bool && s.Value != "true" && s.Value != "false":
			probs = append(probs, fmt.Sprintf("%s: a boolean must be true or false", name))
		case seen[name]:
			probs = append(probs, fmt.Sprintf("%s: set twice", name))
		}
		seen[name] = true
	}
	if len(probs) > 0 {
		return fmt.Errorf("cannot edit %s: %s", path, strings.Join(probs, "; "))
	}
	return nil
}

// treePath is sops's index syntax: ["secrets"]["KEY"].
func treePath(p []string) string {
	var b strings.Builder
	for _, k := range p {
		b.WriteString(`["` + k + `"]`)
	}
	return b.String()
}

func setPaths(sets []Set) [][]string {
	out := make([][]string, len(sets))
	for i, s := range sets {
		out[i] = s.Path
	}
	return out
}

// makeCopy writes data to a new file beside the original, 0600 and exclusive (never an
// existing file or a planted symlink), and returns its path: .NAME.sops-set-HEX, a name
// package store keeps out of Git and removes when a killed run left it behind.
func makeCopy(dir, base string, data []byte) (string, error) {
	for range 5 {
		var r [8]byte
		if _, err := rand.Read(r[:]); err != nil {
			return "", err
		}
		p := filepath.Join(dir, "."+base+".sops-set-"+hex.EncodeToString(r[:]))
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("cannot create a working copy of %s in %s: %w; the directory must be writable", base, dir, err)
		}
		_, werr := f.Write(data)
		cerr := f.Close()
		if err := errors.Join(werr, cerr); err != nil {
			_ = os.Remove(p)
			return "", fmt.Errorf("cannot write a working copy of %s in %s: %w", base, dir, err)
		}
		return p, nil
	}
	return "", fmt.Errorf("cannot create a working copy of %s in %s: every name tried exists", base, dir)
}

// expected is the decrypted document with the sets applied the way sops set applies them: an
// existing value replaced, a missing key appended to its mapping.
func expected(decrypted []byte, sets []Set, name string) (*yaml.Node, error) {
	doc, err := yamlguard.Parse(decrypted)
	if err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%w: %s does not decrypt to a YAML mapping", ErrVerify, name)
	}
	var probs []string
	for _, s := range sets {
		m := doc.Content[0]
		for i, k := range s.Path {
			v := field(m, k)
			if i == len(s.Path)-1 {
				n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s.Value}
				if s.Bool {
					n.Tag = "!!bool"
				}
				if v == nil {
					m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, n)
				} else {
					*v = *n
				}
				break
			}
			if v == nil {
				v = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, v)
			}
			if v.Kind != yaml.MappingNode {
				probs = append(probs, fmt.Sprintf("%s is not a mapping", dotted(s.Path[:i+1])))
				break
			}
			m = v
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("cannot edit %s: %s", name, strings.Join(probs, "; "))
	}
	return doc, nil
}

// diffNodes lists the paths where got differs from want: kind, tag, value, key order, comments
// (the comments of a set value are not compared: the value is new).
func diffNodes(want, got *yaml.Node, p []string, set [][]string) []string {
	at := dotted(p)
	if at == "" {
		at = "the top level"
	}
	isSet := slices.ContainsFunc(set, func(s []string) bool { return slices.Equal(s, p) })
	if want.Kind != got.Kind || want.ShortTag() != got.ShortTag() || want.Value != got.Value ||
		len(want.Content) != len(got.Content) {
		return []string{at}
	}
	if !isSet && (want.HeadComment != got.HeadComment || want.LineComment != got.LineComment || want.FootComment != got.FootComment) {
		return []string{at + " (comments)"}
	}
	var out []string
	for i := range want.Content {
		child := p
		switch want.Kind {
		case yaml.MappingNode:
			if i%2 == 0 {
				// A key: its text and comments must match; its value is compared next.
				if d := diffNodes(want.Content[i], got.Content[i], append(slices.Clip(p), want.Content[i].Value+" (key)"), nil); d != nil {
					out = append(out, d...)
				}
				continue
			}
			child = append(slices.Clip(p), want.Content[i-1].Value)
		case yaml.SequenceNode:
			child = append(slices.Clip(p), fmt.Sprint(i))
		case yaml.DocumentNode, yaml.ScalarNode, yaml.AliasNode:
		}
		out = append(out, diffNodes(want.Content[i], got.Content[i], child, set)...)
	}
	return out
}
