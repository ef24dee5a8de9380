package model

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"crewai-setup/guard"
)

// Wizard holds the inputs that are not chart values: how to deploy and where files are.
// In an answers file they sit under the top-level "wizard:" key.
type Wizard struct {
	// ArgoCD: the chart is rendered without Helm's lookup, so the tool generates every secret
	// the chart would otherwise generate.
	ArgoCD bool
	// Replicated: installed through Replicated, which fills GITHUB_TOKEN and UV_DEFAULT_INDEX.
	Replicated bool
	// GitHubAppPrivateKeyFile is the path of the GitHub App .pem (relative to the answers file).
	GitHubAppPrivateKeyFile string
	// SSLCertificateFile and SSLPrivateKeyFile are PEM files for secrets.SSL_CERTIFICATE/SSL_PRIVATE_KEY.
	SSLCertificateFile string
	SSLPrivateKeyFile  string
	// AWSCredentials is "static" (access keys) or "irsa" (IAM role); empty decides from the keys given.
	AWSCredentials string
	// OAuthProviders lists the Built-in Integrations providers in use (google, microsoft, hubspot, notion).
	OAuthProviders []string
	// Host is the platform's public host name, used only to print the callback URLs to register.
	Host string
	// Release and Namespace go into the printed helm command.
	Release   string
	Namespace string
	// Generate lists keys to fill with fresh random values (e.g. GITHUB_WEBHOOK_SECRET_TOKEN).
	Generate []string
	// Rotated remembers when rotate last changed a key (path → YYYY-MM-DD).
	Rotated map[string]string
	// Encrypt is how files holding secrets are written: EncryptSops (always encrypted with
	// sops), EncryptNone (plaintext) or EncryptAuto/"" (encrypted when a .sops.yaml rule or
	// SopsAge says for whom).
	Encrypt string
	// SopsAge are the age recipients to encrypt for without a .sops.yaml (--sops-age).
	SopsAge []string
}

// KeyFile is a wizard setting that names a file to read a key or certificate from, and the
// key the file's contents go to.
type KeyFile struct {
	Wizard string  // the wizard setting's path: wizard.githubAppPrivateKeyFile
	File   *string // the setting in w
	Target string  // the key: secrets.GITHUB_APP_PRIVATE_KEY
}

// KeyFiles lists w's key-file settings.
func (w *Wizard) KeyFiles() []KeyFile {
	return []KeyFile{
		{"wizard.githubAppPrivateKeyFile", &w.GitHubAppPrivateKeyFile, "secrets.GITHUB_APP_PRIVATE_KEY"},
		{"wizard.sslCertificateFile", &w.SSLCertificateFile, "secrets.SSL_CERTIFICATE"},
		{"wizard.sslPrivateKeyFile", &w.SSLPrivateKeyFile, "secrets.SSL_PRIVATE_KEY"},
	}
}

// The ways the files that hold secrets are written (wizard.encrypt, --encrypt).
const (
	EncryptAuto = "auto"
	EncryptSops = "sops"
	EncryptNone = "none"
)

// EncryptChoices are the encryption modes in the order the wizard offers them, labelled as its
// Deployment screen shows them.
func EncryptChoices() []Choice {
	return []Choice{{EncryptAuto, "when a .sops.yaml rule matches"}, {EncryptSops, "always (sops)"}, {EncryptNone, "never (plain text)"}}
}

// EncryptModeError says what an encryption mode must be; ValidEncryptMode("") is auto.
const EncryptModeError = "must be sops (encrypt the files that hold secrets), none (plaintext) or auto (encrypt when a .sops.yaml rule matches)"

// ValidEncryptMode reports whether s is an encryption mode ("" meaning auto).
func ValidEncryptMode(s string) bool {
	return s == "" || slices.ContainsFunc(EncryptChoices(), func(c Choice) bool { return c.Value == s })
}

// wizardKeys lists the wizard block's keys, for typo suggestions.
func wizardKeys() []string {
	return []string{"argocd", "replicated", "githubAppPrivateKeyFile", "sslCertificateFile", "sslPrivateKeyFile",
		"awsCredentials", "oauthProviders", "host", "release", "namespace", "generate", "rotated", "generated",
		"encrypt", "sopsAge"}
}

// Answers is everything the operator told the tool: known chart values by path, unknown keys
// kept as YAML to pass through unchanged, and the wizard inputs.
type Answers struct {
	Wizard Wizard
	// Dir is the directory relative paths in the wizard block are resolved against.
	Dir string
	// Source is the answers file the wizard block came from ("" when none).
	Source string

	cat   *Catalog
	vals  map[string]string
	pos   map[string]Pos
	extra *yaml.Node
	// read holds, for values read from a file, what Helm's YAML 1.1 parser reads where that is
	// not the text (an unquoted yes is true to Helm); Set forgets it.
	read map[string]readNote
	// generated records the keys the tool generated, for the summary.
	generated map[string]bool
}

// NewAnswers returns empty answers for a catalog.
func NewAnswers(cat *Catalog) *Answers {
	return &Answers{cat: cat, vals: map[string]string{}, pos: map[string]Pos{}, generated: map[string]bool{}, read: map[string]readNote{}}
}

// Catalog returns the catalog the answers were made with.
func (a *Answers) Catalog() *Catalog { return a.cat }

// Get returns the value at path, "" when unset.
func (a *Answers) Get(path string) string { return a.vals[path] }

// Lookup returns the value at path and whether it is set (an empty string counts as unset).
func (a *Answers) Lookup(path string) (string, bool) {
	v, ok := a.vals[path]
	return v, ok && v != ""
}

// Set stores a value; an empty value unsets the key. A value set this way is the operator's
// (MarkGenerated, called after Set, says otherwise).
func (a *Answers) Set(path, v string) {
	delete(a.generated, path)
	delete(a.read, path)
	if v == "" {
		delete(a.vals, path)
		return
	}
	a.vals[path] = v
}

// SetBool stores a boolean toggle.
func (a *Answers) SetBool(path string, b bool) {
	a.vals[path] = fmt.Sprint(b)
}

// Pos returns where a key was read from, if it came from a file.
func (a *Answers) Pos(path string) Pos { return a.pos[path] }

// Enabled reports whether a boolean toggle is on, using the chart's default when unset.
func (a *Answers) Enabled(path string) bool {
	if v, ok := a.vals[path]; ok {
		return v == "true"
	}
	if e := a.cat.Lookup(path); e != nil {
		return e.Default == "true"
	}
	return false
}

// SensitiveInValues returns the set keys marked sensitive that belong in a values file rather
// than secrets.yaml (the reference's own example puts WORKOS_COOKIE_PASSWORD under envVars),
// in catalog order: a values file holding one holds a secret and is kept like secrets.yaml.
// With file set, only the values read from that file count. A forbidden key counts too: an
// existing file that holds one holds a secret all the same.
func (a *Answers) SensitiveInValues(file string) []*Entry {
	var out []*Entry
	for _, e := range a.cat.Entries() {
		if !e.Sensitive || e.InSecretsFile() {
			continue
		}
		if _, ok := a.Lookup(e.Path); ok && (file == "" || a.Pos(e.Path).File == file) {
			out = append(out, e)
		}
	}
	return out
}

// How S3 is reached (wizard.awsCredentials): with access keys in secrets.yaml, or with an IAM
// role on the service account (IRSA).
const (
	AWSKeys = "static"
	AWSRole = "irsa"
)

// AWSCredentialChoices are the ways to reach S3, in the order the wizard offers them.
func AWSCredentialChoices() []Choice {
	return []Choice{{Value: AWSRole, Label: "IAM role (IRSA)"}, {Value: AWSKeys, Label: "access keys"}}
}

// AWSStatic reports whether S3 is reached with static access keys rather than an IAM role.
func (a *Answers) AWSStatic() bool {
	switch a.Wizard.AWSCredentials {
	case AWSKeys:
		return true
	case AWSRole:
		return false
	}
	return a.Get("secrets.AWS_ACCESS_KEY_ID") != "" || a.Get("secrets.AWS_SECRET_ACCESS_KEY") != ""
}

// AWSCredentials is how S3 is reached, AWSKeys or AWSRole, decided as AWSStatic decides.
func (a *Answers) AWSCredentials() string {
	if a.AWSStatic() {
		return AWSKeys
	}
	return AWSRole
}

// S3WithKeys reports whether the storage is S3 reached with access keys.
func (a *Answers) S3WithKeys() bool {
	return a.Get("envVars.STORAGE_SERVICE") == "amazon" && a.AWSStatic()
}

// S3WithRole reports whether the storage is S3 reached through an IAM role (IRSA).
func (a *Answers) S3WithRole() bool {
	return a.Get("envVars.STORAGE_SERVICE") == "amazon" && !a.AWSStatic()
}

// OAuthProviderOn reports whether a Built-in Integrations provider is in use: listed in the
// wizard block or given provider-level credentials.
func (a *Answers) OAuthProviderOn(id string) bool {
	for _, p := range a.Wizard.OAuthProviders {
		if p == id {
			return true
		}
	}
	base := OAuthSecretsBase(id)
	return a.Get(base+".clientId") != "" || a.Get(base+".clientSecret") != ""
}

// ApplyWizardDefaults gives every unset key that has a wizard default (the first choice its
// screen shows) that default, and returns the paths it set, so the wizard can start from what
// its screens show without a screen writing answers when it is built.
func (a *Answers) ApplyWizardDefaults() []string {
	var set []string
	for _, e := range a.cat.Entries() {
		if _, ok := a.vals[e.Path]; !ok && e.WizardDefault != "" {
			a.vals[e.Path] = e.WizardDefault
			set = append(set, e.Path)
		}
	}
	return set
}

// Paths returns the set paths in catalog order.
func (a *Answers) Paths() []string {
	var out []string
	for _, e := range a.cat.Entries() {
		if _, ok := a.vals[e.Path]; ok {
			out = append(out, e.Path)
		}
	}
	return out
}

// Extra returns the keys the catalog does not know, as a YAML mapping (nil when none).
func (a *Answers) Extra() *yaml.Node { return a.extra }

// MarkGenerated records that the tool generated the value at path.
func (a *Answers) MarkGenerated(path string) { a.generated[path] = true }

// GeneratedPaths returns the paths of the values the tool generated, in catalog order.
func (a *Answers) GeneratedPaths() []string {
	var out []string
	for _, e := range a.cat.Entries() {
		if a.generated[e.Path] {
			out = append(out, e.Path)
		}
	}
	return out
}

// Generated reports whether the tool generated the value at path.
func (a *Answers) Generated(path string) bool { return a.generated[path] }

// Clone returns a deep copy (the unknown-key tree is shared: it is never modified after loading).
func (a *Answers) Clone() *Answers {
	b := *a
	b.vals = make(map[string]string, len(a.vals))
	for k, v := range a.vals {
		b.vals[k] = v
	}
	b.pos = make(map[string]Pos, len(a.pos))
	for k, v := range a.pos {
		b.pos[k] = v
	}
	b.generated = make(map[string]bool, len(a.generated))
	for k, v := range a.generated {
		b.generated[k] = v
	}
	b.read = make(map[string]readNote, len(a.read))
	for k, v := range a.read {
		b.read[k] = v
	}
	b.Wizard.OAuthProviders = append([]string(nil), a.Wizard.OAuthProviders...)
	b.Wizard.Generate = append([]string(nil), a.Wizard.Generate...)
	b.Wizard.SopsAge = append([]string(nil), a.Wizard.SopsAge...)
	if a.Wizard.Rotated != nil {
		b.Wizard.Rotated = make(map[string]string, len(a.Wizard.Rotated))
		for k, v := range a.Wizard.Rotated {
			b.Wizard.Rotated[k] = v
		}
	}
	return &b
}

// ErrSyntax marks an answers or values file that is not valid YAML.
var ErrSyntax = errors.New("YAML syntax error")

// LoadAnswersFile reads an answers file: a partial values file with the chart's keys plus an
// optional wizard: block. JSON works too. Problems are findings about individual keys; the
// error is for a file that cannot be read or parsed at all.
func LoadAnswersFile(cat *Catalog, path string) (*Answers, Problems, error) {
	data, err := guard.ReadFile(path, guard.ValuesFileLimit)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read answers file: %w", err)
	}
	a := NewAnswers(cat)
	a.Dir, a.Source = filepath.Dir(path), path
	probs, err := a.Merge(data, path, true)
	return a, probs, err
}

// Merge reads one values document into the answers, later values overriding earlier ones as
// in Helm's -f order. withWizard allows the wizard: block (answers files only).
func (a *Answers) Merge(data []byte, name string, withWizard bool) (Problems, error) {
	_, probs, err := a.MergeDocument(data, name, withWizard)
	return probs, err
}

// MergeDocument is Merge returning the parsed YAML document as well (nil for JSON and empty
// files), so that an in-place edit of the same bytes need not parse them again. The tree is
// the caller's to read, never to change.
func (a *Answers) MergeDocument(data []byte, name string, withWizard bool) (*yaml.Node, Problems, error) {
	// Helm's reading runs beside the parse where that is safe; none is left running.
	helm := startHelmParse(data)
	defer helm.wait()
	doc, early, err := parseDocument(data, name, withWizard) // bounded YAML, or JSON: json.go
	if err != nil {
		return nil, nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil, nil // empty file
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return doc, nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("%s: line %d: the file must be a mapping of chart keys (like envVars: and secrets:): %w", name, root.Line, ErrSyntax)
	}
	l := loader{a: a, file: name, withWizard: withWizard, helm: helmScalars(data, root, helm), probs: early}
	l.walk(root, "")
	if withWizard && looksLikeJSON(data) {
		doc = nil // a JSON tree is not the text's YAML tree
	}
	return doc, l.probs, nil
}

type loader struct {
	a          *Answers
	file       string
	withWizard bool
	probs      Problems
	// helm holds the plain scalars Helm reads as something other than their text.
	helm  map[*yaml.Node]helmReading
	typos *typoIndex // made on the first unknown key
}

func (l *loader) add(path string, sev Severity, n *yaml.Node, format string, args ...any) {
	l.probs = append(l.probs, Problem{Path: path, Severity: sev, Message: fmt.Sprintf(format, args...),
		Pos: Pos{File: l.file, Line: n.Line, Column: n.Column}})
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func joinPath(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func (l *loader) walk(m *yaml.Node, prefix string) {
	later := l.duplicates(m, prefix)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if later[i] {
			continue // Helm keeps only the last of duplicate keys, mappings included
		}
		keyNode, val := m.Content[i], resolveAlias(m.Content[i+1])
		k := keyNode.Value
		path := joinPath(prefix, k)
		if !l.keyOK(prefix, keyNode) {
			continue
		}
		switch {
		case prefix == "" && k == "wizard":
			if !l.withWizard {
				l.add(path, Warning, keyNode, "the wizard: block belongs in answers files; Helm ignores it, but remove it from values files")
				continue
			}
			l.wizard(val)
		case l.a.cat.Lookup(path) != nil:
			l.value(path, keyNode, val)
		case l.a.cat.IsPrefix(path) && val.Kind == yaml.MappingNode:
			l.walk(val, path)
		case l.a.cat.IsPrefix(path) && val.Kind == yaml.ScalarNode && val.Tag == "!!null":
			// "secrets:" with nothing under it: nothing to read.
		case l.a.cat.IsPrefix(path):
			l.add(path, Error, keyNode, "must be a mapping of keys (%s: followed by indented KEY: value lines)", k)
		default:
			l.unknown(prefix, keyNode, m.Content[i+1])
		}
	}
}

// duplicates warns about a key given twice in one mapping: Helm keeps the last one, which an
// editor's search for the key may not show first. It returns the content indexes of the keys a
// later duplicate overrides.
func (l *loader) duplicates(m *yaml.Node, prefix string) map[int]bool {
	var later map[int]bool
	first := make(map[string]int, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := resolveAlias(m.Content[i])
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if j, dup := first[k.Value]; dup {
			l.add(joinPath(prefix, k.Value), Warning, k, "is given twice in the same mapping (lines %d and %d); Helm keeps only the last one, line %d: remove the other", m.Content[j].Line, k.Line, k.Line)
			if later == nil {
				later = map[int]bool{}
			}
			later[j] = true
		}
		first[k.Value] = i
	}
	return later
}

// keyOK reports whether a mapping key is one Helm can read: a plain name, not a list, a
// mapping or null (Helm fails on those when it turns values into JSON). It reports the problem.
func (l *loader) keyOK(prefix string, k *yaml.Node) bool {
	k = resolveAlias(k)
	if k.Kind == yaml.ScalarNode && k.Tag != "!!null" {
		return true
	}
	l.add(joinPath(prefix, "?"), Error, k, "has a key that is a %s; Helm only reads plain key names: write the key as a name", keyKind(k))
	return false
}

// keysOK checks every key inside a value that is passed through unchanged.
func (l *loader) keysOK(prefix string, n *yaml.Node) bool {
	n = resolveAlias(n)
	ok := true
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !l.keyOK(prefix, n.Content[i]) {
				ok = false
				continue
			}
			ok = l.keysOK(joinPath(prefix, n.Content[i].Value), n.Content[i+1]) && ok
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			ok = l.keysOK(prefix, c) && ok
		}
	default:
	}
	return ok
}

func keyKind(k *yaml.Node) string {
	if k.Kind == yaml.ScalarNode {
		return "null"
	}
	return kindName(k.Kind)
}

// value stores one known key's scalar, taken byte for byte.
func (l *loader) value(path string, keyNode, val *yaml.Node) {
	switch {
	case val.Kind != yaml.ScalarNode:
		l.add(path, Error, keyNode, "must be a single value, not a %s", kindName(val.Kind))
		return
	case val.Tag == "!!null":
		delete(l.a.vals, path)
		delete(l.a.read, path)
		return
	}
	l.a.vals[path] = val.Value
	l.a.pos[path] = Pos{File: l.file, Line: val.Line, Column: val.Column}
	delete(l.a.read, path)
	e := l.a.cat.Lookup(path)
	h, differs := l.helm[val]
	switch {
	case l.withWizard && e.Kind == KindBool && differs:
		if b, ok := h.value.(bool); ok {
			l.a.vals[path] = strconv.FormatBool(b)
		}
	case l.withWizard:
		// An answers file is the tool's input: its values are taken as the text written and
		// written back double-quoted, so Helm gets exactly that text.
	case e.Kind == KindBool && differs:
		if b, ok := h.value.(bool); ok {
			l.a.vals[path] = strconv.FormatBool(b) // yes, on, True: a boolean to Helm, which is what the key wants
			return
		}
		l.a.read[path] = readNote{helm: h}
	case e.Kind == KindBool && val.Style != 0:
		l.a.read[path] = readNote{quotedBool: true}
	case differs:
		l.a.read[path] = readNote{helm: h}
	}
}

// MisreadByHelm reports whether the value at path was read from a file where Helm reads it as
// something other than its text (an unquoted yes, a quoted "false" toggle).
func (a *Answers) MisreadByHelm(path string) bool {
	_, ok := a.read[path]
	return ok
}

// readNote is what the loader noticed about how Helm reads a value.
type readNote struct {
	helm helmReading
	// quotedBool: a toggle written as quoted text, which templates take as true when non-empty.
	quotedBool bool
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	default:
		return "document"
	}
}

// unknown keeps a key the catalog does not know, to pass it through, and warns when it looks
// like a typo or like a known key in the wrong place.
func (l *loader) unknown(prefix string, keyNode, val *yaml.Node) {
	// The key's own text may hold dots (nginx.ingress.kubernetes.io/...): it is one key, so the
	// parent is the prefix walked to it, never the path cut at its last dot.
	name := keyNode.Value
	path := joinPath(prefix, name)
	if !l.keysOK(path, val) {
		return // not passed through: Helm could not read it
	}
	if msg := l.suggest(prefix, name); msg != "" {
		l.add(path, Warning, keyNode, "%s", msg)
	}
	l.helmExtra(path, name, val)
	l.a.extra = setExtra(l.a.extra, strings.Split(prefix, "."), prefix == "", keyNode, val)
}

// suggest returns a warning for an unknown key that looks like a typo of a known one or like
// a known key under the wrong parent, or "".
func (l *loader) suggest(prefix, name string) string {
	if l.typos == nil {
		l.typos = newTypoIndex(l.a.cat, l.withWizard)
	}
	if best := l.typos.closest(prefix, name); best != "" {
		return fmt.Sprintf("unknown key; did you mean %s? (it is passed through to values.yaml as is)", joinPath(prefix, best))
	}
	// A known key under the wrong parent, e.g. envVars.DB_PASSWORD instead of secrets.DB_PASSWORD.
	if (prefix == "envVars" || prefix == "secrets") && l.typos.isKeyName(name) {
		for _, e := range l.a.cat.ByName(name) {
			if e.Forbidden == "" && !strings.HasPrefix(e.Path, prefix+".") {
				return fmt.Sprintf("the chart reads %s from %s; move it there (as written it is passed through and probably ignored)", name, e.Path)
			}
		}
	}
	return ""
}

// helmExtra reports the plain scalars of a passed-through value that Helm reads as something
// other than their text: an error under envVars (Kubernetes takes only text there), a warning
// elsewhere (the chart may want the boolean or number; this tool cannot know). key is the
// mapping key the value stands under, as written (it may hold dots).
func (l *loader) helmExtra(path, key string, n *yaml.Node) {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			l.helmExtra(joinPath(path, n.Content[i].Value), n.Content[i].Value, n.Content[i+1])
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			l.helmExtra(path, key, c)
		}
	case yaml.ScalarNode:
		h, differs := l.helm[n]
		if !differs {
			return
		}
		if strings.HasPrefix(path, "envVars.") && l.withWizard {
			l.add(path, Warning, n, "is unquoted, so Helm would read %s; environment variables are text, so it is written as the text given, in double quotes", h.describe())
			return
		}
		if strings.HasPrefix(path, "envVars.") {
			l.add(path, Error, n, "is unquoted, so Helm reads %s rather than the text written, and environment variables must be text: %s", h.describe(), quoteFix(key))
			return
		}
		if sameReading(n, h) {
			return // a number or boolean to YAML 1.2 as well: meant as one, most likely
		}
		l.add(path, Warning, n, "is unquoted, so Helm's YAML 1.1 parser reads %s, where YAML 1.2 reads something else; if the chart expects text here, %s", h.describe(), quoteFix(key))
	default:
	}
}

// quoteFix says how to make Helm read the text under key as written.
func quoteFix(key string) string {
	return "put the value in double quotes (" + key + `: "...")`
}

// setExtra appends key/val to the mapping at parents inside the extra tree, creating it.
func setExtra(root *yaml.Node, parents []string, top bool, key, val *yaml.Node) *yaml.Node {
	if root == nil {
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	m := root
	if !top {
		for _, p := range parents {
			m = childMapping(m, p)
		}
	}
	m.Content = append(m.Content, key, val)
	return root
}

func childMapping(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.MappingNode {
			return m.Content[i+1]
		}
	}
	c := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, c)
	return c
}

// wizard reads the wizard: block.
func (l *loader) wizard(m *yaml.Node) {
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return
	}
	if m.Kind != yaml.MappingNode {
		l.add("wizard", Error, m, "must be a mapping (wizard: followed by indented key: value lines)")
		return
	}
	w := &l.a.Wizard
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolveAlias(m.Content[i+1])
		path := "wizard." + k.Value
		switch k.Value {
		case "argocd":
			w.ArgoCD = l.wizBool(path, v)
		case "replicated":
			w.Replicated = l.wizBool(path, v)
		case "githubAppPrivateKeyFile":
			w.GitHubAppPrivateKeyFile = l.wizString(path, v)
		case "sslCertificateFile":
			w.SSLCertificateFile = l.wizString(path, v)
		case "sslPrivateKeyFile":
			w.SSLPrivateKeyFile = l.wizString(path, v)
		case "awsCredentials":
			w.AWSCredentials = l.wizString(path, v)
			if w.AWSCredentials != "" && w.AWSCredentials != AWSKeys && w.AWSCredentials != AWSRole {
				l.add(path, Error, v, "must be static (access keys in secrets) or irsa (an IAM role for the service account)")
			}
		case "oauthProviders":
			w.OAuthProviders = l.wizList(path, v)
			for _, p := range w.OAuthProviders {
				if !knownOAuthProvider(p) {
					l.add(path, Error, v, "lists %q; the providers are %s", p, oauthProviderIDs())
				}
			}
		case "host":
			w.Host = l.wizString(path, v)
		case "release":
			w.Release = l.wizString(path, v)
		case "namespace":
			w.Namespace = l.wizString(path, v)
		case "generate":
			w.Generate = l.wizList(path, v)
		case "rotated":
			w.Rotated = l.wizMap(path, v)
		case "encrypt":
			w.Encrypt = l.wizString(path, v)
			if !ValidEncryptMode(w.Encrypt) {
				l.add(path, Error, v, EncryptModeError)
			}
		case "sopsAge":
			w.SopsAge = l.wizList(path, v)
			for _, r := range w.SopsAge {
				if strings.TrimSpace(r) == "" || strings.Contains(r, ",") {
					l.add(path, Error, v, "lists %q; give one age recipient (age1...) per list item", r)
				}
			}
		case "generated":
			// crewai-setup.yaml remembers which values this tool generated, for the summary.
			for _, p := range l.wizList(path, v) {
				l.a.generated[p] = true
			}
		default:
			msg := "unknown wizard setting; it is ignored"
			if best := closest(k.Value, wizardKeys()); best != "" {
				msg = fmt.Sprintf("unknown wizard setting; did you mean wizard.%s?", best)
			}
			l.add(path, Warning, k, "%s", msg)
		}
	}
}

// oauthProviderIDs names the Built-in Integrations providers for messages, from the one list.
func oauthProviderIDs() string {
	var ids []string
	for _, p := range OAuthProviders() {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ", ")
}

func knownOAuthProvider(id string) bool {
	for _, p := range OAuthProviders() {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (l *loader) wizBool(path string, v *yaml.Node) bool {
	if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
		l.add(path, Error, v, "must be true or false")
		return false
	}
	return v.Value == "true"
}

func (l *loader) wizString(path string, v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode {
		l.add(path, Error, v, "must be a single value, not a %s", kindName(v.Kind))
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return v.Value
}

// wizMap reads a mapping of plain names to plain values.
func (l *loader) wizMap(path string, v *yaml.Node) map[string]string {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		l.add(path, Error, v, "must be a mapping of key: date lines")
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolveAlias(v.Content[i]), resolveAlias(v.Content[i+1])
		if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode {
			l.add(path, Error, k, "must map key names to dates")
			continue
		}
		out[k.Value] = val.Value
	}
	return out
}

// MarkRotated remembers that rotate changed the key at path on date (YYYY-MM-DD).
func (a *Answers) MarkRotated(path, date string) {
	if a.Wizard.Rotated == nil {
		a.Wizard.Rotated = map[string]string{}
	}
	a.Wizard.Rotated[path] = date
}

func (l *loader) wizList(path string, v *yaml.Node) []string {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.add(path, Error, v, "must be a list, e.g. [%s]", "a, b")
		return nil
	}
	var out []string
	for _, item := range v.Content {
		item = resolveAlias(item)
		if item.Kind != yaml.ScalarNode {
			l.add(path, Error, item, "must list plain names")
			continue
		}
		out = append(out, item.Value)
	}
	return out
}
