package render

import (
	"testing"

	"crewai-setup/model"
)

// BenchmarkRenderValues renders values.yaml, secrets.yaml and summary.md from a full answer
// set (every section answered, the GitHub App key included).
func BenchmarkRenderValues(b *testing.B) {
	a, probs, err := model.LoadAnswersFile(model.NewCatalog(), "testdata/answers-golden.yaml")
	if err != nil {
		b.Fatal(err)
	}
	more, err := model.Prepare(a)
	if err != nil || more.HasErrors() {
		b.Fatal(err, more)
	}
	probs = append(probs, more...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(a, probs.Warnings()); err != nil {
			b.Fatal(err)
		}
	}
}
