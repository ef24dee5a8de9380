// Package pemkey reads what operators paste or point at as a key: PEM blocks, the chart's
// one-line form, PKCS#1 and PKCS#8 RSA keys, certificates, and pasted file names, refusing
// everything else with a message that says what the input is and what to do. A key's parse and
// primality test are remembered for the process (PrimalityTests counts the tests): one run
// meets the same key several times.
package pemkey
