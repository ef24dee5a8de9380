package preflight

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"crewai-setup/model"
	"crewai-setup/preflight/pgtest"
)

// pg is the PostgreSQL server of this test binary, started by the first test that needs it.
var pg pgtest.Lazy

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// answers builds answers from path/value pairs.
func answers(kv ...string) *model.Answers {
	a := model.NewAnswers(model.NewCatalog())
	for i := 0; i+1 < len(kv); i += 2 {
		a.Set(kv[i], kv[i+1])
	}
	return a
}

// runCheck runs the check called name and fails the test when there is none.
func runCheck(t *testing.T, a *model.Answers, opts Options, name string) Result {
	t.Helper()
	for _, c := range Checks(a, opts) {
		if c.Name == name {
			r := c.Run(context.Background())
			t.Logf("%s %s %s: %s (%s)", r.Status, r.Name, r.Target, r.Detail, r.Elapsed)
			return r
		}
	}
	t.Fatalf("no %s check for these answers", name)
	return Result{}
}

// want checks a result's status and that its detail holds every fragment.
func want(t *testing.T, r Result, status Status, fragments ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status %s, want %s (detail: %s)", r.Status, status, r.Detail)
	}
	for _, f := range fragments {
		if !strings.Contains(r.Detail, f) {
			t.Errorf("detail does not mention %q:\n%s", f, r.Detail)
		}
	}
}

// closedPort returns a 127.0.0.1 address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// serveTCP listens on 127.0.0.1 and hands every connection to handle, until the test ends.
func serveTCP(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { handle(c) })
		}
	})
	return l.Addr().String()
}

// silent accepts connections and never answers, like a server behind a black hole.
func silent(c net.Conn) {
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// selfSignedTLS returns a server TLS config with a certificate no system trusts.
func selfSignedTLS(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "preflight-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

func splitAddr(t *testing.T, addr string) (host, port string) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return host, port
}
