package app

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/store"
)

// planEncryption decides whether init encrypts the files that hold secrets, and for whom: from
// --encrypt and --sops-age, else from what crewai-setup.yaml (or the answers' wizard block)
// remembers, else auto. It checks sops before anything is asked or written, hands the decision
// to the writers, and records it in the answers, so that crewai-setup.yaml remembers it for the
// next run and for rotate.
func (st *start) planEncryption(o initOptions) error {
	w := &st.a.Wizard
	// What the existing files' crewai-setup.yaml remembers counts even when --force starts
	// the answers afresh: replacing the files must not silently drop their encryption.
	var old model.Wizard
	if st.existing != nil {
		old = st.existing.Answers.Wizard
	}
	name := cmp.Or(o.encrypt, w.Encrypt, old.Encrypt)
	mode, err := store.ParseEncryptMode(name)
	if err != nil {
		return fmt.Errorf("wizard.encrypt: %w", err)
	}
	recipients := o.sopsAge
	if len(recipients) == 0 && mode != store.EncryptNone {
		recipients = w.SopsAge
		if len(recipients) == 0 && w.Encrypt == "" {
			recipients = old.SopsAge
		}
	}
	secrets := filepath.Join(o.out, "secrets.yaml")
	enc, warnings, err := st.opts.PlanEncryption(context.Background(), secrets, mode, recipients)
	if err != nil {
		return err
	}
	st.warnings = append(st.warnings, warnings...)
	st.opts.Encrypt = enc
	if st.existing != nil {
		st.existing.SetEncryption(enc)
		if mode == store.EncryptNone {
			for _, p := range st.existing.Encrypted() {
				st.warnings = append(st.warnings, fmt.Sprintf("%s is encrypted with sops and stays so: encryption off (none) only leaves plaintext files as they are; decrypt it for good with sops decrypt --in-place %s",
					p, p))
			}
		}
	}
	switch {
	case enc != nil:
		w.Encrypt, w.SopsAge = string(store.EncryptSops), slices.Clone(recipients)
		st.notes = append(st.notes, enc.Describe("."))
	case mode == store.EncryptNone:
		w.Encrypt, w.SopsAge = string(store.EncryptNone), nil
	}
	return nil
}

// printNotes prints what init decided, notes then warnings.
func (st *start) printNotes(w io.Writer) {
	for _, n := range st.notes {
		fmt.Fprintln(w, "note: "+guard.Visible(n))
	}
	for _, n := range st.warnings {
		fmt.Fprintln(w, "warning: "+guard.Visible(n))
	}
}
