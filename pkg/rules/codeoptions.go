package rules

import (
	"fmt"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/snippetio"
	"github.com/qbank-dev/qbank/pkg/snippetrun"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// Code as options: with [question.code] run = "options" every option is
// Python code that package snippetrun runs as its own sandbox job (hidden
// before + the shown source + the option + hidden after). QB517 checks
// that the question states the result (output, error or value), QB516
// reports options that could not be judged, and QB515 compares: exactly
// the keyed options must produce the stated result.

// codeOption is one option of a code-options question with its outcome.
type codeOption struct {
	i   int
	opt bank.Option
	o   *snippet.Outcome
	r   snippetio.Result
}

// codeOptions returns the options of a code-options question that ran
// (not skipped), with their outcomes; nil when they did not run.
func codeOptions(p *lint.Pass, q *bank.Question) []codeOption {
	outs := p.File.OptionOutcomes(q)
	if !q.OptionsAreCode() || len(outs) != len(q.Options) {
		return nil
	}
	var cs []codeOption
	for i, o := range outs {
		if o == nil || o.Skipped || len(o.Runs) == 0 {
			return nil
		}
		cs = append(cs, codeOption{i: i, opt: q.Options[i], o: o, r: o.First()})
	}
	return cs
}

// optionTextNode is the string node of an option's code.
func optionTextNode(o bank.Option) *tomltree.Node {
	if o.Node != nil && o.Node.Kind == tomltree.Table {
		if t := o.Node.Get("text"); t != nil {
			return t
		}
	}
	return o.Node
}

// optionSpan points at a line of an option's code (1-based, as the
// sandbox reports it), or at the whole option when the option is not a
// multi-line string or the line is unknown.
func optionSpan(doc *tomltree.Document, o bank.Option, line int) lint.Span {
	n := optionTextNode(o)
	if n == nil || n.Kind != tomltree.String || !n.Multiline || line < 1 {
		return lint.ValueSpan(n)
	}
	_, skip := snippetrun.OptionCode(o.Text)
	first := doc.Position(n.ContentStart).Line
	start, end := doc.LineOffset(first + skip + line - 1)
	if start >= n.End || start < n.ContentStart {
		return lint.ValueSpan(n)
	}
	return lint.Span{Start: start, End: max(end, start)}
}

// sharedFailure is the exception raised by the code every option shares
// (hidden before and the shown source), which runs before the option.
func sharedFailure(c codeOption) *snippetio.Exception {
	if e := c.r.Exception; e != nil && e.Where == "before" {
		return e
	}
	return nil
}

// optionProblem says why an option's run cannot be judged, or "" when it
// can. Exceptions the question asks about are no problem.
func optionProblem(q *bank.Question, c codeOption) (msg string, line int) {
	o := c.o
	switch {
	case o.Err != nil:
		return "the sandbox could not run it: " + o.Err.Error(), 0
	case o.TamperedWith() != "":
		return "it tampered with the sandbox, so its result is not trusted: " + o.TamperedWith(), 0
	case o.Limit() != "":
		return "it was stopped: " + o.Limit(), 0
	case len(c.r.Missing) > 0:
		return fmt.Sprintf("it needs %s, not installed for %s", strings.Join(c.r.Missing, ", "), o.Python), 0
	}
	if e := c.r.Exception; e != nil && e.CompileTime && e.Where == "source" &&
		!(q.Code.Expect == "error" && snippet.ErrorMatches(q.Code.Error, e)) {
		return "it does not compile: " + optionExcText(e), e.Line
	}
	if q.Code.Expect != "error" && c.r.Exception == nil && o.Varies() {
		what := "prints"
		if q.Code.Expect == "value" {
			what = "evaluates to"
		}
		return fmt.Sprintf("it %s something different from run to run (set order, randomness, time or an object address): %s", what, show(o.Actual())), 0
	}
	return "", 0
}

// optionExcText describes an exception raised by an option's own code.
func optionExcText(e *snippetio.Exception) string {
	name := snippet.QualifiedName(e)
	if msg := fileLineRe.ReplaceAllString(e.Message, ""); msg != "" {
		name += ": " + msg
	}
	switch {
	case e.Where == "after":
		name += " in the hidden after code"
	case e.Line > 0:
		name += fmt.Sprintf(" at line %d of the option", e.Line)
	}
	return name
}

// optionLevel is how well an option's run matches the stated result.
func optionLevel(q *bank.Question, c codeOption) snippet.Level {
	code := q.Code
	e := c.r.Exception
	switch code.Expect {
	case "error":
		if e != nil && snippet.ErrorMatches(code.Error, e) {
			return snippet.Exact
		}
	case "output":
		if e == nil {
			return compareStated(q, code.Output, string(c.r.Stdout))
		}
	case "value":
		if e == nil && c.r.HasValue {
			return compareValue(code.Value, c.r.Value)
		}
	}
	return snippet.NoMatch
}

// CodeOptionLevel is how well a judged code option's run matches what
// its question states (for qbank run).
func CodeOptionLevel(q *bank.Question, o *snippet.Outcome) snippet.Level {
	return optionLevel(q, codeOption{o: o, r: o.First()})
}

// compareStated compares the stated output with what an option printed,
// at the levels and within the cap that every output comparison uses.
func compareStated(q *bank.Question, want, got string) snippet.Level {
	if l := snippet.Compare(want, got); l >= MatchCap(q) {
		return l
	}
	return snippet.NoMatch
}

// compareValue compares a stated repr with an option's: a repr is exact
// text, so only whitespace may differ.
func compareValue(want, got string) snippet.Level {
	if l := snippet.Compare(want, got); l >= snippet.Normal {
		return l
	}
	return snippet.NoMatch
}

// CodeOptionKey reports code options whose result disagrees with the key.
var CodeOptionKey = &lint.Rule{
	Code: "QB515", Name: "code-option-key", Severity: lint.Error,
	Summary: "a code option's result disagrees with the key",
	Doc: `With run = "options" every option is Python code, run in the sandbox after
the hidden before code and the shown source (if any), with the question's
stdin. Exactly the keyed options must do what the question states: print
output = '''…''' (expect = "output", compared like any output), raise
error = "Name" (expect = "error"), or evaluate to value = "repr" (expect =
"value": the repr of the option's last expression). A keyed option that
does not, or another option that does too, is an error on that option.
When some options match exactly and others only loosely, only the exact
ones count.`,
	Bad: `prompt = "Which snippet prints [1, 2, 3]?"
options = ["print([1, 2, 3])", "print(list(range(1, 4)))", "print((1, 2, 3))"]
answer = "A"
[question.code]
run = "options"
expect = "output"
output = "[1, 2, 3]"`,
	Good: `prompt = "Which snippet prints [1, 2, 3]?"
options = ["print([1, 2, 3])", "print(list(range(3)))", "print((1, 2, 3))"]
answer = "A"
[question.code]
run = "options"
expect = "output"
output = "[1, 2, 3]"`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			cs := codeOptions(p, q)
			keys := q.KeyIndexes()
			if cs == nil || len(keys) == 0 {
				continue
			}
			levels := make([]snippet.Level, len(cs))
			judged := make([]bool, len(cs))
			best := snippet.NoMatch
			for i, c := range cs {
				if sharedFailure(c) != nil {
					judged = nil // QB516: no option ran
					break
				}
				if msg, _ := optionProblem(q, c); msg != "" {
					continue
				}
				judged[i] = true
				levels[i] = optionLevel(q, c)
				best = max(best, levels[i])
			}
			if judged == nil {
				continue
			}
			keyed := make([]bool, len(cs))
			for _, k := range keys {
				keyed[k] = true
			}
			var exact []string
			for i := range cs {
				if judged[i] && levels[i] == best && best != snippet.NoMatch {
					exact = append(exact, cs[i].opt.Letter)
				}
			}
			for i, c := range cs {
				if !judged[i] {
					continue
				}
				producing := levels[i] == best && best != snippet.NoMatch
				switch {
				case keyed[i] && !producing:
					msg, line := keyedMiss(q, c, levels[i], exact)
					p.Report(lint.Finding{Span: optionSpan(p.File.Doc, c.opt, line), Question: q, Message: msg,
						Hint: "fix the option, or key the option that does it"})
				case !keyed[i] && producing:
					p.Report(lint.Finding{Span: optionSpan(p.File.Doc, c.opt, 0), Question: q,
						Message: fmt.Sprintf("option %s is not keyed, but it %s too", c.opt.Letter, stated(q)),
						Hint:    "change the option so that it does not, or key it too"})
				}
			}
		}
	},
}

// stated says what the question states the keyed options do.
func stated(q *bank.Question) string {
	c := q.Code
	switch c.Expect {
	case "error":
		return "raises " + c.Error
	case "value":
		return "evaluates to " + show(c.Value)
	}
	return "prints " + show(c.Output)
}

// keyedMiss says how a keyed option fails to do what the question states.
func keyedMiss(q *bank.Question, c codeOption, level snippet.Level, exact []string) (string, int) {
	head := fmt.Sprintf("option %s is keyed, but ", c.opt.Letter)
	e := c.r.Exception
	switch {
	case level != snippet.NoMatch:
		return head + fmt.Sprintf("it matches only loosely what the question states (%s), while option %s matches exactly",
			stated(q), strings.Join(exact, " and ")), 0
	case q.Code.Expect == "error" && e == nil:
		return head + "it raises no exception (the question states " + q.Code.Error + ")", 0
	case e != nil:
		line := 0
		if e.Where == "source" {
			line = e.Line
		}
		return head + "it raises " + optionExcText(e) + " (the question states that it " + stated(q) + ")", line
	case q.Code.Expect == "value" && !c.r.HasValue:
		return head + "it has no value: its last statement is not an expression", 0
	case q.Code.Expect == "value":
		return head + fmt.Sprintf("it evaluates to %s, not %s", show(c.r.Value), show(q.Code.Value)), 0
	}
	return head + fmt.Sprintf("it prints %s, not %s", show(string(c.r.Stdout)), show(q.Code.Output)), 0
}

// CodeOptionRun reports code options that could not be judged.
var CodeOptionRun = &lint.Rule{
	Code: "QB516", Name: "code-option-run", Severity: lint.Error,
	Summary: "a code option does not compile, or could not be judged",
	Doc: `Every option of a run = "options" question must run cleanly enough to be
judged: it must compile (unless the question is about that SyntaxError),
finish within the sandbox's limits, print the same under every hash seed,
have its required modules, and leave the sandbox alone. The finding sits on
the option (on the line that failed, for a multi-line option). When the
shared code (hidden before and the shown source) fails before any option
runs, one finding on the source says so.`,
	Bad: `options = ["print([1, 2, 3]", "print((1, 2, 3))"]
[question.code]
run = "options"
expect = "output"
output = "[1, 2, 3]"`,
	Good: `options = ["print([1, 2, 3])", "print((1, 2, 3))"]
[question.code]
run = "options"
expect = "output"
output = "[1, 2, 3]"`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			cs := codeOptions(p, q)
			for _, c := range cs {
				if e := sharedFailure(c); e != nil {
					what := "raised " + snippet.QualifiedName(e)
					if e.CompileTime {
						what = "does not compile: " + snippet.QualifiedName(e)
					}
					if msg := fileLineRe.ReplaceAllString(e.Message, ""); msg != "" {
						what += ": " + msg
					}
					p.Report(lint.Finding{Span: lint.ValueSpan(codeField(q, "source")), Question: q,
						Message: "the code every option runs after (hidden before and the shown source) " + what + ", so no option could be judged",
						Hint:    "fix the shared code: it runs before each option"})
					break
				}
				msg, line := optionProblem(q, c)
				if msg == "" {
					continue
				}
				p.Report(lint.Finding{Span: optionSpan(p.File.Doc, c.opt, line), Question: q,
					Message: fmt.Sprintf("option %s cannot be judged: %s", c.opt.Letter, msg),
					Hint:    optionHint(q, c)})
			}
		}
	},
}

func optionHint(q *bank.Question, c codeOption) string {
	switch {
	case c.o.Limit() != "":
		return "make the option smaller, or raise the limit in qbank.toml [sandbox]"
	case len(c.r.Missing) > 0:
		return "install it for that interpreter, or choose one with --python"
	case c.r.Exception != nil:
		return `fix the option, or if the question is about this error set expect = "error" and error = "` + c.r.Exception.Type + `"`
	case c.o.Err == nil && c.o.TamperedWith() == "":
		return "sort sets before printing them, seed random, avoid time and ids"
	}
	return ""
}

// CodeOptionsSetup reports code-options questions that do not say what
// the keyed options do.
var CodeOptionsSetup = &lint.Rule{
	Code: "QB517", Name: "code-options-setup", Severity: lint.Error,
	Summary: "a code-options question does not state what the keyed options do",
	Doc: `With run = "options" the options are code and the question states the
result: expect = "output" with output = '''…''' (what the keyed options
print), expect = "error" with error = "Name" (what they raise), or expect =
"value" with value = "repr" (what their last expression evaluates to).
Without it nothing can be checked, so no option is run.`,
	Bad: `[question.code]
run = "options"
expect = "output"`,
	Good: `[question.code]
run = "options"
expect = "output"
output = "[1, 2, 3]"`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			if !q.OptionsAreCode() {
				continue
			}
			c := q.Code
			var msg, hint, key string
			switch c.Expect {
			case "output":
				if !c.HasOutput {
					msg, hint, key = `run = "options" with expect = "output" needs output: what the keyed options print`, `add output = '''…'''`, "expect"
				}
			case "error":
				if c.Error == "" {
					msg, hint, key = `run = "options" with expect = "error" needs error: the exception the keyed options raise`, `add error = "Name"`, "expect"
				}
			case "value":
				if !c.HasValue {
					msg, hint, key = `run = "options" with expect = "value" needs value: the repr the keyed options evaluate to`, `add value = "…"`, "expect"
				}
			default:
				msg, hint, key = fmt.Sprintf(`run = "options" needs expect = "output", "error" or "value", not %q`, c.Expect),
					`say what the keyed options do: expect = "output" with output = '''…''', or "error" with error, or "value" with value`, "run"
				if c.Node.Get("expect") != nil {
					key = "expect"
				}
			}
			if msg != "" {
				p.Report(lint.Finding{Span: lint.ValueSpan(codeField(q, key)), Question: q, Message: msg, Hint: hint})
			}
		}
	},
}
