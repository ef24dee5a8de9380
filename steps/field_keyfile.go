package steps

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"crewai-setup/model"
	"crewai-setup/model/pemkey"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyFile is a PEM question: the operator types the path of the file (tab completes it) or
// pastes the key itself. The file is read and checked off the UI goroutine when the field is
// left; the answer is the PEM text.
type KeyFile struct {
	fieldBase
	in input
	// loaded is the PEM value read or pasted; refused says why the last one was not taken.
	loaded, refused string
	// loads counts reads and checks under way.
	loads int
	// desc describes the answer it was made for (parsing a key to describe it takes
	// milliseconds, and the review draws it often).
	desc described
	// typed collects the lines of a PEM key arriving as keys (a paste without bracketed
	// paste), up to its -----END line: enter there ends a line, not the field.
	typed []string
}

// described is a description of a value.
type described struct{ value, text string }

// NewKeyFile makes a key file field.
func NewKeyFile(q Question) *KeyFile {
	return &KeyFile{fieldBase: newBase(q), in: newInput(q.Placeholder)}
}

// Load implements Field: a key the answers hold (from an answers file) is described, not shown.
func (k *KeyFile) Load(a *model.Answers) {
	k.loaded = k.q.Get(a)
	if k.loaded != "" && k.note == "" {
		k.setNote("loaded from your answers: "+k.describe(k.loaded), noteGood)
	}
	k.redraw(partBody)
}

// describe returns what the key v is, parsing it only when it is not the one described last.
func (k *KeyFile) describe(v string) string {
	if v != k.desc.value {
		k.desc = described{value: v, text: model.Display(k.q.Entry, v)}
	}
	return k.desc.text
}

// Focus implements Field.
func (k *KeyFile) Focus() tea.Cmd {
	k.setFocus(true)
	return k.in.focus()
}

// Blur implements Field.
func (k *KeyFile) Blur() {
	k.setFocus(false)
	k.in.blur()
	k.typed = nil
}

// Busy implements Field: a key is being read or checked.
func (k *KeyFile) Busy() bool { return k.loads > 0 }

// Update implements Field.
func (k *KeyFile) Update(msg tea.Msg, a *model.Answers) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case keyLoadedMsg:
		if msg.path == k.q.Path {
			k.took(msg, a)
		}
	case tea.PasteMsg:
		return k.paste(msg.Content, a), true
	case tea.KeyPressMsg:
		return k.key(msg, a)
	}
	return nil, false
}

func (k *KeyFile) key(msg tea.KeyPressMsg, a *model.Answers) (tea.Cmd, bool) {
	starting := key.Matches(msg, k.keys.Line) && strings.HasPrefix(strings.TrimSpace(k.in.value()), PEMBegin)
	switch {
	case k.typed != nil || starting:
		return k.typeLine(msg, a)
	case key.Matches(msg, k.keys.Complete) && k.complete():
		return nil, true // tab completed a path: stay on the field
	case k.keys.leaves(msg):
		return k.read(), false // leaving: read the typed path
	}
	cmd, changed := k.in.update(msg)
	k.redraw(partBody)
	if changed {
		k.edited(a)
	}
	return cmd, true
}

// typeLine handles a key while the lines of a typed PEM key arrive: enter ends a line (the
// -----END line ends the key, which is then checked), other keys edit the current line.
func (k *KeyFile) typeLine(msg tea.KeyPressMsg, a *model.Answers) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, k.keys.Line):
		line := k.in.value()
		k.typed = append(k.typed, line)
		k.in.set("")
		k.redraw(partBody)
		if !strings.Contains(line, PEMEnd) { // a key on one line (\n escapes) ends at once
			k.setNote(fmt.Sprintf("reading a typed key: %d lines so far, up to its -----END line", len(k.typed)), noteInfo)
			return nil, true
		}
		pem := strings.Join(k.typed, "\n") + "\n"
		k.typed = nil
		return k.check(pem, a), true
	case k.keys.leaves(msg):
		// Not a key after all: leave with nothing.
		k.typed = nil
		k.in.set("")
		k.setNote("dropped a typed key that had no -----END line", noteBad)
		return nil, false
	}
	cmd, _ := k.in.update(msg)
	k.redraw(partBody)
	return cmd, true
}

// edited reacts to a change of the typed path: what was loaded no longer matches it.
func (k *KeyFile) edited(a *model.Answers) {
	k.loaded, k.refused = "", ""
	k.setNote("", noteGood)
	k.setProblems("", "")
	k.q.Set(a, "")
}

// paste takes a pasted PEM as the key itself; anything else is a path.
func (k *KeyFile) paste(content string, a *model.Answers) tea.Cmd {
	if pemkey.LooksLikePEM(content) {
		k.in.set("")
		k.typed = nil
		k.redraw(partBody)
		return k.check(content, a)
	}
	content = strings.TrimRight(content, "\r\n")
	cmd, _ := k.in.update(tea.PasteMsg{Content: content})
	k.redraw(partBody)
	k.edited(a)
	return cmd
}

// check starts checking a pasted or typed PEM.
func (k *KeyFile) check(pem string, a *model.Answers) tea.Cmd {
	k.edited(a)
	k.loads++
	k.setNote("checking the pasted key…", noteInfo)
	return loadPEM(k.q, "", []byte(pem))
}

// read starts reading the file the typed path names (nil when there is nothing new to read).
func (k *KeyFile) read() tea.Cmd {
	source := k.in.value()
	if source == "" || k.loaded != "" {
		return nil
	}
	k.loads++
	k.setNote("reading the key file…", noteInfo)
	q := k.q
	return func() tea.Msg {
		data, err := keyData(source)
		if err != nil {
			return keyLoadedMsg{path: q.Path, source: source, err: err}
		}
		return loadPEM(q, source, data)()
	}
}

// keyData reads the key file that typed text names. Text that is key material rather than a
// file name (the SHA256 fingerprint GitHub shows, an SSH public key) is returned as it is:
// the check saying what it is helps more than "there is no file".
func keyData(typed string) ([]byte, error) {
	data, err := pemkey.ReadKeyFile(typed)
	if err != nil && keyText(typed) {
		return []byte(typed), nil
	}
	return data, err
}

// took takes a finished read into the field, unless the operator typed something else meanwhile.
func (k *KeyFile) took(msg keyLoadedMsg, a *model.Answers) {
	k.loads = max(k.loads-1, 0)
	if msg.source != k.in.value() {
		return
	}
	if msg.err != nil {
		k.loaded, k.refused = "", msg.err.Error()
		k.setNote("", noteGood)
		k.setProblems(k.refused, "")
		k.q.Set(a, "")
		return
	}
	k.loaded, k.refused = msg.value, ""
	k.desc = described{value: msg.value, text: msg.desc}
	note := msg.note
	if msg.source == "" {
		note = "pasted key: " + note
	}
	k.setNote(note, noteGood)
	k.setProblems("", "")
	k.q.Set(a, msg.value)
	k.redraw(partBody)
}

// ShowProblems implements Field: the reason a key was refused stays until the input changes.
func (k *KeyFile) ShowProblems(probs model.Problems) {
	if k.refused != "" {
		k.setProblems(k.refused, "")
		return
	}
	k.fieldBase.ShowProblems(probs)
}

// keyText reports whether text typed into a key field is key material rather than a file name.
func keyText(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	lower := strings.ToLower(s)
	switch {
	case strings.Contains(s, "-----"):
		return true
	case strings.HasPrefix(s, "/"), strings.HasPrefix(s, "~"), strings.HasPrefix(lower, "file:"), strings.Contains(s, `\`),
		strings.HasSuffix(lower, ".pem"), strings.HasSuffix(lower, ".key"):
		return false
	}
	return strings.Contains(s, ":") || len(s) > 40
}

// loadPEM checks PEM data for a question off the UI goroutine.
func loadPEM(q Question, source string, data []byte) tea.Cmd {
	return func() tea.Msg {
		v, desc, note, err := checkPEM(q.Entry, data)
		return keyLoadedMsg{path: q.Path, source: source, value: v, desc: desc, note: note, err: err}
	}
}

// checkPEM checks PEM data for a catalog entry through model.PEMValue and returns the value to
// store, what it is (as the review shows it) and the note to show under the field.
func checkPEM(e *model.Entry, data []byte) (value, desc, note string, err error) {
	in, err := model.PEMValue(e, data)
	if err != nil {
		return "", "", "", err
	}
	note = in.Describe
	if e.Kind == model.KindOneLinePEM {
		note += " — written on one line with \\n escapes"
	}
	for _, n := range in.Notes {
		note += "; it " + n
	}
	return in.Value, in.Describe, note, nil
}

// complete extends the typed path like a shell's tab completion. It reports false when there
// is nothing to complete, so tab moves to the next field instead.
func (k *KeyFile) complete() bool {
	typed := k.in.value()
	if typed == "" {
		return false
	}
	p, err := pemkey.NormalizePath(typed)
	if err != nil {
		return false
	}
	matches, _ := filepath.Glob(globEscape(p) + "*")
	if len(matches) == 0 {
		return false
	}
	sort.Strings(matches)
	prefix := matches[0]
	for _, m := range matches[1:] {
		for !strings.HasPrefix(m, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if len(matches) == 1 {
		if st, err := os.Stat(prefix); err == nil && st.IsDir() {
			prefix += string(filepath.Separator)
		}
		k.setNote("", noteGood)
	} else {
		names := make([]string, 0, len(matches))
		for _, m := range matches {
			names = append(names, filepath.Base(m))
		}
		k.setNote("matches: "+strings.Join(names, "  "), noteInfo) // candidates, not a check
	}
	if prefix == p {
		return len(matches) > 1
	}
	k.in.set(prefix)
	k.loaded = ""
	k.redraw(partBody)
	return true
}

// globEscape escapes glob metacharacters in a literal path prefix.
func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// View implements Field.
func (k *KeyFile) View(st *theme.Styles, labelWidth, width int) ([]string, int) {
	return k.view(st, labelWidth, width, k.body)
}

// body shows the typed path, or that a key is loaded when nothing is typed.
func (k *KeyFile) body(st *theme.Styles, width int) ([]string, int) {
	if k.in.value() == "" && k.loaded != "" && !k.focused {
		return []string{st.Muted.Render("(key loaded)")}, -1
	}
	return k.in.view(st, width, k.focused)
}

// KeyBinds implements Field: pasting the PEM itself is a terminal paste; the hint says so.
func (k *KeyFile) KeyBinds() []key.Binding { return []key.Binding{k.keys.Complete} }

// Display implements Field: a key is described, never shown.
func (k *KeyFile) Display(a *model.Answers, _ bool) string {
	v := k.q.Get(a)
	if v == "" {
		return ""
	}
	return k.describe(v)
}

// Prompt implements Field.
func (k *KeyFile) Prompt() string { return k.q.Label + " (path to the PEM file, or the key itself)" }

// Answer implements Field: a path, or PEM text (the accessible mode joins a pasted key's lines).
func (k *KeyFile) Answer(a *model.Answers, line string) (string, bool) {
	if line == "" {
		k.edited(a)
		return "", true
	}
	data := []byte(line)
	if !pemkey.LooksLikePEM(line) {
		var err error
		if data, err = keyData(line); err != nil {
			return err.Error(), false
		}
	}
	v, desc, note, err := checkPEM(k.q.Entry, data)
	if err != nil {
		return err.Error(), false
	}
	k.edited(a)
	k.loaded, k.desc = v, described{value: v, text: desc}
	k.redraw(partBody)
	k.q.Set(a, v)
	return "Loaded: " + note, true
}
