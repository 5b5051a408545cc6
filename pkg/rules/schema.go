package rules

import (
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/schema"
)

// SchemaError returns the error of a schema check that could not run.
func SchemaError(f *lint.File) error {
	_, err := f.Schema()
	return err
}

// reportSchema reports the file's schema problems of one kind.
func reportSchema(kind schema.Kind) func(*lint.Pass) {
	return func(p *lint.Pass) {
		problems, _ := p.File.Schema()
		for _, pr := range problems {
			if pr.Kind != kind {
				continue
			}
			span := lint.ValueSpan(pr.Node)
			if pr.OnKey {
				span = lint.KeySpan(pr.Node)
			}
			p.Report(lint.Finding{Span: span, Question: questionAt(p, pr.Pointer), Message: pr.Message, Hint: pr.Hint})
		}
	}
}

// UnknownKey reports keys the format does not know.
var UnknownKey = &lint.Rule{
	Code: "QB101", Name: "unknown-key", Severity: lint.Error,
	Summary: "a key the bank format does not define",
	Doc: `Every table of a bank has a fixed set of keys (see schema/qbank.schema.json).
A key outside it is almost always a typo, and a typo silently drops the
value: a misspelt "optoins" would leave the question with no options. The
finding sits on the key and suggests the nearest known key.`,
	Bad: `[[question]]
id = "sum"
optoins = ["1", "2"]`,
	Good: `[[question]]
id = "sum"
options = ["1", "2"]`,
	Run: reportSchema(schema.Unknown),
}

// WrongType reports values of the wrong TOML type.
var WrongType = &lint.Rule{
	Code: "QB102", Name: "wrong-type", Severity: lint.Error,
	Summary: "a value of the wrong type",
	Doc: `Each key takes one type of value: options is an array, answer a letter or
an array of letters, code a table. The finding names the expected type.`,
	Bad:  `options = "A, B, C"`,
	Good: `options = ["A", "B", "C"]`,
	Run:  reportSchema(schema.Type),
}

// MissingKey reports required keys that are absent.
var MissingKey = &lint.Rule{
	Code: "QB103", Name: "missing-key", Severity: lint.Error,
	Summary: "a required key is missing",
	Doc: `A bank needs [bank] with id and title, and at least one [[question]]; a
question needs id, difficulty, prompt, options and answer; a code table
needs source, unless its options are the code (run = "options"). The
finding points at the table that lacks the key.`,
	Bad: `[[question]]
id = "sum"
prompt = "What is 1 + 1?"`,
	Good: `[[question]]
id = "sum"
difficulty = "easy"
prompt = "What is 1 + 1?"
options = ["1", "2"]
answer = "B"`,
	Run: func(p *lint.Pass) {
		reportSchema(schema.Missing)(p)
		// The schema cannot say "source unless run = options" without
		// slowing its fast path; this is that check.
		for _, q := range p.Bank.Questions {
			if c := q.Code; c != nil && !q.OptionsAreCode() && c.Node.Get("source") == nil {
				p.Report(lint.Finding{Span: lint.ValueSpan(c.Node), Question: q,
					Message: `missing required key "source" in [question.code]`,
					Hint:    `add source = …, or if the options are the code, run = "options"`})
			}
		}
	},
}

// InvalidValue reports values of the right type that the format rejects.
var InvalidValue = &lint.Rule{
	Code: "QB104", Name: "invalid-value", Severity: lint.Error,
	Summary: "a value outside what the format allows",
	Doc: `Some keys take only certain values: type is "single" or "multiple", expect
is one of "output", "error", "compiles", "value", "none", an answer is an
upper-case option letter, a prompt is not empty.`,
	Bad:  `type = "singel"`,
	Good: `type = "single"`,
	Run:  reportSchema(schema.Invalid),
}

// IDFormat reports ids that are not kebab-case.
var IDFormat = &lint.Rule{
	Code: "QB201", Name: "id-format", Severity: lint.Error,
	Summary: "an id that is not lowercase kebab-case",
	Doc: `Bank and question ids appear in URLs, file names and exports, and a full
question id is "bank-id/question-id". They must be lowercase letters and
digits separated by single hyphens.`,
	Bad:  `id = "Loop_Basics"`,
	Good: `id = "loop-basics"`,
	Run:  reportSchema(schema.IDFormat),
}
