// Package snippetrun proves code questions: it turns each question's
// Python snippet into sandbox jobs (Jobs), runs them through a Runner or
// takes the results from the on-disk Cache, and returns what happened as
// snippet.Outcome values, which package snippet interprets.
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
//
// A question whose options are code (run = "options") has no snippet of its
// own: each option runs as its own job (OptionJobs), with the hidden before
// code and the shown source first, and gets its own outcome (RunAll).
// Identical jobs in one run, from any questions, run once.
//
// It does not import the sandbox either: jobs and results are the plain
// data of package snippetio, and *sandbox.Pool is the Runner qbank passes
// in (package linter does).
package snippetrun

import (
	"context"
	"github.com/qbank-dev/qbank/pkg/markdown"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/snippetio"
)

// Runner runs one snippet; *sandbox.Pool is the real one.
type Runner interface {
	Run(ctx context.Context, job snippetio.Job) (snippetio.Result, error)
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
	// Select picks the questions whose snippets run; nil means all.
	Select func(*bank.Question) bool
}

// Summary counts what Run did.
type Summary struct {
	Snippets, Executed, Cached, Skipped, Failed int
}

type task struct {
	job  snippetio.Job
	out  *snippet.Outcome
	slot int
	// key identifies the job: its cache key.
	key string
	// same are the other tasks with an identical job, which take this
	// task's result.
	same []*task
}

// all is the task and its copies.
func (t *task) all() []*task { return append([]*task{t}, t.same...) }

// dedup keys the tasks (runKey as for the cache) and folds tasks with
// identical jobs into the first of them.
func dedup(tasks []*task, runKey string) []*task {
	first := map[string]*task{}
	out := tasks[:0:0]
	for _, t := range tasks {
		k := CacheKey(runKey, t.job)
		t.key = k
		if f, ok := first[k]; ok {
			f.same = append(f.same, t)
			continue
		}
		first[k] = t
		out = append(out, t)
	}
	return out
}

// Jobs returns the sandbox jobs a question's snippet needs, in seed order.
// A question whose options are code (run = "options") has none: see
// OptionJobs.
func Jobs(q *bank.Question) []snippetio.Job {
	c := q.Code
	if c == nil || c.Expect == "none" || c.Language != "python" || q.OptionsAreCode() {
		return nil
	}
	job := snippetio.Job{
		Mode: snippetio.Exec, Source: c.Source, Before: c.Before, After: c.After,
		Stdin: c.Stdin, Requires: c.Requires, SitePackages: len(c.Requires) > 0,
	}
	switch c.Expect {
	case "compiles":
		job.Mode = snippetio.Compile
		return []snippetio.Job{job}
	case "error":
		return []snippetio.Job{job}
	case "value":
		job.ValueOf = "_"
		if c.Of != "" {
			job.ValueOf = c.Of
		}
	case "output":
	default:
		return nil
	}
	jobs := []snippetio.Job{job}
	if MayVary(c.Before + "\n" + c.Source + "\n" + c.After) {
		second := job
		second.HashSeed = 1
		jobs = append(jobs, second)
	}
	return jobs
}

// OptionJobs returns, for a question whose options are code (run =
// "options"), each option's sandbox jobs in seed order, by option index:
// hidden before and the shown source (as the job's Before, so that the
// option's own lines are the job's Source lines), then the option, then
// hidden after, with the question's stdin. expect = "output" and "error"
// run the option; "value" also takes the repr of its last expression (or
// of the question's of). Other expects run nothing (QB517 says why).
func OptionJobs(q *bank.Question) [][]snippetio.Job {
	c := q.Code
	if !q.OptionsAreCode() || c.Language != "python" || len(q.Options) == 0 {
		return nil
	}
	switch {
	case c.Expect == "output" && c.HasOutput, c.Expect == "error" && c.Error != "", c.Expect == "value" && c.HasValue:
	default:
		return nil // nothing stated to compare with (QB517)
	}
	before := c.Before
	if strings.TrimSpace(c.Source) != "" {
		if before != "" && !strings.HasSuffix(before, "\n") {
			before += "\n"
		}
		before += c.Source
	}
	out := make([][]snippetio.Job, len(q.Options))
	for i, o := range q.Options {
		code, _ := OptionCode(o.Text)
		job := snippetio.Job{
			Mode: snippetio.Exec, Source: code, Before: before, After: c.After,
			Stdin: c.Stdin, Requires: c.Requires, SitePackages: len(c.Requires) > 0,
		}
		jobs := []snippetio.Job{job}
		if c.Expect == "value" {
			jobs[0].ValueOf = "_"
			if c.Of != "" {
				jobs[0].ValueOf = c.Of
			}
		}
		if c.Expect != "error" && MayVary(before+"\n"+code+"\n"+c.After) {
			second := jobs[0]
			second.HashSeed = 1
			jobs = append(jobs, second)
		}
		out[i] = jobs
	}
	return out
}

// OptionCode is the Python code of a code option: its text, or the
// inside of a Markdown fence (```python … ```) or code span that wraps
// all of it. line is how many lines of the text come before the code's
// first line (1 after an opening fence line), to place findings.
func OptionCode(text string) (code string, line int) {
	if c, line, ok := markdown.WholeCode(text); ok {
		return c, line
	}
	return text, 0
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

// Outcomes are what running one bank's snippets showed, by question
// index: Source for a question's own snippet, Options for a question
// whose options are code (one outcome per option, in option order).
type Outcomes struct {
	Source  map[int]*snippet.Outcome
	Options map[int][]*snippet.Outcome
}

// Run checks the snippets of the questions of banks (nil banks are
// skipped) and returns each bank's outcomes by question index, in the order
// of banks. Only questions for which opts.Select returns true run (all when
// it is nil). Cancelling ctx stops handing out snippets and interrupts the
// ones running; Run then returns ctx.Err(). Run leaves out the outcomes of
// code options; RunAll has them.
func Run(ctx context.Context, banks []*bank.Bank, opts Options) ([]map[int]*snippet.Outcome, Summary, error) {
	all, sum, err := RunAll(ctx, banks, opts)
	if all == nil {
		return nil, sum, err
	}
	out := make([]map[int]*snippet.Outcome, len(all))
	for i, o := range all {
		out[i] = o.Source
	}
	return out, sum, err
}

// RunAll is Run with the outcomes of code options (run = "options") too.
// Every option counts as one snippet in the Summary. Identical jobs (the
// same option in two questions, say) run once and share their result.
func RunAll(ctx context.Context, banks []*bank.Bank, opts Options) ([]Outcomes, Summary, error) {
	var tasks []*task
	var sum Summary
	out := make([]Outcomes, len(banks))
	add := func(q *bank.Question, jobs []snippetio.Job) *snippet.Outcome {
		sum.Snippets++
		o := &snippet.Outcome{Python: opts.Python, Expect: q.Code.Expect}
		if opts.Runner == nil || opts.CompileOnly && jobs[0].Mode != snippetio.Compile {
			o.Skipped = true
			o.NoSandbox = opts.Runner != nil
			sum.Skipped++
			return o
		}
		o.Runs = make([]snippetio.Result, len(jobs))
		for i, j := range jobs {
			tasks = append(tasks, &task{job: j, out: o, slot: i})
		}
		return o
	}
	for bi, b := range banks {
		if b == nil {
			continue
		}
		out[bi] = Outcomes{Source: map[int]*snippet.Outcome{}, Options: map[int][]*snippet.Outcome{}}
		for _, q := range b.Questions {
			if opts.Select != nil && !opts.Select(q) {
				continue
			}
			if jobs := Jobs(q); len(jobs) > 0 {
				out[bi].Source[q.Index] = add(q, jobs)
			}
			if ojobs := OptionJobs(q); len(ojobs) > 0 {
				outs := make([]*snippet.Outcome, len(ojobs))
				for i, jobs := range ojobs {
					outs[i] = add(q, jobs)
				}
				out[bi].Options[q.Index] = outs
			}
		}
	}
	if len(tasks) == 0 {
		return out, sum, ctx.Err()
	}
	tasks = dedup(tasks, opts.Key)
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
				key := t.key
				if opts.Cache != nil {
					if r, ok := opts.Cache.Get(key); ok {
						mu.Lock()
						for _, c := range t.all() {
							c.out.Runs[c.slot] = r
							c.out.Cached++
							sum.Cached++
						}
						mu.Unlock()
						continue
					}
				}
				r, err := opts.Runner.Run(ctx, t.job)
				if ctx.Err() != nil {
					continue // cancelled: the result says nothing about the snippet
				}
				mu.Lock()
				for i, c := range t.all() {
					switch {
					case err != nil:
						c.out.Err = err
						sum.Failed++
					case i == 0:
						c.out.Runs[c.slot] = r
						sum.Executed++
					default: // a copy of the same job: shared, counted as from the cache
						c.out.Runs[c.slot] = r
						c.out.Cached++
						sum.Cached++
					}
				}
				mu.Unlock()
				if err == nil && opts.Cache != nil && Cacheable(r) {
					opts.Cache.Put(key, r)
				}
			}
		}()
	}
feed:
	for _, t := range tasks {
		select {
		case ch <- t:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, sum, err
	}
	return out, sum, nil
}

// Cacheable reports whether a result may be reused: results that depend
// on timing (killed by the wall clock) are run again next time, and a
// result that tampered with the sandbox is never kept.
func Cacheable(r snippetio.Result) bool {
	return r.Killed != "wall" && r.Tampered == ""
}
