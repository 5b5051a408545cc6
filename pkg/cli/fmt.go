package cli

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/qbank-dev/qbank/pkg/atomicfile"
	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/format"
	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/linter"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/safetext"
	"github.com/qbank-dev/qbank/pkg/tomltree"
	"github.com/spf13/cobra"
)

// FmtOptions are the inputs of `qbank fmt`.
type FmtOptions struct {
	IO         *iostreams.IOStreams
	Paths      []string
	Check      bool
	ConfigPath string
}

// NewCmdFmt builds `qbank fmt [--check] [PATH...]`.
func NewCmdFmt(f *Factory, runF func(*FmtOptions) error) *cobra.Command {
	opts := &FmtOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "fmt [--check] [PATH...]",
		Short: "Lay out bank files in the canonical way",
		Long: `Rewrite bank files in one canonical layout: "key = value" with single
spaces, no indentation before keys and table headers, no trailing white
space, one blank line before each table header (and the comments right above
it), never two blank lines in a row, one newline at the end.

Nothing you wrote changes: strings and code snippets, comments, key order,
quoting and line endings stay as they are. Every result is parsed again and
must hold the same data and comments, or the file is left alone. Files are
replaced atomically and keep their permissions; running fmt twice changes
nothing the second time.

PATHs are found as 'qbank lint' finds them (default: the paths of qbank.toml,
else questions/).

Exit status:
  0  formatted (or, with --check, nothing to format)
  1  --check: files need formatting; or a file could not be formatted
  2  usage error`,
		Example: `  qbank fmt
  qbank fmt --check questions    # in CI or a pre-commit hook`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return fmtRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; list the files that need formatting and exit 1 if any")
	cmd.Flags().StringVar(&opts.ConfigPath, "config", "", "use this qbank.toml instead of the nearest one")
	return cmd
}

func fmtRun(opts *FmtOptions) error {
	paths, err := defaultPaths(opts.Paths, opts.ConfigPath)
	if err != nil {
		return err
	}
	// Files are found as qbank lint finds them: exclude applies, a near
	// miss is not a bank, a path without a bank is an error.
	set := load.Load(paths, loadOptions(opts.ConfigPath))
	if len(set.Empty) > 0 {
		return pipelineError(&linter.NoBanksError{Paths: set.Empty})
	}
	failed, changed := 0, 0
	for _, f := range set.Files {
		if f.NotBank != "" {
			continue
		}
		if f.ReadErr != nil {
			fmt.Fprintf(opts.IO.ErrOut, "%s: cannot read: %s\n", safetext.Line(f.Path), safetext.Line(f.ReadErr.Error()))
			failed++
			continue
		}
		src := f.Doc.Src
		out, err := format.Source(src)
		if err != nil {
			var se *tomltree.SyntaxError
			if errors.As(err, &se) {
				p := f.Doc.Position(se.Start)
				fmt.Fprintf(opts.IO.ErrOut, "%s:%d:%d: cannot format: %s\n", safetext.Line(f.Path), p.Line, p.Col, safetext.Line(se.Msg))
			} else {
				fmt.Fprintf(opts.IO.ErrOut, "%s: cannot format: %s\n", safetext.Line(f.Path), safetext.Line(err.Error()))
			}
			failed++
			continue
		}
		if bytes.Equal(out, src) {
			continue
		}
		changed++
		if opts.Check {
			fmt.Fprintln(opts.IO.Out, safetext.Line(f.Path))
			continue
		}
		if err := atomicfile.Write(f.Path, out); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "%s\n", safetext.Line(err.Error()))
			failed++
			continue
		}
		fmt.Fprintf(opts.IO.ErrOut, "qbank: formatted %s\n", safetext.Line(f.Path))
	}
	if failed > 0 || opts.Check && changed > 0 {
		return ErrFindings
	}
	return nil
}

// loadOptions are qbank.toml's exclude patterns, when it can be read: fmt
// on named files works with a broken configuration.
func loadOptions(configPath string) load.Options {
	settings, err := config.Load(configPath, rules.All())
	if err != nil {
		return load.Options{}
	}
	return load.Options{Exclude: settings.Exclude, Base: settings.Dir}
}

// defaultPaths is bankPaths, reading qbank.toml only when no path is
// given, so a broken configuration does not stop `qbank fmt FILE`.
func defaultPaths(paths []string, configPath string) ([]string, error) {
	if len(paths) > 0 {
		return paths, nil
	}
	settings, err := config.Load(configPath, rules.All())
	if err != nil {
		return nil, &UsageError{Err: fmt.Errorf("configuration: %w", err)}
	}
	return bankPaths(nil, settings.Paths)
}
