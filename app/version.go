package app

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newVersionCmd is "crewai-setup version", the same as --version.
func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), cmd.Root().Name(), Version)
			return err
		},
	}
}
