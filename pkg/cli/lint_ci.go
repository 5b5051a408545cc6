package cli

// The flags of `qbank lint` for CI use: the configuration file, several
// reports at once, the exit threshold, statistics, and linting a part of a
// large repository (--changed-since, --shard: the selection itself is
// package linter's). lint.go calls in at four points: addCIFlags,
// CIOptions.check, CIOptions.resolve and CIOptions.finish.

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/linter"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/safetext"
)

// CIOptions are the CI flags of `qbank lint`.
type CIOptions struct {
	ConfigPath   string   // --config
	Outputs      []string // --output FORMAT=PATH
	FailOn       string   // --fail-on
	Statistics   bool     // --statistics
	ChangedSince string   // --changed-since REF
	Shard        string   // --shard I/N
	Severities   []string // --severity RULE=SEVERITY

	// Settings is the effective configuration, set by resolve: qbank.toml
	// (or the defaults) with the flags applied. The snippet runner reads
	// Settings.Sandbox.
	Settings *config.Config

	outputs        []output
	shardI, shardN int
	// autoGitHub is set when --format was not given: under GitHub Actions
	// the text report then gets annotations next to it.
	autoGitHub bool
}

type output struct {
	format *report.Format
	path   string
}

const ciHelp = `

Configuration: qbank.toml (or .qbank.toml), the nearest one from the
working directory upward, or --config PATH. Flags override it; see
'qbank config' for the effective settings.

Suppress one finding with a comment at the end of its line, or alone on the
line above: # qbank:ignore QB301[,QB302] -- reason (the reason is required).

Under GitHub Actions (GITHUB_ACTIONS=true) and without --format, the text
report is followed by workflow-command annotations (--format github), and
the summary is appended to $GITHUB_STEP_SUMMARY.

With --changed-since, the report lists for review the questions whose key
changed while their code did not, and the reverse ("review:" lines).

Exit status with --fail-on: 1 when a finding is at least that severe
(default "error"; "never" exits 0 on findings).`

const ciExamples = `
  qbank lint --format sarif --output junit=qbank.xml > qbank.sarif
  qbank lint --output sarif=qbank.sarif --fail-on warning --statistics
  qbank lint --changed-since origin/main
  qbank lint --shard 2/4`

// addCIFlags registers the CI flags.
func addCIFlags(cmd *cobra.Command, o *CIOptions) {
	fs := cmd.Flags()
	fs.StringVar(&o.ConfigPath, "config", "", "configuration file (default: the nearest qbank.toml from the working directory up)")
	fs.StringArrayVar(&o.Outputs, "output", nil, "also write a report to a file: FORMAT=PATH (repeatable; PATH - is standard output)")
	fs.StringVar(&o.FailOn, "fail-on", "", `exit 1 on findings at least this severe: error, warning, info or never (default "error", or fail-on in qbank.toml)`)
	fs.BoolVar(&o.Statistics, "statistics", false, "after the report, count the findings per rule")
	fs.StringVar(&o.ChangedSince, "changed-since", "", "lint only banks changed since the git REF (committed, staged, unstaged or untracked), every bank when qbank.toml or a schema it or a bank names changed; cross-bank checks still see every bank")
	fs.StringVar(&o.Shard, "shard", "", "lint the I-th of N deterministic parts of the files (I/N, 1-based, by path), for a CI matrix")
	fs.StringArrayVar(&o.Severities, "severity", nil, "set a rule's severity: RULE=error|warning|info|off, by code or name (repeatable; overrides qbank.toml)")
	cmd.Long += ciHelp
	cmd.Example += ciExamples
}

// check validates the CI flags before anything runs.
func (o *CIOptions) check(cmd *cobra.Command) error {
	o.autoGitHub = !cmd.Flags().Changed("format")
	o.outputs = nil
	for _, spec := range o.Outputs {
		name, path, ok := strings.Cut(spec, "=")
		if !ok || name == "" || path == "" {
			return Usagef("--output %q: want FORMAT=PATH, e.g. sarif=qbank.sarif", spec)
		}
		f, err := report.Lookup(name)
		if err != nil {
			return Usagef("--output %q: %w", spec, err)
		}
		o.outputs = append(o.outputs, output{format: f, path: path})
	}
	if o.FailOn != "" {
		if _, err := config.ParseFailOn(o.FailOn); err != nil {
			return Usagef("--fail-on: %w", err)
		}
	}
	o.shardI, o.shardN = 0, 0
	if o.Shard != "" {
		i, n, err := parseShard(o.Shard)
		if err != nil {
			return Usagef("--shard: %w", err)
		}
		o.shardI, o.shardN = i, n
	}
	for _, s := range o.Severities {
		if r, v, ok := strings.Cut(s, "="); !ok || r == "" || v == "" {
			return Usagef("--severity %q: want RULE=SEVERITY, e.g. QB306=warning", s)
		}
	}
	if o.ChangedSince != "" && strings.HasPrefix(o.ChangedSince, "-") {
		return Usagef("--changed-since: %q is not a git ref", o.ChangedSince)
	}
	return nil
}

// parseShard reads "I/N" with 1 <= I <= N.
func parseShard(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q: want I/N, e.g. 1/4", s)
	}
	if n < 1 || i < 1 || i > n {
		return 0, 0, fmt.Errorf("%q: want 1 <= I <= N", s)
	}
	return i, n, nil
}

// resolve loads the configuration, applies the flags (flags > file >
// defaults) and returns it with the paths to lint.
func (o *CIOptions) resolve(opts *LintOptions) (*config.Config, []string, error) {
	settings, err := config.Load(o.ConfigPath, rules.All())
	if err != nil {
		return nil, nil, &UsageError{Err: fmt.Errorf("configuration: %w", err)}
	}
	if o.FailOn != "" {
		if err := settings.SetFailOn(o.FailOn); err != nil {
			return nil, nil, Usagef("--fail-on: %w", err)
		}
	}
	for _, s := range o.Severities {
		r, v, _ := strings.Cut(s, "=")
		if err := settings.SetSeverity(r, v); err != nil {
			return nil, nil, Usagef("--severity %q: %w", s, err)
		}
	}
	if len(opts.Paths) > 0 {
		settings.SetPaths(opts.Paths)
	}
	o.Settings = settings
	paths, err := bankPaths(nil, settings.Paths)
	if err != nil {
		return nil, nil, err
	}
	return settings, paths, nil
}

// attentionNotes are the report lines of the --changed-since attention
// list: questions whose key changed while their code did not, or the
// reverse.
func attentionNotes(as []linter.Attention) []string {
	if len(as) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("review: %d %s changed on one side only:", len(as), pluralWord(len(as), "question", "questions"))}
	for _, a := range as {
		out = append(out, fmt.Sprintf("  %s:%d: %s: %s", safetext.EscapeString(a.File), a.Line, safetext.EscapeString(a.Question), a.Message()))
	}
	return out
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// stepSummary appends the run's summary and attention list to the GitHub
// step summary file, as Markdown.
func stepSummary(path string, in *report.Input, res *linter.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### qbank lint\n\n%s\n", report.Summary(in))
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "\n- %s", markdownText(n))
	}
	if len(res.Attention) > 0 {
		fmt.Fprintf(&b, "\n\n#### Review: key or code changed on one side only\n\n| question | where | changed |\n| --- | --- | --- |\n")
		for _, a := range res.Attention {
			fmt.Fprintf(&b, "| `%s` | %s:%d | %s |\n", markdownText(a.Question), markdownText(a.File), a.Line, a.Message())
		}
	}
	b.WriteString("\n")
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("GitHub step summary: %w", err)
	}
	_, werr := f.WriteString(b.String())
	if err := cmp.Or(werr, f.Close()); err != nil {
		return fmt.Errorf("GitHub step summary: %w", err)
	}
	return nil
}

// markdownText escapes a user-derived string for a Markdown table cell.
func markdownText(s string) string {
	s = safetext.Line(s)
	return strings.NewReplacer("|", "\\|", "`", "'", "<", "&lt;", ">", "&gt;").Replace(s)
}

// finish writes the GitHub annotations, the --output files and the
// statistics, and turns the findings into the exit status.
func (o *CIOptions) finish(opts *LintOptions, in *report.Input, res *linter.Result) error {
	human := opts.Format == "text" || opts.Format == "concise"
	if o.autoGitHub && human && opts.IO.Getenv != nil && opts.IO.Getenv("GITHUB_ACTIONS") == "true" &&
		!slices.ContainsFunc(o.outputs, func(out output) bool { return out.format == report.GitHub && out.path == "-" }) {
		if err := report.GitHub.Write(opts.IO.Out, in, report.Options{}); err != nil {
			return fmt.Errorf("write GitHub annotations: %w", err)
		}
	}
	var errs []error
	if opts.IO.Getenv != nil && opts.IO.Getenv("GITHUB_ACTIONS") == "true" {
		if path := opts.IO.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
			errs = append(errs, stepSummary(path, in, res))
		}
	}
	for _, out := range o.outputs {
		if err := writeOutput(opts.IO.Out, out, in); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if o.Statistics {
		w := opts.IO.Out
		if !human {
			w = opts.IO.ErrOut // keep machine output parseable
		}
		writeStatistics(w, in.Diagnostics, len(res.Suppressed))
	}
	failOn := lint.Error
	if o.Settings != nil {
		failOn = o.Settings.FailOn
	}
	if failOn != lint.Off {
		for _, d := range in.Diagnostics {
			if d.Severity >= failOn {
				return ErrFindings
			}
		}
	}
	return nil
}

func writeOutput(stdout io.Writer, out output, in *report.Input) error {
	if out.path == "-" {
		return out.format.Write(stdout, in, report.Options{})
	}
	f, err := os.Create(out.path)
	if err != nil {
		return fmt.Errorf("--output %s=%s: %w", out.format.Name, out.path, err)
	}
	werr := out.format.Write(f, in, report.Options{})
	cerr := f.Close()
	if err := cmp.Or(werr, cerr); err != nil {
		return fmt.Errorf("--output %s=%s: %w", out.format.Name, out.path, err)
	}
	return nil
}

// writeStatistics prints one line per rule with findings, most first:
// count, code, name, and how many of them are errors/warnings/infos.
func writeStatistics(w io.Writer, ds []lint.Diagnostic, suppressed int) {
	type stat struct {
		code, name string
		n          int
	}
	by := map[string]*stat{}
	for _, d := range ds {
		s := by[d.Code]
		if s == nil {
			s = &stat{code: d.Code, name: d.Rule}
			by[d.Code] = s
		}
		s.n++
	}
	var ss []*stat
	for _, s := range by {
		ss = append(ss, s)
	}
	slices.SortFunc(ss, func(a, b *stat) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.code, b.code)) })
	width := 1
	for _, s := range ss {
		width = max(width, len(strconv.Itoa(s.n)))
	}
	fmt.Fprintln(w, "Statistics:")
	if len(ss) == 0 {
		fmt.Fprintln(w, "  no findings")
	}
	for _, s := range ss {
		fmt.Fprintf(w, "  %*d  %s  %s\n", width, s.n, s.code, s.name)
	}
	if suppressed > 0 {
		fmt.Fprintf(w, "  (%d suppressed)\n", suppressed)
	}
}
