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

	tea "charm.land/bubbletea/v2"
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

// frame is what a golden file holds: the view's content exactly as the root model draws it,
// SGR colour sequences included, followed by where the terminal cursor goes. Lipgloss v2
// renders full 24-bit colour whatever the terminal (Bubble Tea downsamples on output), so the
// frame is the TrueColor profile on every machine; golden escapes the sequences when comparing.
func frame(m Model) string {
	v := m.View()
	cur := "none"
	if v.Cursor != nil {
		cur = fmt.Sprintf("%d,%d", v.Cursor.X, v.Cursor.Y)
	}
	return v.Content + "\n-- cursor " + cur + "\n"
}

// goldenScreens opens each screen of the realistic install the way an operator reaches it.
var goldenScreens = []struct {
	name string
	open func(hs *harness)
}{
	{"deployment", func(hs *harness) {}},
	{"database", func(hs *harness) { hs.send(jump(1)) }},
	{"github", func(hs *harness) { hs.send(jump(2)); hs.focusOn("Private key") }},
	{"auth", func(hs *harness) { hs.send(jump(3)) }},
	{"integrations", func(hs *harness) { hs.send(jump(4)) }},
	{"llm", func(hs *harness) { hs.send(jump(5)); hs.focusOn("LLM API key") }},
	{"storage", func(hs *harness) { hs.send(jump(6)) }},
	{"review", func(hs *harness) { hs.send(jump(7)) }},
	{"done", func(hs *harness) { hs.send(jump(7)); hs.send(kEnter) }},
	{"errors", func(hs *harness) {
		// Leaving the GitHub App screen with a bad App ID and URL.
		hs.send(jump(2))
		hs.typeText("x")
		hs.focusOn("GitHub App URL")
		hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // delete to the line start
		hs.typeText("github.com/apps/crewai-example")
		hs.focusOn("Private Python package")
		hs.send(kEnter)
	}},
	{"help", func(hs *harness) { hs.send(jump(2)); hs.send(kF1) }},
	{"confirm-quit", func(hs *harness) { hs.send(jump(1)); hs.typeText("x"); hs.send(kCtrlC) }},
}

func TestGolden(t *testing.T) {
	cryptotest.SetGlobalRandom(t, 7) // the done screen shows keyed fingerprints
	for _, sc := range goldenScreens {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			for _, theme := range []string{"dark", "light"} {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", sc.name, size[0], size[1], theme), func(t *testing.T) {
					// Files are written into ./out of a temporary directory, so that views show
					// the same relative paths on every run; golden reads ./testdata of the package.
					pkgDir, _ := os.Getwd()
					t.Chdir(t.TempDir())
					hs := newHarness(t, loadFixture(t), "out", size[0], size[1])
					if theme == "light" {
						hs.send(tea.BackgroundColorMsg{Color: lightColor})
					} else {
						hs.send(tea.BackgroundColorMsg{Color: darkColor})
					}
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
		for _, theme := range []string{"dark", "light"} {
			t.Run(sc.name+"/"+theme, func(t *testing.T) {
				t.Chdir(t.TempDir())
				hs := newHarness(t, loadFixture(t), "out", 120, 40)
				bg := darkColor
				if theme == "light" {
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
						t.Errorf("text colour %s has a contrast of %.2f:1 on the %s background, under 3:1", rgb, c, theme)
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
