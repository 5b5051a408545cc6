package cli

// The flags of `qbank lint` for CI use (issue 5): the configuration file,
// several reports at once, the exit threshold, statistics, and linting a
// part of a large repository (--changed-since, --shard). lint.go calls in
// at four points: addCIFlags, CIOptions.check, CIOptions.resolve,
// CIOptions.lint and CIOptions.finish.

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
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
report is followed by workflow-command annotations (--format github).

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
	fs.StringVar(&o.ChangedSince, "changed-since", "", "lint only banks changed since the git REF (committed, staged, unstaged or untracked); cross-bank checks still see every bank")
	fs.StringVar(&o.Shard, "shard", "", "lint the I-th of N deterministic parts of the banks (I/N, 1-based), for a CI matrix")
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
	settings, err := config.Load(o.ConfigPath)
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

// ciRun is a lint run with its selection.
type ciRun struct {
	Result *lint.Result
	// Suppressed are the findings that qbank:ignore comments silenced.
	Suppressed []lint.Diagnostic
	Notes      []string
	// Total is the number of banks found before --changed-since/--shard.
	Total int
}

// lint finds the banks under paths, checks the selected ones, applies the
// suppressions and keeps the findings to report.
//
// With --changed-since or --shard every bank is read and parsed, but the
// per-file rules (and so any snippet runs) run on the selected banks only;
// the cross-bank rules (ScopeRun, e.g. duplicate bank ids) run over every
// bank, and their findings are kept when they involve a selected bank: on
// it, or pointing at it. With --shard each cross-bank finding is reported by
// the shard its file belongs to, so a matrix reports it once.
func (o *CIOptions) lint(paths []string, settings *config.Config, cfg *lint.Config, snippets *snippetRun) (*ciRun, error) {
	files := load.Banks(paths)
	slices.SortStableFunc(files, func(a, b *lint.File) int { return cmp.Compare(a.Path, b.Path) })
	run := &ciRun{Total: len(files)}
	minimum := rules.PrepareMinimum(settings.Minimum)

	if o.ChangedSince == "" && o.shardN == 0 {
		res, err := runRules(files, rules.All(), cfg, snippets, minimum)
		if err != nil {
			return nil, err
		}
		run.Result = res
		run.Suppressed = rules.Suppress(res, cfg)
		run.notes()
		return run, nil
	}

	selected := map[string]bool{}
	inShard := func(i int) bool { return o.shardN == 0 || i%o.shardN == o.shardI-1 }
	owner := map[string]bool{} // files of this shard
	var changed map[string]bool
	if o.ChangedSince != "" {
		var err error
		if changed, err = changedFiles(o.ChangedSince); err != nil {
			return nil, &UsageError{Err: fmt.Errorf("--changed-since: %w", err)}
		}
	}
	var sel []*lint.File
	for i, f := range files {
		if !inShard(i) {
			continue
		}
		owner[f.Path] = true
		if changed != nil && !changed[absReal(f.Path)] {
			continue
		}
		selected[f.Path] = true
		sel = append(sel, f)
	}

	var perFile, cross []*lint.Rule
	for _, r := range rules.All() {
		if r.Scope == lint.ScopeRun {
			cross = append(cross, r)
		} else {
			perFile = append(perFile, r)
		}
	}
	res, err := runRules(sel, perFile, cfg, snippets, minimum)
	if err != nil {
		return nil, err
	}
	crossRes := lint.Run(files, cross, cfg)
	crossCodes := map[string]bool{}
	for _, r := range cross {
		crossCodes[r.Code] = true
	}
	// Suppress over every file, so a cross-bank finding in an unselected
	// file still meets its qbank:ignore; then keep what this run reports.
	all := &lint.Result{Files: files, Diagnostics: append(slices.Clone(res.Diagnostics), crossRes.Diagnostics...)}
	suppressed := rules.Suppress(all, cfg)
	involves := func(d lint.Diagnostic) bool {
		if selected[d.File] {
			return true
		}
		for _, r := range d.Related {
			if selected[r.File] {
				return true
			}
		}
		return false
	}
	keep := func(d lint.Diagnostic) bool {
		if crossCodes[d.Code] {
			return owner[d.File] && involves(d) || selected[d.File]
		}
		return selected[d.File]
	}
	res.Diagnostics = nil
	for _, d := range all.Diagnostics {
		if keep(d) {
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	for _, d := range suppressed {
		if keep(d) {
			run.Suppressed = append(run.Suppressed, d)
		}
	}
	lint.Sort(res.Diagnostics)
	run.Result = res
	if o.ChangedSince != "" {
		run.Notes = append(run.Notes, fmt.Sprintf("--changed-since %s: linted %d of %d banks", o.ChangedSince, len(sel), len(files)))
	}
	if o.shardN > 0 {
		run.Notes = append(run.Notes, fmt.Sprintf("--shard %d/%d: linted %d of %d banks", o.shardI, o.shardN, len(sel), len(files)))
	}
	run.notes()
	return run, nil
}

func (r *ciRun) notes() {
	if n := len(r.Suppressed); n > 0 {
		word := "findings"
		if n == 1 {
			word = "finding"
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%d %s suppressed by qbank:ignore comments", n, word))
	}
}

// absReal is a path made absolute with symlinks resolved, to compare with
// git's paths.
func absReal(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// changedFiles returns the files changed since ref, as absReal paths: the
// changes between the merge base of ref and HEAD and the working tree
// (commits of the branch, staged and unstaged edits), plus untracked files
// that are not ignored.
func changedFiles(ref string) (map[string]bool, error) {
	top, err := git("rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("not in a git work tree: %w", err)
	}
	top = strings.TrimSpace(top)
	if _, err := git("rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}"); err != nil {
		return nil, fmt.Errorf("unknown git ref %q (in a shallow clone fetch it first, e.g. actions/checkout with fetch-depth: 0)", ref)
	}
	base := ref
	if mb, err := git("merge-base", ref, "HEAD"); err == nil {
		base = strings.TrimSpace(mb)
	}
	diff, err := git("diff", "--name-only", "-z", "--no-renames", base, "--")
	if err != nil {
		return nil, err
	}
	untracked, err := git("ls-files", "-z", "--others", "--exclude-standard", "--full-name")
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, p := range strings.Split(diff+untracked, "\x00") {
		if p != "" {
			out[filepath.Join(top, filepath.FromSlash(p))] = true
		}
	}
	return out, nil
}

// git runs git in the working directory and returns its standard output.
func git(args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "core.quotepath=off"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.String(), nil
}

// finish writes the GitHub annotations, the --output files and the
// statistics, and turns the findings into the exit status.
func (o *CIOptions) finish(opts *LintOptions, in *report.Input, run *ciRun) error {
	human := opts.Format == "text" || opts.Format == "concise"
	if o.autoGitHub && human && opts.IO.Getenv != nil && opts.IO.Getenv("GITHUB_ACTIONS") == "true" &&
		!slices.ContainsFunc(o.outputs, func(out output) bool { return out.format == report.GitHub && out.path == "-" }) {
		if err := report.GitHub.Write(opts.IO.Out, in, report.Options{}); err != nil {
			return fmt.Errorf("write GitHub annotations: %w", err)
		}
	}
	var errs []error
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
		writeStatistics(w, in.Diagnostics, len(run.Suppressed))
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
