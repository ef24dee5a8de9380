package yamledit

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"

	"crewai-setup/internal/perffiles"
)

// parseEdits reads the small edit format of testdata/splice/NAME.edits: one edit per line,
// "STYLE PATH VALUE", where STYLE is keep, oneline or block, PATH is dot-separated keys (a key
// with dots, spaces or quotes is written Go-quoted) and VALUE is Go-quoted. # starts a comment line.
func parseEdits(text string) ([]Edit, error) {
	styles := map[string]EditStyle{"keep": EditKeep, "oneline": EditOneLine, "block": EditBlock}
	var edits []Edit
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		style, ok := styles[word]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown style %q", n+1, word)
		}
		var path []string
		for {
			var key string
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", n+1, err)
				}
				key, _ = strconv.Unquote(q)
				rest = rest[len(q):]
			} else {
				i := strings.IndexAny(rest, ". ")
				if i < 0 {
					return nil, fmt.Errorf("line %d: missing value", n+1)
				}
				key, rest = rest[:i], rest[i:]
			}
			path = append(path, key)
			if strings.HasPrefix(rest, ".") {
				rest = rest[1:]
				continue
			}
			break
		}
		value, err := strconv.Unquote(strings.TrimSpace(rest))
		if err != nil {
			return nil, fmt.Errorf("line %d: value: %w", n+1, err)
		}
		edits = append(edits, Edit{Path: path, Value: value, Style: style})
	}
	return edits, nil
}

// TestSpliceGolden applies NAME.edits to NAME.in.yaml and compares with NAME.out.yaml, or, where
// NAME.err exists instead, checks that Splice refuses with an error containing each of its lines.
func TestSpliceGolden(t *testing.T) {
	ins, err := filepath.Glob("testdata/splice/*.in.yaml")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.yaml")
		t.Run(name, func(t *testing.T) {
			src := readOrFail(t, in)
			edits, err := parseEdits(string(readOrFail(t, strings.TrimSuffix(in, ".in.yaml")+".edits")))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Splice(src, edits)
			if wantErr, rerr := os.ReadFile(strings.TrimSuffix(in, ".in.yaml") + ".err"); rerr == nil {
				if err == nil || got != nil {
					t.Fatalf("Splice = %q, %v; want a refusal", got, err)
				}
				for _, w := range strings.Split(strings.TrimSpace(string(wantErr)), "\n") {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := readOrFail(t, strings.TrimSuffix(in, ".in.yaml")+".out.yaml")
			if !bytes.Equal(got, want) {
				t.Errorf("Splice output differs from %s.out.yaml\n--- got:\n%s\n--- want:\n%s", name, got, want)
			}
			// Applying the same edits again changes nothing: the tool can be re-run safely.
			again, err := Splice(got, edits)
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if !bytes.Equal(again, got) {
				t.Errorf("second run changed the file:\n%s", again)
			}
			// Helm reads every edited value back as exactly the string given.
			var helm map[string]any
			if err := helmyaml.Unmarshal(got, &helm); err != nil {
				t.Fatalf("Helm's parser rejects the output: %v", err)
			}
			for _, e := range edits {
				if v := spliceLookup(helm, e.Path); v != e.Value {
					t.Errorf("Helm reads %s as %#v, want %q", pathString(e.Path), v, e.Value)
				}
			}
		})
	}
}

// spliceLookup follows path through decoded maps.
func spliceLookup(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestSpliceRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		path      []string
		want      []string // substrings of the error
	}{
		{"alias value", "a: &x 1\nb: *x\n", []string{"b"}, []string{"b: the value is an alias (*x)", "edit the anchored original (&x)"}},
		{"anchor reused by an alias", "a: &x 1\nb: *x\n", []string{"a"}, []string{"a: the value carries the anchor &x", "edit the file by hand"}},
		{"inside a merged mapping", "base: &b\n  k: 1\nprod:\n  <<: *b\n", []string{"base", "k"}, []string{"base.k: the enclosing mapping base carries the anchor &b"}},
		{"adding to a merged mapping", "base: &b\n  k: 1\nprod:\n  <<: *b\n", []string{"base", "new"}, []string{"base.new: the enclosing mapping base carries the anchor &b"}},
		{"through an alias", "base: &b\n  k: 1\nprod: *b\n", []string{"prod", "k"}, []string{"prod.k: prod is an alias (*b)"}},
		{"insert into flow mapping", "secrets: {A: 1}\n", []string{"secrets", "B"}, []string{"secrets.B: cannot add the key \"B\" inside the flow mapping", "rewrite that mapping in block style"}},
		{"insert into an empty flow mapping inside a flow mapping", "oauth: {secrets: {}}\n", []string{"oauth", "secrets", "B"}, []string{"oauth.secrets.B: cannot add the key \"B\" inside the flow mapping", "block style"}},
		{"insert into an empty flow mapping inside a flow list", "a: [{}]\n", []string{"a", "B"}, []string{"a.B: a holds a list"}},
		{"empty flow mapping over two lines", "secrets: {\n}\n", []string{"secrets", "B"}, []string{"secrets.B: the empty mapping {} on line 1 spans several lines or holds a comment", "block style"}},
		{"empty flow mapping holding a comment", "secrets: { # none\n  }\n", []string{"secrets", "B"}, []string{"secrets.B: the empty mapping {} on line 1 spans several lines"}},
		{"empty flow mapping reused by an alias", "secrets: &s {}\nother: *s\n", []string{"secrets", "B"}, []string{"secrets.B: the enclosing mapping secrets carries the anchor &s"}},
		{"two documents", "a: 1\n---\nb: 2\n", []string{"a"}, []string{"more than one YAML document", "split it"}},
		{"top level is a list", "- a\n- b\n", []string{"a"}, []string{"a: the file's top level is not a mapping"}},
		{"value is a mapping", "secrets:\n  A: 1\n", []string{"secrets"}, []string{"secrets: holds a mapping, not a single value"}},
		{"parent is a string", "secrets: none\n", []string{"secrets", "A"}, []string{"secrets.A: secrets holds a string, not a mapping"}},
		{"parent is a list", "secrets: [1]\n", []string{"secrets", "A"}, []string{"secrets.A: secrets holds a list"}},
		{"explicit tag", "port: !!int 5432\n", []string{"port"}, []string{"port: the value carries the explicit tag !!int", "remove the tag"}},
		{"broken YAML", "a: [\n", []string{"a"}, []string{"not valid YAML", "fix it"}},
		{"duplicate keys", "a: 1\na: 2\n", []string{"a"}, []string{"a: the key \"a\" appears more than once", "remove the duplicate"}},
		{"non-string key", "1: x\nb: 2\n", []string{"b"}, []string{"b: the top level has a key that is not a plain string (\"1\" on line 1)", "quote that key"}},
		{"not UTF-8", "a: \xff\n", []string{"a"}, []string{"not valid UTF-8"}},
		{"empty path", "a: 1\n", nil, []string{"empty key path"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Splice([]byte(tc.src), []Edit{{Path: tc.path, Value: "v"}})
			if err == nil {
				t.Fatalf("Splice succeeded:\n%s", out)
			}
			if out != nil {
				t.Errorf("bytes returned with the error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if _, err := Splice([]byte("a: 1\n"), []Edit{{Path: []string{"a"}, Value: "\xff"}}); err == nil || !strings.Contains(err.Error(), "a: the new value is not valid UTF-8") {
		t.Errorf("invalid UTF-8 value: err = %v", err)
	}
}

func TestSpliceStyles(t *testing.T) {
	pem := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat(strings.Repeat("A", 64)+"\n", 30) + "-----END RSA PRIVATE KEY-----\n"
	for _, tc := range []struct {
		name, src string
		edit      Edit
		want      string
	}{
		{"plain stays plain", "k: old\n", Edit{[]string{"k"}, "new-value_1", EditKeep}, "k: new-value_1\n"},
		{"plain that Helm would misread is quoted", "k: old\n", Edit{[]string{"k"}, "0777", EditKeep}, "k: \"0777\"\n"},
		{"number becomes a quoted string", "DB_PORT: 5432\n", Edit{[]string{"DB_PORT"}, "5433", EditKeep}, "DB_PORT: \"5433\"\n"},
		{"null placeholder is quoted", "k: ~ # set me\n", Edit{[]string{"k"}, "abc", EditKeep}, "k: \"abc\" # set me\n"},
		{"empty value", "k:\nz: 1\n", Edit{[]string{"k"}, "abc", EditKeep}, "k: \"abc\"\nz: 1\n"},
		{"empty value with comment", "k:   # set me\n", Edit{[]string{"k"}, "abc", EditKeep}, "k: \"abc\"   # set me\n"},
		{"single stays single", "k: 'old'\n", Edit{[]string{"k"}, "it's", EditKeep}, "k: 'it''s'\n"},
		{"single with newline goes double", "k: 'old'\n", Edit{[]string{"k"}, "a\nb", EditKeep}, "k: \"a\\nb\"\n"},
		{"double stays double", "k: \"old\"\n", Edit{[]string{"k"}, "yes", EditKeep}, "k: \"yes\"\n"},
		{"control characters go double", "k: |\n  old\n", Edit{[]string{"k"}, "a\r\nb\t\n", EditKeep}, "k: \"a\\r\\nb\\t\\n\"\n"},
		{"one line never folds", "k: x\n", Edit{[]string{"k"}, pem, EditOneLine}, "k: \"" + strings.ReplaceAll(pem, "\n", `\n`) + "\"\n"},
		{"block clip", "k: x\n", Edit{[]string{"k"}, "a\nb\n", EditBlock}, "k: |\n  a\n  b\n"},
		{"block strip", "k: x\n", Edit{[]string{"k"}, "a\nb", EditBlock}, "k: |-\n  a\n  b\n"},
		{"block keep", "k: x\n", Edit{[]string{"k"}, "a\n\n", EditBlock}, "k: |+\n  a\n\n"},
		{"block keep swallows the blank separator", "k: x\n\nz: 1\n", Edit{[]string{"k"}, "a\n\n", EditBlock}, "k: |+\n  a\n\nz: 1\n"},
		{"block with leading space states its indentation", "s:\n  k: x\n", Edit{[]string{"s", "k"}, "  a\nb\n", EditBlock}, "s:\n  k: |2\n      a\n    b\n"},
		{"block keeps its indentation", "k: |\n      old\n", Edit{[]string{"k"}, "new\n", EditKeep}, "k: |\n      new\n"},
		{"block at end of file without newline", "k: x", Edit{[]string{"k"}, "a\n", EditBlock}, "k: |\n  a\n"},
		{"block in a flow mapping goes double", "m: {k: x}\n", Edit{[]string{"m", "k"}, "a\n", EditBlock}, "m: {k: \"a\\n\"}\n"},
		{"block would swallow a deeper comment", "k: x\n    # deep\nz: 1\n", Edit{[]string{"k"}, "a\n", EditBlock}, "k: \"a\\n\"\n    # deep\nz: 1\n"},
		{"empty block value goes double", "k: x\n", Edit{[]string{"k"}, "", EditBlock}, "k: \"\"\n"},
		{"folded block becomes literal", "k: >\n  old\n  text\n", Edit{[]string{"k"}, "new\ntext\n", EditKeep}, "k: |\n  new\n  text\n"},
		{"block to one line keeps the header comment", "k: | # pem\n  old\nz: 1\n", Edit{[]string{"k"}, "new", EditOneLine}, "k: \"new\" # pem\nz: 1\n"},
		{"keeps anchor and tag", "k: &a !!str old\n", Edit{[]string{"k"}, "new", EditKeep}, "k: &a !!str new\n"},
		{"anchor and tag on an empty value", "k: &a !!str\n", Edit{[]string{"k"}, "new", EditKeep}, "k: &a !!str \"new\"\n"},
		{"value on the next line", "k:\n  old\n", Edit{[]string{"k"}, "new", EditKeep}, "k:\n  new\n"},
		{"new key is double-quoted", "a: 1\n", Edit{[]string{"b"}, "x", EditKeep}, "a: 1\nb: \"x\"\n"},
		{"lone CR line endings", "a: 1\rb: 2\r", Edit{[]string{"c", "d"}, "x\n", EditBlock}, "a: 1\rb: 2\rc:\r  d: |\r    x\r"},
		{"byte order mark", "\ufeffa: é\nb: 1\n", Edit{[]string{"a"}, "ü", EditKeep}, "\ufeffa: ü\nb: 1\n"},
		{"multibyte characters before the value", "ä: {ö: 1, ü: 2}\n", Edit{[]string{"ä", "ü"}, "3", EditKeep}, "ä: {ö: 1, ü: \"3\"}\n"},
		{"flow entry without a value", "m: {a, b: 1}\n", Edit{[]string{"m", "a"}, "x", EditKeep}, "m: {a: \"x\", b: 1}\n"},
		{"file without final newline", "a: 1", Edit{[]string{"b"}, "x", EditKeep}, "a: 1\nb: \"x\""},
		{"empty flow mapping", "secrets: {}\n", Edit{[]string{"secrets", "K"}, "v", EditKeep}, "secrets:\n  K: \"v\"\n"},
		{"empty flow mapping with blanks", "secrets: {  }   \nz: 1\n", Edit{[]string{"secrets", "K"}, "v", EditKeep}, "secrets:   \n  K: \"v\"\nz: 1\n"},
		{"empty flow mapping without final newline", "secrets: {}", Edit{[]string{"secrets", "K"}, "v", EditKeep}, "secrets:\n  K: \"v\""},
		{"empty flow mapping on its own line", "secrets:\n  {}\nz: 1\n", Edit{[]string{"secrets", "K"}, "v", EditKeep}, "secrets:\n  K: \"v\"\nz: 1\n"},
		{"empty flow mapping follows the file's indentation", "a:\n    b: 1\nsecrets: {}\n", Edit{[]string{"secrets", "K"}, "v", EditKeep}, "a:\n    b: 1\nsecrets:\n    K: \"v\"\n"},
		{"empty flow mapping gains a nested key", "s:\n  secrets: {} # c\n", Edit{[]string{"s", "secrets", "oauth", "ID"}, "v", EditKeep}, "s:\n  secrets: # c\n    oauth:\n      ID: \"v\"\n"},
		{"empty flow mapping gains a block value", "secrets: {}\nz: 1\n", Edit{[]string{"secrets", "PEM"}, "a\nb\n", EditBlock}, "secrets:\n  PEM: |\n    a\n    b\nz: 1\n"},
		{"empty flow mapping as the whole document", "{}\n", Edit{[]string{"K"}, "v", EditKeep}, "K: \"v\"\n"},
		{"empty flow mapping after the document start", "--- {} # c\n", Edit{[]string{"K"}, "v", EditKeep}, "--- # c\nK: \"v\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Splice([]byte(tc.src), []Edit{tc.edit})
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}

// yaml11Traps are strings that a YAML 1.1 reader (Helm) takes for something else when unquoted,
// plus characters that need care in any YAML.
func yaml11Traps() []string {
	return []string{
		"yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "~", "null", "Null", "",
		"0777", "0x1F", "0o17", "1e3", "1_000", "+1", "-1", ".5", ".inf", "-.Inf", ".nan", "2024-01-01", "2024-01-01T10:00:00Z", "12:30:00",
		" leading", "trailing ", " both ", "#", "a #b", "a# b", "key: value", "a:b", ": x", "x:",
		"- dash", "-", "? q", "?", ":", ",", "[x]", "[", "]", "{x}", "{", "}", "#x", "&anchor", "*alias", "!tag", "|", ">", "'", "\"", "%", "@at", "`tick",
		"<<", "=", "\\", "\\n literal backslash-n", "tab\there", "cr\rhere", "nl\nhere", "two\n\nblank", "\n", "\n\n", "a\n", "a\n\n\n", "\nleading",
		"ünïcödé 🔑 秘密", "\u2028ls", "nel\u0085", "bom\ufeff", "nbsp\u00a0", "\x00nul", "\x7fdel",
		strings.Repeat("word ", 50) + "end", strings.Repeat("x", 300),
	}
}

// TestSpliceHelmRoundTrip writes every trap value in every style and reads it back through
// Helm's own parser (sigs.k8s.io/yaml) and yaml.v3.
func TestSpliceHelmRoundTrip(t *testing.T) {
	const src = "# values\nsecrets:\n  PLAIN: old # c\n  SINGLE: 'old'\n  DOUBLE: \"old\"\n  BLOCK: |\n    old\n  EMPTY:\n  FLOW: {k: old}\nafter: 1\n"
	targets := [][]string{{"secrets", "PLAIN"}, {"secrets", "SINGLE"}, {"secrets", "DOUBLE"}, {"secrets", "BLOCK"}, {"secrets", "EMPTY"}, {"secrets", "FLOW", "k"}, {"secrets", "NEW"}, {"brand", "new"}}
	for _, v := range yaml11Traps() {
		for _, style := range []EditStyle{EditKeep, EditOneLine, EditBlock} {
			for _, path := range targets {
				out, err := Splice([]byte(src), []Edit{{Path: path, Value: v, Style: style}})
				if err != nil {
					t.Errorf("%q style %d at %s: %v", v, style, pathString(path), err)
					continue
				}
				var helm map[string]any
				if err := helmyaml.Unmarshal(out, &helm); err != nil {
					t.Errorf("%q style %d at %s: Helm cannot parse the result: %v\n%s", v, style, pathString(path), err, out)
					continue
				}
				if got := spliceLookup(helm, path); got != v {
					t.Errorf("%q style %d at %s: Helm reads %#v\n%s", v, style, pathString(path), got, out)
				}
				if got := spliceLookup(helm, []string{"after"}); got != float64(1) {
					t.Errorf("%q style %d at %s: after = %#v", v, style, pathString(path), got)
				}
				var v3 map[string]any
				if err := yaml.Unmarshal(out, &v3); err != nil || spliceLookup(v3, path) != v {
					t.Errorf("%q style %d at %s: yaml.v3 reads %#v (%v)", v, style, pathString(path), spliceLookup(v3, path), err)
				}
				if style == EditOneLine {
					checkOneLine(t, out, path, v)
				}
			}
		}
	}
}

// checkOneLine asserts that the value at path is double-quoted and written whole on its line.
func checkOneLine(t *testing.T, out []byte, path []string, v string) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0]
	for _, k := range path {
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			t.Fatalf("%s not found in\n%s", pathString(path), out)
		}
		n = next
	}
	want, err := doubleQuoted(v)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Split(string(out), "\n")[n.Line-1]
	if n.Style != yaml.DoubleQuotedStyle || !strings.Contains(line, want) {
		t.Errorf("%q at %s is not one double-quoted line: %q", v, pathString(path), line)
	}
}

func TestSpliceMultipleEditsShareNewParent(t *testing.T) {
	got, err := Splice([]byte("a: 1\n"), []Edit{
		{Path: []string{"oauth", "google", "ID"}, Value: "i"},
		{Path: []string{"oauth", "google", "SECRET"}, Value: "s"},
		{Path: []string{"oauth", "other"}, Value: "o"},
		{Path: []string{"a"}, Value: "2"},
	})
	want := "a: \"2\"\noauth:\n  google:\n    ID: \"i\"\n    SECRET: \"s\"\n  other: \"o\"\n"
	if err != nil || string(got) != want {
		t.Errorf("got %q, %v\nwant %q", got, err, want)
	}
	if _, err := Splice([]byte("a: 1\n"), []Edit{{Path: []string{"a"}, Value: "x"}, {Path: []string{"a", "b"}, Value: "y"}}); err == nil || !strings.Contains(err.Error(), "a.b: a holds a string") {
		t.Errorf("conflicting edits: err = %v", err)
	}
}

func TestSpliceNoEdits(t *testing.T) {
	src := []byte("a: 1 # c\n")
	got, err := Splice(src, nil)
	if err != nil || !bytes.Equal(got, src) {
		t.Errorf("Splice(src, nil) = %q, %v", got, err)
	}
}

// benchBase is a small secrets file of the shape crewai-setup writes, for perffiles.Grow.
const benchBase = "# secrets.yaml\nsecrets:\n  # rotated by crewai-setup\n  DB_PASSWORD: \"old-password\"\n  OIDC_PRIVATE_KEY: |\n    -----BEGIN PRIVATE KEY-----\n    MC4CAQAwBQYDK2VwBCIEIA\n    -----END PRIVATE KEY-----\noauth:\n  secrets:\n    google:\n      clientId: \"id\"\n"

// BenchmarkRotate measures rotating one key of files grown to 1k, 10k and 100k lines, flat
// (the secrets: mapping grows) and nested (per-tenant sections follow it), as the rotate and
// check command benchmarks and scripts/cmd-measure do.
func BenchmarkRotate(b *testing.B) {
	edit := Edit{Path: []string{"secrets", "DB_PASSWORD"}, Value: "n3w-Secr3t!", Style: EditKeep}
	for _, shape := range []perffiles.Shape{perffiles.Flat, perffiles.Nested} {
		for _, n := range []int{1000, 10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/lines=%d", shape, n), func(b *testing.B) {
				src, err := perffiles.Grow([]byte(benchBase), n, shape)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					if _, err := Splice(src, []Edit{edit}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// trickyDocs are small documents with the constructs that are hardest to edit in place.
func trickyDocs() []string {
	return []string{
		"a: |\n  x\n\n  y\n\n\nb: 1\n",
		"a: |+\n  x\n\n# c\n\nb: 1\n",
		"a: >-\n  folded\n  text\n\n  para\nb: |2\n   lead\n  c: 1\n",
		"a: |\n  x\n      # deeper comment inside? no: content\n  # content too\nb: 1\n",
		"a: x\n      # deep comment after a plain value\nb: 1\n",
		"a: |+\n  keep at eof\n\n",
		"a: |\n  no final newline",
		"a: plain\n  continued\n\n  after blank\nb: 1\n",
		"a:\n  next line value\nb:\n  # comment between\n  'quoted'\n",
		"a: &x !!str tagged\nb: &y\n  c: 1\n",
		"- a: 1\n  b: |\n    x\n- c: 2\n",
		"s:\n- a: 1\n  b: 2\n- c: 3\nt: 4\n",
		"m: {a: 1,\n  b: 'two', # comment {\n  c: \"th}ree\", d: [x, {y: z}]}\nafter: 1\n",
		"a: 1\t# tab comment\nb:\t2\n",
		"a: 1\r\nb: |\r\n  x\r\n  y\r\nc:\r\n",
		"ключ: значение\n日本: {名前: 値}\n",
		"---\n# c\na: 1\n...\n",
		"a: 'it''s'\nb: \"esc \\\" \\\\ \\n\"\nc: ''\nd: \"\"\n",
		"? a\n: 1\nb: 2\n",
		"a:\nb:\n",
		"a: ~\nb: null\nc: Null\n",
		"a: [\n  1,\n  2\n]\nb: {\n}\n",
		"a: 1 # c\n\n\n# trailing comments\n# more\n",
		"a:\n  b:\n    c:\n      d: deep\n  e: 1\n",
		"a: |-\n\n  x\n  \n   \nb: 1\n",
		"a: \"multi\n  line\n\n  double\"\nb: 'multi\n\n  single'\n",
		"x: &anchor\n  k: v\ny: *anchor\nz:\n  <<: *anchor\n  own: 1\n",
		"a: 1\n\n\n",
		"a: 2001-12-14\nb: 0x1F\nc: .nan\nd: 1e3\n",
		"top:\n  list:\n  - x\n  - |\n    block item\n",
		"top:\n  flowlist: [a, b]\n",
		"a: value # comment with : colon and # hash\n",
	}
}

// TestSpliceTricky runs the fuzz property over every target of trickyDocs in every style with
// a range of values, and reports how many edits were refused.
func TestSpliceTricky(t *testing.T) {
	values := []string{"new", "yes", "", " lead", "a #b", "multi\nline\n", "keep\n\n", "strip\nme", "\n lead", "tab\t", "é🔑", strings.Repeat("long ", 60)}
	refused := map[string]int{}
	total := 0
	for _, src := range trickyDocs() {
		doc, err := parseSingle([]byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		n := len(fuzzTargets(doc, "NEW"))
		for sel := range n {
			for style := range 3 {
				for _, v := range values {
					total++
					if err := checkSpliceProperty(t, src, v, uint(sel), uint8(style), "NEW"); err != nil {
						refused[fmt.Sprintf("%q sel %d: %v", src, sel, err)]++
					}
				}
			}
		}
	}
	for k, v := range refused {
		t.Logf("refused %d×: %s", v, k)
	}
	t.Logf("%d edits, %d kinds of refusal", total, len(refused))
}
