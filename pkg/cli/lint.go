package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/linter"
	"github.com/qbank-dev/qbank/pkg/report"
)

// DefaultBankDir is linted when no path is given.
const DefaultBankDir = "questions"

// LintOptions are the inputs of `qbank lint`.
type LintOptions struct {
	IO      *iostreams.IOStreams
	Version string

	Paths  []string
	Format string
	Color  string

	// CI holds the configuration-file and CI flags (--config, --output,
	// --fail-on, --statistics, --changed-since, --shard, --severity) and,
	// once resolved, the effective configuration (CI.Settings, including
	// [sandbox]). See lint_ci.go.
	CI CIOptions

	// Run holds the snippet flags (--no-run, --python, --sandbox, …); see
	// lint_run.go.
	Run RunOptions
}

// NewCmdLint builds `qbank lint`. runF replaces the run in tests of flag
// handling.
func NewCmdLint(f *Factory, runF func(*LintOptions) error) *cobra.Command {
	opts := &LintOptions{IO: f.IO, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check question banks",
		Long: `Check question banks: TOML syntax, structure against schema/qbank.schema.json,
ids, answer keys, difficulty labels, and code snippets.

PATHs are files and directories; without one, the paths of qbank.toml, else
the questions/ directory, are linted. In a directory, a .toml file is a bank
when its top level has a [bank] table or [[question]] tables (decided on the
parsed file); other tools' TOML files (pyproject.toml, Cargo.toml,
qbank.toml, …), files matching exclude in qbank.toml, hidden directories,
node_modules, vendor and testdata are skipped. A file whose top-level tables
nearly name a bank ([Bank], [[questions]]) is an error (QB003). A file named
as an argument is always linted. A PATH that holds no bank is an error.

Exit status:
  0  no errors (warnings and infos allowed)
  1  errors were found
  2  usage, configuration or internal error`,
		Example: `  qbank lint
  qbank lint questions/loops.toml
  qbank lint --format json questions > report.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			switch opts.Color {
			case "auto", "always", "never":
			default:
				return Usagef("--color must be auto, always or never, not %q", opts.Color)
			}
			if _, err := report.Lookup(opts.Format); err != nil {
				return &UsageError{Err: err}
			}
			// CI flags (lint_ci.go).
			if err := opts.CI.check(cmd); err != nil {
				return err
			}
			// Snippet flags (lint_run.go).
			if err := opts.Run.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return lintRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, concise, json, sarif, github, junit")
	cmd.Flags().StringVar(&opts.Color, "color", "auto", "colour: auto, always or never (auto honours NO_COLOR and terminals)")
	// CI flags (lint_ci.go).
	addCIFlags(cmd, &opts.CI)
	// Snippet flags (lint_run.go).
	addRunFlags(cmd, &opts.Run)
	return cmd
}

func lintRun(opts *LintOptions) error {
	// Configuration (qbank.toml + flags) and the paths to lint: lint_ci.go.
	settings, paths, err := opts.CI.resolve(opts)
	if err != nil {
		return err
	}
	lo := opts.Run.linterOptions(settings, opts.Version, opts.IO.ErrOut)
	lo.ChangedSince = opts.CI.ChangedSince
	lo.Shard = linter.Shard{I: opts.CI.shardI, N: opts.CI.shardN}
	l, err := linter.Open(lo)
	if err != nil {
		return &UsageError{Err: err}
	}
	defer l.Close()
	res, err := l.Lint(context.Background(), linter.Paths(paths))
	if err != nil {
		return pipelineError(err)
	}
	in := &report.Input{
		Diagnostics: res.Diagnostics, Files: res.Files, Questions: res.Counts.Questions,
		Tool: report.Tool{Name: "qbank", Version: opts.Version}, Rules: l.Rules(),
		Notes:   append(res.Notes, attentionNotes(res.Attention)...),
		Skipped: res.Skipped,
	}
	if c := res.Counts; c.Snippets > 0 {
		in.Snippets = &report.SnippetCounts{Total: c.Snippets, Verified: c.Verified, Compiled: c.Compiled,
			NotRun: c.NotRun, Stopped: c.Stopped, Failed: c.Failed, Tampered: c.Tampered}
	}
	if err := writeReport(opts.IO, opts.Format, opts.Color, in); err != nil {
		return err
	}
	// GitHub annotations and step summary, --output files, --statistics,
	// --fail-on: lint_ci.go.
	return opts.CI.finish(opts, in, res)
}

// pipelineError maps an error of the lint pipeline to the command's: every
// one of them (no bank, no sandbox, bad git ref, configuration) is exit 2.
func pipelineError(err error) error {
	return &UsageError{Err: err}
}

func writeReport(io_ *iostreams.IOStreams, format, colorMode string, in *report.Input) error {
	f, err := report.Lookup(format)
	if err != nil {
		return &UsageError{Err: err}
	}
	io_.ColorMode = colorMode
	return f.Write(io_.Out, in, report.Options{Color: format == "text" && io_.ColorOut()})
}

// bankPaths returns the paths a command works on: those given on the
// command line, else the paths of qbank.toml, else questions/.
func bankPaths(given, configured []string) ([]string, error) {
	switch {
	case len(given) > 0:
		return given, nil
	case len(configured) > 0:
		return configured, nil
	}
	if st, err := os.Stat(DefaultBankDir); err != nil || !st.IsDir() {
		return nil, Usagef("no PATH given, no paths in qbank.toml and no %s/ directory here", DefaultBankDir)
	}
	return []string{DefaultBankDir}, nil
}
