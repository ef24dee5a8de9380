package render

import (
	"slices"
	"strings"
	"testing"

	"crewai-setup/model"
)

// crewai-setup.yaml remembers the encryption choice and the age recipients, and reads them back
// as written; values the tool would not know what to do with are errors that name the setting.
func TestWizardFileRemembersEncryption(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Wizard.Encrypt = "sops"
	a.Wizard.SopsAge = []string{"age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"}
	data, err := WizardFile(a)
	if err != nil {
		t.Fatal(err)
	}
	b := model.NewAnswers(model.NewCatalog())
	probs, err := b.Merge(data, WizardFileName, true)
	if err != nil || len(probs) > 0 {
		t.Fatalf("%v %v\n%s", err, probs, data)
	}
	if b.Wizard.Encrypt != "sops" || !slices.Equal(b.Wizard.SopsAge, a.Wizard.SopsAge) {
		t.Errorf("read back encrypt %q, sopsAge %q from\n%s", b.Wizard.Encrypt, b.Wizard.SopsAge, data)
	}
	c := b.Clone()
	c.Wizard.SopsAge[0] = "changed"
	if b.Wizard.SopsAge[0] == "changed" {
		t.Error("Clone shares the recipients")
	}
	plain, err := WizardFile(model.NewAnswers(model.NewCatalog()))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(plain), "encrypt") || strings.Contains(string(plain), "sopsAge") {
		t.Errorf("a run that chose nothing remembers an encryption:\n%s", plain)
	}

	for doc, want := range map[string]string{
		"wizard:\n  encrypt: maybe\n":             "wizard.encrypt",
		"wizard:\n  sopsAge: [\"age1a,age1b\"]\n": "wizard.sopsAge",
		"wizard:\n  sopsAge: age1a\n":             "wizard.sopsAge",
	} {
		c := model.NewAnswers(model.NewCatalog())
		probs, err := c.Merge([]byte(doc), "a.yaml", true)
		if err != nil || !probs.HasErrors() || probs.Errors()[0].Path != want {
			t.Errorf("%q: %v %v", doc, err, probs)
		}
	}
}

// The helm commands for encrypted files keep the -f order and quote names for the shell: one
// encrypted file is piped in at its place, several are decrypted by process substitution.
func TestHelmUpgradeDecrypting(t *testing.T) {
	for _, tc := range []struct {
		files, encrypted []string
		want             string
	}{
		{[]string{"values.yaml", "secrets.yaml"}, nil,
			"helm upgrade --install r " + model.ChartRef + " -f values.yaml -f secrets.yaml"},
		{[]string{"values.yaml", "my secrets.yaml"}, []string{"my secrets.yaml"},
			"sops decrypt 'my secrets.yaml' | helm upgrade --install r " + model.ChartRef + " -f values.yaml -f -"},
		{[]string{"values.yaml", "secrets.yaml"}, []string{"values.yaml"},
			"sops decrypt values.yaml | helm upgrade --install r " + model.ChartRef + " -f - -f secrets.yaml"},
		{[]string{"values.yaml", "secrets.yaml"}, []string{"secrets.yaml", "values.yaml"},
			"helm upgrade --install r " + model.ChartRef + " -f <(sops decrypt values.yaml) -f <(sops decrypt secrets.yaml)"},
	} {
		if got := HelmUpgradeDecrypting("r", "", tc.files, tc.encrypted); got != tc.want {
			t.Errorf("%v encrypted %v:\n got %s\nwant %s", tc.files, tc.encrypted, got, tc.want)
		}
	}
	if got, want := HelmSecretsUpgrade("", "ns", []string{"values.yaml", "secrets.yaml"}),
		"helm secrets upgrade --install crewai-platform "+model.ChartRef+" --namespace ns --create-namespace -f values.yaml -f secrets.yaml"; got != want {
		t.Errorf("helm-secrets:\n got %s\nwant %s", got, want)
	}
}

// The summary of an encrypted install says so, for whom, and under ArgoCD what the repo server
// needs; a plaintext one says none of it.
func TestSummaryEncrypted(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Wizard.ArgoCD = true
	enc := Summary(a, SummaryInfo{SecretsWritten: true, Encrypted: Encryption{Secrets: true, For: "age1…abcd"}})
	for _, want := range []string{"encrypted with sops for age1…abcd", "sops decrypt secrets.yaml | helm upgrade", "helm secrets upgrade", "KSOPS"} {
		if !strings.Contains(enc, want) {
			t.Errorf("the encrypted summary does not say %q", want)
		}
	}
	plain := Summary(a, SummaryInfo{SecretsWritten: true})
	for _, not := range []string{"sops decrypt", "KSOPS", "encrypted with sops"} {
		if strings.Contains(plain, not) {
			t.Errorf("the plaintext summary says %q", not)
		}
	}
}
