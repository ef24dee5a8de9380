package pemkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"regexp"
	"strings"
)

// MaxPEMSize is the largest key or certificate input accepted, in bytes; real PEM keys are a
// few KiB, so anything bigger is the wrong file.
const MaxPEMSize = 64 << 10

// Limits on RSA keys. Go refuses to use keys under 1024 bits; above 16384 bits the checks
// below get slow enough to matter and no GitHub App key is that large.
const (
	pemMinRSABits = 1024
	pemMaxRSABits = 16384
	// pemMaxDER bounds the decoded block before parsing, so hostile input cannot make
	// validation or primality testing run for minutes (a 16384-bit key is about 9.3 KiB).
	pemMaxDER = 12 << 10
)

// PEM block types this file names in messages. Other labels are never echoed: a label is
// input text, and only these known structural words are safe to repeat.
const (
	pemRSAPrivate   = "RSA PRIVATE KEY"
	pemPKCS8        = "PRIVATE KEY"
	pemEncrypted    = "ENCRYPTED PRIVATE KEY"
	pemECPrivate    = "EC PRIVATE KEY"
	pemECParams     = "EC PARAMETERS"
	pemOpenSSH      = "OPENSSH PRIVATE KEY"
	pemCertificate  = "CERTIFICATE"
	pemPublicKey    = "PUBLIC KEY"
	pemRSAPublicKey = "RSA PUBLIC KEY"
)

// pemKnownLabel reports whether label is a block type messages may repeat.
func pemKnownLabel(label string) bool {
	switch label {
	case pemRSAPrivate, pemPKCS8, pemEncrypted, pemECPrivate, pemECParams, pemOpenSSH,
		pemCertificate, pemPublicKey, pemRSAPublicKey, "DSA PRIVATE KEY", "TRUSTED CERTIFICATE",
		"X509 CERTIFICATE", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "X509 CRL",
		"DH PARAMETERS", "PGP PRIVATE KEY BLOCK", "PGP PUBLIC KEY BLOCK", "PGP MESSAGE",
		"PGP SIGNATURE", "SSH2 ENCRYPTED PRIVATE KEY":
		return true
	}
	return false
}

var (
	// pemMarker finds armor lines anywhere, so keys whose line breaks became spaces (a paste
	// through a single-line input) or literal \n (the chart's one-line form) still split.
	pemMarker = regexp.MustCompile(`-----(BEGIN|END) ([A-Za-z0-9 #._/-]{1,64}?)-----`)
	// GitHub shows "SHA256:" plus base64; older UIs and ssh-keygen show colon-separated hex.
	pemFingerprintB64 = regexp.MustCompile(`^(?i:sha256):[A-Za-z0-9+/]{43}=?$`)
	pemFingerprintHex = regexp.MustCompile(`^(?:(?i:md5|sha1|sha256):)?(?:[0-9a-fA-F]{2}:){15,}[0-9a-fA-F]{2}$`)
	pemBareHex        = regexp.MustCompile(`^[0-9a-fA-F]{32,64}$`)
	pemSSHPublic      = regexp.MustCompile(`(?m)^\s*(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-[a-z0-9]+|sk-[a-z0-9@.-]+) AAAA`)
	pemBase64Token    = regexp.MustCompile(`^[A-Za-z0-9+/=]+$`)
)

const (
	pemDownloadHint = "download the .pem from GitHub App settings > Private keys"
	pemDecryptHint  = "decrypt it with `openssl rsa -in key.pem -out key-plain.pem` (it asks for the passphrase)"
)

// KeyInfo describes a checked RSA private key.
type KeyInfo struct {
	// Bits is the modulus size, e.g. 2048.
	Bits int
	// InputFormat is what the input was: "PKCS#1" or "PKCS#8".
	InputFormat string
	// Fingerprint is what GitHub shows next to the key: "SHA256:" + base64 of the SHA-256 of
	// the DER-encoded PKIX public key.
	Fingerprint string
	// PKCS1 is the key as "-----BEGIN RSA PRIVATE KEY-----" PEM text with LF line ends.
	PKCS1 string
	// Converted is true when the input was PKCS#8 and PKCS1 was produced by conversion.
	Converted bool
}

// Describe returns a one-line summary such as "RSA 2048-bit, PKCS#1, SHA256:...".
func (k *KeyInfo) Describe() string {
	format := k.InputFormat
	if k.Converted {
		format += ", converted to PKCS#1"
	}
	return fmt.Sprintf("RSA %d-bit, %s, %s", k.Bits, format, k.Fingerprint)
}

// pemErrKind names what a refused input is; tests and callers inside the package switch on it.
type pemErrKind int

const (
	pemErrEmpty pemErrKind = iota + 1
	pemErrTooLarge
	pemErrFingerprint
	pemErrPath
	pemErrPublicKey
	pemErrCertificate
	pemErrEncrypted
	pemErrNotRSA
	pemErrOpenSSH
	pemErrSeveral
	pemErrDamaged
	pemErrInvalid
	pemErrKeySize
	pemErrNotPEM
	pemErrWrongBlock
)

// pemError is a refusal whose message never contains input text beyond known block labels.
type pemError struct {
	kind pemErrKind
	msg  string
}

func (e *pemError) Error() string { return e.msg }

func pemErrorf(kind pemErrKind, format string, args ...any) error {
	return &pemError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// pemBlock is one BEGIN..END section of the input, split into lines the way the file had them.
type pemBlock struct {
	label      string
	headers    []string // "Name: value" lines between BEGIN and the body
	body       []string // base64 lines, trimmed, blank ones dropped
	terminated bool     // an END line followed
	endLabel   string
}

// pemInput is the input cut into PEM blocks; text outside them is ignored.
type pemInput struct {
	blocks   []pemBlock
	strayEnd bool // an END line with no BEGIN before it
}

// pemSafeLabel returns the block type if it is one this file knows, so messages can name it.
func pemSafeLabel(label string) string {
	if pemKnownLabel(label) {
		return label
	}
	return "an unrecognised type"
}

// pemClean removes a UTF-8 BOM and turns CRLF and lone CR line ends into LF.
func pemClean(text string) string {
	text = strings.TrimPrefix(text, "\uFEFF")
	if strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return text
}

// pemSplit cuts cleaned text into blocks. It is more forgiving than encoding/pem: markers need
// not start a line, blank and whitespace-only lines are skipped, and the body may be separated
// by spaces or literal \n sequences instead of line breaks.
func pemSplit(text string) pemInput {
	var in pemInput
	var cur *pemBlock
	pos := 0
	for _, m := range pemMarker.FindAllStringSubmatchIndex(text, -1) {
		between := text[pos:m[0]]
		kind, label := text[m[2]:m[3]], text[m[4]:m[5]]
		pos = m[1]
		if cur != nil {
			cur.addContent(between)
		}
		switch {
		case kind == "BEGIN":
			if cur != nil {
				in.blocks = append(in.blocks, *cur)
			}
			cur = &pemBlock{label: label}
		case cur != nil:
			cur.terminated, cur.endLabel = true, label
			in.blocks = append(in.blocks, *cur)
			cur = nil
		default:
			in.strayEnd = true
		}
	}
	if cur != nil {
		cur.addContent(text[pos:])
		in.blocks = append(in.blocks, *cur)
	}
	return in
}

// addContent files the text between markers as header or body lines.
func (b *pemBlock) addContent(s string) {
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Trim(line, " \t")
		if line == "" {
			continue
		}
		// Base64 has no colon, so a colon before any body line marks an RFC 1421 header
		// such as "Proc-Type: 4,ENCRYPTED".
		if len(b.body) == 0 && strings.Contains(line, ":") {
			b.headers = append(b.headers, line)
			continue
		}
		if strings.Contains(line, `\`) {
			line = strings.ReplaceAll(strings.ReplaceAll(line, `\n`, " "), `\r`, " ")
		}
		b.body = append(b.body, strings.Fields(line)...)
	}
}

// encrypted reports whether the block carries the legacy OpenSSL encryption header.
func (b *pemBlock) encrypted() bool {
	for _, h := range b.headers {
		name, value, _ := strings.Cut(h, ":")
		if strings.EqualFold(strings.TrimSpace(name), "Proc-Type") && strings.Contains(strings.ToUpper(value), "ENCRYPTED") {
			return true
		}
	}
	return false
}

// decode checks the body lines and returns the DER bytes.
func (b *pemBlock) decode() ([]byte, error) {
	what := pemSafeLabel(b.label)
	if len(b.body) == 0 {
		return nil, pemErrorf(pemErrDamaged, "the %s block is empty: copy the whole file again", what)
	}
	for i, line := range b.body {
		if !pemBase64Token.MatchString(line) {
			return nil, pemErrorf(pemErrDamaged, "the base64 text of the %s block is damaged (body line %d holds characters that are not base64): copy the file again without editing it", what, i+1)
		}
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(b.body, ""))
	if err != nil {
		return nil, pemErrorf(pemErrDamaged, "the base64 text of the %s block is damaged (it does not decode; a line is missing, cut or changed): copy the file again without editing it", what)
	}
	return der, nil
}

// pemStructure applies the checks shared by the key parsers: size, emptiness, a single block
// that is complete.
func pemStructure(text string, github bool) (pemBlock, error) {
	if len(text) > MaxPEMSize {
		return pemBlock{}, pemErrorf(pemErrTooLarge, "the input is %d bytes, larger than any PEM key (limit %d KiB): is this the right file?", len(text), MaxPEMSize>>10)
	}
	if strings.HasPrefix(text, "\xFF\xFE") || strings.HasPrefix(text, "\xFE\xFF") {
		return pemBlock{}, pemErrorf(pemErrNotPEM, "the text is UTF-16 (as some Windows editors save files): save it as UTF-8 or ASCII")
	}
	text = pemClean(text)
	if strings.TrimSpace(text) == "" {
		if github {
			return pemBlock{}, pemErrorf(pemErrEmpty, "the key is empty: give the .pem file GitHub downloaded when you generated the App's private key")
		}
		return pemBlock{}, pemErrorf(pemErrEmpty, "the key is empty: give the PEM text of the private key")
	}
	in := pemSplit(text)
	if len(in.blocks) == 0 {
		if in.strayEnd {
			return pemBlock{}, pemErrorf(pemErrDamaged, "there is an -----END line but no -----BEGIN line: the start of the key is missing, copy the whole file")
		}
		return pemBlock{}, pemNotPEM(text, github)
	}
	blocks := in.blocks
	if len(blocks) > 1 {
		// openssl ecparam -genkey writes an EC PARAMETERS block before the key itself.
		var kept []pemBlock
		for _, b := range blocks {
			if b.label != pemECParams {
				kept = append(kept, b)
			}
		}
		if len(kept) == 1 && kept[0].label == pemECPrivate {
			blocks = kept
		}
	}
	if len(blocks) > 1 {
		labels := make([]string, len(blocks))
		for i, b := range blocks {
			labels[i] = pemSafeLabel(b.label)
		}
		hint := "give only the private key"
		if github {
			hint = "give only the GitHub App private key (GitHub's download holds exactly one RSA PRIVATE KEY block)"
		}
		return pemBlock{}, pemErrorf(pemErrSeveral, "the input holds %d PEM blocks (%s): %s", len(blocks), strings.Join(labels, ", "), hint)
	}
	b := blocks[0]
	if !b.terminated {
		return b, pemErrorf(pemErrDamaged, "the %s block has no -----END line, so the key is cut off: copy the whole file", pemSafeLabel(b.label))
	}
	if b.endLabel != b.label {
		return b, pemErrorf(pemErrDamaged, "the BEGIN line says %s but the END line says %s: the file was edited or two files were mixed, copy the original again", pemSafeLabel(b.label), pemSafeLabel(b.endLabel))
	}
	if in.strayEnd {
		return b, pemErrorf(pemErrDamaged, "there is an extra -----END line outside the %s block: copy the original file again", pemSafeLabel(b.label))
	}
	return b, nil
}

// pemNotPEM explains input without any BEGIN marker: it is often something else GitHub or a
// terminal shows, and each of those gets its own advice.
func pemNotPEM(text string, github bool) error {
	hint := "give the private key's PEM text"
	if github {
		hint = pemDownloadHint
	}
	trimmed := strings.Trim(strings.TrimSpace(text), `"'`)
	switch {
	case pemFingerprintB64.MatchString(trimmed) || pemFingerprintHex.MatchString(trimmed):
		return pemErrorf(pemErrFingerprint, "this is the key's fingerprint, not the key: %s", hint)
	case pemBareHex.MatchString(trimmed):
		return pemErrorf(pemErrFingerprint, "this is a short hex string (a key fingerprint, or perhaps a client secret), not the key: %s", hint)
	case pemSSHPublic.MatchString(text) || strings.Contains(text, "---- BEGIN SSH2 PUBLIC KEY ----"):
		return pemErrorf(pemErrPublicKey, "this is an SSH public key, not a PEM private key: %s", hint)
	case strings.HasPrefix(trimmed, "PuTTY-User-Key-File-"):
		return pemErrorf(pemErrOpenSSH, "this is a PuTTY key (.ppk), an SSH key, not a PEM private key: %s", hint)
	case strings.Contains(text, "-----BEGIN") || strings.Contains(text, "-----END"):
		return pemErrorf(pemErrDamaged, "there is a -----BEGIN or -----END marker but no complete \"-----BEGIN ...-----\" line: the text is damaged or cut off, copy the whole file")
	case len(text) > 1 && text[0] == 0x30 && (text[1] == 0x82 || text[1] == 0x81):
		return pemErrorf(pemErrNotPEM, "this is binary (DER) data, not PEM text: convert it with `openssl rsa -inform DER -in key.der -out key.pem`")
	case pemLooksLikePath(trimmed):
		return pemErrorf(pemErrPath, "this looks like a file name, not the key's contents: give the text inside the file")
	case pemIsBareBody(text):
		return pemErrorf(pemErrDamaged, "this is the base64 body of a key without its -----BEGIN and -----END lines: give the whole .pem file")
	}
	return pemErrorf(pemErrNotPEM, "this is not a PEM key (there is no -----BEGIN line; a key file starts with -----BEGIN RSA PRIVATE KEY-----): %s", hint)
}

// pemLooksLikePath reports whether s is one short line naming a key file.
func pemLooksLikePath(s string) bool {
	if strings.ContainsAny(s, "\n") || len(s) > 4096 {
		return false
	}
	lower := strings.ToLower(s)
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, "~/") || strings.HasPrefix(lower, "file://") ||
		strings.HasSuffix(lower, ".pem") || strings.HasSuffix(lower, ".key")
}

// pemIsBareBody reports whether text is only base64 lines that decode to a private key.
func pemIsBareBody(text string) bool {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		if !pemBase64Token.MatchString(f) {
			return false
		}
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(fields, ""))
	if err != nil || len(der) > pemMaxDER {
		return false
	}
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return true
	}
	_, err = x509.ParsePKCS8PrivateKey(der)
	return err == nil
}

// pemWrongBlock explains a complete block that is not a usable private key.
func pemWrongBlock(b pemBlock, github bool) error {
	hint := "give the unencrypted private key"
	if github {
		hint = pemDownloadHint
	}
	switch b.label {
	case pemPublicKey, pemRSAPublicKey:
		return pemErrorf(pemErrPublicKey, "this is a public key (%s block), but the private key is needed: %s", b.label, hint)
	case pemCertificate, "TRUSTED CERTIFICATE", "X509 CERTIFICATE":
		return pemErrorf(pemErrCertificate, "this is a certificate (%s block), not a private key: %s", b.label, hint)
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		return pemErrorf(pemErrCertificate, "this is a certificate signing request (%s block), not a private key: %s", b.label, hint)
	case pemEncrypted:
		return pemEncryptedError(pemEncrypted+" block", github)
	case pemOpenSSH:
		return pemErrorf(pemErrOpenSSH, "this is an OpenSSH private key (%s block), an SSH key such as git uses, not a GitHub App key: %s", b.label, hint)
	case "DSA PRIVATE KEY":
		return pemErrorf(pemErrNotRSA, "this is a DSA private key, but GitHub App keys are RSA: %s", hint)
	case pemECPrivate:
		return pemErrorf(pemErrNotRSA, "this is an EC private key (%s block), but GitHub App keys are RSA: %s", b.label, hint)
	}
	if strings.HasPrefix(b.label, "PGP ") && pemKnownLabel(b.label) {
		return pemErrorf(pemErrWrongBlock, "this is a PGP block (%s), not a PEM private key: %s", b.label, hint)
	}
	return pemErrorf(pemErrWrongBlock, "this is a PEM block of %s, not an RSA private key: %s", pemSafeLabel(b.label), hint)
}

func pemEncryptedError(marker string, github bool) error {
	if github {
		return pemErrorf(pemErrEncrypted, "this private key is encrypted with a passphrase (%s); GitHub's downloads are never encrypted, so this copy was re-saved elsewhere: %s, or generate a new key in GitHub App settings > Private keys", marker, pemDecryptHint)
	}
	return pemErrorf(pemErrEncrypted, "this private key is encrypted with a passphrase (%s), and the chart needs it unencrypted: decrypt it with `openssl pkey -in key.pem -out key-plain.pem`", marker)
}

// pemPKCS8Algorithm returns the algorithm OID of a PKCS#8 structure, or nil if it is not one.
func pemPKCS8Algorithm(der []byte) asn1.ObjectIdentifier {
	var p8 struct {
		Version    int
		Algo       pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(der, &p8); err != nil {
		return nil
	}
	return p8.Algo.Algorithm
}

// pemNotRSAName names a non-RSA PKCS#8 algorithm, or "" for RSA and unknown ones. The
// algorithm is read before parsing so that an EC or Ed25519 key gets its own message even
// where Go's parser would only say "unknown algorithm".
func pemNotRSAName(oid asn1.ObjectIdentifier) string {
	switch oid.String() {
	case "1.2.840.10045.2.1":
		return "an EC (ECDSA)"
	case "1.3.101.112":
		return "an Ed25519"
	case "1.3.101.113":
		return "an Ed448"
	case "1.3.101.110":
		return "an X25519"
	case "1.3.101.111":
		return "an X448"
	case "1.2.840.10040.4.1":
		return "a DSA"
	case "1.2.840.113549.1.1.10":
		return "an RSA-PSS"
	}
	return ""
}

// pemCheckRSA finishes the checks openssl rsa -check makes: x509 parsing has already verified
// n = p*q, d*e = 1 mod p-1 and q-1 and the CRT values; what remains is that the factors are
// prime, plus the size limits.
func pemCheckRSA(k *rsa.PrivateKey, github bool, m *keyMemo) error {
	bits := k.N.BitLen()
	sizeHint, hint := "", "give the original key"
	if github {
		sizeHint, hint = "; GitHub App keys are 2048-bit: "+pemDownloadHint, pemDownloadHint
	}
	if bits < pemMinRSABits {
		return pemErrorf(pemErrKeySize, "the RSA key has only %d bits, and keys under %d bits are refused as insecure%s", bits, pemMinRSABits, sizeHint)
	}
	if bits > pemMaxRSABits {
		return pemErrorf(pemErrKeySize, "the RSA key has %d bits, more than the %d this tool accepts%s", bits, pemMaxRSABits, sizeHint)
	}
	if !m.primesArePrime(k) {
		return pemErrorf(pemErrInvalid, "the RSA key fails the check openssl rsa -check makes (a factor of the modulus is not prime), so it is damaged or forged: %s", hint)
	}
	return nil
}

// pemRSAParseError turns an x509 parse failure into a message without input text.
func pemRSAParseError(label string, err error, github bool) error {
	hint := "give the original key"
	if github {
		hint = pemDownloadHint
	}
	// Validation failures from crypto/rsa are fixed strings ("crypto/rsa: p * q != n");
	// ASN.1 errors mention offsets and tags and mean nothing to an operator.
	if msg := err.Error(); strings.HasPrefix(msg, "crypto/rsa: ") {
		return pemErrorf(pemErrInvalid, "the RSA key fails the check openssl rsa -check makes (%s): the key is damaged: %s", strings.TrimPrefix(msg, "crypto/rsa: "), hint)
	}
	return pemErrorf(pemErrInvalid, "the %s block does not hold a valid RSA private key (its content is damaged): %s", label, hint)
}

// ParseGitHubAppKey checks that data is one unencrypted RSA private key and returns it in
// PKCS#1 form, the form the chart documents for secrets.GITHUB_APP_PRIVATE_KEY. The same text
// is parsed and checked once per process (the result is remembered, bounded), so callers may
// ask again, e.g. to describe the key, at no cost.
func ParseGitHubAppKey(data []byte) (*KeyInfo, error) {
	v, err := memo.do(memoKey("github", data), func() (any, error) { return parseGitHubAppKey(data, memo) })
	if err != nil {
		return nil, err
	}
	info := *v.(*KeyInfo) // a copy: callers may not change what others are given
	return &info, nil
}

// parseGitHubAppKey is ParseGitHubAppKey without remembering the result; m remembers the
// primality tests (nil: none).
func parseGitHubAppKey(data []byte, m *keyMemo) (*KeyInfo, error) {
	b, err := pemStructure(string(data), true)
	if err != nil {
		return nil, err
	}
	if b.label != pemRSAPrivate && b.label != pemPKCS8 {
		return nil, pemWrongBlock(b, true)
	}
	if b.encrypted() {
		return nil, pemEncryptedError("Proc-Type: 4,ENCRYPTED header", true)
	}
	if len(b.headers) > 0 {
		return nil, pemErrorf(pemErrDamaged, "the %s block has header lines (Name: value) that a plain key file does not have: remove them, or %s", b.label, pemDownloadHint)
	}
	der, err := b.decode()
	if err != nil {
		return nil, err
	}
	if len(der) > pemMaxDER {
		return nil, pemErrorf(pemErrKeySize, "the %s block holds %d bytes, more than an RSA key of %d bits: GitHub App keys are 2048-bit", b.label, len(der), pemMaxRSABits)
	}
	info := &KeyInfo{}
	var key *rsa.PrivateKey
	if b.label == pemRSAPrivate {
		if key, err = x509.ParsePKCS1PrivateKey(der); err != nil {
			return nil, pemRSAParseError(b.label, err, true)
		}
		info.InputFormat = "PKCS#1"
		// Keep the file's own lines so the one-line form is byte for byte what the chart
		// docs' awk command prints for the same file.
		info.PKCS1 = "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Join(b.body, "\n") + "\n-----END RSA PRIVATE KEY-----\n"
	} else {
		if name := pemNotRSAName(pemPKCS8Algorithm(der)); name != "" {
			return nil, pemErrorf(pemErrNotRSA, "this is %s private key (PKCS#8 PRIVATE KEY block), but GitHub App keys are RSA: %s", name, pemDownloadHint)
		}
		parsed, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, pemRSAParseError(b.label, err, true)
		}
		var ok bool
		if key, ok = parsed.(*rsa.PrivateKey); !ok {
			return nil, pemErrorf(pemErrNotRSA, "this PKCS#8 PRIVATE KEY block holds a %T key, but GitHub App keys are RSA: %s", parsed, pemDownloadHint)
		}
		info.InputFormat, info.Converted = "PKCS#8", true
		info.PKCS1 = string(pem.EncodeToMemory(&pem.Block{Type: pemRSAPrivate, Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	}
	if err := pemCheckRSA(key, true, m); err != nil {
		return nil, err
	}
	info.Bits = key.N.BitLen()
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, pemErrorf(pemErrInvalid, "the RSA public key cannot be encoded: %s", pemDownloadHint)
	}
	sum := sha256.Sum256(pub)
	info.Fingerprint = "SHA256:" + base64.StdEncoding.EncodeToString(sum[:])
	return info, nil
}

// OneLine returns the chart's one-line form of PEM text: exactly what
// awk 'NF {sub(/\r/, ""); printf "%s\\n", $0}' prints for it, i.e. every line holding more
// than spaces and tabs, minus its first CR, followed by the two characters backslash and n.
func OneLine(pemText string) string {
	var b strings.Builder
	b.Grow(len(pemText) + len(pemText)/16)
	for rest := pemText; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		// awk's default field splitting counts only spaces and tabs as blanks, so a line
		// holding just "\r" (a blank line of a CRLF file) has NF = 1 and is printed.
		if strings.Trim(line, " \t") == "" {
			continue
		}
		if i := strings.IndexByte(line, '\r'); i >= 0 {
			b.WriteString(line[:i])
			line = line[i+1:]
		}
		b.WriteString(line)
		b.WriteString(`\n`)
	}
	return b.String()
}

// ParsePrivateKeyPEM parses any unencrypted private key PEM (PKCS#1 RSA, PKCS#8 RSA, EC or
// Ed25519, SEC1 EC), as used for OIDC_PRIVATE_KEY, SSL_PRIVATE_KEY and CREW_SSL_KEY. Like
// ParseGitHubAppKey it parses and checks the same text once per process; the key returned is
// shared with other callers and must not be changed.
func ParsePrivateKeyPEM(text string) (crypto.Signer, error) {
	v, err := memo.do(memoKey("private", []byte(text)), func() (any, error) { return parsePrivateKeyPEM(text, memo) })
	if err != nil {
		return nil, err
	}
	return v.(crypto.Signer), nil
}

// parsePrivateKeyPEM is ParsePrivateKeyPEM without remembering the result; m remembers the
// primality tests (nil: none).
func parsePrivateKeyPEM(text string, m *keyMemo) (crypto.Signer, error) {
	b, err := pemStructure(text, false)
	if err != nil {
		return nil, err
	}
	switch b.label {
	case pemRSAPrivate, pemPKCS8, pemECPrivate:
	default:
		return nil, pemWrongBlock(b, false)
	}
	if b.encrypted() {
		return nil, pemEncryptedError("Proc-Type: 4,ENCRYPTED header", false)
	}
	der, err := b.decode()
	if err != nil {
		return nil, err
	}
	if len(der) > pemMaxDER {
		return nil, pemErrorf(pemErrKeySize, "the %s block holds %d bytes, more than any supported key", b.label, len(der))
	}
	var key any
	switch b.label {
	case pemRSAPrivate:
		key, err = x509.ParsePKCS1PrivateKey(der)
	case pemECPrivate:
		key, err = x509.ParseECPrivateKey(der)
	default:
		key, err = x509.ParsePKCS8PrivateKey(der)
	}
	if err != nil {
		if b.label == pemPKCS8 {
			switch name := pemNotRSAName(pemPKCS8Algorithm(der)); name {
			case "", "an EC (ECDSA)", "an Ed25519":
			default:
				return nil, pemErrorf(pemErrNotRSA, "this is %s private key, which is not supported here: use an RSA, EC (P-256/P-384/P-521) or Ed25519 key", name)
			}
		}
		if strings.HasPrefix(err.Error(), "crypto/rsa: ") {
			return nil, pemRSAParseError(b.label, err, false)
		}
		return nil, pemErrorf(pemErrInvalid, "the %s block does not hold a valid private key (its content is damaged): give the original key", b.label)
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if err := pemCheckRSA(k, false, m); err != nil {
			return nil, err
		}
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	}
	name := pemNotRSAName(pemPKCS8Algorithm(der))
	if name == "" {
		name = "a"
	}
	return nil, pemErrorf(pemErrNotRSA, "this is %s key, which can only agree on secrets, not sign: use an RSA, EC or Ed25519 key", name)
}

// ParseCertificatesPEM parses one or more CERTIFICATE blocks (a chain); it fails if there is
// none, or if any block is damaged or not a certificate.
func ParseCertificatesPEM(text string) ([]*x509.Certificate, error) {
	if len(text) > MaxPEMSize {
		return nil, pemErrorf(pemErrTooLarge, "the input is %d bytes, larger than a certificate chain should be (limit %d KiB)", len(text), MaxPEMSize>>10)
	}
	text = pemClean(text)
	if strings.TrimSpace(text) == "" {
		return nil, pemErrorf(pemErrEmpty, "the certificate is empty: give the PEM text starting with -----BEGIN CERTIFICATE-----")
	}
	in := pemSplit(text)
	if len(in.blocks) == 0 {
		return nil, pemErrorf(pemErrNotPEM, "no -----BEGIN CERTIFICATE----- line found: give the certificate in PEM form (convert DER with `openssl x509 -inform DER -in cert.der -out cert.pem`)")
	}
	var certs []*x509.Certificate
	for i, b := range in.blocks {
		n := i + 1
		switch {
		case !b.terminated:
			return nil, pemErrorf(pemErrDamaged, "block %d (%s) has no -----END line: the text is cut off", n, pemSafeLabel(b.label))
		case b.endLabel != b.label:
			return nil, pemErrorf(pemErrDamaged, "block %d begins as %s but ends as %s: the text was edited or mixed", n, pemSafeLabel(b.label), pemSafeLabel(b.endLabel))
		case strings.Contains(b.label, "PRIVATE KEY"):
			return nil, pemErrorf(pemErrWrongBlock, "block %d is a private key (%s), not a certificate: put the key in its own setting", n, pemSafeLabel(b.label))
		case b.label != pemCertificate:
			return nil, pemErrorf(pemErrWrongBlock, "block %d is %s, not a CERTIFICATE: give only certificates", n, pemSafeLabel(b.label))
		}
		der, err := b.decode()
		if err != nil {
			return nil, pemErrorf(pemErrDamaged, "certificate %d: %v", n, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			// Certificates are public, so Go's reason may be shown as it is.
			return nil, pemErrorf(pemErrInvalid, "certificate %d is not a valid X.509 certificate: %v", n, err)
		}
		certs = append(certs, cert)
	}
	return certs, nil
}

// KeyMatchesCertificate reports whether key is the private half of cert's public key.
func KeyMatchesCertificate(key crypto.Signer, cert *x509.Certificate) bool {
	if key == nil || cert == nil {
		return false
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(cert.PublicKey)
}

// LooksLikePEM reports whether text contains a "-----BEGIN " marker; a cheap check the UI uses
// to tell pasted PEM text from a file name.
func LooksLikePEM(text string) bool {
	return strings.Contains(text, "-----BEGIN ")
}

// IsRSA reports whether a parsed private key is an RSA key.
func IsRSA(key crypto.Signer) bool {
	_, ok := key.(*rsa.PrivateKey)
	return ok
}
