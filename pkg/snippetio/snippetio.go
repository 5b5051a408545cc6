// Package snippetio holds what goes into and comes out of the sandbox: a
// Job (one snippet run, with its Mode and Limits) and its Result (output,
// Exception, the limit that stopped it). It is plain data with no
// behaviour, so that the code that builds jobs and interprets results (the
// snippet outcomes, the lint engine, configuration) does not depend on the
// sandbox that runs them. Package sandbox re-exports these types under
// their old names (sandbox.Job, sandbox.Result, …).
//
// The field names are part of a format: results are stored in the snippet
// cache as JSON with these names, and jobs are hashed as JSON for the
// cache key. Renaming a field invalidates the cache.
package snippetio

import "time"

// Limits bound one snippet run.
type Limits struct {
	CPU    time.Duration // default 2s (soft; hard = CPU+1s); rounded up to whole seconds (RLIMIT_CPU)
	Wall   time.Duration // default 3s
	Memory int64         // bytes, default 512 MiB (RLIMIT_AS)
	Output int           // bytes per stream, default 64 KiB
	Procs  int           // default 64 (RLIMIT_NPROC, counted per sandbox user in full mode)
	Files  int           // open files, default 64
	Disk   int64         // scratch tmpfs bytes, default 16 MiB (also RLIMIT_FSIZE)
}

// DefaultLimits returns the documented defaults.
func DefaultLimits() Limits {
	return Limits{
		CPU:    2 * time.Second,
		Wall:   3 * time.Second,
		Memory: 512 << 20,
		Output: 64 << 10,
		Procs:  64,
		Files:  64,
		Disk:   16 << 20,
	}
}

// Mode selects what the sandbox does with a Job.
type Mode int

const (
	Compile Mode = iota // compile Source only, never execute
	Exec                // compile then run
)

// Job is one snippet run.
type Job struct {
	Mode         Mode
	Source       string   // the snippet shown to students; line numbers in results refer to it
	Before       string   // hidden code executed first, same namespace (not shown)
	After        string   // hidden code executed last, same namespace
	Stdin        string   // fed to input(); empty => EOF at once
	HashSeed     int      // PYTHONHASHSEED for this run; one zygote per (worker, seed), started lazily
	SitePackages bool     // let the snippet import from the interpreter's site-packages (default: -S, no site)
	Requires     []string // modules that must be importable; missing ones => Result.Missing, snippet NOT run
	// ValueOf is "" for none; "_" for the repr() of the last top-level
	// expression statement of Source; else a Python expression (often a
	// global's name) whose repr() is taken after the run, evaluated in the
	// snippet's namespace, where the name stdout, unless the snippet
	// defines it, is the text Source printed (without what Before and After
	// printed). It is not evaluated when an exception escaped.
	ValueOf string
	Limits  *Limits // optional per-job override of the pool's limits (zero fields = pool value)
}

// Exception describes an uncaught exception (or a compile error).
type Exception struct {
	Type        string // __qualname__ of the exception type, e.g. "ZeroDivisionError"
	Module      string // "builtins", or e.g. "json.decoder"
	Message     string // str(exc)
	Line        int    // 1-based line in Source (innermost frame in Source), 0 if unknown / not in Source
	Col         int    // for compile-time SyntaxError in Source: 1-based column when known
	Where       string // "source", "before", "after"
	CompileTime bool   // raised by compile() in a separate step before anything ran (never read from stderr)
	Traceback   string // formatted like `python -c` prints it (zygote frames dropped)
}

// Result of one run. Snippet misbehaviour is described here, never as an error.
type Result struct {
	Stdout, Stderr                   []byte
	StdoutTruncated, StderrTruncated bool
	Exception                        *Exception
	ExitCode                         int    // exit status; SystemExit handled like the interpreter; -N when killed by signal N
	Killed                           string // "" | "cpu" | "wall" | "memory" | "output" | "signal: <name>"
	Value                            string // repr, when ValueOf was set and available
	HasValue                         bool
	// OfError is the exception that evaluating (or compiling) a ValueOf
	// expression raised; Where is "of". Nil when it did not raise.
	OfError  *Exception
	Missing  []string
	Duration time.Duration // fork to exit of the snippet process, as measured by the zygote

	// Tampered is "" for a trustworthy result. Otherwise it says what was
	// wrong, e.g. "the zygote was changed: RLIMIT_NOFILE (64, 64) -> (8, 8)"
	// or "report channel: a frame without the run's token": the snippet (or
	// its hidden Before/After code) changed the worker that runs other
	// snippets, or the report that the runner sends did not match what the
	// zygote saw from outside. The sandbox has already rerun the job once on
	// a fresh worker and got the same; the other fields are what that rerun
	// reported and must not be trusted. Callers must not cache such a
	// result and should report it as a finding about the question.
	Tampered string
}
