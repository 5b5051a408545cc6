package cli

import (
	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/rules"
)

// ConfigOptions are the inputs of `qbank config`.
type ConfigOptions struct {
	IO         *iostreams.IOStreams
	ConfigPath string
	// Path prints only the configuration file's path.
	Path bool
}

// NewCmdConfig builds `qbank config`.
func NewCmdConfig(f *Factory, runF func(*ConfigOptions) error) *cobra.Command {
	opts := &ConfigOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration",
		Long: `Print the configuration 'qbank lint' would use here, as TOML: the
nearest qbank.toml (or .qbank.toml) from the working directory upward, or
the file --config names, over the defaults. Each setting is followed by a
comment saying where it came from: "default" or the file and line.

An invalid configuration (an unknown key, a rule or severity that does not
exist, a malformed limit) is reported with its line and column, and the
exit status is 2.`,
		Example: `  qbank config
  qbank config --config ci/qbank.toml
  qbank config --path`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return configRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.ConfigPath, "config", "", "configuration file (default: the nearest qbank.toml from the working directory up)")
	cmd.Flags().BoolVar(&opts.Path, "path", false, "print only the path of the configuration file (nothing when there is none)")
	return cmd
}

func configRun(opts *ConfigOptions) error {
	c, err := config.Load(opts.ConfigPath, rules.All())
	if err != nil {
		return &UsageError{Err: err}
	}
	if opts.Path {
		if c.Path != "" {
			_, err := opts.IO.Out.Write([]byte(c.Path + "\n"))
			return err
		}
		return nil
	}
	return c.WriteTOML(opts.IO.Out)
}
