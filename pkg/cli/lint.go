package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
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
	// Config, when set, replaces the labels and severities of qbank.toml
	// (tests, embedders).
	Config *lint.Config

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

PATHs are files and directories; without one, the questions/ directory is
linted. In a directory, a .toml file is a bank when a line of it starts with
[bank] or [[question]]; other tools' TOML files (pyproject.toml, Cargo.toml,
qbank.toml, …), hidden directories, node_modules, vendor and testdata are
skipped. A file named as an argument is always linted.

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
	cfg := opts.Config
	if cfg == nil {
		cfg = settings.Lint()
	}
	// Snippets run in the sandbox, opened only if a bank has code to check.
	snippets := newSnippetRun(opts.Run, settings, opts.Version, opts.IO.ErrOut)
	defer snippets.close()
	// Discovery, --changed-since/--shard selection, suppressions: lint_ci.go.
	run, err := opts.CI.lint(paths, settings, cfg, snippets)
	if err != nil {
		return err
	}
	res := run.Result
	in := &report.Input{
		Diagnostics: res.Diagnostics, Files: res.Files, Questions: res.Questions,
		Tool: report.Tool{Name: "qbank", Version: opts.Version}, Rules: rules.All(),
		Notes:   append(snippets.notes, run.Notes...),
		Skipped: snippets.skipped(res.Files),
	}
	if err := writeReport(opts.IO, opts.Format, opts.Color, in); err != nil {
		return err
	}
	// GitHub annotations, --output files, --statistics, --fail-on: lint_ci.go.
	return opts.CI.finish(opts, in, run)
}

// LintPaths finds, reads, parses and checks the banks under paths, without
// running snippets.
func LintPaths(paths []string, cfg *lint.Config) (*lint.Result, error) {
	files := load.Banks(paths)
	return runRules(files, rules.All(), cfg, nil)
}

// runRules checks files with rs and the shared prepare steps (the JSON
// Schema validation, the configured difficulty minimums). Every lint run
// goes through here, including the --changed-since/--shard runs of
// lint_ci.go: add further per-file preparation (such as snippet runs) here.
//
// snippets, when not nil, runs the files' code snippets first (their
// outcomes are facts for the QB5xx rules).
func runRules(files []*lint.File, rs []*lint.Rule, cfg *lint.Config, snippets *snippetRun, extra ...lint.Prepare) (*lint.Result, error) {
	if err := snippets.prepare(files); err != nil {
		return nil, err
	}
	res := lint.Run(files, rs, cfg, append([]lint.Prepare{rules.Prepare}, extra...)...)
	for _, f := range res.Files {
		if err := rules.SchemaError(f); err != nil {
			return nil, fmt.Errorf("schema check of %s: %w", f.Path, err)
		}
	}
	return res, nil
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
