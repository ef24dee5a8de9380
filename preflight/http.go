package preflight

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// maxBody bounds how much of an answer the checks read (a model list is well under this).
const maxBody = 4 << 20

// httpClients are the two clients the HTTP checks use, both copies of the caller's client.
type httpClients struct {
	// open follows redirects anywhere except from https to http; for requests without credentials.
	open *http.Client
	// sameHost follows redirects only to the same scheme, host and port; for requests that
	// carry a secret, so the secret never reaches another host.
	sameHost *http.Client
}

func newHTTPClients(base *http.Client) httpClients {
	mk := func(policy func(*http.Request, []*http.Request) error) *http.Client {
		c := &http.Client{}
		if base != nil {
			*c = *base
		}
		c.Jar = nil
		c.CheckRedirect = policy
		return c
	}
	return httpClients{open: mk(openRedirects), sameHost: mk(sameHostRedirects)}
}

// redirectError is a redirect the checks refused to follow.
type redirectError struct {
	to        string
	otherHost bool
}

func (e *redirectError) Error() string {
	if e.otherHost {
		return "redirected to another host (" + e.to + ")"
	}
	return "redirected from https to http (" + e.to + ")"
}

func openRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return &redirectError{to: req.URL.Redacted()}
	}
	return nil
}

func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if err := openRedirects(req, via); err != nil {
		return err
	}
	from := via[0].URL
	if req.URL.Scheme != from.Scheme || !strings.EqualFold(req.URL.Host, from.Host) {
		return &redirectError{to: req.URL.Scheme + "://" + req.URL.Host, otherHost: true}
	}
	return nil
}

// response is a read answer: status, content type and at most maxBody bytes of body.
type response struct {
	status      int
	contentType string
	body        []byte
}

// do sends req and reads the answer; the error is the transport's.
func do(c *http.Client, req *http.Request) (*response, error) {
	req.Header.Set("User-Agent", "crewai-setup-preflight")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: body}, nil
}

// publicURL returns u as it may be shown: without credentials, query or fragment.
func publicURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.Fragment, c.RawFragment = nil, "", "", ""
	c.ForceQuery = false
	return c.String()
}

// hostPort returns the URL's host with its port, filling in the scheme's default.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "http" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return net.JoinHostPort(u.Hostname(), "443")
}

// networkProblem explains a failure to reach host (host or host:port) in words, or returns ""
// when the error is not one of the network failures it knows. timeout is the check's limit;
// scrub cleans the parts of the text that come from the error itself.
func networkProblem(err error, host string, timeout time.Duration, scrub func(string) string) string {
	var dnsErr *net.DNSError
	var redirErr *redirectError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	switch {
	case errors.As(err, &redirErr):
		if redirErr.otherHost {
			return fmt.Sprintf("the server %s; credentials are never sent to another host: use the final URL directly", scrub(redirErr.Error()))
		}
		return fmt.Sprintf("the server %s; credentials are never sent without TLS: use the https URL the service documents", scrub(redirErr.Error()))
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return fmt.Sprintf("no such host %s: check the spelling; a name that only resolves inside the cluster "+
			"(*.svc.cluster.local) cannot be checked from here", name)
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		return fmt.Sprintf("the DNS lookup of %s timed out: check this machine's DNS servers", name)
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("cannot resolve %s: %s", name, scrub(dnsErr.Err))
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused by %s: nothing listens on that port; check the port and that the service runs", host)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("no route to %s from this machine: check the network, VPN or firewall", host)
	case errors.Is(err, syscall.ECONNRESET):
		return fmt.Sprintf("%s closed the connection: a firewall or proxy may be in the way, or the port is not the service's", host)
	case isTimeout(err):
		return fmt.Sprintf("no answer from %s within %s: a firewall or security group probably drops the traffic, "+
			"or the host is only reachable from inside the cluster's network", host, timeout)
	case errors.As(err, &unknownCA):
		return fmt.Sprintf("the TLS certificate of %s is not signed by a CA this machine trusts (a private CA, or a "+
			"TLS-inspecting proxy?): add the CA to this machine's trust store", name)
	case errors.As(err, &hostErr):
		return fmt.Sprintf("the TLS certificate of %s is not valid for that name (%s): use the host name the certificate names", name, scrub(hostErr.Error()))
	case errors.As(err, &invalidCert):
		if invalidCert.Reason == x509.Expired {
			return fmt.Sprintf("the TLS certificate of %s has expired or is not yet valid: renew it (or check this machine's clock)", name)
		}
		return fmt.Sprintf("the TLS certificate of %s is not acceptable: %s", name, scrub(invalidCert.Error()))
	case errors.As(err, &recordErr):
		return fmt.Sprintf("%s does not speak TLS on that port (plain http, or another protocol)", host)
	case errors.As(err, &alertErr):
		return fmt.Sprintf("the TLS handshake with %s failed (%s): the server may require a client certificate or newer TLS settings", host, scrub(alertErr.Error()))
	}
	return ""
}

// isTimeout reports whether err comes from a deadline: the context's or the connection's.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// scrub cleans foreign text for a result: secrets removed, one line, at most 200 bytes.
func (e *env) scrub(text string) string { return clip(e.red.foreign(text), 200) }

// httpFailure explains a failed HTTP request to u.
func (e *env) httpFailure(err error, u *url.URL) string {
	if msg := networkProblem(err, hostPort(u), e.opts.Timeout, e.scrub); msg != "" {
		return msg
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "request failed: " + clip(e.red.foreign(err.Error()), 200)
}
