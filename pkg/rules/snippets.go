package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/snippetio"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// The QB5xx rules compare what a snippet really did (package snippetrun ran
// it in the sandbox, and the methods of its snippet.Outcome say what that
// was) with what the question claims. Each reads the outcome of its
// question and reports one kind of disagreement.

// ran is a question whose snippet ran, with its outcome and first result.
type ran struct {
	q   *bank.Question
	o   *snippet.Outcome
	r   snippetio.Result
	doc *tomltree.Document
}

// snippets returns the questions of the pass's bank whose snippet ran.
// Unless all is set, only those that can be judged (Outcome.Judged: no
// sandbox failure, no limit hit, no missing module); the rules for those
// cases ask for all.
func snippets(p *lint.Pass, all bool) []ran {
	var out []ran
	for _, q := range p.Bank.Questions {
		o := p.File.Outcome(q)
		if o == nil || o.Skipped || len(o.Runs) == 0 {
			continue
		}
		if !all && !o.Judged() {
			continue
		}
		out = append(out, ran{q: q, o: o, r: o.First(), doc: p.File.Doc})
	}
	return out
}

// codeField returns the node of a key of the question's code table, or the
// code table itself.
func codeField(q *bank.Question, key string) *tomltree.Node {
	if n := q.Code.Node.Get(key); n != nil {
		return n
	}
	return q.Code.Node
}

// sourceSpan maps a line (and column) of the snippet onto the TOML file.
// Multi-line strings map line for line; other strings point at the value.
func sourceSpan(doc *tomltree.Document, q *bank.Question, line, col int) lint.Span {
	n := codeField(q, "source")
	if n.Kind != tomltree.String || !n.Multiline || line < 1 {
		return lint.ValueSpan(n)
	}
	first := doc.Position(n.ContentStart).Line
	start, end := doc.LineOffset(first + line - 1)
	if start >= n.End {
		return lint.ValueSpan(n)
	}
	if col > 1 {
		// columns are characters; walk them
		off := start
		for i := 1; i < col && off < end; i++ {
			_, size := utf8.DecodeRune(doc.Src[off:])
			off += size
		}
		start = off
	}
	return lint.Span{Start: start, End: max(end, start)}
}

// show quotes untrusted output for a message: escaped, abbreviated.
func show(s string) string {
	const max = 120
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return strconv.Quote(s)
}

// fileLineRe is the "(<string>, line 3)" that str() of a SyntaxError ends
// with; the finding says where instead.
var fileLineRe = regexp.MustCompile(`\s*\(<[^>]*>, line \d+\)$`)

func excText(e *snippetio.Exception) string {
	name := snippet.QualifiedName(e)
	if msg := fileLineRe.ReplaceAllString(e.Message, ""); msg != "" {
		name += ": " + msg
	}
	where := ""
	switch {
	case e.Where == "before" || e.Where == "after":
		where = fmt.Sprintf(" in the hidden %s code", e.Where)
	case e.Line > 0:
		where = fmt.Sprintf(" at line %d of the snippet", e.Line)
	}
	return name + where
}

// excSpan points at the snippet line that raised, or at the source.
func excSpan(s ran, e *snippetio.Exception) lint.Span {
	if e.Where == "source" || e.Where == "" {
		return sourceSpan(s.doc, s.q, e.Line, e.Col)
	}
	return lint.ValueSpan(codeField(s.q, "source"))
}

// SnippetSyntax reports snippets that do not compile.
var SnippetSyntax = &lint.Rule{
	Code: "QB501", Name: "snippet-syntax", Severity: lint.Error,
	Summary: "a code snippet does not compile",
	Doc: `Every Python snippet is compiled in the sandbox (expect = "compiles" is the
default). A snippet with a syntax error that the question does not ask about
is a typo students will copy. The finding sits on the snippet's own line.
If the question is about the error, say so: expect = "error" and
error = "SyntaxError".`,
	Bad: `[question.code]
source = '''
for i in range(3)
    print(i)
'''`,
	Good: `[question.code]
source = '''
for i in range(3):
    print(i)
'''`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			e := s.r.Exception
			if e == nil || !e.CompileTime || s.q.Code.Expect == "error" {
				continue
			}
			p.Report(lint.Finding{Span: excSpan(s, e), Question: s.q,
				Message: "snippet does not compile: " + excText(e),
				Hint:    `fix the code, or if the question is about this error set expect = "error" and error = "` + e.Type + `"`})
		}
	},
}

// WrongKey reports keys that say something other than what the code does.
var WrongKey = &lint.Rule{
	Code: "QB502", Name: "wrong-key", Severity: lint.Error,
	Summary: "the key is not what the code really does",
	Doc: `For expect = "output" the keyed option (or output = '''…''' when given) must
be what the snippet prints; for expect = "value", the repr of the value; for
expect = "error", the keyed option must name the exception the code raises.
Output is compared after normalisation: line endings, trailing whitespace
and runs of whitespace and newlines do not count, nor does Markdown code
formatting around an option. The finding shows both and names the option
that does match, if one does.`,
	Bad: `options = ["0 1 2", "1 2 3"]
answer = "B"
[question.code]
source = "for i in range(3): print(i)"
expect = "output"`,
	Good: `options = ["0 1 2", "1 2 3"]
answer = "A"
[question.code]
source = "for i in range(3): print(i)"
expect = "output"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			switch c.Expect {
			case "output", "value":
				if s.r.Exception != nil || c.Expect == "value" && !s.r.HasValue || s.o.Varies() {
					continue
				}
				actual := s.o.Actual()
				if c.HasOutput && c.Expect == "output" {
					if snippet.Compare(c.Output, actual) == snippet.NoMatch {
						p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "output")), Question: s.q,
							Message: fmt.Sprintf("output says %s but the snippet prints %s", show(snippet.Normalize(c.Output)), show(actual)),
							Hint:    "correct output (or remove it to compare with the keyed option)"})
					}
					continue
				}
				reportKeyMismatch(p, s, actual)
			case "error":
				e := s.r.Exception
				if e == nil || !snippet.ErrorMatches(c.Error, e) {
					continue // QB506 / QB507
				}
				if c.HasOutput && snippet.Compare(c.Output, string(s.r.Stdout)) == snippet.NoMatch {
					p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "output")), Question: s.q,
						Message: fmt.Sprintf("output says %s is printed before the error, but the snippet prints %s", show(snippet.Normalize(c.Output)), show(string(s.r.Stdout))),
						Hint:    "correct output to what is printed before the exception"})
				}
				reportErrorKey(p, s, e)
			}
		}
	},
}

// optionLevels compares every option with the real result.
func optionLevels(q *bank.Question, actual string) []snippet.Level {
	levels := make([]snippet.Level, len(q.Options))
	for i, o := range q.Options {
		levels[i] = snippet.Compare(o.Text, actual)
	}
	return levels
}

func lettersAt(q *bank.Question, levels []snippet.Level, want snippet.Level) []string {
	var ls []string
	for i, l := range levels {
		if l == want {
			ls = append(ls, q.Options[i].Letter)
		}
	}
	return ls
}

func reportKeyMismatch(p *lint.Pass, s ran, actual string) {
	q := s.q
	keys := q.KeyIndexes()
	if len(keys) != 1 || q.Multiple() {
		return
	}
	levels := optionLevels(q, actual)
	if levels[keys[0]] != snippet.NoMatch {
		return
	}
	matching := append(lettersAt(q, levels, snippet.Exact), lettersAt(q, levels, snippet.Loose)...)
	if len(matching) == 0 {
		return // QB504
	}
	what := "prints"
	if q.Code.Expect == "value" {
		what = "evaluates to"
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the key is %s (%s) but the snippet %s %s; option %s matches",
			q.Options[keys[0]].Letter, show(q.Options[keys[0]].Text), what, show(actual), strings.Join(matching, " and ")),
		Hint: fmt.Sprintf("key option %s, or fix the snippet", matching[0])})
}

func mentions(text, name string) bool {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		if f == name || strings.HasSuffix(f, "."+name) {
			return true
		}
	}
	return false
}

// reportErrorKey checks that the keyed option names the raised exception
// when exactly one option does.
func reportErrorKey(p *lint.Pass, s ran, e *snippetio.Exception) {
	q := s.q
	keys := q.KeyIndexes()
	if len(keys) != 1 {
		return
	}
	var naming []int
	for i, o := range q.Options {
		if mentions(o.Text, e.Type) {
			naming = append(naming, i)
		}
	}
	if len(naming) != 1 || naming[0] == keys[0] || mentions(q.Options[keys[0]].Text, e.Type) {
		return
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet raises %s, which option %s names, but the key is %s", e.Type, q.Options[naming[0]].Letter, q.Options[keys[0]].Letter),
		Hint:    fmt.Sprintf("key option %s", q.Options[naming[0]].Letter)})
}

// AmbiguousOptions reports output questions where several options match.
var AmbiguousOptions = &lint.Rule{
	Code: "QB503", Name: "ambiguous-options", Severity: lint.Error,
	Summary: "several options match what the code does",
	Doc: `When two options both equal the snippet's real output (after normalisation),
a student who picks the unkeyed one is marked wrong for a right answer.`,
	Bad:  `options = ["1 2", "1\n2", "2 1"]  # print(1); print(2)`,
	Good: `options = ["1 2", "2 1", "12"]`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			if (c.Expect != "output" && c.Expect != "value") || c.HasOutput || s.r.Exception != nil || s.q.Multiple() || s.o.Varies() {
				continue
			}
			exact := lettersAt(s.q, optionLevels(s.q, s.o.Actual()), snippet.Exact)
			if len(exact) > 1 {
				p.Report(lint.Finding{Span: lint.ValueSpan(field(s.q, "options")), Question: s.q,
					Message: fmt.Sprintf("options %s all match what the snippet prints: %s", strings.Join(exact, ", "), show(s.o.Actual())),
					Hint:    "reword the options so exactly one is the output"})
			}
		}
	},
}

// NoMatchingOption reports output questions where no option matches.
var NoMatchingOption = &lint.Rule{
	Code: "QB504", Name: "no-matching-option", Severity: lint.Error,
	Summary: "no option is what the code does",
	Doc: `The snippet's real output (or value) is none of the options: the key and
every distractor are wrong, so the question has no right answer.`,
	Bad:  `options = ["1", "2"]  # print(3)`,
	Good: `options = ["1", "3"]  # print(3)`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			if (c.Expect != "output" && c.Expect != "value") || c.HasOutput || s.r.Exception != nil || s.q.Multiple() || s.o.Varies() {
				continue
			}
			if c.Expect == "value" && !s.r.HasValue {
				continue
			}
			levels := optionLevels(s.q, s.o.Actual())
			if len(lettersAt(s.q, levels, snippet.Exact))+len(lettersAt(s.q, levels, snippet.Loose)) > 0 {
				continue
			}
			what := "prints"
			if c.Expect == "value" {
				what = "evaluates to"
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(field(s.q, "answer")), Question: s.q,
				Message: fmt.Sprintf("no option matches: the snippet %s %s", what, show(s.o.Actual())),
				Hint:    `make the keyed option the real output, or fix the snippet; for a snippet that prints nothing, say output = ""`})
		}
	},
}

// UnexpectedException reports output and value snippets that raise.
var UnexpectedException = &lint.Rule{
	Code: "QB505", Name: "unexpected-exception", Severity: lint.Error,
	Summary: "the code raises an exception instead of printing",
	Doc: `An output or value question whose snippet raises an uncaught exception has
no printed answer. If the question is about the error, use expect = "error".`,
	Bad:  `source = "print(1 / 0)"` + "\n" + `expect = "output"`,
	Good: `source = "print(1 / 0)"` + "\n" + `expect = "error"` + "\n" + `error = "ZeroDivisionError"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			e := s.r.Exception
			if (c.Expect != "output" && c.Expect != "value") || e == nil || e.CompileTime {
				continue
			}
			msg := "the snippet raised " + excText(e)
			if len(s.r.Stdout) > 0 {
				msg += " after printing " + show(string(s.r.Stdout))
			}
			hint := `fix the snippet, or ask about the error: expect = "error", error = "` + e.Type + `"`
			if why, fix := exceptionCause(c, e); why != "" {
				msg += ": " + why
				hint = fix
			}
			p.Report(lint.Finding{Span: excSpan(s, e), Question: s.q, Message: msg, Hint: hint})
		}
	},
}

// inputRe finds a call of input() in a snippet.
var inputRe = regexp.MustCompile(`\binput\s*\(`)

// exceptionCause explains an exception that is no mistake of the question's
// code but of its setup: input() with no (or too little) stdin, or a call
// the sandbox refuses. It returns why (for the message) and the fix, or "".
func exceptionCause(c *bank.Code, e *snippetio.Exception) (why, fix string) {
	switch {
	case sandboxRefused(e):
		what := refusedWhat(c, e)
		return "the sandbox refused " + what,
			fmt.Sprintf(`the sandbox forbids %s, so Python raises PermissionError in the sandbox: qbank cannot check this key; show the code without running it (expect = "compiles"), or ask about code that does not need it`, what)
	case e.Type == "EOFError" && inputRe.MatchString(c.Before+"\n"+c.Source+"\n"+c.After):
		if c.Stdin == "" {
			return "input() found no stdin",
				`add stdin = "…\n" to [question.code]: the text input() reads, one line per call`
		}
		return "input() read past the end of stdin",
			"give stdin one line per input() call: it has fewer lines than the snippet reads"
	}
	return "", ""
}

// refusals name what the sandbox refuses, by the code that asks for it.
var refusals = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\b(?:subprocess|Popen|os\.(?:system|exec\w*|spawn\w*|popen|posix_spawn\w*))\b`), "running another program"},
	{regexp.MustCompile(`\b(?:socket|urllib|http|requests|smtplib|ftplib|asyncio\.open_connection)\b`), "network access"},
	{regexp.MustCompile(`\b(?:chmod|chown|lchown|utime|touch|setxattr|removexattr)\b`), "changing a file's mode, owner or times"},
	{regexp.MustCompile(`\b(?:multiprocessing|shared_memory|Semaphore)\b`), "shared memory (multiprocessing)"},
	{regexp.MustCompile(`\b(?:kill|killpg|ptrace|setpriority|sched_set\w*|prlimit)\b`), "control of other processes"},
}

// refusedWhat names what the sandbox refused, from the line that raised
// (else the whole code), or "this call".
func refusedWhat(c *bank.Code, e *snippetio.Exception) string {
	code := c.Before + "\n" + c.Source + "\n" + c.After
	if lines := strings.Split(c.Source, "\n"); e.Where == "source" && e.Line >= 1 && e.Line <= len(lines) {
		code = lines[e.Line-1] + "\n" + code // the raising line first
	}
	best, at := "this call", -1
	for _, r := range refusals {
		if loc := r.re.FindStringIndex(code); loc != nil && (at < 0 || loc[0] < at) {
			best, at = r.what, loc[0]
		}
	}
	return best
}

// sandboxRefused reports whether e is the PermissionError of a call the
// sandbox refuses: every refusal is EPERM ("[Errno 1] Operation not
// permitted"), unlike a file the snippet may not open (EACCES, errno 13).
func sandboxRefused(e *snippetio.Exception) bool {
	return e != nil && e.Type == "PermissionError" && (e.Module == "builtins" || e.Module == "") &&
		strings.HasPrefix(e.Message, "[Errno 1] ")
}

// ErrorNotRaised reports error questions whose code raises nothing.
var ErrorNotRaised = &lint.Rule{
	Code: "QB506", Name: "error-not-raised", Severity: lint.Error,
	Summary: "the code raises no exception, but the question says it does",
	Doc:     `With expect = "error" the snippet must raise the named exception.`,
	Bad:     `source = "print(1 / 1)"` + "\n" + `expect = "error"` + "\n" + `error = "ZeroDivisionError"`,
	Good:    `source = "print(1 / 0)"` + "\n" + `expect = "error"` + "\n" + `error = "ZeroDivisionError"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			if s.q.Code.Expect != "error" || s.r.Exception != nil {
				continue
			}
			msg := fmt.Sprintf("the snippet raises no exception (expected %s)", s.q.Code.Error)
			if len(s.r.Stdout) > 0 {
				msg += "; it prints " + show(string(s.r.Stdout))
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "error")), Question: s.q, Message: msg,
				Hint: "fix the snippet so it fails as the question says, or change expect"})
		}
	},
}

// WrongException reports error questions whose code raises another type.
var WrongException = &lint.Rule{
	Code: "QB507", Name: "wrong-exception", Severity: lint.Error,
	Summary: "the code raises a different exception",
	Doc: `With expect = "error" and error = "Name" the snippet must raise exactly that
type ("module.Name" also works); a subclass or a parent is not the same
answer. SyntaxError and IndentationError are decided by compiling the code,
never by reading what it prints.`,
	Bad:  `source = "print('a' + 1)"` + "\n" + `expect = "error"` + "\n" + `error = "ValueError"`,
	Good: `source = "print('a' + 1)"` + "\n" + `expect = "error"` + "\n" + `error = "TypeError"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			e := s.r.Exception
			if s.q.Code.Expect != "error" || e == nil || snippet.ErrorMatches(s.q.Code.Error, e) {
				continue
			}
			sp := excSpan(s, e)
			msg := fmt.Sprintf("the snippet raises %s, not %s", excText(e), s.q.Code.Error)
			hint := fmt.Sprintf("set error = %q if that is the point of the question, or fix the snippet", e.Type)
			if why, fix := exceptionCause(s.q.Code, e); why != "" {
				msg += ": " + why
				hint = fix
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "error")), Question: s.q,
				Message: msg, Hint: hint,
				Related: &lint.RelatedFinding{Span: sp, Message: "raised here"}})
		}
	},
}

// LooseMatch warns when the key matches only with punctuation ignored.
var LooseMatch = &lint.Rule{
	Code: "QB508", Name: "loose-match", Severity: lint.Warning,
	Summary: "the key matches the output only if punctuation is ignored",
	Doc: `The keyed option matches what the snippet prints only once backticks,
quotes, commas and semicolons between items, and a final full stop are
ignored: "[1,3]" for the printed "[1, 3]", "'Tokyo'" for Tokyo, three
printed lines written "Setup, Run, Cleanup". Students may read it either
way; write the output as it is printed.`,
	Bad:  `options = ["'Tokyo'", "'Paris'"]  # print('Tokyo')`,
	Good: `options = ["Tokyo", "Paris"]`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			if (c.Expect != "output" && c.Expect != "value") || s.r.Exception != nil || s.q.Multiple() || s.o.Varies() {
				continue
			}
			actual := s.o.Actual()
			if c.HasOutput && c.Expect == "output" {
				if snippet.Compare(c.Output, actual) == snippet.Loose {
					p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "output")), Question: s.q,
						Message: fmt.Sprintf("output matches what the snippet prints only if %s are ignored: %s vs %s", snippet.Difference(c.Output, actual), show(snippet.Normalize(c.Output)), show(actual))})
				}
				continue
			}
			keys := s.q.KeyIndexes()
			if len(keys) != 1 {
				continue
			}
			levels := optionLevels(s.q, actual)
			if levels[keys[0]] != snippet.Loose || len(lettersAt(s.q, levels, snippet.Exact)) > 0 {
				continue
			}
			o := s.q.Options[keys[0]]
			p.Report(lint.Finding{Span: lint.ValueSpan(o.Node), Question: s.q,
				Message: fmt.Sprintf("option %s matches what the snippet prints only if %s are ignored: %s vs %s", o.Letter, snippet.Difference(o.Text, actual), show(o.Text), show(actual)),
				Hint:    "write the option exactly as it is printed"})
		}
	},
}

// Nondeterministic reports output that differs between runs.
var Nondeterministic = &lint.Rule{
	Code: "QB509", Name: "nondeterministic-output", Severity: lint.Error,
	Summary: "the output depends on set ordering, randomness or time",
	Doc: `Snippets that build sets, call hash() or id(), or use random, time, os or
sys run twice, under PYTHONHASHSEED 0 and 1; when the two outputs differ,
or the output shows an object address ("at 0x…"), the key cannot be right
for everyone. Sort the set, seed the generator, or print something stable.`,
	Bad:  `source = "print({'apple', 'banana', 'cherry'})"`,
	Good: `source = "print(sorted({'apple', 'banana', 'cherry'}))"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			if c.Expect != "output" && c.Expect != "value" {
				continue
			}
			first := s.o.Actual()
			if len(s.o.Runs) > 1 {
				second := s.o.Runs[1]
				other := string(second.Stdout)
				if c.Expect == "value" {
					other = second.Value
				}
				if other != first {
					p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
						Message: fmt.Sprintf("output depends on set ordering, randomness or time: %s under one hash seed, %s under another", show(first), show(other)),
						Hint:    "sort sets before printing them, seed random, avoid time and ids"})
					continue
				}
			}
			if strings.Contains(first, " at 0x") {
				p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
					Message: "output shows an object address, which differs between runs: " + show(first),
					Hint:    "print a value, not the object (define __repr__ or print an attribute)"})
			}
		}
	},
}

// MissingModule reports snippets whose required modules are missing.
var MissingModule = &lint.Rule{
	Code: "QB510", Name: "missing-module", Severity: lint.Error,
	Summary: "a module the snippet requires is not installed",
	Doc: `requires = ["numpy"] names modules the snippet imports from the
interpreter's own site-packages. When one is missing the snippet is not
run, and this finding says so — never a wrong-key verdict.`,
	Bad:  `requires = ["numpy"]  # on a Python without numpy`,
	Good: `requires = ["numpy"]  # after pip install numpy for that Python`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			if s.o.Err != nil || len(s.r.Missing) == 0 {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "requires")), Question: s.q,
				Message: fmt.Sprintf("needs %s, not installed for %s", strings.Join(s.r.Missing, ", "), s.o.Python),
				Hint:    "install it for that interpreter, or choose one with --python"})
		}
	},
}

// SnippetLimit reports snippets stopped by a sandbox limit.
var SnippetLimit = &lint.Rule{
	Code: "QB511", Name: "snippet-limit", Severity: lint.Error,
	Summary: "the snippet hit a sandbox limit",
	Doc: `Snippets run with limits (by default 2 s of CPU, 3 s of wall time, 512 MiB
of memory, 64 KiB of output each for stdout and stderr). A snippet that
exceeds one is stopped and its answer cannot be checked. Quiz snippets
should be tiny; raise the limit in qbank.toml's [sandbox] if one must not be.`,
	Bad:  `source = "while True: pass"`,
	Good: `source = "print(sum(range(10)))"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			if s.o.Err != nil {
				continue
			}
			why := s.o.Limit()
			if why == "" {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
				Message: "the snippet was stopped: " + why,
				Hint:    "make the snippet smaller, or raise the limit in qbank.toml [sandbox]"})
		}
	},
}

// NoValue reports value questions whose snippet has no value to snippet.
var NoValue = &lint.Rule{
	Code: "QB512", Name: "no-value", Severity: lint.Error,
	Summary: "a value question whose snippet has no value",
	Doc: `expect = "value" compares the keyed option with the repr of the snippet's
last expression (as the Python REPL would echo it), or of the expression
of = "…" evaluated in the snippet's namespace after it ran: a variable
(of = "y"), or a derived answer (of = "len(result)", of = 'stdout.count("hi")',
where stdout is the text the shown source printed, unless the snippet
defines stdout itself). The snippet must end with an expression, or define
the variable, and the expression must not raise.`,
	Bad:  `source = "y = 2 * 3"` + "\n" + `expect = "value"` + "\n" + `of = "len(z)"`,
	Good: `source = "y = 2 * 3"` + "\n" + `expect = "value"` + "\n" + `of = "y"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			if s.q.Code.Expect != "value" || s.r.Exception != nil || s.r.HasValue {
				continue
			}
			if e := s.r.OfError; e != nil {
				p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "of")), Question: s.q,
					Message: fmt.Sprintf("of = %s raised %s after the snippet ran", show(s.q.Code.Of), excText(e)),
					Hint:    "fix the expression: it is evaluated in the snippet's namespace, and stdout is the text the shown source printed"})
				continue
			}
			msg := "the snippet's last statement is not an expression, so it has no value"
			if s.q.Code.Of != "" {
				msg = fmt.Sprintf("the snippet does not define %q", s.q.Code.Of)
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q, Message: msg,
				Hint: `end the snippet with the expression asked about, or set of = "name"`})
		}
	},
}

// SandboxTampering reports snippets that changed the sandbox or forged
// their own report.
var SandboxTampering = &lint.Rule{
	Code: "QB514", Name: "sandbox-tampering", Severity: lint.Error,
	Summary: "the snippet changed the sandbox or forged its own report",
	Doc: `The snippet (or its hidden before/after code) did something that would let it
change the verdict of other questions or of its own: it changed the worker
process that runs the next snippets (its limits, priority, CPU affinity or
scheduler), or it wrote to the runner's private report channel, or the
report did not agree with what the sandbox saw from outside (exit status,
traceback). The sandbox threw the worker away and ran the snippet again on a
fresh one, with the same result. Nothing the snippet reported is trusted and
the result is never cached: rewrite the code so that it leaves the sandbox
alone.`,
	Bad:  `before = "import os; os.write(3, b'forged')"` + "\n" + `source = "print(1)"`,
	Good: `source = "print(1)"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			why := s.o.TamperedWith()
			if why == "" || s.o.Err != nil {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
				Message: "the snippet tampered with the sandbox, so its result is not trusted: " + why,
				Hint:    "leave the sandbox's own processes and file descriptors alone (fd 3 is the runner's)"})
		}
	},
}

// SandboxFailure reports snippets the sandbox could not run.
var SandboxFailure = &lint.Rule{
	Code: "QB513", Name: "sandbox-failure", Severity: lint.Error,
	Summary: "the sandbox failed to run a snippet",
	Doc: `The sandbox itself failed (not the snippet): the interpreter could not start,
a worker died. The snippet's answer is unchecked; the message says why.`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			if s.o.Err == nil {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
				Message: "the sandbox could not run the snippet: " + s.o.Err.Error()})
		}
	},
}
