package pemkey

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"sync/atomic"
)

// memoSize bounds how many parse results and primality results the memo keeps; a run meets a
// handful of keys (the GitHub App key, OIDC and TLS keys), so older entries are rarely needed.
const memoSize = 64

// memo is this package's one piece of mutable state: parsing a key and testing its factors
// for primality costs milliseconds (tens of them for a 4096-bit key), and one run meets the
// same key several times (reading the answers, validation, the summary, rendering). It is
// bounded and safe for concurrent use.
var memo = newKeyMemo(memoSize)

// PrimalityTests returns how many RSA keys this process has tested for prime factors. A key
// read again, from the same text or in another encoding (PKCS#8 converted to PKCS#1, other
// line breaks), is not tested again while it is remembered.
func PrimalityTests() int64 { return memo.tests.Load() }

// keyMemo remembers results by a SHA-256 key, computing each once; the oldest entry goes
// when it is full.
type keyMemo struct {
	mu      sync.Mutex
	entries map[[32]byte]*memoEntry
	order   [][32]byte // insertion order, oldest first
	max     int
	tests   atomic.Int64
}

// memoEntry is one result; once makes concurrent callers of the same key wait for the first.
type memoEntry struct {
	once sync.Once
	val  any
	err  error
}

// newKeyMemo returns an empty memo holding at most max entries.
func newKeyMemo(max int) *keyMemo {
	return &keyMemo{entries: map[[32]byte]*memoEntry{}, max: max}
}

// do returns f's result for key, calling f only when key is not remembered.
func (m *keyMemo) do(key [32]byte, f func() (any, error)) (any, error) {
	m.mu.Lock()
	e := m.entries[key]
	if e == nil {
		if len(m.order) >= m.max {
			delete(m.entries, m.order[0])
			m.order = m.order[1:]
		}
		e = &memoEntry{}
		m.entries[key] = e
		m.order = append(m.order, key)
	}
	m.mu.Unlock()
	e.once.Do(func() { e.val, e.err = f() })
	return e.val, e.err
}

// memoKey hashes what a result depends on: which function, and its input.
func memoKey(kind string, data []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(data)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// primesArePrime reports whether every factor of k is prime, testing each set of factors
// once while it is remembered (every time on a nil memo).
func (m *keyMemo) primesArePrime(k *rsa.PrivateKey) bool {
	if m == nil {
		return factorsPrime(k)
	}
	var factors []byte
	for _, p := range k.Primes {
		factors = binary.AppendUvarint(factors, uint64(len(p.Bytes())))
		factors = append(factors, p.Bytes()...)
	}
	v, _ := m.do(memoKey("primes", factors), func() (any, error) {
		m.tests.Add(1)
		return factorsPrime(k), nil
	})
	return v.(bool)
}

// factorsPrime tests every factor of k for primality.
func factorsPrime(k *rsa.PrivateKey) bool {
	for _, p := range k.Primes {
		// Baillie-PSW alone: no composite is known to pass it, and it costs about one
		// modular exponentiation instead of twenty Miller-Rabin rounds.
		if !p.ProbablyPrime(0) {
			return false
		}
	}
	return true
}
