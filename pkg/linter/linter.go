// Package linter is qbank's lint pipeline as a library: every front end
// (the lint, run and export commands, an editor or preview server) opens a
// Linter once with its options, lints any mix of paths and in-memory
// sources through it, and closes it.
//
// One Lint call finds the bank files under the paths (package load: bank
// detection, near misses, exclude), selects the ones to check
// (--changed-since, --shard), runs their code snippets in the sandbox
// (package snippetrun, cached), runs the rules (package rules on the engine of
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
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"sync"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
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
	// CacheDir is the cache ("" means snippetrun.DefaultCacheDir).
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

	// KeepTrees keeps each checked file's parse tree and bank in
	// Result.Files, for callers that use them (export, qbank run).
	// Otherwise a file is released once checked: Result.Files keep its
	// path, source and comments (enough for every report) and a bank's
	// id, [bank] table and question ids and places, so memory does not
	// grow with the parse trees of the files linted.
	KeepTrees bool
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
// a directory input would find. Its name is cleaned and slash-separated,
// like the paths of found files.
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
	// Failed met a sandbox failure, Tampered tampered with the sandbox
	// (QB514).
	Snippets, Verified, Compiled, NotRun, Stopped, Failed, Tampered int
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
	// memo keeps each file's checked result for the next lint, by path.
	memo map[string]memoEntry
	seed maphash.Seed
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
	l := &Linter{opts: opts, settings: settings, rules: rs, cfg: settings.Lint(), memo: map[string]memoEntry{}, seed: maphash.MakeSeed()}
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
