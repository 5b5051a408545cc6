package rules

import (
	"fmt"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/markdown"
	"github.com/qbank-dev/qbank/pkg/snippet"
)

// optionsCompared reports whether a question's options are compared with
// what its snippet prints or evaluates to (see WrongKey, NoMatchingOption):
// expect = "output" without an output key, or expect = "value", on a
// single-answer question whose snippet is its source.
func optionsCompared(q *bank.Question) bool {
	c := q.Code
	if c == nil || q.OptionsAreCode() || q.Multiple() {
		return false
	}
	return c.Expect == "output" && !c.HasOutput || c.Expect == "value"
}

// optionTextSpan is an option's text: the string, or the text of an
// inline table.
func optionTextSpan(o bank.Option) lint.Span {
	if t := o.Node.Get("text"); t != nil {
		return lint.ValueSpan(t)
	}
	return lint.ValueSpan(o.Node)
}

// RenderedOption warns when students would not see an option as it was
// compared with the program's output.
var RenderedOption = &lint.Rule{
	Code: "QB520", Name: "rendered-option", Severity: lint.Warning,
	Summary: "an option compared with the output does not show as written",
	Doc: `Options are Markdown: the exports (QTI, Moodle, GIFT) render them as HTML,
and browsers collapse whitespace. When an option is compared with what the
snippet prints (expect = "output" without output = '''…''', or
expect = "value"), qbank checks that students will see the text that was
compared: __main__ shows as a bold "main", a*b*c as "abc" with an italic
b, a backslash escape or an entity such as &amp; is replaced, runs of
spaces show as one and spaces at either end vanish, line breaks become
spaces. (An option whose escapes or entities only spell its characters,
"my\_var" for the printed my_var, is fine: the matcher compares what
students see too; once the snippet ran, such an option is reported only
when what students see matches less well than what is written.) Write
such an option as code: a code span (backticks) keeps it
literally, with its spaces, in every export, and the matcher compares its
content; text with line breaks needs a fenced code block.`,
	Bad: `options = ["__main__", "main"]
[question.code]
source = "print(__name__)"
expect = "output"`,
	Good: `options = ["` + "`__main__`" + `", "` + "`main`" + `"]
[question.code]
source = "print(__name__)"
expect = "output"`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			if !optionsCompared(q) {
				continue
			}
			for _, o := range q.Options {
				if strings.TrimSpace(o.Text) == "" {
					continue // QB305
				}
				seen := markdown.Check(o.Text)
				if len(seen.Changes) == 0 || onlyCharacters(seen.Changes) && seenMatches(p, q, o.Text) {
					continue
				}
				f := lint.Finding{Span: optionTextSpan(o), Question: q,
					Message: fmt.Sprintf("option %s is compared with the output as %s, but students will see %s: %s",
						o.Letter, show(seen.Literal), show(seen.Text), strings.Join(seen.Changes, ", "))}
				if w := markdown.Wrap(seen.Literal); w != "" {
					if strings.Contains(w, "\n") {
						f.Hint = "write it as a fenced code block: " + show(w)
					} else {
						f.Hint = "wrap it in backticks: " + w
					}
				}
				p.Report(f)
			}
		}
	},
}

// onlyCharacters reports whether every change resolves characters only:
// backslash escapes and entities (markdown.Unescape).
func onlyCharacters(changes []string) bool {
	for _, c := range changes {
		if c != markdown.EscapesRemoved && c != markdown.EntitiesDecoded {
			return false
		}
	}
	return true
}

// seenMatches reports whether an option as students see its characters
// matches what the question's snippet did at least as closely as the
// option as written: "my\_var" for the printed my_var, not "C:\\new" for
// the printed C:\\new (students see C:\new). Without a judged run it
// reports false.
func seenMatches(p *lint.Pass, q *bank.Question, text string) bool {
	o := p.File.Outcome(q)
	if o == nil || !o.Judged() || o.Exception() != nil {
		return false
	}
	actual := o.Actual()
	return snippet.CompareWritten(markdown.Unescape(text), actual) >= snippet.CompareWritten(text, actual)
}
