package model

import (
	"sort"
	"strings"
)

// Section groups keys the way the wizard asks for them and the summary reports them.
type Section string

// The sections, in wizard order.
const (
	SectionDeployment   Section = "deployment"
	SectionDatabase     Section = "database"
	SectionGitHub       Section = "github"
	SectionAuth         Section = "auth"
	SectionIntegrations Section = "integrations"
	SectionLLM          Section = "llm"
	SectionStorage      Section = "storage"
	SectionPlatform     Section = "platform"
	SectionTLS          Section = "tls"
	// SectionTool holds the tool's own bookkeeping keys; it is not a wizard or summary section.
	SectionTool Section = "tool"
)

// Sections returns every section in wizard and summary order.
func Sections() []Section {
	return []Section{SectionDeployment, SectionDatabase, SectionGitHub, SectionAuth,
		SectionIntegrations, SectionLLM, SectionStorage, SectionPlatform, SectionTLS}
}

// Title returns the section's heading.
func (s Section) Title() string {
	switch s {
	case SectionDeployment:
		return "Deployment"
	case SectionDatabase:
		return "Database"
	case SectionGitHub:
		return "GitHub App"
	case SectionAuth:
		return "Authentication provider"
	case SectionIntegrations:
		return "OAuth products (Built-in Integrations)"
	case SectionLLM:
		return "Built-in LLM"
	case SectionStorage:
		return "Storage"
	case SectionPlatform:
		return "Platform secrets"
	case SectionTLS:
		return "TLS"
	case SectionTool:
		return "crewai-setup's own keys"
	}
	return string(s)
}

// Kind is the shape of a value.
type Kind int

// Value kinds.
const (
	KindString     Kind = iota // one-line text
	KindBool                   // true or false, written as a YAML boolean
	KindPEM                    // multi-line PEM, written as a literal block (|)
	KindOneLinePEM             // RSA key written on one line with \n escapes (GITHUB_APP_PRIVATE_KEY)
)

// Choice is one allowed value of an enumerated key.
type Choice struct {
	Value string
	Label string
}

// Condition decides from the answers whether something applies (a key is required, the chart
// generates a key, ...).
type Condition func(a *Answers) bool

// Entry is everything the tool knows about one chart key. Steps, validation, rendering, the
// summary, check and rotate all read these entries.
type Entry struct {
	// Path is the dotted key path in the values file, e.g. "secrets.DB_PASSWORD".
	Path    string
	Section Section
	// Title is the short label shown next to the field.
	Title string
	// Source is where the key itself is documented; From gives the sources of single
	// statements about it where they differ.
	Source Source
	From   Sources
	// Purpose says in one plain line what the value protects or does (shown with generated
	// keys in summary.md and next to "what breaks" when rotating).
	Purpose string
	Kind    Kind
	// Sensitive values are masked on screen and in the summary.
	Sensitive bool
	// Default is the chart's documented default ("" when none is documented).
	Default string
	// Hint is one line: where to find or how to choose the value.
	Hint string
	// Help is the longer text: what it is, where to find it, what breaks when it is wrong.
	Help string

	// RequiredWhen describes in words when the key is required ("" when optional);
	// Required decides it.
	RequiredWhen string
	Required     Condition

	// Format describes the accepted form in words; Rules check it.
	Format string
	Rules  []Rule
	// Choices lists allowed values; Open means other values are possible but undocumented.
	Choices []Choice
	Open    bool

	// ChartGen describes how the chart generates the key when it is unset ("" when it does
	// not); ChartGenWhen says when (nil: always). Gen makes a fresh value in the same format.
	ChartGen     string
	ChartGenWhen Condition
	Gen          *Generator
	// ArgoCD means ArgoCD users must set the key explicitly: without Helm's lookup the chart
	// would make a new value on every sync.
	ArgoCD bool

	// Rotation says what rotating the key breaks and what to do first ("" when the key is not
	// a credential to rotate). ConfirmRotate asks the operator to type the key name (or pass
	// --confirm KEY); ConfirmWhy says why, in a phrase ("protects data at rest").
	Rotation      string
	ConfirmRotate bool
	ConfirmWhy    string
	// Pair is the path of a key that must rotate together with this one.
	Pair string
	// Mirror names another key the chart fills with the same value.
	Mirror string
	// CopyTo names where else the value must be entered by hand ("the GitHub App's webhook
	// settings"): after generating or rotating it, the operator needs to see it once.
	CopyTo string

	// Unknown says what the chart's documentation leaves open about this key.
	Unknown string
	// Forbidden, when set, is why the key must not appear at all.
	Forbidden string
	// Derived names the setting the chart builds this key from (the per-product OAuth keys come
	// from oauth.secrets.<provider>); the key is not set directly.
	Derived string
	// Keys, when set, are the mapping keys of Path, for a key that itself holds dots; Path is
	// then their join with dots.
	Keys []string
	// Internal marks the tool's own bookkeeping (the fingerprint key): generated when missing,
	// never asked, listed or explained as a chart setting.
	Internal bool
	// WizardDefault is what the interactive wizard starts from when the answers leave the key
	// unset (the first choice on its screen); ApplyWizardDefaults sets it, visibly, once.
	WizardDefault string
}

// Sources are the sources of single statements about a key, where they differ from the key's
// own Source ("" means the same).
type Sources struct {
	Format, Default, Required, Generated, Rotation Source
}

// StatementSource returns the source of one statement about the key: its own source when
// recorded (s), else the key's.
func (e *Entry) StatementSource(s Source) Source {
	if s != "" {
		return s
	}
	return e.Source
}

// Name returns the last element of the path ("DB_PASSWORD").
func (e *Entry) Name() string {
	k := e.KeyPath()
	return k[len(k)-1]
}

// KeyPath returns the mapping keys from the document root to the value: the path split at its
// dots, or Keys where a key itself holds dots (eks.amazonaws.com/role-arn).
func (e *Entry) KeyPath() []string {
	if e.Keys != nil {
		return e.Keys
	}
	return strings.Split(e.Path, ".")
}

// InSecretsFile reports whether the key belongs in secrets.yaml (under secrets: or oauth.secrets:).
func (e *Entry) InSecretsFile() bool { return IsSecretsPath(e.Path) }

// IsSecretsPath reports whether a dotted path belongs in secrets.yaml.
func IsSecretsPath(path string) bool {
	return path == "secrets" || strings.HasPrefix(path, "secrets.") ||
		path == "oauth.secrets" || strings.HasPrefix(path, "oauth.secrets.") ||
		path == "crewaiSetup" || strings.HasPrefix(path, "crewaiSetup.")
}

// IsRequired reports whether the entry is required for these answers.
func (e *Entry) IsRequired(a *Answers) bool { return e.Required != nil && e.Required(a) }

// ChartGenerates reports whether the chart would generate this key for these answers when it is unset.
func (e *Entry) ChartGenerates(a *Answers) bool {
	return e.ChartGen != "" && (e.ChartGenWhen == nil || e.ChartGenWhen(a))
}

// Rotatable reports whether the key is a credential that rotate offers.
func (e *Entry) Rotatable() bool { return e.Rotation != "" }

// Catalog is the ordered set of entries with lookup by path.
type Catalog struct {
	entries []*Entry
	byPath  map[string]*Entry
	// prefixes holds every proper prefix of a known path ("secrets", "oauth.secrets.google").
	prefixes map[string]bool
}

// NewCatalog builds the catalog of every chart key the tool knows.
func NewCatalog() *Catalog {
	c := &Catalog{byPath: map[string]*Entry{}, prefixes: map[string]bool{}}
	for _, e := range entries() {
		c.add(e)
	}
	return c
}

func (c *Catalog) add(e *Entry) {
	if _, dup := c.byPath[e.Path]; dup {
		panic("catalog: duplicate entry " + e.Path)
	}
	c.entries = append(c.entries, e)
	c.byPath[e.Path] = e
	parts := e.KeyPath()
	for i := 1; i < len(parts); i++ {
		c.prefixes[strings.Join(parts[:i], ".")] = true
	}
}

// Entries returns every entry in catalog order.
func (c *Catalog) Entries() []*Entry { return c.entries }

// Lookup returns the entry for a path, or nil.
func (c *Catalog) Lookup(path string) *Entry { return c.byPath[path] }

// IsPrefix reports whether path is a mapping on the way to known keys ("envVars", "oauth.secrets").
func (c *Catalog) IsPrefix(path string) bool { return c.prefixes[path] }

// Section returns the entries of one section in catalog order.
func (c *Catalog) Section(s Section) []*Entry {
	var out []*Entry
	for _, e := range c.entries {
		if e.Section == s {
			out = append(out, e)
		}
	}
	return out
}

// ByName returns the entries whose last path element is name (DB_USER is both envVars.DB_USER
// and secrets.DB_USER), so a bare key name on the command line can be resolved.
func (c *Catalog) ByName(name string) []*Entry {
	var out []*Entry
	for _, e := range c.entries {
		if e.Name() == name {
			out = append(out, e)
		}
	}
	return out
}

// Children returns the known child key names directly under a prefix, sorted. A key may hold
// dots (eks.amazonaws.com/role-arn): children follow the entries' key paths, not their dotted paths.
func (c *Catalog) Children(prefix string) []string {
	seen := map[string]bool{}
	for _, e := range c.entries {
		kp := e.KeyPath()
		for i := range kp {
			if strings.Join(kp[:i], ".") == prefix {
				seen[kp[i]] = true
				break
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
