package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/check"
	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

// RunOptions are the flags of `qbank lint` that govern running snippets.
type RunOptions struct {
	NoRun   bool
	NoCache bool
	Python  string
	Sandbox string // auto | full | basic | none
	Require string // full | basic | none | ""
}

func addRunFlags(cmd *cobra.Command, o *RunOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.NoRun, "no-run", false, "do not execute snippets (they are reported as not run, never as passed)")
	f.BoolVar(&o.NoCache, "no-cache", false, "run every snippet again instead of reusing cached results")
	f.StringVar(&o.Python, "python", "", "Python interpreter for snippets (default: [sandbox] python, else python3 on PATH)")
	f.StringVar(&o.Sandbox, "sandbox", "auto", "isolation: auto (strongest available), full, basic, or none (no isolation: only for code you trust)")
	f.StringVar(&o.Require, "require-sandbox", "", "fail (exit 2) unless this isolation level is reached: full, basic or none")
}

func (o *RunOptions) check() error {
	switch o.Sandbox {
	case "auto", "full", "basic", "none":
	default:
		return Usagef("--sandbox must be auto, full, basic or none, not %q", o.Sandbox)
	}
	switch o.Require {
	case "", "full", "basic", "none":
	default:
		return Usagef("--require-sandbox must be full, basic or none, not %q", o.Require)
	}
	return nil
}

// snippetRun runs the snippets of a lint run. The sandbox is opened only
// when some question has a snippet to check.
type snippetRun struct {
	// progress receives how many snippets ran and how many came from the
	// cache (standard error): it varies from run to run, so it stays out of
	// the report, whose bytes depend only on the banks.
	progress io.Writer
	opts     RunOptions
	settings config.Sandbox
	version  string
	pool     *sandbox.Pool
	// compileOnly holds why snippets are only compiled, when no isolation
	// is available.
	compileOnly error
	summary     check.Summary
	notes       []string
}

func newSnippetRun(o RunOptions, settings *config.Config, version string, progress io.Writer) *snippetRun {
	s := &snippetRun{opts: o, version: version, progress: progress}
	if settings != nil {
		s.settings = settings.Sandbox
	}
	return s
}

func (s *snippetRun) limits() sandbox.Limits {
	l := sandbox.DefaultLimits()
	if s.settings.CPU > 0 {
		l.CPU = s.settings.CPU
	}
	if s.settings.Wall > 0 {
		l.Wall = s.settings.Wall
	}
	if s.settings.Memory > 0 {
		l.Memory = int64(s.settings.Memory)
	}
	if s.settings.Output > 0 {
		l.Output = int(s.settings.Output)
	}
	return l
}

// prepare runs the snippets of files and stores the outcomes as facts. An
// error means the sandbox could not be had (no Python, level not reached):
// a configuration problem, exit 2.
func (s *snippetRun) prepare(files []*lint.File) error {
	if s == nil {
		return nil
	}
	count := 0
	for _, f := range files {
		if f.Bank == nil {
			continue
		}
		for _, q := range f.Bank.Questions {
			if len(check.Jobs(q)) > 0 {
				count++
			}
		}
	}
	if count == 0 {
		return nil
	}
	opts := check.Options{}
	if !s.opts.NoRun {
		python := s.opts.Python
		if python == "" {
			python = s.settings.Python
		}
		require := s.opts.Require
		if require == "" {
			require = s.settings.Require
		}
		if s.pool == nil {
			pool, err := sandbox.Open(sandbox.Options{
				Python: python, Limits: s.limits(), Mode: s.opts.Sandbox, Require: sandbox.Level(require),
			})
			if errors.Is(err, sandbox.ErrNoIsolation) && s.opts.Sandbox == "auto" && require == "" {
				// No isolation here (macOS, a locked-down container): compile
				// checks run anyway, since compiling executes nothing; the
				// snippets that must run are reported as not run.
				s.compileOnly = err
				pool, err = sandbox.Open(sandbox.Options{Python: python, Limits: s.limits(), Mode: "none"})
			}
			if err != nil {
				return &UsageError{Err: fmt.Errorf("%w (use --no-run to lint without running snippets)", err)}
			}
			s.pool = pool
		}
		opts.CompileOnly = s.compileOnly != nil
		it := s.pool.Interpreter()
		opts.Runner = s.pool
		opts.Python = "Python " + it.Version
		// qbank's release version ("dev" in a work tree) and the sandbox's
		// own version, so development rebuilds reuse results unless the
		// zygote changed.
		opts.Key = fmt.Sprintf("qbank %s|sandbox %s|%s %s|%+v", s.version, sandbox.Version(), it.Path, it.Version, s.limits())
		if !s.opts.NoCache {
			if dir, err := check.DefaultCacheDir(); err == nil {
				opts.Cache = &check.Cache{Dir: dir}
			}
		}
	}
	start := time.Now()
	sum := check.Run(context.Background(), files, opts)
	s.summary.Snippets += sum.Snippets
	s.summary.Executed += sum.Executed
	s.summary.Cached += sum.Cached
	s.summary.Skipped += sum.Skipped
	s.summary.Failed += sum.Failed
	s.note()
	if !s.opts.NoRun && s.progress != nil {
		fmt.Fprintf(s.progress, "qbank: snippets: %d runs executed, %d from cache, in %.1fs\n",
			sum.Executed, sum.Cached, time.Since(start).Seconds())
	}
	return nil
}

func (s *snippetRun) note() {
	sum := s.summary
	if sum.Snippets == 0 {
		return
	}
	if s.opts.NoRun {
		s.notes = []string{fmt.Sprintf("snippets: %d not run (--no-run): their keys are unchecked", sum.Skipped)}
		return
	}
	if s.compileOnly != nil {
		s.notes = []string{
			fmt.Sprintf("sandbox: unavailable (%v)", s.compileOnly),
			fmt.Sprintf("snippets: %d checked; %d compiled only, not run: their keys are unchecked (--sandbox=none runs them without isolation, for trusted content only)", sum.Snippets, sum.Skipped),
		}
		return
	}
	level := string(s.pool.Level())
	if why := s.pool.LevelReason(); why != "" {
		level += " (" + why + ")"
	}
	s.notes = []string{
		fmt.Sprintf("sandbox: %s, Python %s", level, s.pool.Interpreter().Version),
		fmt.Sprintf("snippets: %d checked", sum.Snippets),
	}
}

func (s *snippetRun) close() {
	if s != nil && s.pool != nil {
		s.pool.Close()
	}
}

// skipped lists the questions whose snippets were not run (--no-run).
func (s *snippetRun) skipped(files []*lint.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		if f.Bank == nil {
			continue
		}
		for _, q := range f.Bank.Questions {
			if o := check.OutcomeOf(f, q); o != nil && o.Skipped {
				out[q.FullID()] = "snippet not run (--no-run): its key is unchecked"
				if s.compileOnly != nil {
					out[q.FullID()] = "snippet not run: no sandbox on this system"
				}
			}
		}
	}
	return out
}
