package snippet

import (
	"fmt"
	"strings"

	"github.com/qbank-dev/qbank/pkg/snippetio"
)

// Outcome is what running one question's snippet showed. Read it through
// its methods, which every consumer shares: the rules, the export
// verifier, `qbank run`.
type Outcome struct {
	Skipped bool // not run: --no-run, or (NoSandbox) no isolation here
	// NoSandbox is set on a skipped outcome when the snippet was not run
	// because no isolation is available (it could only be compiled).
	NoSandbox bool
	Runs      []snippetio.Result // one per hash seed tried; empty for expect = "none"
	Err       error              // the sandbox failed (not the snippet)
	Cached    int                // how many of Runs came from the cache
	Python    string             // the interpreter, e.g. "Python 3.11.7"
	Expect    string             // the question's expect when it ran
}

// Status says how far a snippet's check went.
type Status int

// The statuses, from least to most checked.
const (
	// NotRun: the snippet did not run (--no-run, no sandbox); its key is
	// unchecked.
	NotRun Status = iota
	// Failed: the sandbox could not run it (not the snippet's fault).
	Failed
	// Tampered: the snippet changed the sandbox that runs other snippets,
	// or forged its own report (snippetio.Result.Tampered); nothing it
	// reported can be trusted.
	Tampered
	// Stopped: it hit a sandbox limit; nothing about its key is known.
	Stopped
	// MissingModule: a module it requires is not installed.
	MissingModule
	// Compiled: expect = "compiles": it was compiled, nothing executed.
	Compiled
	// Ran: it ran to the end (or to its exception) and can be judged.
	Ran
)

var statusNames = [...]string{NotRun: "not-run", Failed: "sandbox-failure", Tampered: "tampered", Stopped: "stopped",
	MissingModule: "missing-module", Compiled: "compiled", Ran: "ran"}

// String is the status's name as `qbank run --format json` writes it.
func (s Status) String() string { return statusNames[s] }

// Status says how far the check went.
func (o *Outcome) Status() Status {
	switch {
	case o.Skipped || len(o.Runs) == 0:
		return NotRun
	case o.Err != nil:
		return Failed
	case o.TamperedWith() != "":
		return Tampered
	case o.Limit() != "":
		return Stopped
	case len(o.Runs[0].Missing) > 0:
		return MissingModule
	case o.Expect == "compiles":
		return Compiled
	}
	return Ran
}

// Judged reports whether the snippet ran cleanly enough for its key to be
// compared with what it did: not skipped, no sandbox failure, no limit hit
// on its first run, no missing module, no run that tampered with the
// sandbox.
func (o *Outcome) Judged() bool {
	if o == nil || o.Skipped || len(o.Runs) == 0 || o.Err != nil || o.TamperedWith() != "" {
		return false
	}
	r := o.Runs[0]
	return r.Killed == "" && len(r.Missing) == 0
}

// TamperedWith says how a run tampered with the sandbox or its report, or
// "" when none did.
func (o *Outcome) TamperedWith() string {
	for _, r := range o.Runs {
		if r.Tampered != "" {
			return r.Tampered
		}
	}
	return ""
}

// First is the result of the first run (hash seed 0).
func (o *Outcome) First() snippetio.Result {
	if len(o.Runs) == 0 {
		return snippetio.Result{}
	}
	return o.Runs[0]
}

// Exception is the exception of the first run, or nil.
func (o *Outcome) Exception() *snippetio.Exception { return o.First().Exception }

// Actual is what the snippet produced on its first run: the repr of the
// value for expect = "value", else what it printed.
func (o *Outcome) Actual() string { return actualOf(o.Expect, o.First()) }

func actualOf(expect string, r snippetio.Result) string {
	if expect == "value" {
		return r.Value
	}
	return string(r.Stdout)
}

// Varies reports whether the output differed between runs under different
// hash seeds, or shows an object address: then no key can be right.
func (o *Outcome) Varies() bool {
	first := o.Actual()
	for _, r := range o.Runs[min(1, len(o.Runs)):] {
		if actualOf(o.Expect, r) != first {
			return true
		}
	}
	return strings.Contains(first, " at 0x")
}

// Limit names the limit that stopped a run, as a phrase ("it used up its
// CPU time"), or "" when every run finished within its limits. Output cut
// at the limit counts.
func (o *Outcome) Limit() string {
	for _, r := range o.Runs {
		switch {
		case r.Killed == "cpu":
			return "it used up its CPU time"
		case r.Killed == "wall":
			return "it ran past the wall-clock limit"
		case r.Killed == "memory":
			return "it ran out of memory"
		case r.Killed == "output" || r.StdoutTruncated || r.StderrTruncated:
			return "it printed more than the output limit"
		case r.Killed != "":
			return "it was killed (" + r.Killed + ")"
		}
	}
	return ""
}

// QualifiedName is an exception's type as a question names it: "Name" for
// builtins and exceptions defined by the snippet, else "module.Name".
func QualifiedName(e *snippetio.Exception) string {
	if e == nil {
		return ""
	}
	if e.Module != "" && e.Module != "builtins" && e.Module != "__main__" {
		return e.Module + "." + e.Type
	}
	return e.Type
}

// ErrorMatches reports whether an exception is the one a question names
// with error = want: "Name" or "module.Name"; "" accepts any.
func ErrorMatches(want string, e *snippetio.Exception) bool {
	return want == "" || want == e.Type || want == e.Module+"."+e.Type
}

// Verdict is what the snippet did, for a record such as an export bundle's
// verified field: its output (or value) and the exception it raised. It is
// nil unless the snippet was judged.
type Verdict struct {
	Output string
	Error  string // QualifiedName of the exception; "" when none
}

// Verdict returns what a judged snippet did, or nil.
func (o *Outcome) Verdict() *Verdict {
	if !o.Judged() {
		return nil
	}
	r := o.First()
	v := &Verdict{Output: string(r.Stdout)}
	if o.Expect == "value" && r.HasValue {
		v.Output = r.Value
	}
	v.Error = QualifiedName(r.Exception)
	return v
}

// Summary says in a few words what happened, for people: "printed
// \"0\\n1\\n\"", "raised ZeroDivisionError", "stopped: it used up its CPU
// time", "not run".
func (o *Outcome) Summary() string {
	if o == nil {
		return "no snippet to run"
	}
	switch o.Status() {
	case NotRun:
		if o.NoSandbox {
			return "not run: no sandbox on this system"
		}
		return "not run"
	case Failed:
		return "sandbox failure: " + o.Err.Error()
	case Tampered:
		return "tampered with the sandbox: " + o.TamperedWith()
	case Stopped:
		return "stopped: " + o.Limit()
	case MissingModule:
		return "not run: missing " + strings.Join(o.First().Missing, ", ")
	}
	r := o.First()
	if e := r.Exception; e != nil {
		if e.CompileTime {
			return "does not compile: " + QualifiedName(e)
		}
		return "raised " + QualifiedName(e)
	}
	switch o.Expect {
	case "compiles":
		return "compiles"
	case "value":
		if !r.HasValue {
			return "has no value"
		}
		return "evaluates to " + fmt.Sprintf("%q", r.Value)
	}
	return fmt.Sprintf("printed %q", string(r.Stdout))
}
