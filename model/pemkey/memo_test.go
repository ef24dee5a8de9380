package pemkey

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
)

// freshKey returns a new 1024-bit key as PKCS#1 and as PKCS#8 PEM text: a key no other test
// has parsed, so the memo has not seen it.
func freshKey(t *testing.T) (key *rsa.PrivateKey, pkcs1, pkcs8 []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	der8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der8})
}

// A key met several times and in several encodings (PKCS#1, PKCS#8, CRLF line ends, through
// both parsers) has its factors tested once.
func TestMemoTestsEachKeyOnce(t *testing.T) {
	_, pkcs1, pkcs8 := freshKey(t)
	crlf := []byte(strings.ReplaceAll(string(pkcs1), "\n", "\r\n"))
	before := PrimalityTests()
	var fingerprints []string
	for range 3 {
		for _, in := range [][]byte{pkcs1, pkcs8, crlf} {
			info, err := ParseGitHubAppKey(in)
			if err != nil {
				t.Fatal(err)
			}
			fingerprints = append(fingerprints, info.Fingerprint)
			if _, err := ParsePrivateKeyPEM(string(in)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := PrimalityTests() - before; n != 1 {
		t.Errorf("the key's factors were tested %d times, want once", n)
	}
	for _, f := range fingerprints {
		if f != fingerprints[0] {
			t.Fatalf("the remembered results differ: %v", fingerprints)
		}
	}
}

// Every caller gets its own KeyInfo: changing one does not change what the next caller gets.
func TestMemoReturnsCopies(t *testing.T) {
	_, pkcs1, _ := freshKey(t)
	a, err := ParseGitHubAppKey(pkcs1)
	if err != nil {
		t.Fatal(err)
	}
	want := a.PKCS1
	a.PKCS1, a.Bits = "changed", 1
	b, err := ParseGitHubAppKey(pkcs1)
	if err != nil {
		t.Fatal(err)
	}
	if b.PKCS1 != want || b.Bits != 1024 {
		t.Errorf("a caller's change reached the memo: %q, %d bits", b.PKCS1, b.Bits)
	}
}

// A key with a composite factor is refused every time, also when the refusal is remembered.
func TestMemoRemembersRefusals(t *testing.T) {
	text := compositeFactorKey(t)
	for i := range 3 {
		if _, err := ParseGitHubAppKey(text); kindOf(err) != pemErrInvalid || !strings.Contains(err.Error(), "not prime") {
			t.Errorf("call %d: want the composite factor refused, got %v", i+1, err)
		}
		if _, err := ParsePrivateKeyPEM(string(text)); kindOf(err) != pemErrInvalid {
			t.Errorf("call %d, ParsePrivateKeyPEM: want the composite factor refused, got %v", i+1, err)
		}
	}
}

// The memo keeps at most its bound of entries and recomputes an entry it let go.
func TestMemoBounded(t *testing.T) {
	m := newKeyMemo(3)
	calls := map[string]int{}
	get := func(k string) {
		_, _ = m.do(memoKey("test", []byte(k)), func() (any, error) { calls[k]++; return k, nil })
	}
	for _, k := range []string{"a", "b", "c", "a", "d", "e", "a"} {
		get(k)
	}
	if len(m.entries) != 3 || len(m.order) != 3 {
		t.Errorf("%d entries, %d in order; want 3", len(m.entries), len(m.order))
	}
	if calls["a"] != 2 || calls["b"] != 1 || calls["d"] != 1 {
		t.Errorf("calls %v: want a computed again only after it was dropped", calls)
	}
}

// Concurrent callers of the same new key wait for one test instead of each running their own.
func TestMemoConcurrent(t *testing.T) {
	_, pkcs1, _ := freshKey(t)
	before := PrimalityTests()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := ParseGitHubAppKey(pkcs1); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := PrimalityTests() - before; n != 1 {
		t.Errorf("%d tests for one key parsed concurrently, want 1", n)
	}
}
