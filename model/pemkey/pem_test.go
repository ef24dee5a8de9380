package pemkey

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// needTool fails the test when an external reference tool is not installed: .ci/run installs them.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is needed as the reference tool (apt-get install -y %s): %v", name, name, err)
	}
}

// runTool runs a command in dir and returns its stdout; it fails the test on a non-zero exit.
func runTool(t testing.TB, dir string, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// opensslCheckOK reports whether `openssl rsa -check` accepts file. OpenSSL 3.0 exits 0 even
// when it prints "RSA key not ok" (openssl/openssl#32369), so the verdict is read from its output.
func opensslCheckOK(dir, file string) bool {
	// -passin pass: keeps openssl from prompting for encrypted keys.
	cmd := exec.Command("openssl", "rsa", "-in", file, "-check", "-noout", "-passin", "pass:")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return err == nil && bytes.Contains(out, []byte("RSA key ok")) && !bytes.Contains(out, []byte("not ok"))
}

// awkOneLine runs the chart documentation's command on file.
func awkOneLine(t testing.TB, file string) string {
	t.Helper()
	cmd := exec.Command("awk", `NF {sub(/\r/, ""); printf "%s\\n", $0}`, file)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("awk: %v", err)
	}
	return string(out)
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// genOpenSSLKey runs openssl with args (which must write a PEM to stdout) and returns the PEM.
func genOpenSSLKey(t testing.TB, args ...string) []byte {
	t.Helper()
	needTool(t, "openssl")
	return runTool(t, t.TempDir(), "openssl", args...)
}

// rsaKeyOf parses the RSA key inside a single PEM block with Go's own parser.
func rsaKeyOf(t testing.TB, pemText []byte) *rsa.PrivateKey {
	t.Helper()
	b, _ := pem.Decode(pemText)
	if b == nil {
		t.Fatalf("no PEM block in %d bytes", len(pemText))
	}
	switch b.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return k
	default:
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return k.(*rsa.PrivateKey)
	}
}

var base64Run = regexp.MustCompile(`[A-Za-z0-9+/=]{16,}`)

// assertNoMaterial fails if msg contains any 16-character piece of a base64 run of input: key
// material, fingerprints and secrets must never be echoed in an error.
func assertNoMaterial(t testing.TB, msg string, input []byte) {
	t.Helper()
	for _, run := range base64Run.FindAll(input, -1) {
		for i := 0; i+16 <= len(run); i++ {
			if strings.Contains(msg, string(run[i:i+16])) {
				t.Fatalf("message echoes input text %q: %s", run[i:i+16], msg)
			}
		}
	}
}

func kindOf(err error) pemErrKind {
	var pe *pemError
	if errors.As(err, &pe) {
		return pe.kind
	}
	return 0
}

// TestOneLineAWKParity checks OneLine(info.PKCS1) and OneLine(file) against the chart docs'
// awk command, byte for byte, for the layouts key files come in.
func TestOneLineAWKParity(t *testing.T) {
	needTool(t, "awk")
	keys := map[string][]byte{
		"2048": genOpenSSLKey(t, "genrsa", "-traditional", "2048"),
		"4096": genOpenSSLKey(t, "genrsa", "-traditional", "4096"),
	}
	layouts := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"LF", func(b []byte) []byte { return b }},
		{"CRLF", func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }},
		{"no final newline", func(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\n")) }},
		{"CRLF no final newline", func(b []byte) []byte {
			return bytes.TrimSuffix(bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")), []byte("\r\n"))
		}},
	}
	dir := t.TempDir()
	for bits, key := range keys {
		for _, l := range layouts {
			t.Run(bits+"/"+l.name, func(t *testing.T) {
				data := l.edit(key)
				file := writeFile(t, dir, bits+l.name+".pem", data)
				want := awkOneLine(t, file)
				if !strings.HasPrefix(want, `-----BEGIN RSA PRIVATE KEY-----\n`) || !strings.HasSuffix(want, `-----END RSA PRIVATE KEY-----\n`) {
					t.Fatalf("awk output has an unexpected shape: %.40q...", want)
				}
				info, err := ParseGitHubAppKey(data)
				if err != nil {
					t.Fatal(err)
				}
				if got := OneLine(info.PKCS1); got != want {
					t.Errorf("OneLine(info.PKCS1) differs from awk:\n got %q\nwant %q", got, want)
				}
				if got := OneLine(string(data)); got != want {
					t.Errorf("OneLine(file) differs from awk")
				}
				if info.PKCS1 != string(key) {
					t.Errorf("PKCS1 is not the cleaned input")
				}
			})
		}
	}
}

// TestOneLineSemantics pins awk's rules on inputs whose answer is known by hand.
func TestOneLineSemantics(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"\n\n", ""},
		{"a", `a\n`},
		{"a\n", `a\n`},
		{"a\nb\n", `a\nb\n`},
		{" \t\nb", `b\n`},              // spaces and tabs only: NF = 0
		{"a\r\n\r\nb\r\n", `a\n\nb\n`}, // "\r" alone has NF = 1 and prints as empty
		{"x\r\r\ny\rz", "x\r" + `\n` + `yz\n`},
		{"\v\n", "\v" + `\n`}, // \v is not a field separator in awk's default splitting
		{" lead  \n", ` lead  \n`},
		{`back\slash`, `back\slash\n`},
	}
	for _, tt := range tests {
		if got := OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOneLineMatchesAWKOnOddInput compares OneLine with the real awk on random text built from
// the characters that matter: CR, LF, spaces, tabs, other control bytes and non-ASCII.
func TestOneLineMatchesAWKOnOddInput(t *testing.T) {
	needTool(t, "awk")
	rng := mrand.New(mrand.NewPCG(1, 2))
	alphabet := []byte("ab-\\%\r\r\n\n\n \t\v\f\xff\xc3")
	dir := t.TempDir()
	for i := range 150 {
		buf := make([]byte, rng.IntN(40))
		for j := range buf {
			buf[j] = alphabet[rng.IntN(len(alphabet))]
		}
		file := writeFile(t, dir, "in", buf)
		if got, want := OneLine(string(buf)), awkOneLine(t, file); got != want {
			t.Fatalf("case %d: OneLine(%q) = %q, awk prints %q", i, buf, got, want)
		}
	}
}

// pkcs1Fields mirrors the PKCS#1 RSAPrivateKey structure, to build keys Go would not write.
type pkcs1Fields struct {
	Version               int
	N                     *big.Int
	E                     int
	D, P, Q, Dp, Dq, Qinv *big.Int
}

func pkcs1PEM(t testing.TB, f pkcs1Fields) []byte {
	t.Helper()
	der, err := asn1.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der})
}

// compositeFactorKey builds a key that is consistent in every way Go checks (n = p*q, CRT
// values, d) but whose p is the product of two primes. openssl rsa -check refuses it.
func compositeFactorKey(t testing.TB) []byte {
	t.Helper()
	e := big.NewInt(65537)
	one := big.NewInt(1)
	for {
		p1, _ := rand.Prime(rand.Reader, 512)
		p2, _ := rand.Prime(rand.Reader, 512)
		q, _ := rand.Prime(rand.Reader, 1024)
		p := new(big.Int).Mul(p1, p2)
		pm1, qm1 := new(big.Int).Sub(p, one), new(big.Int).Sub(q, one)
		g := new(big.Int).GCD(nil, nil, pm1, qm1)
		lambda := new(big.Int).Div(new(big.Int).Mul(pm1, qm1), g)
		d := new(big.Int).ModInverse(e, lambda)
		qinv := new(big.Int).ModInverse(q, p)
		if d == nil || qinv == nil {
			continue
		}
		return pkcs1PEM(t, pkcs1Fields{
			N: new(big.Int).Mul(p, q), E: 65537, D: d, P: p, Q: q,
			Dp: new(big.Int).Mod(d, pm1), Dq: new(big.Int).Mod(d, qm1), Qinv: qinv,
		})
	}
}

// TestParseGitHubAppKeyOpenSSLParity checks that ParseGitHubAppKey accepts exactly the RSA keys
// `openssl rsa -check` accepts, that PKCS#8 conversion equals `openssl rsa -traditional`, and
// that the fingerprint is the one GitHub documents (openssl ... -pubout -outform DER | sha256).
func TestParseGitHubAppKeyOpenSSLParity(t *testing.T) {
	needTool(t, "openssl")
	dir := t.TempDir()
	pkcs1 := genOpenSSLKey(t, "genrsa", "-traditional", "2048")
	good := rsaKeyOf(t, pkcs1)
	badQinv := pkcs1Fields{N: good.N, E: good.E, D: good.D, P: good.Primes[0], Q: good.Primes[1],
		Dp: good.Precomputed.Dp, Dq: good.Precomputed.Dq, Qinv: new(big.Int).Add(good.Precomputed.Qinv, big.NewInt(1))}
	flipped := bytes.Clone(pkcs1)
	// Line 3 lies inside the modulus: the DER still parses, the numbers no longer agree.
	lines := bytes.Split(flipped, []byte("\n"))
	if lines[3][10] == 'A' {
		lines[3][10] = 'B'
	} else {
		lines[3][10] = 'A'
	}
	flipped = bytes.Join(lines, []byte("\n"))

	tests := []struct {
		name string
		data []byte
		// divergent marks a documented difference: openssl accepts, this tool refuses.
		divergent bool
	}{
		{"genrsa traditional 2048", pkcs1, false},
		{"genpkey RSA (PKCS#8)", genOpenSSLKey(t, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"), false},
		{"genrsa traditional 4096", genOpenSSLKey(t, "genrsa", "-traditional", "4096"), false},
		{"genrsa traditional 1024", genOpenSSLKey(t, "genrsa", "-traditional", "1024"), false},
		{"exponent 3", genOpenSSLKey(t, "genrsa", "-traditional", "-3", "2048"), false},
		{"three primes", genOpenSSLKey(t, "genrsa", "-traditional", "-primes", "3", "2048"), false},
		{"encrypted traditional", genOpenSSLKey(t, "genrsa", "-aes256", "-passout", "pass:x", "-traditional", "2048"), false},
		{"encrypted PKCS#8", runTool(t, dir, "openssl", "pkcs8", "-topk8", "-v2", "aes256", "-passout", "pass:x", "-in", writeFile(t, dir, "p1.pem", pkcs1)), false},
		{"wrong CRT coefficient", pkcs1PEM(t, badQinv), false},
		{"modulus changed", flipped, false},
		{"composite factor", compositeFactorKey(t), false},
		{"512-bit", genOpenSSLKey(t, "genrsa", "-traditional", "512"), true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, dir, "k"+string(rune('a'+i))+".pem", tt.data)
			sslOK := opensslCheckOK(dir, file)
			info, err := ParseGitHubAppKey(tt.data)
			oursOK := err == nil
			if tt.divergent {
				if !sslOK || oursOK {
					t.Fatalf("expected the documented divergence (openssl accepts, we refuse): openssl %v, ours %v", sslOK, err)
				}
				if kindOf(err) != pemErrKeySize || !strings.Contains(err.Error(), "512 bits") {
					t.Errorf("512-bit key refused with %q", err)
				}
				return
			}
			if sslOK != oursOK {
				t.Fatalf("openssl rsa -check accepts: %v; ParseGitHubAppKey: %v", sslOK, err)
			}
			if !oursOK {
				assertNoMaterial(t, err.Error(), tt.data)
				return
			}
			// Conversion parity: openssl's PKCS#1 rendering of the same input.
			trad := runTool(t, dir, "openssl", "rsa", "-in", file, "-traditional")
			want := rsaKeyOf(t, trad)
			got := rsaKeyOf(t, []byte(info.PKCS1))
			if !got.Equal(want) {
				t.Fatal("PKCS1 is not the key openssl rsa -traditional prints")
			}
			if wb, _ := pem.Decode(trad); len(want.Primes) == 2 && !bytes.Equal(x509.MarshalPKCS1PrivateKey(got), wb.Bytes) {
				t.Error("PKCS#1 DER differs from openssl's")
			}
			if info.Converted != strings.Contains(string(tt.data), "BEGIN PRIVATE KEY") {
				t.Errorf("Converted = %v", info.Converted)
			}
			if info.Bits != want.N.BitLen() {
				t.Errorf("Bits = %d, want %d", info.Bits, want.N.BitLen())
			}
			pubDER := runTool(t, dir, "openssl", "rsa", "-in", file, "-pubout", "-outform", "DER")
			sum := sha256.Sum256(pubDER)
			if fp := "SHA256:" + base64.StdEncoding.EncodeToString(sum[:]); info.Fingerprint != fp {
				t.Errorf("Fingerprint = %s, openssl gives %s", info.Fingerprint, fp)
			}
		})
	}

	t.Run("composite factor passes Go's own checks", func(t *testing.T) {
		// Proves the primality test, not x509, is what refuses this key.
		b, _ := pem.Decode(compositeFactorKey(t))
		if _, err := x509.ParsePKCS1PrivateKey(b.Bytes); err != nil {
			// Go's parser refuses it by itself now; the key must still be refused below.
			t.Logf("x509 refuses it by itself: %v", err)
		}
		if _, err := ParseGitHubAppKey(pem.EncodeToMemory(b)); kindOf(err) != pemErrInvalid || !strings.Contains(err.Error(), "not prime") {
			t.Fatalf("err = %v", err)
		}
	})
}

// sshPublicLine returns an "ssh-rsa AAAA..." line for key, built from the SSH wire format.
func sshPublicLine(key *rsa.PublicKey) string {
	var b []byte
	put := func(p []byte) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	mpint := func(n *big.Int) []byte {
		p := n.Bytes()
		if len(p) > 0 && p[0]&0x80 != 0 {
			p = append([]byte{0}, p...)
		}
		return p
	}
	put([]byte("ssh-rsa"))
	put(mpint(big.NewInt(int64(key.E))))
	put(mpint(key.N))
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(b) + " someone@laptop\n"
}

// TestParseGitHubAppKeyRefusals checks each kind of wrong input gets its own message, naming
// what the input is, and that no message repeats key material.
func TestParseGitHubAppKeyRefusals(t *testing.T) {
	needTool(t, "openssl")
	dir := t.TempDir()
	pkcs1 := genOpenSSLKey(t, "genrsa", "-traditional", "2048")
	keyFile := writeFile(t, dir, "key.pem", pkcs1)
	key := rsaKeyOf(t, pkcs1)
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	sum := sha256.Sum256(pubDER)
	fingerprint := "SHA256:" + base64.StdEncoding.EncodeToString(sum[:])
	cert := runTool(t, dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=t", "-days", "1", "-keyout", filepath.Join(dir, "ck.pem"))
	lines := strings.Split(string(pkcs1), "\n")
	damaged := strings.Join(append(append(append([]string{}, lines[:5]...), lines[5][:20]+"!"+lines[5][21:]), lines[6:]...), "\n")
	missingLine := strings.Join(append(append([]string{}, lines[:5]...), lines[6:]...), "\n")
	der, _ := pem.Decode(pkcs1)
	body := strings.Join(lines[1:len(lines)-2], "\n")
	openssh := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDhY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6MDEyMzQ1AAAAAA==\n-----END OPENSSH PRIVATE KEY-----\n"

	tests := []struct {
		name  string
		data  []byte
		kind  pemErrKind
		words []string // each must appear in the message
	}{
		{"empty", nil, pemErrEmpty, []string{"empty"}},
		{"whitespace only", []byte(" \r\n\t\n"), pemErrEmpty, []string{"empty"}},
		{"BOM only", []byte("\uFEFF\n"), pemErrEmpty, []string{"empty"}},
		{"fingerprint SHA256", []byte(fingerprint + "\n"), pemErrFingerprint, []string{"this is the key's fingerprint, not the key: download the .pem from GitHub App settings > Private keys"}},
		{"fingerprint unpadded", []byte(strings.TrimSuffix(fingerprint, "=")), pemErrFingerprint, []string{"fingerprint"}},
		{"fingerprint colon hex", []byte("MD5:9f:3a:1c:00:ab:cd:ef:01:23:45:67:89:ab:cd:ef:10"), pemErrFingerprint, []string{"fingerprint"}},
		{"bare hex", []byte("3f786850e387550fdab836ed7e6dc881de23001b"), pemErrFingerprint, []string{"hex", "fingerprint"}},
		{"public key PEM", runTool(t, dir, "openssl", "rsa", "-in", keyFile, "-pubout"), pemErrPublicKey, []string{"public key", "PUBLIC KEY", "private key is needed"}},
		{"RSA public key PEM", runTool(t, dir, "openssl", "rsa", "-in", keyFile, "-RSAPublicKey_out"), pemErrPublicKey, []string{"public key", "RSA PUBLIC KEY"}},
		{"ssh-rsa line", []byte(sshPublicLine(&key.PublicKey)), pemErrPublicKey, []string{"SSH public key"}},
		{"certificate", cert, pemErrCertificate, []string{"certificate", "CERTIFICATE"}},
		{"encrypted traditional", genOpenSSLKey(t, "genrsa", "-aes256", "-passout", "pass:x", "-traditional", "2048"), pemErrEncrypted,
			[]string{"encrypted", "Proc-Type", "openssl rsa -in key.pem -out key-plain.pem", "never encrypted"}},
		{"encrypted PKCS#8", runTool(t, dir, "openssl", "pkcs8", "-topk8", "-v2", "aes256", "-passout", "pass:x", "-in", keyFile), pemErrEncrypted,
			[]string{"encrypted", "ENCRYPTED PRIVATE KEY", "openssl rsa -in key.pem -out key-plain.pem", "never encrypted"}},
		{"EC from ecparam", genOpenSSLKey(t, "ecparam", "-genkey", "-name", "prime256v1"), pemErrNotRSA, []string{"EC private key", "GitHub App keys are RSA"}},
		{"EC noout", genOpenSSLKey(t, "ecparam", "-genkey", "-noout", "-name", "secp384r1"), pemErrNotRSA, []string{"EC private key", "RSA"}},
		{"EC PKCS#8", genOpenSSLKey(t, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"), pemErrNotRSA, []string{"EC (ECDSA)", "GitHub App keys are RSA"}},
		{"Ed25519 PKCS#8", genOpenSSLKey(t, "genpkey", "-algorithm", "ed25519"), pemErrNotRSA, []string{"Ed25519", "GitHub App keys are RSA"}},
		{"OpenSSH", []byte(openssh), pemErrOpenSSH, []string{"OpenSSH private key", "SSH key", "not a GitHub App key"}},
		{"key and certificate", append(bytes.Clone(pkcs1), cert...), pemErrSeveral, []string{"2 PEM blocks", "RSA PRIVATE KEY, CERTIFICATE", "only the GitHub App private key"}},
		{"two keys", append(bytes.Clone(pkcs1), pkcs1...), pemErrSeveral, []string{"2 PEM blocks"}},
		{"damaged base64", []byte(damaged), pemErrDamaged, []string{"damaged", "not base64", "line 5"}},
		{"line missing", []byte(missingLine), pemErrInvalid, []string{"not hold a valid RSA private key", "damaged"}},
		{"cut off", pkcs1[:len(pkcs1)/2], pemErrDamaged, []string{"no -----END line", "cut off"}},
		{"END mismatch", []byte(strings.Replace(string(pkcs1), "END RSA PRIVATE KEY", "END PRIVATE KEY", 1)), pemErrDamaged, []string{"BEGIN line says RSA PRIVATE KEY", "END line says PRIVATE KEY"}},
		{"unknown label not echoed", []byte("-----BEGIN MIIEPAIBAAKCAQEAXYZ-----\nAAAA\n-----END MIIEPAIBAAKCAQEAXYZ-----\n"), pemErrWrongBlock, []string{"unrecognised type"}},
		{"no PEM", []byte("Hello, this is my GitHub App.\nIt has an ID of 12345.\n"), pemErrNotPEM, []string{"not a PEM key", "-----BEGIN RSA PRIVATE KEY-----"}},
		{"binary DER", der.Bytes, pemErrNotPEM, []string{"binary (DER)", "openssl rsa -inform DER"}},
		{"body without armor", []byte(body), pemErrDamaged, []string{"without its -----BEGIN and -----END lines"}},
		{"a file name", []byte("/home/me/Downloads/my-app.2024-01-01.private-key.pem"), pemErrPath, []string{"file name"}},
		{"PuTTY", []byte("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n"), pemErrOpenSSH, []string{"PuTTY"}},
		{"512-bit", genOpenSSLKey(t, "genrsa", "-traditional", "512"), pemErrKeySize, []string{"512 bits", "2048-bit"}},
		{"stray END", []byte(body + "\n-----END RSA PRIVATE KEY-----\n"), pemErrDamaged, []string{"no -----BEGIN line"}},
		{"broken BEGIN line", []byte("-----BEGIN RSA PRIVATE KEY\n" + body), pemErrDamaged, []string{"no complete"}},
		{"UTF-16", []byte("\xFF\xFE-\x00-\x00"), pemErrNotPEM, []string{"UTF-16"}},
		{"too large", bytes.Repeat([]byte("A"), MaxPEMSize+1), pemErrTooLarge, []string{"64 KiB"}},
		{"header lines", []byte(strings.Replace(string(pkcs1), "KEY-----\n", "KEY-----\nComment: mine\n\n", 1)), pemErrDamaged, []string{"header lines"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ParseGitHubAppKey(tt.data)
			if err == nil {
				t.Fatalf("accepted: %s", info.Describe())
			}
			msg := err.Error()
			if kindOf(err) != tt.kind {
				t.Errorf("kind = %d, want %d (%s)", kindOf(err), tt.kind, msg)
			}
			for _, w := range tt.words {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q: %s", w, msg)
				}
			}
			assertNoMaterial(t, msg, tt.data)
		})
	}
}

// TestParseGitHubAppKeyTolerates checks the harmless ways a key file differs from GitHub's
// download: each must give the same key and the same clean PKCS#1 text.
func TestParseGitHubAppKeyTolerates(t *testing.T) {
	needTool(t, "openssl")
	pkcs1 := string(genOpenSSLKey(t, "genrsa", "-traditional", "2048"))
	lines := strings.Split(strings.TrimSuffix(pkcs1, "\n"), "\n")
	withLines := func(f func(i int, l string) string) string {
		var b strings.Builder
		for i, l := range lines {
			b.WriteString(f(i, l))
		}
		return b.String()
	}
	tests := []struct{ name, in string }{
		{"as is", pkcs1},
		{"BOM", "\uFEFF" + pkcs1},
		{"CRLF", strings.ReplaceAll(pkcs1, "\n", "\r\n")},
		{"BOM and CRLF", "\uFEFF" + strings.ReplaceAll(pkcs1, "\n", "\r\n")},
		{"old Mac CR", strings.ReplaceAll(pkcs1, "\n", "\r")},
		{"no final newline", strings.TrimSuffix(pkcs1, "\n")},
		{"blank lines", "\n\n" + withLines(func(i int, l string) string { return l + "\n\n" }) + "\n"},
		{"whitespace-only lines", withLines(func(i int, l string) string { return l + "\n \t \n" })},
		{"trailing spaces and tabs", withLines(func(i int, l string) string { return l + " \t \n" })},
		{"indented", withLines(func(i int, l string) string { return "    " + l + "\n" })},
		{"text around", "Here is the key:\n" + pkcs1 + "Generated 2024-01-01\n"},
		{"one-line form", OneLine(pkcs1)},
		{"one-line form quoted", `"` + OneLine(pkcs1) + `"`},
		{"line breaks became spaces", strings.ReplaceAll(pkcs1, "\n", " ")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ParseGitHubAppKey([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if info.PKCS1 != pkcs1 {
				t.Errorf("PKCS1 is not the clean key:\n%s", info.PKCS1)
			}
			if info.InputFormat != "PKCS#1" || info.Converted || info.Bits != 2048 {
				t.Errorf("info = %+v", info)
			}
		})
	}
}

// TestKeyInfoDescribe checks the summary line for native and converted keys.
func TestKeyInfoDescribe(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p8, _ := x509.MarshalPKCS8PrivateKey(key)
	tests := []struct {
		block *pem.Block
		want  string
	}{
		{&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}, "RSA 2048-bit, PKCS#1, SHA256:"},
		{&pem.Block{Type: "PRIVATE KEY", Bytes: p8}, "RSA 2048-bit, PKCS#8, converted to PKCS#1, SHA256:"},
	}
	for _, tt := range tests {
		info, err := ParseGitHubAppKey(pem.EncodeToMemory(tt.block))
		if err != nil {
			t.Fatal(err)
		}
		d := info.Describe()
		if !strings.HasPrefix(d, tt.want) || !strings.HasSuffix(d, info.Fingerprint) || len(info.Fingerprint) != 7+44 {
			t.Errorf("Describe() = %q", d)
		}
		if tt.block.Type == "PRIVATE KEY" && info.PKCS1 != string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})) {
			t.Error("converted PKCS1 is not pem.EncodeToMemory of the PKCS#1 DER")
		}
	}
}

// TestNormalizePath covers the forms terminals and people give paths in.
func TestNormalizePath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct {
		in, want string
		wantErr  string
	}{
		{in: "/tmp/key.pem", want: "/tmp/key.pem"},
		{in: "  /tmp/key.pem \n", want: "/tmp/key.pem"},
		{in: "/tmp/key.pem\r\n", want: "/tmp/key.pem"},
		{in: "'/tmp/my key.pem'", want: "/tmp/my key.pem"},
		{in: `"/tmp/my key.pem"`, want: "/tmp/my key.pem"},
		{in: `"/tmp/say \"hi\".pem"`, want: `/tmp/say "hi".pem`},
		{in: `/tmp/my\ key\ \(1\).pem`, want: "/tmp/my key (1).pem"},
		{in: `'/tmp/it'\''s.pem'`, want: "/tmp/it's.pem"},
		{in: "/tmp/Bob's key.pem", want: "/tmp/Bob's key.pem"},
		{in: `C:\Users\me\key.pem`, want: `C:\Users\me\key.pem`},
		{in: "~", want: home},
		{in: "~/key.pem", want: filepath.Join(home, "key.pem")},
		{in: "'~/my key.pem'", want: filepath.Join(home, "my key.pem")},
		{in: `\~/key.pem`, want: "~/key.pem"},
		{in: "~bob/key.pem", want: "~bob/key.pem"},
		{in: "relative/key.pem", want: "relative/key.pem"},
		{in: "file:///tmp/my%20key.pem", want: "/tmp/my key.pem"},
		{in: "'file:///tmp/my%20key%23.pem'\n", want: "/tmp/my key#.pem"},
		{in: "file://localhost/tmp/key.pem", want: "/tmp/key.pem"},
		{in: "FILE:///tmp/key.pem", want: "/tmp/key.pem"},
		{in: "file://other.host/tmp/key.pem", wantErr: "other.host"},
		{in: "file://", wantErr: "names no file"},
		{in: "", wantErr: "no file name"},
		{in: " \n", wantErr: "no file name"},
		{in: "''", wantErr: "no file name"},
		{in: "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecret\n", wantErr: "PEM text"},
		{in: "/tmp/a.pem\n/tmp/b.pem", wantErr: "several lines"},
	}
	for _, tt := range tests {
		got, err := NormalizePath(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NormalizePath(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "MIIEsecret") {
				t.Errorf("error echoes key text: %v", err)
			}
		case err != nil || got != tt.want:
			t.Errorf("NormalizePath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestReadKeyFile checks each refusal and the normal read.
func TestReadKeyFile(t *testing.T) {
	dir := t.TempDir()
	key := []byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
	ok := writeFile(t, dir, "my key.pem", key)
	writeFile(t, dir, "empty.pem", nil)
	writeFile(t, dir, "blank.pem", []byte("\n \n"))
	writeFile(t, dir, "big.pem", bytes.Repeat([]byte("A"), MaxPEMSize+1))
	writeFile(t, dir, "max.pem", bytes.Repeat([]byte("A"), MaxPEMSize))
	if err := os.Mkdir(filepath.Join(dir, "keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	// chmod 000 does not stop root; then read through a path whose "directory" is a file.
	unreadable := writeFile(t, dir, "locked.pem", key)
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ReadFile(unreadable); err == nil {
		unreadable = filepath.Join(ok, "inside.pem")
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// No writer ever opens the FIFO: reading it would block forever, so it must be refused
	// without being read. /dev/zero would never end.

	tests := []struct {
		name, path string
		wantErr    string
		is         error
	}{
		{"ok, quoted as pasted", "'" + ok + "'\n", "", nil},
		{"ok, escaped", strings.ReplaceAll(ok, " ", `\ `), "", nil},
		{"ok, file URL", "file://" + strings.ReplaceAll(ok, " ", "%20"), "", nil},
		{"exactly the limit", filepath.Join(dir, "max.pem"), "", nil},
		{"named pipe", fifo, "is a named pipe (FIFO), not a regular file", nil},
		{"device", "/dev/zero", "is a character device, not a regular file", nil},
		{"missing", filepath.Join(dir, "nope.pem"), "there is no file", fs.ErrNotExist},
		{"directory", filepath.Join(dir, "keys"), "is a directory", nil},
		{"empty", filepath.Join(dir, "empty.pem"), "is empty", nil},
		{"blank", filepath.Join(dir, "blank.pem"), "is empty", nil},
		{"too big", filepath.Join(dir, "big.pem"), "larger than any PEM key", nil},
		{"unreadable", unreadable, "cannot read", nil},
		{"no path", "  ", "no file name", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := ReadKeyFile(tt.path)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(data) == 0 {
					t.Fatal("no data")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err does not wrap %v", tt.is)
			}
			if strings.Count(err.Error(), dir) > 1 {
				t.Errorf("path repeated in %q", err)
			}
		})
	}
}

// TestParsePrivateKeyPEM checks the general key parser used for OIDC and TLS keys.
func TestParsePrivateKeyPEM(t *testing.T) {
	needTool(t, "openssl")
	dir := t.TempDir()
	pkcs1 := genOpenSSLKey(t, "genrsa", "-traditional", "2048")
	tests := []struct {
		name    string
		text    []byte
		want    string // Go type of the key, or "" for a refusal
		wantErr string
	}{
		{"PKCS#1 RSA", pkcs1, "*rsa.PrivateKey", ""},
		{"PKCS#8 RSA", genOpenSSLKey(t, "genpkey", "-algorithm", "RSA"), "*rsa.PrivateKey", ""},
		{"SEC1 EC with parameters", genOpenSSLKey(t, "ecparam", "-genkey", "-name", "prime256v1"), "*ecdsa.PrivateKey", ""},
		{"SEC1 EC CRLF", bytes.ReplaceAll(genOpenSSLKey(t, "ecparam", "-genkey", "-noout", "-name", "secp384r1"), []byte("\n"), []byte("\r\n")), "*ecdsa.PrivateKey", ""},
		{"PKCS#8 EC", genOpenSSLKey(t, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"), "*ecdsa.PrivateKey", ""},
		{"PKCS#8 Ed25519", genOpenSSLKey(t, "genpkey", "-algorithm", "ed25519"), "ed25519.PrivateKey", ""},
		{"X25519 cannot sign", genOpenSSLKey(t, "genpkey", "-algorithm", "x25519"), "", "X25519"},
		{"encrypted", runTool(t, dir, "openssl", "pkcs8", "-topk8", "-v2", "aes256", "-passout", "pass:x", "-in", writeFile(t, dir, "k.pem", pkcs1)), "", "encrypted"},
		{"public key", runTool(t, dir, "openssl", "pkey", "-in", filepath.Join(dir, "k.pem"), "-pubout"), "", "public key"},
		{"certificate", runTool(t, dir, "openssl", "req", "-x509", "-key", filepath.Join(dir, "k.pem"), "-subj", "/CN=t", "-days", "1"), "", "certificate"},
		{"two keys", append(bytes.Clone(pkcs1), pkcs1...), "", "2 PEM blocks"},
		{"empty", nil, "", "empty"},
		{"fingerprint", []byte("SHA256:" + strings.Repeat("A", 43) + "="), "", "fingerprint"},
		{"damaged", bytes.Replace(pkcs1, []byte("\n"), []byte("\n#"), 3), "", "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := ParsePrivateKeyPEM(string(tt.text))
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				assertNoMaterial(t, err.Error(), tt.text)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got string
			switch key.(type) {
			case *rsa.PrivateKey:
				got = "*rsa.PrivateKey"
			case *ecdsa.PrivateKey:
				got = "*ecdsa.PrivateKey"
			case ed25519.PrivateKey:
				got = "ed25519.PrivateKey"
			}
			if got != tt.want {
				t.Errorf("key is %T, want %s", key, tt.want)
			}
		})
	}
}

// certSet is a CA, a leaf it signed, and their keys, made with openssl.
type certSet struct {
	ca, leaf, ecCert      []byte
	caKey, leafKey, ecKey crypto.Signer
}

func makeCerts(t *testing.T) certSet {
	t.Helper()
	needTool(t, "openssl")
	dir := t.TempDir()
	ssl := func(args ...string) { runTool(t, dir, "openssl", args...) }
	ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ca", "-days", "1", "-keyout", "ca.key", "-out", "ca.pem")
	ssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=leaf", "-keyout", "leaf.key", "-out", "leaf.csr")
	ssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", "leaf.pem")
	ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=ec", "-days", "1", "-keyout", "ec.key", "-out", "ec.pem")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	key := func(name string) crypto.Signer {
		k, err := ParsePrivateKeyPEM(string(read(name)))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	return certSet{ca: read("ca.pem"), leaf: read("leaf.pem"), ecCert: read("ec.pem"),
		caKey: key("ca.key"), leafKey: key("leaf.key"), ecKey: key("ec.key")}
}

// TestParseCertificatesPEM checks single certificates, chains and refusals.
func TestParseCertificatesPEM(t *testing.T) {
	cs := makeCerts(t)
	chain := string(cs.leaf) + string(cs.ca)
	t.Run("chain of two", func(t *testing.T) {
		certs, err := ParseCertificatesPEM("subject=CN = leaf\n" + strings.ReplaceAll(chain, "\n", "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(certs) != 2 || certs[0].Subject.CommonName != "leaf" || certs[1].Subject.CommonName != "ca" {
			t.Fatalf("got %d certificates", len(certs))
		}
		if err := certs[0].CheckSignatureFrom(certs[1]); err != nil {
			t.Errorf("leaf is not signed by the second certificate: %v", err)
		}
	})
	keyPEM := genOpenSSLKey(t, "genrsa", "-traditional", "2048")
	tests := []struct {
		name, text, wantErr string
	}{
		{"empty", " \n", "empty"},
		{"not PEM", "hello", "no -----BEGIN CERTIFICATE-----"},
		{"with a private key", chain + string(keyPEM), "block 3 is a private key (RSA PRIVATE KEY)"},
		{"public key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "block 1 is PUBLIC KEY"},
		{"cut off", chain[:len(chain)-40], "block 2 (CERTIFICATE) has no -----END line"},
		{"damaged base64", strings.Replace(chain, "\n", "\n*", 2), "certificate 1: the base64 text"},
		{"not a certificate", "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n", "certificate 1 is not a valid X.509 certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCertificatesPEM(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			assertNoMaterial(t, err.Error(), keyPEM)
		})
	}
}

// TestKeyMatchesCertificate checks matching and mismatching key/certificate pairs.
func TestKeyMatchesCertificate(t *testing.T) {
	cs := makeCerts(t)
	certs, err := ParseCertificatesPEM(string(cs.leaf) + string(cs.ca) + string(cs.ecCert))
	if err != nil {
		t.Fatal(err)
	}
	leaf, ca, ec := certs[0], certs[1], certs[2]
	tests := []struct {
		name string
		key  crypto.Signer
		cert *x509.Certificate
		want bool
	}{
		{"leaf key, leaf cert", cs.leafKey, leaf, true},
		{"CA key, CA cert", cs.caKey, ca, true},
		{"EC key, EC cert", cs.ecKey, ec, true},
		{"leaf key, CA cert", cs.leafKey, ca, false},
		{"CA key, leaf cert", cs.caKey, leaf, false},
		{"EC key, RSA cert", cs.ecKey, leaf, false},
		{"RSA key, EC cert", cs.leafKey, ec, false},
		{"nil key", nil, leaf, false},
		{"nil cert", cs.leafKey, nil, false},
	}
	for _, tt := range tests {
		if got := KeyMatchesCertificate(tt.key, tt.cert); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLooksLikePEM checks the UI's cheap test.
func TestLooksLikePEM(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"-----BEGIN RSA PRIVATE KEY-----\n", true},
		{"junk\n  -----BEGIN CERTIFICATE-----", true},
		{"/tmp/key.pem", false},
		{"-----BEGIN", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := LooksLikePEM(tt.in); got != tt.want {
			t.Errorf("LooksLikePEM(%q) = %v", tt.in, got)
		}
	}
}

// BenchmarkPEM measures the pem command's work: parse and check a 2048-bit PKCS#1 key, then
// render its one-line form (without the memo: every iteration tests the key's factors).
func BenchmarkPEM(b *testing.B) {
	data := benchKey(b)
	b.ReportAllocs()
	for b.Loop() {
		info, err := parseGitHubAppKey(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		if OneLine(info.PKCS1) == "" {
			b.Fatal("empty")
		}
	}
}

// BenchmarkPEMRemembered measures ParseGitHubAppKey on a key it has seen before in the
// process: hashing the text and copying the remembered result.
func BenchmarkPEMRemembered(b *testing.B) {
	data := benchKey(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseGitHubAppKey(data); err != nil {
			b.Fatal(err)
		}
	}
}

// benchKey returns a new 2048-bit key as PKCS#1 PEM text.
func benchKey(b *testing.B) []byte {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}
