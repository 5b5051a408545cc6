package snippetrun

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/snippetio"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

func decode(t *testing.T, src string) *bank.Bank {
	t.Helper()
	doc, err := tomltree.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return bank.Decode("b.toml", doc)
}

const optionsBank = `[bank]
id = "b"
title = "B"

[[question]]
id = "q"
options = ["print(n)", "` + "```python\\nprint(n + 1)\\n```" + `", "` + "`print(n * 2)`" + `"]
answer = "A"
[question.code]
before = "n = 1"
source = "n += 1"
after = "print('end')"
stdin = "x\n"
run = "options"
expect = "value"
value = "2"

[[question]]
id = "same"
options = ["print(n)", "print(0)"]
answer = "A"
[question.code]
before = "n = 1"
source = "n += 1"
after = "print('end')"
stdin = "x\n"
run = "options"
expect = "value"
value = "2"

[[question]]
id = "unstated"
options = ["print(1)", "print(2)"]
answer = "A"
[question.code]
run = "options"
expect = "output"
`

// TestOptionJobs: each option is its own job, after the hidden before
// code and the shown source, with the hidden after code and stdin; a
// fence or code span around the option is not part of the code; a
// question that states no result runs nothing (QB517), and its own
// snippet is never run.
func TestOptionJobs(t *testing.T) {
	b := decode(t, optionsBank)
	q := b.Questions[0]
	if jobs := Jobs(q); jobs != nil {
		t.Errorf("Jobs of a code-options question = %+v, want none", jobs)
	}
	got := OptionJobs(q)
	if len(got) != 3 {
		t.Fatalf("%d option job lists, want 3", len(got))
	}
	for i, want := range []string{"print(n)", "print(n + 1)", "print(n * 2)"} {
		j := got[i][0]
		if j.Source != want || j.Before != "n = 1\nn += 1" || j.After != "print('end')" || j.Stdin != "x\n" ||
			j.ValueOf != "_" || j.Mode != snippetio.Exec {
			t.Errorf("option %d: job %+v", i, j)
		}
	}
	if jobs := OptionJobs(b.Questions[2]); jobs != nil {
		t.Errorf("a question without output ran %+v", jobs)
	}
}

func TestOptionCode(t *testing.T) {
	for _, tc := range []struct {
		text, code string
		line       int
	}{
		{"print(1)", "print(1)", 0},
		{"`print(1)`", "print(1)", 0},
		{"``print(`a`)``", "print(`a`)", 0},
		{"```python\nx = 1\nprint(x)\n```", "x = 1\nprint(x)", 1},
		{"\n```\nx = 1\n```", "x = 1", 2},
		{"x = `1`", "x = `1`", 0},
	} {
		code, line := OptionCode(tc.text)
		if code != tc.code || line != tc.line {
			t.Errorf("OptionCode(%q) = %q, %d; want %q, %d", tc.text, code, line, tc.code, tc.line)
		}
	}
}

// countingRunner records the jobs it runs.
type countingRunner struct {
	mu   sync.Mutex
	jobs []string
}

func (r *countingRunner) Run(_ context.Context, j snippetio.Job) (snippetio.Result, error) {
	r.mu.Lock()
	r.jobs = append(r.jobs, j.Source)
	r.mu.Unlock()
	return snippetio.Result{Stdout: []byte(j.Source + "\n"), Value: j.Source, HasValue: true}, nil
}

// TestRunAllOptions: every option gets its own outcome, in option order;
// identical jobs run once and share their result; the cache serves option
// jobs on the next run.
func TestRunAllOptions(t *testing.T) {
	b := decode(t, optionsBank)
	r := &countingRunner{}
	cache := &Cache{Dir: t.TempDir()}
	outs, sum, err := RunAll(context.Background(), []*bank.Bank{b}, Options{Runner: r, Cache: cache, Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	o := outs[0]
	if len(o.Source) != 0 || len(o.Options[0]) != 3 || len(o.Options[1]) != 2 || o.Options[2] != nil {
		t.Fatalf("outcomes %+v", o)
	}
	if v := o.Options[0][1].First().Value; v != "print(n + 1)" {
		t.Errorf("option B's outcome holds %q", v)
	}
	// "print(n)" with the same hidden code is one job in both questions.
	slices.Sort(r.jobs)
	if want := []string{"print(0)", "print(n * 2)", "print(n + 1)", "print(n)"}; !slices.Equal(r.jobs, want) {
		t.Errorf("ran %q, want %q", r.jobs, want)
	}
	if sum.Snippets != 5 || sum.Executed != 4 || sum.Cached != 1 {
		t.Errorf("summary %+v", sum)
	}
	if v := o.Options[1][0].First().Value; v != "print(n)" {
		t.Errorf("the shared job's result is %q in the second question", v)
	}
	r.jobs = nil
	_, sum, err = RunAll(context.Background(), []*bank.Bank{b}, Options{Runner: r, Cache: cache, Key: "k"})
	if err != nil || len(r.jobs) != 0 || sum.Cached != 5 {
		t.Errorf("second run: ran %q, summary %+v, err %v", r.jobs, sum, err)
	}
}
