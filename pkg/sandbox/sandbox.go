package sandbox

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/qbank-dev/qbank/pkg/snippetio"
)

//go:embed zygote.py
var zygoteSource string

// Level is the isolation level a Pool runs snippets at.
type Level string

const (
	LevelFull  Level = "full"
	LevelBasic Level = "basic"
	LevelNone  Level = "none"
)

func (l Level) rank() int {
	switch l {
	case LevelFull:
		return 3
	case LevelBasic:
		return 2
	case LevelNone:
		return 1
	}
	return 0
}

// Limits bound one snippet run (see package snippetio).
type Limits = snippetio.Limits

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits { return snippetio.DefaultLimits() }

// withDefaults fills the zero fields of l from DefaultLimits.
func withDefaults(l Limits) Limits {
	d := DefaultLimits()
	if l.CPU <= 0 {
		l.CPU = d.CPU
	}
	if l.Wall <= 0 {
		l.Wall = d.Wall
	}
	if l.Memory <= 0 {
		l.Memory = d.Memory
	}
	if l.Output <= 0 {
		l.Output = d.Output
	}
	if l.Procs <= 0 {
		l.Procs = d.Procs
	}
	if l.Files <= 0 {
		l.Files = d.Files
	}
	if l.Disk <= 0 {
		l.Disk = d.Disk
	}
	return l
}

// wire is l as the zygote protocol carries it.
func wire(l Limits) wireLimits {
	cpu := int((l.CPU + time.Second - 1) / time.Second)
	if cpu < 1 {
		cpu = 1
	}
	return wireLimits{CPU: cpu, Wall: l.Wall.Seconds(), Memory: l.Memory, Output: l.Output,
		Procs: l.Procs, Files: l.Files, Disk: l.Disk}
}

// Options configure Open.
type Options struct {
	Python  string // interpreter; "" = "python3" on PATH, resolved once to its real executable
	Limits  Limits
	Workers int    // default min(runtime.GOMAXPROCS(0), 4)
	Mode    string // "auto" (or ""): strongest level the kernel allows; "full", "basic", "none" (explicit opt-in only)
	Require Level  // minimum acceptable level; "" = any (but "none" is never chosen by "auto"); raised by env QBANK_REQUIRE_SANDBOX; "" with Mode "auto" under CI=true or GITHUB_ACTIONS=true means full

	ignoreEnvRequire bool   // tests of the weaker levels
	requireWhy       string // why Require was raised (CI default)
	noFull           bool   // tests: behave as if user namespaces were unavailable
}

// ciEnv names the CI marker in the environment ("CI=true",
// "GITHUB_ACTIONS=true") or returns "".
func ciEnv() string {
	for _, k := range []string{"CI", "GITHUB_ACTIONS"} {
		if os.Getenv(k) == "true" {
			return k + "=true"
		}
	}
	return ""
}

// Interpreter describes the resolved Python.
type Interpreter struct {
	Path    string // real executable (symlinks resolved)
	Version string // "3.11.7"
	Prefix  string // sys.prefix

	dirs []string // prefixes, site dirs: must be visible (read-only) inside the sandbox
}

// The data that goes into and comes out of a run lives in package
// snippetio, so that code which only builds jobs or reads results need not
// depend on the sandbox; these are its names here.
type (
	// Mode selects what Run does with a Job.
	Mode = snippetio.Mode
	// Job is one snippet run.
	Job = snippetio.Job
	// Exception describes an uncaught exception (or a compile error).
	Exception = snippetio.Exception
	// Result of one run. Snippet misbehaviour is described here, never as
	// an error; see snippetio.Result.Tampered.
	Result = snippetio.Result
)

// The modes.
const (
	Compile = snippetio.Compile // compile Source only, never execute
	Exec    = snippetio.Exec    // compile then run
)

// Pool runs jobs on a set of sandboxed workers. Safe for concurrent use.
type Pool struct {
	level   Level
	interp  Interpreter
	limits  Limits
	marker  string // unique per pool; in the environment of every zygote and snippet process
	env     *launchEnv
	slots   chan *slot
	closeCh chan struct{}

	mu     sync.Mutex
	closed bool
	all    map[*zygote]struct{}
}

type slot struct {
	idx  int
	zygs map[int]*zygote // by hash seed
}

// FindPython resolves an interpreter: path "" means "python3" on PATH. The
// interpreter is asked once for sys.executable, which is then resolved through
// symlinks, so shims (pyenv) are paid for only here.
func FindPython(path string) (Interpreter, error) {
	if path == "" {
		path = "python3"
	}
	exe, err := exec.LookPath(path)
	if err != nil {
		return Interpreter{}, fmt.Errorf("sandbox: no Python interpreter %q found (install python3 or set the interpreter path): %w", path, err)
	}
	const probe = `import sys, json, os, site
d = {"exe": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3],
     "prefix": sys.prefix, "dirs": [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]}
try:
    d["dirs"] += list(site.getsitepackages())
except Exception:
    pass
d["dirs"] += [p for p in sys.path if p and os.path.isabs(p)]
print(json.dumps(d))`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-I", "-S", "-c", probe)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Interpreter{}, fmt.Errorf("sandbox: cannot run Python %q: %v: %s", exe, err, strings.TrimSpace(stderr.String()))
	}
	var d struct {
		Exe, Version, Prefix string
		Dirs                 []string
	}
	if err := json.Unmarshal(out, &d); err != nil {
		return Interpreter{}, fmt.Errorf("sandbox: unexpected output from %q: %v", exe, err)
	}
	if d.Exe == "" {
		return Interpreter{}, fmt.Errorf("sandbox: %q does not report sys.executable", exe)
	}
	if !strings.HasPrefix(d.Version, "3.") {
		return Interpreter{}, fmt.Errorf("sandbox: %q is Python %s, need Python 3", exe, d.Version)
	}
	real, err := filepath.EvalSymlinks(d.Exe)
	if err != nil {
		return Interpreter{}, fmt.Errorf("sandbox: resolving %q: %w", d.Exe, err)
	}
	it := Interpreter{Path: real, Version: d.Version, Prefix: d.Prefix}
	seen := map[string]bool{}
	for _, p := range append(d.Dirs, filepath.Dir(real)) {
		if p == "" || !filepath.IsAbs(p) {
			continue
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		} else {
			continue
		}
		if !seen[p] {
			seen[p] = true
			it.dirs = append(it.dirs, p)
		}
	}
	return it, nil
}

// Open resolves the interpreter, probes the kernel, picks the level and
// prepares the workers (zygotes start lazily on first use).
func Open(opts Options) (*Pool, error) {
	mode := opts.Mode
	if mode == "" {
		mode = "auto"
	}
	switch mode {
	case "auto", "full", "basic", "none":
	default:
		return nil, fmt.Errorf("sandbox: unknown mode %q (want auto, full, basic or none)", mode)
	}
	if opts.Require != "" && opts.Require.rank() == 0 {
		return nil, fmt.Errorf("sandbox: unknown required level %q", opts.Require)
	}
	if env := Level(os.Getenv("QBANK_REQUIRE_SANDBOX")); env != "" && !opts.ignoreEnvRequire {
		if env.rank() == 0 {
			return nil, fmt.Errorf("sandbox: QBANK_REQUIRE_SANDBOX=%q: want full, basic or none", env)
		}
		if env.rank() > opts.Require.rank() {
			opts.Require = env
		}
	} else if ci := ciEnv(); ci != "" && opts.Require == "" && mode == "auto" && !opts.ignoreEnvRequire {
		// CI runs code from pull requests: no silent fallback to basic there.
		opts.Require = LevelFull
		opts.requireWhy = ci + " requires level full by default (choose mode \"basic\" or set QBANK_REQUIRE_SANDBOX=basic to accept less)"
	}
	interp, err := FindPython(opts.Python)
	if err != nil {
		return nil, err
	}
	limits := withDefaults(opts.Limits)
	level, env, err := chooseLevel(mode, interp, limits, opts.noFull)
	if err != nil {
		if opts.Require == LevelFull && opts.requireWhy != "" {
			// Not ErrNoIsolation: a caller must not fall back to not running.
			return nil, fmt.Errorf("sandbox: required isolation level full not available: %s; %v", opts.requireWhy, err)
		}
		return nil, err
	}
	if opts.Require != "" && level.rank() < opts.Require.rank() {
		env.cleanup()
		why := env.why
		if opts.requireWhy != "" {
			why = opts.requireWhy + "; " + why
		}
		return nil, fmt.Errorf("sandbox: required isolation level %q not available (got %q); %s", opts.Require, level, why)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	p := &Pool{
		level:   level,
		interp:  interp,
		limits:  limits,
		marker:  randomMarker(),
		env:     env,
		slots:   make(chan *slot, workers),
		closeCh: make(chan struct{}),
		all:     map[*zygote]struct{}{},
	}
	for i := 0; i < workers; i++ {
		p.slots <- &slot{idx: i, zygs: map[int]*zygote{}}
	}
	return p, nil
}

// Level reports the isolation level in use.
func (p *Pool) Level() Level { return p.level }

// Interpreter reports the resolved interpreter.
func (p *Pool) Interpreter() Interpreter { return p.interp }

// LevelReason explains why a stronger level was not chosen ("" when full).
func (p *Pool) LevelReason() string { return p.env.why }

// ErrClosed is returned by Run after Close.
var ErrClosed = errors.New("sandbox: pool closed")

// Close kills every process the pool started and waits for them. Idempotent.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.closeCh)
	zs := make([]*zygote, 0, len(p.all))
	for z := range p.all {
		zs = append(zs, z)
	}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, z := range zs {
		wg.Add(1)
		go func() { defer wg.Done(); z.stop(true) }()
	}
	wg.Wait()
	p.env.cleanup()
	return nil
}

func (p *Pool) register(z *zygote) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.all[z] = struct{}{}
	return true
}

func (p *Pool) unregister(z *zygote) {
	p.mu.Lock()
	delete(p.all, z)
	p.mu.Unlock()
}

// zygotePIDs lists the host pids of live zygotes (tests use it to tell them
// apart from leftovers).
func (p *Pool) zygotePIDs() map[int]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := map[int]bool{}
	for z := range p.all {
		m[z.pid] = true
	}
	return m
}

// Run executes job in a sandboxed worker. The error is only for sandbox or
// infrastructure failures (or ctx ending); whatever the snippet does is
// described in the Result.
func (p *Pool) Run(ctx context.Context, job Job) (Result, error) {
	if job.Mode != Compile && job.Mode != Exec {
		return Result{}, fmt.Errorf("sandbox: invalid job mode %d", job.Mode)
	}
	if job.HashSeed < 0 || int64(job.HashSeed) > 4294967295 {
		return Result{}, fmt.Errorf("sandbox: HashSeed %d out of range [0, 4294967295]", job.HashSeed)
	}
	lim := p.limits
	if job.Limits != nil {
		o := *job.Limits
		if o.CPU > 0 {
			lim.CPU = o.CPU
		}
		if o.Wall > 0 {
			lim.Wall = o.Wall
		}
		if o.Memory > 0 {
			lim.Memory = o.Memory
		}
		if o.Output > 0 {
			lim.Output = o.Output
		}
		if o.Procs > 0 {
			lim.Procs = o.Procs
		}
		if o.Files > 0 {
			lim.Files = o.Files
		}
		if o.Disk > 0 && o.Disk <= p.limits.Disk {
			lim.Disk = o.Disk // the tmpfs was sized with the pool's value
		}
	}
	req := wireRequest{
		Mode: "exec", Source: job.Source, Before: job.Before, After: job.After, Stdin: job.Stdin,
		Site: job.SitePackages, Requires: job.Requires, ValueOf: job.ValueOf, Limits: wire(lim),
	}
	if job.Mode == Compile {
		req.Mode = "compile"
	}
	var resp *wireResponse
	for attempt := 0; ; attempt++ {
		r, err := p.runOnce(ctx, job.HashSeed, &req, lim)
		if err != nil {
			return Result{}, err
		}
		resp = r
		// A tampered result is never returned silently: the zygote has
		// recycled itself; rerun once on a fresh one.
		if resp.Tampered == "" || attempt == 1 {
			break
		}
	}
	res := Result{
		Stdout: resp.Stdout, Stderr: resp.Stderr,
		StdoutTruncated: resp.StdoutTrunc, StderrTruncated: resp.StderrTrunc,
		ExitCode: resp.Exit, Killed: resp.Killed, Value: resp.Value, HasValue: resp.HasValue,
		Missing: resp.Missing, Duration: time.Duration(resp.Duration * float64(time.Second)),
		Tampered: resp.Tampered,
	}
	if res.Stdout == nil {
		res.Stdout = []byte{}
	}
	if res.Stderr == nil {
		res.Stderr = []byte{}
	}
	if e := resp.Exception; e != nil {
		res.Exception = &Exception{Type: e.Type, Module: e.Module, Message: e.Message, Line: e.Line,
			Col: e.Col, Where: e.Where, CompileTime: e.CompileTime, Traceback: e.Traceback}
	}
	if e := resp.OfError; e != nil {
		res.OfError = &Exception{Type: e.Type, Module: e.Module, Message: e.Message, Where: "of"}
	}
	return res, nil
}

// runOnce runs req on a worker slot (starting its zygote for seed if needed).
func (p *Pool) runOnce(ctx context.Context, seed int, req *wireRequest, lim Limits) (*wireResponse, error) {
	var s *slot
	select {
	case s = <-p.slots:
	case <-p.closeCh:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.slots <- s }()
	select {
	case <-p.closeCh:
		return nil, ErrClosed
	default:
	}
	z := s.zygs[seed]
	if z == nil || z.isDead() {
		var err error
		z, err = p.startZygote(seed)
		if err != nil {
			return nil, err
		}
		s.zygs[seed] = z
	}
	// The zygote may let a snippet that is still computing run past its wall
	// limit until its CPU limit stops it (at most 4 × (CPU+1) more seconds).
	timeout := lim.Wall + 4*time.Duration(req.Limits.CPU+1)*time.Second + 15*time.Second
	resp, err := z.call(ctx, req, timeout, 4*lim.Output+(16<<20))
	if err != nil {
		// Graceful: the zygote sees its request pipe close, kills and reaps the
		// running snippet and everything it started, and exits (SIGKILL after 2s).
		z.stop(true)
		delete(s.zygs, seed)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		select {
		case <-p.closeCh:
			return nil, ErrClosed
		default:
		}
		return nil, fmt.Errorf("sandbox: worker failed: %w%s", err, z.diag())
	}
	if resp.Recycle {
		z.stop(false)
		delete(s.zygs, seed)
	}
	if resp.Error != "" {
		return nil, fmt.Errorf("sandbox: %s", resp.Error)
	}
	return resp, nil
}

// zygote is one long-lived Python fork server (inside its sandbox).
type zygote struct {
	pool   *Pool
	cmd    *exec.Cmd
	pid    int
	req    *os.File // we write requests
	resp   *os.File // we read responses
	stderr *capBuffer
	done   chan struct{} // closed when the process has been waited for
	mu     sync.Mutex
	dead   bool
}

func (z *zygote) isDead() bool {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.dead
}

func (z *zygote) diag() string {
	if z.stderr == nil {
		return ""
	}
	s := strings.TrimSpace(z.stderr.String())
	if s == "" {
		return ""
	}
	return " (worker stderr: " + s + ")"
}

type callResult struct {
	resp *wireResponse
	err  error
}

func (z *zygote) call(ctx context.Context, req *wireRequest, timeout time.Duration, maxFrame int) (*wireResponse, error) {
	ch := make(chan callResult, 1)
	go func() {
		if err := writeFrame(z.req, req); err != nil {
			ch <- callResult{err: err}
			return
		}
		body, err := readFrame(z.resp, maxFrame)
		if err != nil {
			ch <- callResult{err: err}
			return
		}
		resp, err := decodeResponse(body)
		ch <- callResult{resp: resp, err: err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.resp, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errors.New("worker did not answer in time")
	case <-z.pool.closeCh:
		return nil, ErrClosed
	}
}

// stop ends the zygote. graceful: close its request pipe first so it kills and
// reaps its children itself, then SIGKILL whatever is left.
func (z *zygote) stop(graceful bool) {
	z.mu.Lock()
	already := z.dead
	z.dead = true
	z.mu.Unlock()
	if !already {
		z.req.Close()
		if graceful {
			select {
			case <-z.done:
			case <-time.After(2 * time.Second):
			}
		}
		z.kill()
	}
	<-z.done
	z.resp.Close()
	z.pool.unregister(z)
}

type capBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (c *capBuffer) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.buf.Len(); room > 0 {
		if len(b) > room {
			c.buf.Write(b[:room])
		} else {
			c.buf.Write(b)
		}
	}
	return len(b), nil
}

func (c *capBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// startZygote starts the fork server for (slot, seed) at the pool's level and
// waits for its ready frame.
func (p *Pool) startZygote(seed int) (*zygote, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	z := &zygote{pool: p, req: reqW, resp: respR, stderr: &capBuffer{max: 8 << 10}, done: make(chan struct{})}
	cmd, afterStart, onExit, err := p.env.command(p, seed, reqR, respW, z.stderr)
	if err == nil {
		onSpawnerThread(func() { err = cmd.Start() })
		afterStart()
		if err != nil {
			onExit()
		}
	}
	reqR.Close()
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		return nil, fmt.Errorf("sandbox: starting worker: %w", err)
	}
	z.cmd = cmd
	z.pid = cmd.Process.Pid
	go func() { cmd.Wait(); onExit(); close(z.done) }()
	if !p.register(z) {
		z.stop(false)
		return nil, ErrClosed
	}
	type ready struct {
		r   *wireResponse
		err error
	}
	ch := make(chan ready, 1)
	go func() {
		body, err := readFrame(respR, 1<<20)
		if err != nil {
			ch <- ready{err: err}
			return
		}
		r, err := decodeResponse(body)
		ch <- ready{r, err}
	}()
	select {
	case rd := <-ch:
		if rd.err == nil && !rd.r.Ready {
			rd.err = fmt.Errorf("unexpected first frame (error %q)", rd.r.Error)
		}
		if rd.err != nil {
			z.stop(false)
			return nil, fmt.Errorf("sandbox: worker did not start: %v%s", rd.err, z.diag())
		}
	case <-time.After(30 * time.Second):
		z.stop(false)
		return nil, fmt.Errorf("sandbox: worker start timed out%s", z.diag())
	}
	return z, nil
}

// zygoteEnv is the complete environment of the zygote and of every snippet:
// an allow-list, nothing is inherited from qbank's environment.
func (p *Pool) zygoteEnv(seed int, home string) []string {
	return []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"LANG=C.UTF-8",
		"HOME=" + home,
		"TMPDIR=" + home,
		fmt.Sprintf("PYTHONHASHSEED=%d", seed),
		"MALLOC_ARENA_MAX=2",
		"QBANK_SANDBOX=" + p.marker,
	}
}

func (p *Pool) zygoteArgs(conf map[string]any) []string {
	b, _ := json.Marshal(conf)
	// -s -S -B rather than -I: -I implies -E, which would ignore PYTHONHASHSEED.
	// The environment is our allow-list, so -E buys nothing.
	return []string{p.interp.Path, "-s", "-S", "-B", "-c", zygoteSource, "3", "4", string(b)}
}

// cleanup removes the scratch directories of a launch environment; every
// platform's launchEnv keeps them under scratchBase.
func (e *launchEnv) cleanup() {
	if e != nil && e.scratchBase != "" {
		os.RemoveAll(e.scratchBase)
	}
}
