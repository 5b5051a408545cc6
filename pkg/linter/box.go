package linter

import (
	"errors"
	"fmt"
	"sync"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/sandbox"
	"github.com/qbank-dev/qbank/pkg/snippetrun"
)

// box is the sandbox of a Linter, opened on first need and kept.
type box struct {
	opts     Options
	settings config.Sandbox

	mu   sync.Mutex
	pool *sandbox.Pool
	err  error // why it could not be opened, once tried
	// compileOnly holds why snippets are only compiled, when no isolation
	// is available.
	compileOnly error
}

func newBox(opts Options, settings *config.Config) *box {
	return &box{opts: opts, settings: settings.Sandbox}
}

// Limits are the sandbox limits: [sandbox] of qbank.toml over the
// sandbox's defaults.
func (b *box) limits() sandbox.Limits {
	l := sandbox.DefaultLimits()
	s := b.settings
	if s.CPU > 0 {
		l.CPU = s.CPU
	}
	if s.Wall > 0 {
		l.Wall = s.Wall
	}
	if s.Memory > 0 {
		l.Memory = int64(s.Memory)
	}
	if s.Output > 0 {
		l.Output = int(s.Output)
	}
	return l
}

func (b *box) python() string {
	if b.opts.Python != "" {
		return b.opts.Python
	}
	return b.settings.Python
}

func (b *box) require() string {
	if b.opts.Require != "" {
		return b.opts.Require
	}
	return b.settings.Require
}

// open opens the pool once. Where no isolation is available and none was
// asked for, it falls back to compile checks (compiling executes nothing)
// and records why in compileOnly.
func (b *box) open() (*sandbox.Pool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pool != nil || b.err != nil {
		return b.pool, b.err
	}
	python, require := b.python(), b.require()
	pool, err := sandbox.Open(sandbox.Options{
		Python: python, Limits: b.limits(), Mode: b.opts.Sandbox, Require: sandbox.Level(require),
	})
	if errors.Is(err, sandbox.ErrNoIsolation) && b.opts.Sandbox == "auto" && require == "" {
		b.compileOnly = err
		pool, err = sandbox.Open(sandbox.Options{Python: python, Limits: b.limits(), Mode: "none"})
	}
	if err != nil {
		b.err = &SandboxError{Err: err}
		return nil, b.err
	}
	b.pool = pool
	return pool, nil
}

// options are the snippet options of one lint.
func (b *box) options() (snippetrun.Options, error) {
	opts := snippetrun.Options{}
	if b.opts.NoRun {
		return opts, nil
	}
	pool, err := b.open()
	if err != nil {
		return opts, err
	}
	opts.CompileOnly = b.compileOnly != nil
	it := pool.Interpreter()
	opts.Runner = pool
	opts.Python = "Python " + it.Version
	// qbank's release version ("dev" in a work tree) and the sandbox's own
	// version, so development rebuilds reuse results unless the zygote
	// changed.
	opts.Key = fmt.Sprintf("qbank %s|sandbox %s|%s %s|%+v", b.opts.Version, sandbox.Version(), it.Path, it.Version, b.limits())
	if !b.opts.NoCache {
		dir := b.opts.CacheDir
		if dir == "" {
			dir, err = snippetrun.DefaultCacheDir()
		}
		if err == nil {
			opts.Cache = &snippetrun.Cache{Dir: dir}
		}
	}
	return opts, nil
}

// notes describe the snippets of a lint: the sandbox level and interpreter
// and how many keys were verified by running, how many snippets were only
// compiled, and how many were not checked.
func (b *box) notes(sum snippetrun.Summary, c Counts) []string {
	if sum.Snippets == 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.opts.NoRun {
		return []string{fmt.Sprintf("snippets: %d not run (--no-run): their keys are unchecked", sum.Skipped)}
	}
	if b.compileOnly != nil {
		return []string{
			fmt.Sprintf("sandbox: unavailable (%v)", b.compileOnly),
			fmt.Sprintf("snippets: no key verified by running; %d compiled only, %d of them not run: their keys are unchecked (--sandbox=none runs them without isolation, for trusted content only)", sum.Snippets, sum.Skipped),
		}
	}
	return []string{b.level(), SnippetLine(c)}
}

// SnippetLine is the report line that says how far the snippets of a lint
// were checked: "snippets: 20 keys verified by running, 4 only compiled
// (expect = "compiles")", then those stopped, failed or not run.
func SnippetLine(c Counts) string {
	keys := "keys"
	if c.Verified == 1 {
		keys = "key"
	}
	line := fmt.Sprintf("snippets: %d %s verified by running, %d only compiled (expect = \"compiles\")", c.Verified, keys, c.Compiled)
	for _, x := range []struct {
		n    int
		what string
	}{
		{c.Stopped, "stopped by a limit or a missing module"},
		{c.Failed, "not checked: sandbox failure"},
		{c.Tampered, "tampered with the sandbox"},
		{c.NotRun, "not run"},
	} {
		if x.n > 0 {
			line += fmt.Sprintf(", %d %s", x.n, x.what)
		}
	}
	return line
}

// level is the "sandbox: full, Python 3.11.7" line.
func (b *box) level() string {
	level := string(b.pool.Level())
	if why := b.pool.LevelReason(); why != "" {
		level += " (" + why + ")"
	}
	return fmt.Sprintf("sandbox: %s, Python %s", level, b.pool.Interpreter().Version)
}

// Sandbox returns the "sandbox: LEVEL, Python X" line of an open sandbox,
// or "" before one was opened.
func (l *Linter) Sandbox() string {
	l.box.mu.Lock()
	defer l.box.mu.Unlock()
	if l.box.pool == nil {
		return ""
	}
	return l.box.level()
}

func (b *box) close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pool == nil {
		return nil
	}
	err := b.pool.Close()
	b.pool = nil
	return err
}
