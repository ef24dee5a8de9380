//go:build race

package steps

// raceDetector is true under -race, where allocation counts are not those of a normal build
// (the race runtime allocates for its own bookkeeping and sync.Pool drops items at random).
const raceDetector = true
