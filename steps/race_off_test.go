//go:build !race

package steps

// raceDetector is true under -race (see race_on_test.go).
const raceDetector = false
