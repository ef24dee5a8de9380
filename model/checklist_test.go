package model

import (
	"os"
	"strings"
	"testing"
)

// The README's "Before you start" table and the wizard show one checklist: every item of
// model.Checklist is in the README, with its source, and the README lists no other.
func TestReadmeChecklist(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "## Before you start")
	end := strings.Index(readme[start+1:], "\n## ")
	if start < 0 || end < 0 {
		t.Fatal("the README has no Before you start section")
	}
	section := readme[start : start+1+end]
	rows := 0
	for _, l := range strings.Split(section, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| What") {
			rows++
		}
	}
	items := Checklist()
	if rows != len(items) {
		t.Errorf("the README lists %d items, the checklist %d", rows, len(items))
	}
	for _, it := range items {
		var line string
		for _, l := range strings.Split(section, "\n") {
			if strings.HasPrefix(l, "| "+it.What+" | ") {
				line = l
			}
		}
		switch {
		case line == "":
			t.Errorf("the README lacks the row for %q", it.What)
		case !strings.Contains(line, "| "+it.From):
			t.Errorf("%q: the README gives another source than %q", it.What, it.From)
		case strings.Contains(line, "*Replicated*") != it.Replicated:
			t.Errorf("%q: the README's Replicated mark differs from the checklist's", it.What)
		case strings.Contains(line, "(optional)") != it.Optional:
			t.Errorf("%q: the README's optional mark differs from the checklist's", it.What)
		}
	}
}
