package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/snippetrun"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// question builds a one-question bank from its parts.
func question(t testing.TB, prompt string, options []string, key, source, extra string) *bank.Question {
	t.Helper()
	var opts []string
	for _, o := range options {
		opts = append(opts, strconv.Quote(o))
	}
	src := fmt.Sprintf("[bank]\nid = \"b\"\ntitle = \"t\"\n\n[[question]]\nid = \"q\"\ndifficulty = \"easy\"\nprompt = %s\noptions = [%s]\nanswer = %q\n[question.code]\nsource = '''\n%s\n'''\n%s",
		strconv.Quote(prompt), strings.Join(opts, ", "), key, source, extra)
	doc, err := tomltree.Parse([]byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return bank.Decode("b.toml", doc).Questions[0]
}

// TestSuggestExpect is QB518's table: realistic prompts, the options and
// code they come with, and the expect the rule asks for ("" = no finding).
func TestSuggestExpect(t *testing.T) {
	loop := "for i in range(3):\n    print(i)"
	div := "x = 10\ny = 0\nprint(x / y)"
	acc := "total = 0\nfor n in [1, 2, 3]:\n    total += n"
	fn := "def f(n):\n    return n * 2"
	outs := []string{"0 1 2", "1 2 3", "0 1 2 3", "nothing"}
	errs := []string{"ZeroDivisionError", "ValueError", "It prints inf", "It prints 0"}
	nums := []string{"3", "6", "0", "None"}
	tests := []struct {
		prompt  string
		options []string
		key     string
		source  string
		extra   string
		want    string
	}{
		// Output questions.
		{"What does this code print?", outs, "A", loop, "", `expect = "output"`},
		{"What will the following program output?", outs, "A", loop, "", `expect = "output"`},
		{"What is the output of the following code?", outs, "A", loop, "", `expect = "output"`},
		{"What's the output?", outs, "A", loop, "", `expect = "output"`},
		{"What gets printed?", outs, "A", loop, "", `expect = "output"`},
		{"What is printed when this snippet runs?", outs, "A", loop, "", `expect = "output"`},
		{"What will be printed to the screen?", outs, "A", loop, "", `expect = "output"`},
		{"Predict the output of this loop.", outs, "A", loop, "", `expect = "output"`},
		{"What does `print(i)` display here?", outs, "A", loop, "", `expect = "output"`},
		{"The loop starts at 0. What does it print?", outs, "A", loop, "", `expect = "output"`},
		{"Which of the following is printed?", outs, "A", loop, "", `expect = "output"`},
		{"What is the exact output?", outs, "A", loop, "", `expect = "output"`},
		// Error questions: the keyed option names the exception.
		{"What does this code print?", errs, "A", div, "", `expect = "error", error = "ZeroDivisionError"`},
		{"What happens when this code is run?", errs, "A", div, "", `expect = "error", error = "ZeroDivisionError"`},
		{"Which exception is raised?", errs, "A", div, "", `expect = "error", error = "ZeroDivisionError"`},
		{"What error does the last line raise?", errs, "A", div, "", `expect = "error", error = "ZeroDivisionError"`},
		{"What is the result?", []string{"ZeroDivisionError: division by zero", "inf", "0"}, "A", div, "", `expect = "error", error = "ZeroDivisionError"`},
		{"What does `json.loads('x')` raise?", []string{"json.JSONDecodeError", "ValueError", "KeyError"}, "A", "import json\njson.loads('x')", "", `expect = "error", error = "json.JSONDecodeError"`},
		{"What will this code output?", []string{"6", "It raises an error", "0"}, "B", div, "", `expect = "error"`},
		{"Which exception stops the program?", []string{"division by zero", "bad index", "nothing"}, "A", div, "", `expect = "error"`},
		// Value questions.
		{"What is the value of `total` after the loop?", nums, "B", acc, "", `expect = "value", of = "total"`},
		{"What is the value of total after this code runs?", nums, "B", acc, "", `expect = "value", of = "total"`},
		{"What does `f(3)` return?", nums, "B", fn, "", `expect = "value", of = "f(3)"`},
		{"What does `f(3)` evaluate to?", nums, "B", fn + "\nf(3)", "", `expect = "value"`},
		{"What value does this expression evaluate to?", nums, "B", "1 + 2 + 3", "", `expect = "value"`},
		{"What is `total` at the end?", nums, "B", acc, "", `expect = "value", of = "total"`},
		// Other keys given without expect.
		{"Pick one.", outs, "A", loop, "output = \"0 1 2\"", `expect = "output"`},
		{"Pick one.", errs, "A", div, "error = \"ZeroDivisionError\"", `expect = "error", error = "ZeroDivisionError"`},
		{"Pick one.", nums, "B", acc, "of = \"total\"", `expect = "value"`},
		// No reliable expect: no finding.
		{"Which line has a bug?", []string{"line 1", "line 2", "line 3"}, "B", loop, "", ""},
		{"What does this code do?", []string{"It prints 0 to 2", "It prints 1 to 3"}, "A", loop, "", ""},
		{"Is this valid syntax?", []string{"Yes", "No"}, "A", loop, "", ""},
		{"How many times does the loop run?", nums, "A", loop, "", ""},
		{"How many lines does this print?", nums, "A", loop, "", ""},
		{"What is the last line printed?", outs, "A", loop, "", ""},
		{"What would this print if we changed `range(3)` to `range(4)`?", outs, "C", loop, "", ""},
		{"What should replace the blank to print 0 1 2?", []string{"range(3)", "range(1, 3)"}, "A", loop, "", ""},
		{"Which snippet prints `[1, 2, 3]`?", []string{"print([1, 2, 3])", "print(1, 2, 3)"}, "A", loop, "", ""},
		{"Why does this code print 0 first?", outs, "A", loop, "", ""},
		{"What is the time complexity of this loop?", []string{"O(n)", "O(1)"}, "A", loop, "", ""},
		{"Which exception should you catch here?", errs, "A", div, "", ""},
		{"Which statement about this code is true?", outs, "A", loop, "", ""},
		{"What is the value of `total` after the first iteration?", nums, "A", acc, "", ""},
		{"What does this code print?", []string{"None of the above", "1 2 3"}, "A", loop, "", ""},
		{"What happens when this code is run?", []string{"It prints 0 1 2", "It prints 1 2 3"}, "A", loop, "", ""},
		{"What does this print?", errs, "A", "try:\n    1 / 0\nexcept Exception as e:\n    print(type(e).__name__)", "", `expect = "output"`},
		{"What does this function return?", nums, "B", fn, "", ""},
		{"What is the value of `len(nums)`?", nums, "A", "nums = [1, 2, 3]", "", ""},
		{"What does this code print to stderr?", outs, "A", loop, "", ""},
		{"Does this code print anything?", []string{"Yes", "No"}, "A", loop, "", ""},
		{"What is the type of the value printed?", []string{"int", "str"}, "A", loop, "", ""},
		{"What does the `print` function do?", []string{"Writes to stdout", "Returns a string"}, "A", loop, "", ""},
		{"Which of these loops prints 0 1 2?", outs, "A", loop, "", ""},
		{"What output would you expect if the list were empty?", outs, "D", loop, "", ""},
		{"What is printed?", outs, "A", "x = 3\nx", "", ""}, // nothing prints: a REPL-style question
		{"What does this code print?", []string{"Hello, Ada", "Hello"}, "A", "name = input()\nprint('Hello, ' + name)", "", `expect = "output", stdin = "…\n"`},
		{"What does this code print?", []string{"Hello, Ada", "Hello"}, "A", "name = input()\nprint('Hello, ' + name)", "stdin = \"Ada\"", `expect = "output"`},
		{"What does line 3 print?", outs, "A", loop, "", ""},
		{"What does the function print when called with 3?", outs, "A", "def show(n):\n    print(n)", "", ""},
		{"What is printed by the second `print`?", outs, "A", loop, "", ""},
		{"What does this code print for the input `5`?", outs, "A", "n = int(input())\nprint(n)", "", ""},
		{"What does this print on Python 2?", outs, "A", loop, "", ""},
		// A clause naming the input the question's stdin gives is no what-if.
		{"What does this print if the user enters `3`?", outs, "A", "n = int(input())\nprint(n)", "stdin = \"3\\n\"", `expect = "output"`},
		{"What does this code print for the input `5`?", outs, "A", "n = int(input())\nprint(n)", "stdin = \"5\"", `expect = "output"`},
		{"What does this print if the user enters `3`?", outs, "A", "n = int(input())\nprint(n)", "", ""},
		{"What would this print if the user enters `3` and we change `n * 2` to `n * 3`?", outs, "A", "n = int(input())\nprint(n)", "stdin = \"3\"", ""},
		{"What does `'abc'.upper()` return?", []string{"'ABC'", "'abc'"}, "A", "s = 'abc'", "", ""},
		{"What does this code print?", []string{"ValueError: invalid literal for int() with base 10: 'x'", "x", "0"}, "A", "print(int('x'))", "", `expect = "error", error = "ValueError"`},
		{"What does this code print?", []string{"It raises a TypeError", "ab", "a b"}, "A", "print('a' + 1)", "", `expect = "error", error = "TypeError"`},
		{"Which exception is raised?", []string{"None, the code runs fine", "KeyError", "IndexError"}, "A", "d = {}\nprint(d.get('k'))", "", ""},
		{"What is the value of `result`?", nums, "B", "result = sum([1, 2, 3])", "", `expect = "value", of = "result"`},
		{"What is the final value of `count`?", nums, "A", "count = 0\nfor c in 'abc':\n    count += 1", "", `expect = "value", of = "count"`},
		{"What is the value of `y`?", nums, "A", "x = 3", "", ""}, // y is not assigned: no reliable of
		{"What does this code print?", []string{"ValueError", "TypeError"}, "A", loop, "expect = \"compiles\"", ""},
	}
	for _, tt := range tests {
		q := question(t, tt.prompt, tt.options, tt.key, tt.source, tt.extra)
		if got := rules.SuggestExpect(q); got != tt.want {
			t.Errorf("%q (key %s) = %q, want %q", tt.prompt, tt.key, got, tt.want)
		}
	}
}

// TestSnippetHints checks the hints of QB505 and QB507 when an exception
// is the setup's fault: input() without stdin, a call the sandbox refuses.
func TestSnippetHints(t *testing.T) {
	pool := openPool(t)
	files := load.Banks([]string{"../../testdata/snippets/hints.toml"})
	runSnippets(t, files, snippetrun.Options{Runner: pool, Python: "Python " + pool.Interpreter().Version})
	res := lint.Run(files, rules.All(), nil)
	hints := map[string]string{}
	for _, d := range res.Diagnostics {
		hints[d.Question] = d.Hint
	}
	for id, want := range map[string]string{
		"input-no-stdin":        `add stdin = "…\n" to [question.code]: the text input() reads, one line per call`,
		"input-short-stdin":     "give stdin one line per input() call: it has fewer lines than the snippet reads",
		"input-error":           `add stdin = "…\n" to [question.code]: the text input() reads, one line per call`,
		"subprocess":            `the sandbox forbids running another program, so Python raises PermissionError in the sandbox: qbank cannot check this key; show the code without running it (expect = "compiles"), or ask about code that does not need it`,
		"socket":                "the sandbox forbids network access, so Python raises PermissionError in the sandbox",
		"real-permission-error": `fix the snippet, or ask about the error: expect = "error", error = "PermissionError"`,
	} {
		got, ok := hints["snippet-hints/"+id]
		if !ok || !strings.HasPrefix(got, want) {
			t.Errorf("%s: hint %q, want %q", id, got, want)
		}
	}
}

// BenchmarkForgottenExpect lints 1,000 code questions that leave expect
// out (QB518's worst case: it reads every prompt), with every rule and
// without QB518, side by side, without running snippets.
func BenchmarkForgottenExpect(b *testing.B) {
	var src strings.Builder
	src.WriteString("[bank]\nid = \"bench\"\ntitle = \"Bench\"\n")
	prompts := []string{"What does this code print?", "Which line has a bug?", "What is the value of `total` after the loop?", "What happens when this code is run?"}
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&src, "\n[[question]]\nid = \"q%d\"\ndifficulty = \"easy\"\nprompt = %q\noptions = [\"0 1 2\", \"ZeroDivisionError\", \"6\"]\nanswer = \"A\"\n[question.code]\nsource = '''\ntotal = 0\nfor i in range(3):\n    total += i\n    print(i)\n'''\n", i, prompts[i%len(prompts)])
	}
	path := filepath.Join(b.TempDir(), "bench.toml")
	if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	all := rules.All()
	without := slices.DeleteFunc(slices.Clone(all), func(r *lint.Rule) bool { return r == rules.ForgottenExpect })
	for _, bb := range []struct {
		name  string
		rules []*lint.Rule
	}{{"all-rules", all}, {"without-QB518", without}} {
		b.Run(bb.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				files := load.Banks([]string{path})
				lint.Run(files, bb.rules, nil)
			}
		})
	}
}

func TestAssigns(t *testing.T) {
	for _, tt := range []struct {
		src, name string
		want      bool
	}{
		{"x = 1", "x", true},
		{"x += 1", "x", true},
		{"x //= 2", "x", true},
		{"x <<= 2", "x", true},
		{"a, x = 1, 2", "x", true},
		{"(a, x) = 1, 2", "x", true},
		{"x: int = 3", "x", true},
		{"x[0] = 3", "x", true},
		{"for i, x in enumerate(y):\n    pass", "x", true},
		{"def x():\n    pass", "x", true},
		{"import x", "x", true},
		{"x.append(3)", "x", true},
		{"xs = 1", "x", false},
		{"print(x == 1)", "x", false},
		{"if x == 1:\n    pass", "x", false},
		{"y = x", "x", false},
		{"f(x=1)", "x", false},
		{"print('x = 1')", "x", false},
		{"y <= x", "x", false},
	} {
		if got := rules.Assigns(tt.src, tt.name); got != tt.want {
			t.Errorf("assigns(%q, %q) = %v, want %v", tt.src, tt.name, got, tt.want)
		}
	}
}

// BenchmarkSuggestExpect is QB518's decision for one question whose prompt
// asks what the code prints (the regular expressions run).
func BenchmarkSuggestExpect(b *testing.B) {
	q := question(b, "What does this code print?", []string{"0 1 2", "1 2 3"}, "A", "for i in range(3):\n    print(i)", "")
	for i := 0; i < b.N; i++ {
		rules.SuggestExpect(q)
	}
}

// TestSuggestExpectOnBank takes the bundled banks' code questions, removes
// their expect, error and of, and checks that every expect QB518 asks for
// is the one the author wrote, and that most are found.
func TestSuggestExpectOnBank(t *testing.T) {
	paths, _ := filepath.Glob("../../questions/*.toml")
	strip := regexp.MustCompile(`(?m)^(?:expect|error|of) = .*\n`)
	total, found := 0, 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		truth := map[string]string{}
		doc, _ := tomltree.Parse(src)
		for _, q := range bank.Decode(path, doc).Questions {
			if q.Code == nil {
				continue
			}
			s := fmt.Sprintf("expect = %q", q.Code.Expect)
			if q.Code.Expect == "error" && q.Code.Error != "" {
				s += fmt.Sprintf(", error = %q", q.Code.Error)
			}
			if q.Code.Of != "" {
				s += fmt.Sprintf(", of = %q", q.Code.Of)
			}
			truth[q.ID] = s
		}
		doc, err = tomltree.Parse(strip.ReplaceAll(src, nil))
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range bank.Decode(path, doc).Questions {
			if q.Code == nil {
				continue
			}
			total++
			got := rules.SuggestExpect(q)
			if got == "" {
				t.Logf("%s: no suggestion (truth %s)", q.ID, truth[q.ID])
				continue
			}
			found++
			if got != truth[q.ID] {
				t.Errorf("%s: QB518 asks for %s, the author wrote %s", q.ID, got, truth[q.ID])
			}
		}
	}
	t.Logf("%d of %d code questions without expect found", found, total)
	if total == 0 || found*10 < total*8 {
		t.Errorf("only %d of %d code questions without expect found", found, total)
	}
}
