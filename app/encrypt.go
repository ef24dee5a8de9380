package app

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

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
	return st.applyEncryption(mode, recipients, o.out)
}

// applyEncryption plans the encryption of the files in dir, hands it to the writers and
// records it in the answers' wizard settings.
func (st *start) applyEncryption(mode store.EncryptMode, recipients []string, dir string) error {
	opts, warnings, err := st.encryption(st.opts, &st.a.Wizard, mode, recipients, dir)
	if err != nil {
		return err
	}
	st.opts, st.warnings = opts, append(st.warnings, warnings...)
	if opts.Encrypt != nil {
		st.notes = append(st.notes, opts.Encrypt.Describe("."))
	}
	st.planned = encryptionKey(st.a.Wizard, dir)
	return nil
}

// encryption plans the encryption of the files in dir: it returns a copy of opts that writes
// that way and the warnings the plan brings, and records the plan in w. It changes nothing
// else, so that writing (in the background) can plan for the answers it writes.
func (st *start) encryption(opts store.Options, w *model.Wizard, mode store.EncryptMode, recipients []string, dir string) (store.Options, []string, error) {
	enc, warnings, err := opts.PlanEncryption(context.Background(), filepath.Join(dir, "secrets.yaml"), mode, recipients)
	if err != nil {
		return opts, nil, err
	}
	opts.Encrypt = enc
	if st.existing != nil && mode == store.EncryptNone {
		for _, p := range st.existing.Encrypted() {
			warnings = append(warnings, fmt.Sprintf("%s is encrypted with sops and stays so: encryption off (none) only leaves plaintext files as they are; decrypt it for good with sops decrypt --in-place %s",
				p, p))
		}
	}
	switch {
	case enc != nil:
		w.Encrypt, w.SopsAge = string(store.EncryptSops), slices.Clone(recipients)
	case mode == store.EncryptNone:
		w.Encrypt, w.SopsAge = string(store.EncryptNone), nil
	}
	return opts, warnings, nil
}

// encryptionKey is what an encryption plan depends on: the directory and the wizard's settings.
func encryptionKey(w model.Wizard, dir string) string {
	return filepath.Clean(dir) + "\x00" + w.Encrypt + "\x00" + strings.Join(w.SopsAge, "\x00")
}

// wizardEncryption is how the wizard's choice on the Deployment screen (w.Encrypt) is read:
// never (none) drops the age recipients rather than contradicting them.
func wizardEncryption(w model.Wizard) (store.EncryptMode, []string, error) {
	mode, err := store.ParseEncryptMode(w.Encrypt)
	if err != nil || mode == store.EncryptNone {
		return mode, nil, err
	}
	return mode, w.SopsAge, nil
}

// replan returns the options to write a, about to be written into dir, with: the planned
// ones, or when the wizard changed what the plan depends on (the encryption choice or the
// output directory) a new plan, recorded in a, and the warnings it brings. It runs while the
// wizard shows a spinner, so it plans on copies and never touches st.a or st.opts.
func (st *start) replan(a *model.Answers, dir string) (store.Options, []string, error) {
	if encryptionKey(a.Wizard, dir) == st.planned {
		return st.opts, nil, nil
	}
	mode, recipients, err := wizardEncryption(a.Wizard)
	if err != nil {
		return st.opts, nil, fmt.Errorf("wizard.encrypt: %w", err)
	}
	return st.encryption(st.opts, &a.Wizard, mode, recipients, dir)
}

// encryptionNote is the Deployment screen's sentence on how secrets.yaml in dir will be
// written for the wizard settings w; it reads .sops.yaml files and runs nothing.
func (st *start) encryptionNote(w model.Wizard, dir string) string {
	mode, recipients, err := wizardEncryption(w)
	if err != nil {
		return err.Error()
	}
	w.Encrypt, w.SopsAge = string(mode), recipients
	return st.opts.EncryptionNote(filepath.Join(dir, "secrets.yaml"), w)
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
