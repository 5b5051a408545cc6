// Package check proves code questions: it runs each question's Python
// snippet in the sandbox (or takes the result from the cache) and keeps
// what happened for the QB5xx rules, which compare it with the answer key.
//
// What runs, by expect:
//   - "compiles" (the default): the source is compiled in the sandbox,
//     never executed;
//   - "error": the snippet runs; a SyntaxError or IndentationError comes
//     from a separate compile step, never from reading stderr;
//   - "output" and "value": the snippet runs with PYTHONHASHSEED=0, and a
//     second time with PYTHONHASHSEED=1 when its output could depend on it
//     (see MayVary), so a key that is right on one machine only is caught;
//   - "none": nothing.
package check

import (
	"context"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

// Runner runs one snippet; *sandbox.Pool is the real one.
type Runner interface {
	Run(ctx context.Context, job sandbox.Job) (sandbox.Result, error)
}

// Options configure Run.
type Options struct {
	// Runner runs snippets; nil means --no-run: nothing is executed and
	// every snippet is reported as skipped.
	Runner Runner
	// Cache holds results across runs; nil disables it.
	Cache *Cache
	// Key identifies everything a result depends on besides the job:
	// the sandbox's version, the interpreter, the limits.
	Key string
	// Parallel is how many snippets are in flight at once.
	Parallel int
	// Python names the interpreter in findings, e.g. "Python 3.11.7".
	Python string
	// CompileOnly runs only compile checks: where no isolation is
	// available, compiling is safe (nothing executes) but running is not,
	// so snippets that must run are reported as skipped.
	CompileOnly bool
}

// Outcome is what running one question's snippet showed.
type Outcome struct {
	Skipped bool             // not run (--no-run)
	Runs    []sandbox.Result // one per hash seed tried; empty for expect = "none"
	Err     error            // the sandbox failed (not the snippet)
	Cached  int              // how many of Runs came from the cache
	Python  string           // the interpreter, e.g. "Python 3.11.7"
}

// Summary counts what Run did.
type Summary struct {
	Snippets, Executed, Cached, Skipped, Failed int
}

const factKey = "snippets"

// OutcomeOf returns the outcome of a question's snippet, or nil when it
// has none or was not checked.
func OutcomeOf(f *lint.File, q *bank.Question) *Outcome {
	m, _ := f.Facts[factKey].(map[int]*Outcome)
	return m[q.Index]
}

type task struct {
	file *lint.File
	q    *bank.Question
	job  sandbox.Job
	out  *Outcome
	slot int
}

// Jobs returns the sandbox jobs a question's snippet needs, in seed order.
func Jobs(q *bank.Question) []sandbox.Job {
	c := q.Code
	if c == nil || c.Expect == "none" || c.Language != "python" {
		return nil
	}
	job := sandbox.Job{
		Mode: sandbox.Exec, Source: c.Source, Before: c.Before, After: c.After,
		Stdin: c.Stdin, Requires: c.Requires, SitePackages: len(c.Requires) > 0,
	}
	switch c.Expect {
	case "compiles":
		job.Mode = sandbox.Compile
		return []sandbox.Job{job}
	case "error":
		return []sandbox.Job{job}
	case "value":
		job.ValueOf = "_"
		if c.Of != "" {
			job.ValueOf = c.Of
		}
	case "output":
	default:
		return nil
	}
	jobs := []sandbox.Job{job}
	if MayVary(c.Before + "\n" + c.Source + "\n" + c.After) {
		second := job
		second.HashSeed = 1
		jobs = append(jobs, second)
	}
	return jobs
}

// varyRe finds what can make output differ between runs: sets (their
// iteration order follows string hashes), hash() and id(), object
// addresses, randomness, time, the process, threads.
var varyRe = regexp.MustCompile(`\b(set|frozenset|hash|id|object|random|time|datetime|uuid|secrets|os|sys|threading|__hash__)\b|\{`)

// MayVary reports whether code could print differently under another hash
// seed or on another run: it mentions sets (a brace outside a string may
// be one), hash, id, object, or a module of randomness, time or the
// process. Code that does none of these runs once.
func MayVary(code string) bool {
	return varyRe.MatchString(stripStrings(code))
}

// stripStrings removes Python comments and the insides of string
// literals, so that the braces of f-strings and words in text do not
// count.
func stripStrings(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); {
		c := code[i]
		switch {
		case c == '#':
			for i < len(code) && code[i] != '\n' {
				i++
			}
		case c == '\'' || c == '"':
			q := code[i : i+1]
			if strings.HasPrefix(code[i:], q+q+q) {
				q = q + q + q
			}
			i += len(q)
			for i < len(code) && !strings.HasPrefix(code[i:], q) {
				if code[i] == '\\' {
					i++
				}
				i++
			}
			i += len(q)
			b.WriteString(`""`)
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// Run checks the snippets of every parsed file and stores the outcomes as
// facts for the rules.
func Run(ctx context.Context, files []*lint.File, opts Options) Summary {
	var tasks []*task
	var sum Summary
	for _, f := range files {
		if f.Bank == nil {
			continue
		}
		outcomes := map[int]*Outcome{}
		f.Facts[factKey] = outcomes
		for _, q := range f.Bank.Questions {
			jobs := Jobs(q)
			if len(jobs) == 0 {
				continue
			}
			sum.Snippets++
			o := &Outcome{Python: opts.Python}
			outcomes[q.Index] = o
			if opts.Runner == nil || opts.CompileOnly && jobs[0].Mode != sandbox.Compile {
				o.Skipped = true
				sum.Skipped++
				continue
			}
			o.Runs = make([]sandbox.Result, len(jobs))
			for i, j := range jobs {
				tasks = append(tasks, &task{file: f, q: q, job: j, out: o, slot: i})
			}
		}
	}
	if len(tasks) == 0 {
		return sum
	}
	par := opts.Parallel
	if par <= 0 {
		par = 2 * runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex
	ch := make(chan *task)
	var wg sync.WaitGroup
	for w := 0; w < par; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range ch {
				key := ""
				if opts.Cache != nil {
					key = CacheKey(opts.Key, t.job)
					if r, ok := opts.Cache.Get(key); ok {
						mu.Lock()
						t.out.Runs[t.slot] = r
						t.out.Cached++
						sum.Cached++
						mu.Unlock()
						continue
					}
				}
				r, err := opts.Runner.Run(ctx, t.job)
				mu.Lock()
				if err != nil {
					t.out.Err = err
					sum.Failed++
				} else {
					t.out.Runs[t.slot] = r
					sum.Executed++
				}
				mu.Unlock()
				if err == nil && opts.Cache != nil && Cacheable(r) {
					opts.Cache.Put(key, r)
				}
			}
		}()
	}
	for _, t := range tasks {
		ch <- t
	}
	close(ch)
	wg.Wait()
	return sum
}

// Cacheable reports whether a result may be reused: results that depend
// on timing (killed by the wall clock) are run again next time.
func Cacheable(r sandbox.Result) bool {
	return r.Killed != "wall"
}
