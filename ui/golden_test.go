package ui

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/cryptotest"

	"crewai-setup/model"
	"crewai-setup/steps/theme"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// fixture is the realistic install every interactive test types or prefills, as an absolute
// path: tests that write files change into a temporary directory first.
var fixture, _ = filepath.Abs("../testdata/wizard-realistic.yaml")

// loadFixture loads the realistic answers as `init --answers` prefills them.
func loadFixture(t *testing.T) *model.Answers {
	t.Helper()
	a, probs, err := model.LoadAnswersFile(model.NewCatalog(), fixture)
	if err != nil || probs.HasErrors() {
		t.Fatalf("loading %s: %v %v", fixture, err, probs)
	}
	if probs := a.Resolve(); probs.HasErrors() {
		t.Fatalf("resolving %s: %v", fixture, probs)
	}
	return a
}

// frame is what a golden file holds: the view's text as the root model draws it, without its
// colours, followed by where the terminal cursor goes. The text is the same on a dark and a
// light terminal; TestThemeColours checks the colours of each theme.
func frame(m *Model) string {
	v := m.View()
	cur := "none"
	if v.Cursor != nil {
		cur = fmt.Sprintf("%d,%d", v.Cursor.X, v.Cursor.Y)
	}
	return ansi.Strip(v.Content) + "\n-- cursor " + cur + "\n"
}

// goldenScreens opens each screen of the realistic install the way an operator reaches it.
var goldenScreens = []struct {
	name string
	open func(hs *harness)
}{
	{"deployment", func(hs *harness) { hs.send(jump(0)) }},
	{"database", func(hs *harness) { hs.send(jump(1)) }},
	{"github", func(hs *harness) { hs.send(jump(2)); hs.focusOn("Private key") }},
	{"auth", func(hs *harness) { hs.send(jump(3)) }},
	{"integrations", func(hs *harness) { hs.send(jump(4)) }},
	{"llm", func(hs *harness) { hs.send(jump(5)); hs.focusOn("LLM API key") }},
	{"storage", func(hs *harness) { hs.send(jump(6)) }},
	{"review", func(hs *harness) { hs.send(jump(7)) }},
	{"done", func(hs *harness) { hs.send(jump(7)); hs.send(kEnter) }},
	{"errors", openErrors},
	{"help", func(hs *harness) { hs.send(jump(2)); hs.send(kF1) }},
	{"confirm-quit", func(hs *harness) { hs.send(jump(1)); hs.typeText("x"); hs.send(kCtrlC) }},
}

// openErrors leaves the GitHub App screen with a bad App ID and URL and no package index.
func openErrors(hs *harness) {
	hs.send(jump(2))
	hs.typeText("x")
	hs.focusOn("GitHub App URL")
	hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // delete to the line start
	hs.typeText("github.com/apps/crewai-example")
	hs.focusOn("Private Python")
	hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	hs.send(kEnter)
}

func TestGolden(t *testing.T) {
	cryptotest.SetGlobalRandom(t, 7) // the done screen shows keyed fingerprints
	for _, sc := range goldenScreens {
		for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				// Files are written into ./out of a temporary directory, so that views show
				// the same relative paths on every run; golden reads ./testdata of the package.
				pkgDir, _ := os.Getwd()
				t.Chdir(t.TempDir())
				hs := newHarness(t, loadFixture(t), "out", size[0], size[1])
				hs.send(tea.BackgroundColorMsg{Color: darkColor})
				sc.open(hs)
				f := frame(hs.m)
				checkFrame(t, f, size[0], size[1])
				if err := os.Chdir(pkgDir); err != nil {
					t.Fatal(err)
				}
				golden.RequireEqual(t, f)
			})
		}
	}
}

// TestThemeColours draws one screen (the GitHub App screen left with problems) on a dark and
// on a light terminal and requires the theme's own styles on what carries meaning: the
// screen's title, the step list's current screen, the focused field's label, errors and
// warnings. The other theme's styles for the same text must not be there.
func TestThemeColours(t *testing.T) {
	for _, dark := range []bool{true, false} {
		name, bg := "dark", darkColor
		if !dark {
			name, bg = "light", lightColor
		}
		t.Run(name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			hs := newHarness(t, loadFixture(t), "out", 120, 40)
			hs.send(tea.BackgroundColorMsg{Color: bg})
			openErrors(hs)
			content := hs.m.View().Content
			label := hs.focusedLabel()
			if label == "" {
				t.Fatalf("no focused field:\n%s", hs.view())
			}
			label = strings.TrimSpace(strings.SplitN(label, "  ", 2)[0])
			label = strings.TrimSuffix(label, " *") // the required mark has a style of its own
			for _, own := range []bool{true, false} {
				st, which := theme.New(dark == own), "its own"
				if !own {
					which = "the other"
				}
				for what, styled := range map[string]string{
					"screen title":     st.Title.Render("GitHub App"),
					"current screen":   st.StepNow.Render("› GitHub App"),
					"focused label":    st.FocusLabel.Render(label),
					"error marker":     opening(st.Error, "✗") + "✗ ",
					"warning marker":   opening(st.Warning, "!") + "! ",
					"unfocused labels": st.Label.Render("GitHub App client ID"),
				} {
					if got := strings.Contains(content, styled); got != own {
						t.Errorf("%s terminal: the %s drawn in %s theme's style: %v, want %v", name, what, which, got, own)
					}
				}
			}
		})
	}
}

// opening is the escape sequence a style starts text with.
func opening(st lipgloss.Style, text string) string {
	open, _, _ := strings.Cut(st.Render(text), text)
	return open
}

func TestGoldenTooSmall(t *testing.T) {
	hs := emptyHarness(t, "out", 50, 12)
	golden.RequireEqual(t, frame(hs.m))
}

// checkFrame fails when a frame does not fit the terminal: every line within the width
// (a longer line would be cut by the terminal), no more lines than the height.
func checkFrame(t *testing.T, f string, w, h int) {
	t.Helper()
	content, _, _ := strings.Cut(f, "\n-- cursor")
	lines := strings.Split(content, "\n")
	if len(lines) > h {
		t.Errorf("%d lines on a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide on a %d-column terminal: %q", i+1, lw, w, ansi.Strip(l))
		}
	}
}

// sgrColour finds 24-bit foreground and background colours in SGR sequences.
var sgrColour = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?[34]8;2;(\d+);(\d+);(\d+)`)

// TestThemeContrast checks that a light terminal gets only colours dark enough to read on a
// light background, and a dark terminal only light enough ones: no style is left from the
// other theme (as the text inputs were before they were restyled on a background change) and
// no text is a faint grey.
func TestThemeContrast(t *testing.T) {
	for _, sc := range goldenScreens {
		for _, bgName := range []string{"dark", "light"} {
			t.Run(sc.name+"/"+bgName, func(t *testing.T) {
				t.Chdir(t.TempDir())
				hs := newHarness(t, loadFixture(t), "out", 120, 40)
				bg := darkColor
				if bgName == "light" {
					bg = lightColor
				}
				hs.send(tea.BackgroundColorMsg{Color: bg})
				sc.open(hs)
				for _, m := range sgrColour.FindAllStringSubmatch(hs.m.View().Content, -1) {
					rgb := m[1] + "," + m[2] + "," + m[3]
					if rgb == "189,189,189" || rgb == "74,74,74" {
						continue // the theme's border colour: lines, not text
					}
					r, _ := strconv.Atoi(m[1])
					g, _ := strconv.Atoi(m[2])
					b, _ := strconv.Atoi(m[3])
					if c := contrast(luminance(r, g, b), luminance(bgRGB(bg))); c < 3 {
						t.Errorf("text colour %s has a contrast of %.2f:1 on the %s background, under 3:1", rgb, c, bgName)
					}
				}
			})
		}
	}
}

// bgRGB returns a background colour's components.
func bgRGB(c color.RGBA) (r, g, b int) { return int(c.R), int(c.G), int(c.B) }

// luminance is the WCAG relative luminance of an sRGB colour.
func luminance(r, g, b int) float64 {
	lin := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	return (a + 0.05) / (b + 0.05)
}
