package pemkey

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// FuzzParseGitHubAppKey checks that the parser never panics, never echoes input in its
// errors, and that every key it accepts survives the chart's one-line round trip.
func FuzzParseGitHubAppKey(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("SHA256:" + strings.Repeat("x", 43) + "="))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ParseGitHubAppKey(data)
		if err != nil {
			if info != nil {
				t.Fatal("KeyInfo returned with an error")
			}
			if kindOf(err) == 0 {
				t.Fatalf("error of no known kind: %v", err)
			}
			assertNoLongRun(t, err.Error(), data)
			return
		}
		if info.Bits < 1024 {
			t.Fatalf("accepted a %d-bit key", info.Bits)
		}
		if !strings.HasPrefix(info.PKCS1, "-----BEGIN RSA PRIVATE KEY-----\n") || !strings.HasSuffix(info.PKCS1, "\n-----END RSA PRIVATE KEY-----\n") {
			t.Fatalf("PKCS1 is not PKCS#1 PEM: %q", info.PKCS1)
		}
		line := OneLine(info.PKCS1)
		again, err := ParseGitHubAppKey([]byte(strings.ReplaceAll(line, `\n`, "\n")))
		if err != nil {
			t.Fatalf("one-line form does not parse again: %v", err)
		}
		if again.Fingerprint != info.Fingerprint || again.PKCS1 != info.PKCS1 || again.Bits != info.Bits {
			t.Fatalf("round trip changed the key: %s vs %s", again.Describe(), info.Describe())
		}
		// The PKCS1 text must also be readable by the standard library's strict decoder.
		b, rest := pem.Decode([]byte(info.PKCS1))
		if b == nil || len(rest) != 0 {
			t.Fatal("encoding/pem cannot read PKCS1")
		}
		if _, err := x509.ParsePKCS1PrivateKey(b.Bytes); err != nil {
			t.Fatalf("x509 cannot read PKCS1: %v", err)
		}
	})
}

// assertNoLongRun fails if msg holds a 24-character piece of a base64 run of input. It is the
// fuzz-friendly form of assertNoMaterial: messages themselves hold no runs that long, so a
// match can only be echoed input.
func assertNoLongRun(t *testing.T, msg string, input []byte) {
	t.Helper()
	for _, run := range base64Run.FindAll(input, -1) {
		for i := 0; i+24 <= len(run); i++ {
			if strings.Contains(msg, string(run[i:i+24])) {
				t.Fatalf("message echoes input text %q: %s", run[i:i+24], msg)
			}
		}
	}
}

// awkModel is an independent, deliberately plain statement of what
// awk 'NF {sub(/\r/, ""); printf "%s\\n", $0}' prints.
func awkModel(s string) string {
	records := strings.Split(s, "\n")
	if records[len(records)-1] == "" {
		records = records[:len(records)-1] // a final newline ends the last record
	}
	out := ""
	for _, r := range records {
		nf := 0 // awk's default splitting: fields are runs of bytes other than space and tab
		for i := 0; i < len(r); i++ {
			if r[i] != ' ' && r[i] != '\t' && (i == 0 || r[i-1] == ' ' || r[i-1] == '\t') {
				nf++
			}
		}
		if nf > 0 {
			out += strings.Replace(r, "\r", "", 1) + `\n`
		}
	}
	return out
}

// FuzzOneLine checks that OneLine's output is a single line and matches the awk model.
func FuzzOneLine(f *testing.F) {
	f.Add("-----BEGIN RSA PRIVATE KEY-----\r\nMIIB\r\n\r\n-----END RSA PRIVATE KEY-----")
	f.Add(" \t\n\r\n\v")
	f.Fuzz(func(t *testing.T, s string) {
		got := OneLine(s)
		if strings.ContainsAny(got, "\n") {
			t.Fatalf("output holds a newline: %q", got)
		}
		// sub() removes only the first CR of a line, so a CR survives only where a line had two.
		multiCR := false
		for line := range strings.SplitSeq(s, "\n") {
			multiCR = multiCR || strings.Count(line, "\r") > 1
		}
		if !multiCR && strings.Contains(got, "\r") {
			t.Fatalf("output holds a CR: %q", got)
		}
		if strings.ContainsRune(s, 0) {
			return // awks disagree on NUL bytes; the model does not cover them
		}
		if want := awkModel(s); got != want {
			t.Fatalf("OneLine(%q) = %q, model says %q", s, got, want)
		}
	})
}

// FuzzNormalizePath checks that NormalizePath never panics and never returns an empty path
// or a path with surrounding whitespace it was meant to trim.
func FuzzNormalizePath(f *testing.F) {
	f.Add("'/tmp/my key.pem'\n")
	f.Add(`~/x\ y`)
	f.Add("file:///tmp/a%20b")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePath(s)
		if err != nil {
			return
		}
		if got == "" {
			t.Fatalf("NormalizePath(%q) returned an empty path and no error", s)
		}
		// Text with nothing to undo comes back trimmed and otherwise unchanged.
		if plain := strings.TrimSpace(s); !strings.ContainsAny(plain, "'\"\\~") && !strings.HasPrefix(strings.ToLower(plain), "file:") && got != plain {
			t.Fatalf("NormalizePath(%q) = %q, want %q", s, got, plain)
		}
	})
}
