package steps

import (
	"math/rand/v2"
	"testing"

	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Every field keeps its own drawing and marks what its changes touch; no one else does. If a
// field missed a change, its kept drawing would differ from one drawn afresh. This drives
// every screen with a fixed pseudo-random mix of keys and pastes and compares the frame after
// each message with the frame drawn with every field's memo dropped.
func TestFieldDrawingsNeverGoStale(t *testing.T) {
	keys := []tea.Msg{
		char('a'), char('1'), char('y'), char('n'), char('/'), kSpace, kLeft, kRight, kUp, kDown,
		kTab, kShiftTab, kEnter, kBack, kCtrlR, kCtrlG,
		tea.KeyPressMsg{Code: tea.KeyHome}, tea.KeyPressMsg{Code: tea.KeyEnd},
		tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl},
		tea.PasteMsg{Content: "https://example.com/a/rather/long/value/that/scrolls\n"},
		tea.PasteMsg{Content: "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"},
	}
	for _, mk := range []func(*Context) Step{NewDeployment, NewDatabase, NewGitHub, NewAuth, NewIntegrations, NewLLM, NewStorage} {
		ctx := newCtx(t)
		ctx.Width, ctx.Height = 70, 30
		a, probs, err := model.LoadAnswersFile(ctx.Catalog, "../testdata/wizard-realistic.yaml")
		if err != nil || probs.HasErrors() {
			t.Fatal(err, probs)
		}
		ctx.Answers = a
		h := start(t, ctx, mk)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 400 {
			msg := keys[rng.IntN(len(keys))]
			if i%97 == 0 {
				ctx.Width = 50 + rng.IntN(60) // a resize now and then
			}
			h.send(msg)
			kept := h.s.View()
			for _, f := range h.s.Fields() {
				f.base().redraw(allParts)
			}
			if fresh := h.s.View(); fresh != kept {
				t.Fatalf("%s: after message %d (%T %v) a field's kept drawing is stale:\n--- kept\n%s\n--- fresh\n%s",
					h.s.ID(), i, msg, msg, plain(kept), plain(fresh))
			}
		}
	}
}

func plain(s string) string { return ansi.Strip(s) }
