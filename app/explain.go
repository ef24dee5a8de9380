package app

import (
	"fmt"
	"io"
	"strings"

	"crewai-setup/model"

	"github.com/spf13/cobra"
)

// newExplainCmd is "crewai-setup explain [KEY]": the catalog as a newcomer reads it.
func newExplainCmd(sio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "explain [KEY]",
		Short: "Explain a chart key: what it is, its format, who generates it, what rotating it breaks",
		Long: `Prints what crewai-setup knows about a chart key — what it is, where it
goes, its format and default, who generates it and how, when it is required and
what rotating it breaks — and where each statement comes from: the chart's
secrets reference, what Helm or Kubernetes enforce, other CrewAI docs, or an
inference with its basis. Without KEY it lists every key by section.`,
		Example: `
crewai-setup explain secrets.ENCRYPTION_KEY
crewai-setup explain DB_PASSWORD
crewai-setup explain`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef(cmd, "explain takes one key at a time, got %d", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var keys []string
			for _, e := range model.NewCatalog().Entries() {
				keys = append(keys, e.Path)
			}
			return keys, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			cat := model.NewCatalog()
			if len(args) == 0 {
				listKeys(sio.Out, cat)
				return nil
			}
			// A short name that several keys share is no error here: each of them is explained.
			entries := cat.ByName(args[0])
			e, err := model.ResolveKey(cat, args[0])
			switch {
			case err == nil:
				entries = []*model.Entry{e}
			case len(entries) == 0:
				fmt.Fprintf(sio.Err, "crewai-setup explain: %v; crewai-setup explain lists every key\n", err)
				return fmt.Errorf("%w: %w", err, ErrUsage)
			}
			a := model.NewAnswers(cat)
			for i, e := range entries {
				if i > 0 {
					fmt.Fprintln(sio.Out)
				}
				explainKey(sio.Out, a, e)
			}
			return nil
		},
	}
}

// explainKey prints one key's statements, each followed by its source.
func explainKey(w io.Writer, a *model.Answers, e *model.Entry) {
	fmt.Fprintf(w, "%s — %s\n", e.Path, e.Title)
	for _, st := range model.Explain(a, e) {
		fmt.Fprintf(w, "\n%s\n%s\n  source: %s\n", st.Topic, indentText(st.Text, "  "), st.Source)
	}
}

// listKeys prints every key by section, with marks for secrets, generated and forbidden keys.
func listKeys(w io.Writer, cat *model.Catalog) {
	fmt.Fprintln(w, "Chart keys crewai-setup knows, by section. (masked: a secret, never shown;")
	fmt.Fprintln(w, "generated: the chart makes it when unset; not set: the chart refuses or derives it.)")
	fmt.Fprintln(w, "crewai-setup explain KEY tells more about one of them.")
	for _, s := range model.Sections() {
		entries := cat.Section(s)
		if len(entries) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", s.Title())
		width := 0
		for _, e := range entries {
			width = max(width, len(e.Path))
		}
		for _, e := range entries {
			var marks []string
			if e.Sensitive {
				marks = append(marks, "masked")
			}
			if e.ChartGen != "" {
				marks = append(marks, "generated")
			}
			if e.Forbidden != "" || e.Derived != "" {
				marks = append(marks, "not set")
			}
			mark := ""
			if len(marks) > 0 {
				mark = " (" + strings.Join(marks, ", ") + ")"
			}
			fmt.Fprintf(w, "  %-*s  %s%s\n", width, e.Path, e.Title, mark)
		}
	}
}

// indentText prefixes every line of s.
func indentText(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
