package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/snippetrun"
)

// NewCmdCache builds `qbank cache dir|clean`.
func NewCmdCache(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Show or clear the snippet result cache",
		Long: `Snippet results are cached by a hash of everything they depend on (the
code, its expectation, the interpreter and its version, the limits and
qbank's and the sandbox's versions), in $QBANK_CACHE_DIR or else qbank/ in the user cache
directory. A second lint of an unchanged bank runs no snippet.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "dir",
		Short: "Print the cache directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := snippetrun.DefaultCacheDir()
			if err != nil {
				return &UsageError{Err: err}
			}
			fmt.Fprintln(f.IO.Out, dir)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "clean",
		Short: "Remove every cached snippet result",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := snippetrun.DefaultCacheDir()
			if err != nil {
				return &UsageError{Err: err}
			}
			if err := (&snippetrun.Cache{Dir: dir}).Clean(); err != nil {
				return fmt.Errorf("clean %s: %w", dir, err)
			}
			fmt.Fprintf(f.IO.ErrOut, "qbank: removed cached snippet results in %s\n", dir)
			return nil
		},
	})
	return cmd
}
