// Package linter is qbank's lint pipeline as a library: every front end
// (the lint, run and export commands, an editor or preview server) opens a
// Linter once with its options, lints any mix of paths and in-memory
// sources through it, and closes it.
//
// One Lint call finds the bank files under the paths (package load: bank
// detection, near misses, exclude), selects the ones to check
// (--changed-since, --shard), runs their code snippets in the sandbox
// (package snippet, cached), runs the rules (package rules on the engine of
// package lint), applies the qbank:ignore suppressions and returns one
// Result. The sandbox is opened on first need and kept: a Linter kept open
// reuses its warm workers across lints. Cancelling the context stops the
// outstanding snippet work.
//
// Errors are plain Go errors; those a command maps to an exit status are
// typed: *NoBanksError, *SandboxError, *GitError, and configuration errors
// from package config.
package linter

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/snippet"
)

// Options configure a Linter. The zero value lints with the defaults and
// runs snippets in the strongest sandbox available.
type Options struct {
	// Config is the project configuration: qbank.toml with the command
	// line applied (labels, severities, minimums, exclude, [sandbox]).
	// Nil means config.Default.
	Config *config.Config

	// NoRun runs no snippet: every one is reported as not run.
	NoRun bool
	// NoCache runs every snippet again instead of reusing cached results;
	// CacheDir is the cache ("" means snippet.DefaultCacheDir).
	NoCache  bool
	CacheDir string
	// Python is the interpreter; "" means Config's [sandbox] python, else
	// python3 on PATH.
	Python string
	// Sandbox is the isolation: "auto" (or ""), "full", "basic" or "none".
	// Require is the weakest level accepted ("" means Config's [sandbox]
	// require, else any).
	Sandbox, Require string

	// ChangedSince, when set, checks only the banks changed since this git
	// ref (all of them when qbank.toml or a schema it or a bank names
	// changed); cross-bank rules still see every bank.
	ChangedSince string
	// Shard, when N > 0, checks the I-th of N deterministic parts.
	Shard Shard

	// Version is qbank's version, part of the snippet cache key.
	Version string
	// Progress, when set, receives a line per lint with how many snippet
	// runs were executed and how many came from the cache.
	Progress io.Writer
}

// Shard is the I-th (1-based) of N parts.
type Shard struct{ I, N int }

// Input is one thing to lint: a path (a file or a directory searched for
// banks) or, when Src is not nil, an in-memory source named Path.
type Input struct {
	Path string
	Src  []byte
	// Questions, when set, limits the snippets that run to these question
	// ids of the input (qbank run FILE#ID); the rules still see the whole
	// file.
	Questions []string
}

// Path is an input read from the file system.
func Path(p string) Input { return Input{Path: p} }

// Source is an in-memory input: it replaces a file of the same name that
// a directory input would find.
func Source(name string, src []byte) Input { return Input{Path: name, Src: src} }

// Paths turns paths into inputs.
func Paths(ps []string) []Input {
	in := make([]Input, len(ps))
	for i, p := range ps {
		in[i] = Path(p)
	}
	return in
}

// Result is everything one lint found.
type Result struct {
	// Files are the files checked, sorted by path.
	Files []*lint.File
	// Diagnostics are the findings to report, sorted; Suppressed those
	// that qbank:ignore comments silenced.
	Diagnostics, Suppressed []lint.Diagnostic
	// Notes are lines about the run: the sandbox level, how many snippets
	// were checked, the selection, the suppressions.
	Notes []string
	// Skipped maps the full id of each question whose snippet did not run
	// to why: its key is unchecked.
	Skipped map[string]string
	// Attention lists, under ChangedSince, the questions whose key changed
	// while their code did not, and the reverse.
	Attention []Attention
	Counts    Counts
}

// Counts are the numbers of a lint.
type Counts struct {
	// Total is how many bank files were found before the selection;
	// Files how many were checked, Banks how many of those are banks.
	Total, Files, Banks, Questions int
	// Snippets is how many questions have a snippet to check: Verified
	// of them ran and their key was compared with what they did,
	// Compiled were compiled only (expect = "compiles"), NotRun did not
	// run (--no-run, no sandbox), Stopped hit a limit or lacked a module,
	// Failed met a sandbox failure.
	Snippets, Verified, Compiled, NotRun, Stopped, Failed int
	// Executed and Cached count sandbox runs (a snippet may run twice).
	Executed, Cached int
}

// NoBanksError is returned when paths given to Lint hold no bank.
type NoBanksError struct {
	Paths []load.EmptyPath
}

func (e *NoBanksError) Error() string {
	var ps []string
	for _, p := range e.Paths {
		ps = append(ps, p.String())
	}
	return "no bank found in " + strings.Join(ps, ", ") +
		"; a bank is a .toml file with a top-level [bank] table or [[question]] tables"
}

// SandboxError is returned when snippets must run and the sandbox cannot be
// had: no interpreter, or the required isolation level not reached.
type SandboxError struct{ Err error }

func (e *SandboxError) Error() string {
	return e.Err.Error() + " (use --no-run to lint without running snippets)"
}
func (e *SandboxError) Unwrap() error { return e.Err }

// GitError is returned when ChangedSince cannot be resolved.
type GitError struct{ Err error }

func (e *GitError) Error() string { return "--changed-since: " + e.Err.Error() }
func (e *GitError) Unwrap() error { return e.Err }

// Linter is an open pipeline. Lint may be called many times, one call at a
// time per Linter.
type Linter struct {
	opts     Options
	settings *config.Config
	rules    []*lint.Rule
	cfg      *lint.Config

	mu  sync.Mutex // one Lint at a time
	box *box
}

// Open returns a Linter. Nothing heavy happens yet: the sandbox opens on
// the first lint that has a snippet to run.
func Open(opts Options) (*Linter, error) {
	rs := rules.All()
	settings := opts.Config
	if settings == nil {
		settings = config.Default(rs)
	}
	switch opts.Sandbox {
	case "":
		opts.Sandbox = "auto"
	case "auto", "full", "basic", "none":
	default:
		return nil, fmt.Errorf("unknown sandbox mode %q (want auto, full, basic or none)", opts.Sandbox)
	}
	if opts.Shard.N < 0 || opts.Shard.N > 0 && (opts.Shard.I < 1 || opts.Shard.I > opts.Shard.N) {
		return nil, fmt.Errorf("shard %d/%d: want 1 <= I <= N", opts.Shard.I, opts.Shard.N)
	}
	l := &Linter{opts: opts, settings: settings, rules: rs, cfg: settings.Lint()}
	l.box = newBox(opts, settings)
	return l, nil
}

// Close stops the sandbox's workers.
func (l *Linter) Close() error {
	return l.box.close()
}

// Settings is the configuration the Linter uses.
func (l *Linter) Settings() *config.Config { return l.settings }

// Rules are the rules the Linter runs.
func (l *Linter) Rules() []*lint.Rule { return l.rules }

// Lint checks inputs.
func (l *Linter) Lint(ctx context.Context, inputs []Input) (*Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	files, err := l.load(inputs)
	if err != nil {
		return nil, err
	}
	sel, selNotes, focus, err := l.selectFiles(files)
	if err != nil {
		return nil, err
	}
	res := &Result{Skipped: map[string]string{}}
	res.Counts.Total = len(files)

	// Snippets, for the selected banks (only those of Input.Questions
	// when given).
	if err := l.snippets(ctx, sel, inputs, res); err != nil {
		return nil, err
	}

	// Rules: per-file ones on the selection, cross-bank ones on every
	// bank; suppressions over every file, so a cross-bank finding in an
	// unselected file still meets its qbank:ignore.
	var perFile, cross []*lint.Rule
	for _, r := range l.rules {
		if r.Scope == lint.ScopeRun {
			cross = append(cross, r)
		} else {
			perFile = append(perFile, r)
		}
	}
	cfg := l.cfg
	if focus != nil {
		c := *cfg
		c.Focus = focus
		cfg = &c
	}
	checked := lint.Run(sel, perFile, cfg)
	for _, f := range checked.Files {
		if err := rules.SchemaError(f); err != nil {
			return nil, fmt.Errorf("schema check of %s: %w", f.Path, err)
		}
	}
	crossRes := lint.Run(files, cross, cfg)
	all := &lint.Result{Files: files, Diagnostics: append(slices.Clone(checked.Diagnostics), crossRes.Diagnostics...)}
	suppressed := rules.Suppress(all, cfg)

	selected := map[string]bool{}
	for _, f := range sel {
		selected[f.Path] = true
	}
	owner := map[string]bool{} // files of this shard
	for i, f := range files {
		if l.inShard(i) {
			owner[f.Path] = true
		}
	}
	crossCodes := map[string]bool{}
	for _, r := range cross {
		crossCodes[r.Code] = true
	}
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
	for _, d := range all.Diagnostics {
		if keep(d) {
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	for _, d := range suppressed {
		if keep(d) {
			res.Suppressed = append(res.Suppressed, d)
		}
	}
	lint.Sort(res.Diagnostics)
	res.Files = checked.Files
	res.Counts.Files = len(checked.Files)
	res.Counts.Questions = checked.Questions
	for _, f := range checked.Files {
		if f.Bank != nil {
			res.Counts.Banks++
		}
	}
	res.Notes = append(res.Notes, selNotes...)
	if n := len(res.Suppressed); n > 0 {
		word := "findings"
		if n == 1 {
			word = "finding"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%d %s suppressed by qbank:ignore comments", n, word))
	}
	if l.opts.ChangedSince != "" {
		res.Attention = l.attention(sel)
	}
	return res, nil
}

// load reads the inputs: paths through package load, sources as given.
func (l *Linter) load(inputs []Input) ([]*lint.File, error) {
	var paths []string
	sources := map[string]*lint.File{}
	for _, in := range inputs {
		if in.Src != nil {
			sources[in.Path] = lint.NewFile(in.Path, in.Src)
		} else {
			paths = append(paths, in.Path)
		}
	}
	var files []*lint.File
	if len(paths) > 0 {
		set := load.Load(paths, load.Options{Exclude: l.settings.Exclude, Base: l.settings.Dir})
		if len(set.Empty) > 0 {
			return nil, &NoBanksError{Paths: set.Empty}
		}
		for _, f := range set.Files {
			if sources[f.Path] == nil {
				files = append(files, f)
			}
		}
	}
	for _, f := range sources {
		files = append(files, f)
	}
	slices.SortStableFunc(files, func(a, b *lint.File) int { return cmp.Compare(a.Path, b.Path) })
	return files, nil
}

func (l *Linter) inShard(i int) bool {
	n := l.opts.Shard.N
	return n == 0 || i%n == l.opts.Shard.I-1
}

// selectFiles applies --shard and --changed-since. focus, set under
// --changed-since, names the changed files, for cross-bank rules to place
// their findings on.
func (l *Linter) selectFiles(files []*lint.File) (sel []*lint.File, notes []string, focus map[string]bool, err error) {
	if l.opts.ChangedSince == "" && l.opts.Shard.N == 0 {
		return files, nil, nil, nil
	}
	var changed map[string]bool
	why := ""
	if l.opts.ChangedSince != "" {
		if changed, err = changedFiles(l.opts.ChangedSince); err != nil {
			return nil, nil, nil, &GitError{Err: err}
		}
		why = l.everything(changed, files)
	}
	for i, f := range files {
		if !l.inShard(i) {
			continue
		}
		if changed != nil && why == "" && !changed[absReal(f.Path)] {
			continue
		}
		sel = append(sel, f)
	}
	if changed != nil {
		focus = map[string]bool{}
		for _, f := range files {
			if changed[absReal(f.Path)] {
				focus[f.Path] = true
			}
		}
		note := fmt.Sprintf("--changed-since %s: linted %d of %d banks", l.opts.ChangedSince, len(sel), len(files))
		if why != "" {
			note += " (" + why + ")"
		}
		notes = append(notes, note)
	}
	if l.opts.Shard.N > 0 {
		notes = append(notes, fmt.Sprintf("--shard %d/%d: linted %d of %d banks", l.opts.Shard.I, l.opts.Shard.N, len(sel), len(files)))
	}
	return sel, notes, focus, nil
}

// snippets runs the snippets of the selected files and counts them.
func (l *Linter) snippets(ctx context.Context, files []*lint.File, inputs []Input, res *Result) error {
	only := map[string][]string{}
	for _, in := range inputs {
		if len(in.Questions) > 0 {
			p := filepath.ToSlash(filepath.Clean(in.Path))
			only[p] = append(only[p], in.Questions...)
		}
	}
	var banks []*bank.Bank
	count := 0
	for _, f := range files {
		banks = append(banks, f.Bank)
		if f.Bank == nil {
			continue
		}
		for _, q := range f.Bank.Questions {
			if len(snippet.Jobs(q)) > 0 {
				count++
			}
		}
	}
	if count == 0 {
		return ctx.Err()
	}
	opts, err := l.box.options(count)
	if err != nil {
		return err
	}
	if len(only) > 0 {
		opts.Select = func(q *bank.Question) bool {
			ids, limited := only[q.Bank.Path]
			return !limited || slices.Contains(ids, q.ID) || slices.Contains(ids, q.FullID())
		}
	}
	start := time.Now()
	outs, sum, err := snippet.Run(ctx, banks, opts)
	if err != nil {
		return err
	}
	for i, f := range files {
		f.Snippets = outs[i]
		if f.Bank == nil {
			continue
		}
		for _, q := range f.Bank.Questions {
			o := f.Outcome(q)
			if o == nil {
				continue
			}
			switch o.Status() {
			case snippet.NotRun:
				res.Counts.NotRun++
				res.Skipped[q.FullID()] = "snippet not run (--no-run): its key is unchecked"
				if o.NoSandbox {
					res.Skipped[q.FullID()] = "snippet not run: no sandbox on this system"
				}
			case snippet.Compiled:
				res.Counts.Compiled++
			case snippet.Ran:
				res.Counts.Verified++
			case snippet.Failed:
				res.Counts.Failed++
			default:
				res.Counts.Stopped++
			}
		}
	}
	res.Counts.Snippets = sum.Snippets
	res.Counts.Executed = sum.Executed
	res.Counts.Cached = sum.Cached
	res.Notes = append(res.Notes, l.box.notes(sum)...)
	if !l.opts.NoRun && l.opts.Progress != nil {
		fmt.Fprintf(l.opts.Progress, "qbank: snippets: %d runs executed, %d from cache, in %.1fs\n",
			sum.Executed, sum.Cached, time.Since(start).Seconds())
	}
	return nil
}

// IsCancel reports whether err is a cancelled or timed-out context.
func IsCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
