package model

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// Fixtures shared by the answers and validation tests. RSA keys are slow to make, so each is
// made once per test binary.
var (
	fxRSAOnce = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	fxOtherRSAOnce = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
)

// fxPKCS1 returns a 2048-bit RSA key as PKCS#1 PEM.
func fxPKCS1(t testing.TB) string {
	t.Helper()
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(fxRSAOnce())}))
}

// fxPKCS8 returns the same key as PKCS#8 PEM.
func fxPKCS8(t testing.TB) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(fxRSAOnce())
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// fxECKey returns an EC P-256 key as SEC1 PEM.
func fxECKey(t testing.TB) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// fxCert returns a self-signed certificate for the first test key, and the PEM of a key that
// does not match it.
func fxCert(t testing.TB) (cert, otherKey string) {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "crewai.example.com"},
		DNSNames: []string{"crewai.example.com"}, NotBefore: time.Unix(0, 0), NotAfter: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &fxRSAOnce().PublicKey, fxRSAOnce())
	if err != nil {
		t.Fatal(err)
	}
	cert = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	otherKey = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(fxOtherRSAOnce())}))
	return cert, otherKey
}

// Short names for yaml.v3 types in tests.
type yamlNode = yaml.Node

const mappingKind = yaml.MappingNode
