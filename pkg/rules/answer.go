package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// answerItems returns the answer's letters with the node of each.
func answerItems(q *bank.Question) ([]string, []*tomltree.Node) {
	n := q.Node.Get("answer")
	switch {
	case n == nil:
		return nil, nil
	case n.Kind == tomltree.String:
		return []string{n.Str}, []*tomltree.Node{n}
	case n.Kind == tomltree.Array:
		var ls []string
		var ns []*tomltree.Node
		for _, it := range n.Items {
			if it.Kind == tomltree.String {
				ls = append(ls, it.Str)
				ns = append(ns, it)
			}
		}
		return ls, ns
	}
	return nil, nil
}

func letterRange(n int) string {
	switch n {
	case 0:
		return "there are no options"
	case 1:
		return "the only option is A"
	}
	return fmt.Sprintf("the options are A to %s", bank.Letter(n-1))
}

// AnswerLetter reports keys that name no option.
var AnswerLetter = &lint.Rule{
	Code: "QB301", Name: "answer-letter", Severity: lint.Error,
	Summary: "the answer names an option that does not exist",
	Doc: `An answer letter must name one of the question's options: with four options
the letters are A to D. A key past the end usually means an option was
deleted after the key was written.`,
	Bad: `options = ["3", "4", "5"]
answer = "D"`,
	Good: `options = ["3", "4", "5"]
answer = "B"`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			if q.Node.Get("options") == nil {
				continue
			}
			letters, nodes := answerItems(q)
			for i, l := range letters {
				idx := bank.LetterIndex(l)
				if idx < 0 || idx < len(q.Options) {
					continue // not a letter at all: invalid-value reports it
				}
				p.Report(lint.Finding{Span: lint.ValueSpan(nodes[i]), Question: q,
					Message: fmt.Sprintf("answer %q names no option: %s", l, letterRange(len(q.Options))),
					Hint:    "key one of the options, or add the missing option"})
			}
		}
	},
}

// AnswerCount reports keys that do not fit the question's type.
var AnswerCount = &lint.Rule{
	Code: "QB302", Name: "answer-count", Severity: lint.Error,
	Summary: "the number of keys does not fit the question type",
	Doc: `A "single" question (the default) has exactly one key; a "multiple" question
has at least one. Several keys on a single question usually mean the type
was forgotten; no key at all makes the question unanswerable.`,
	Bad: `type = "single"
answer = ["A", "C"]`,
	Good: `type = "multiple"
answer = ["A", "C"]`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			n := q.Node.Get("answer")
			if n == nil || (n.Kind != tomltree.String && n.Kind != tomltree.Array) {
				continue
			}
			letters, _ := answerItems(q)
			distinct := len(uniq(letters))
			switch {
			case distinct == 0:
				p.Report(lint.Finding{Span: lint.ValueSpan(n), Question: q,
					Message: "answer is empty: the question has no key",
					Hint:    "key at least one option"})
			case !q.Multiple() && distinct > 1:
				p.Report(lint.Finding{Span: lint.ValueSpan(n), Question: q,
					Message: fmt.Sprintf("a single-answer question has %d keys (%s)", distinct, strings.Join(uniq(letters), ", ")),
					Hint:    `set type = "multiple", or keep one key`})
			}
		}
	},
}

// AnswerRepeated reports a letter keyed twice.
var AnswerRepeated = &lint.Rule{
	Code: "QB303", Name: "answer-repeated", Severity: lint.Error,
	Summary: "the same letter is keyed twice",
	Doc: `Each letter may appear once in an answer list. A repeat is a typo for
another letter more often than not.`,
	Bad:  `answer = ["A", "A"]`,
	Good: `answer = ["A", "C"]`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			letters, nodes := answerItems(q)
			seen := map[string]bool{}
			for i, l := range letters {
				if seen[l] {
					p.Report(lint.Finding{Span: lint.ValueSpan(nodes[i]), Question: q,
						Message: fmt.Sprintf("answer %q is listed twice", l),
						Hint:    "remove the repeat, or key the letter you meant"})
				}
				seen[l] = true
			}
		}
	},
}

// TooFewOptions reports questions with fewer than two options.
var TooFewOptions = &lint.Rule{
	Code: "QB304", Name: "too-few-options", Severity: lint.Error,
	Summary: "a question with fewer than two options",
	Doc:     `A choice question needs at least two options to be a choice.`,
	Bad:     `options = ["42"]`,
	Good:    `options = ["41", "42"]`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			n := q.Node.Get("options")
			if n == nil || n.Kind != tomltree.Array || len(n.Items) >= 2 {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(n), Question: q,
				Message: fmt.Sprintf("question has %d option(s); at least 2 are needed", len(n.Items)),
				Hint:    "add the plausible wrong answers as options"})
		}
	},
}

// EmptyOption reports blank options.
var EmptyOption = &lint.Rule{
	Code: "QB305", Name: "empty-option", Severity: lint.Error,
	Summary: "an option with no text",
	Doc: `An option that is empty or only whitespace shows as a blank choice. It is
usually a leftover from editing.`,
	Bad:  `options = ["3", "", "5"]`,
	Good: `options = ["3", "4", "5"]`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			for _, o := range q.Options {
				if o.Node.Kind != tomltree.String && o.Node.Kind != tomltree.Table {
					continue
				}
				if o.Node.Kind == tomltree.Table && o.Node.Get("text") == nil {
					continue // missing-key reports it
				}
				if strings.TrimSpace(o.Text) == "" {
					span := lint.ValueSpan(o.Node)
					if t := o.Node.Get("text"); t != nil {
						span = lint.ValueSpan(t)
					}
					p.Report(lint.Finding{Span: span, Question: q,
						Message: fmt.Sprintf("option %s is empty", o.Letter),
						Hint:    "write the option's text, or remove the option and re-letter the key"})
				}
			}
		}
	},
}

// DuplicateOption reports two options with the same text.
var DuplicateOption = &lint.Rule{
	Code: "QB306", Name: "duplicate-option", Severity: lint.Error,
	Summary: "two options say the same thing",
	Doc: `Two options that no comparison can tell apart are the same choice twice: if
one is keyed the other is a correct answer marked wrong. Case always counts
("HELLO", "Hello" and "hello" are three answers). For a code question whose
options are compared with what the code does, options are the same when
they are equal at the exact match level (line endings, one final newline
and a code span or fence around the whole option aside): "hi   " and "hi"
differ, as print("hi   ") and print("hi") do. Other options are the same
when they are equal once trimmed and with runs of white space collapsed.`,
	Bad:  `options = ["True", "False", " True "]`,
	Good: `options = ["True", "False", "true"]`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			key := bank.NormalizeText
			if comparedWithOutput(q) {
				key = snippet.ExactForm
			}
			first := map[string]string{}
			for _, o := range q.Options {
				if strings.TrimSpace(o.Text) == "" {
					continue
				}
				k := key(o.Text)
				if prev, dup := first[k]; dup {
					span := lint.ValueSpan(o.Node)
					if t := o.Node.Get("text"); t != nil {
						span = lint.ValueSpan(t)
					}
					p.Report(lint.Finding{Span: span, Question: q,
						Message: fmt.Sprintf("option %s repeats option %s (%q)", o.Letter, prev, o.Text),
						Hint:    "make each option a distinct answer"})
					continue
				}
				first[k] = o.Letter
			}
		}
	},
}

// comparedWithOutput reports whether a question's options are compared
// with what its code does (or are code themselves): then white space in
// them counts.
func comparedWithOutput(q *bank.Question) bool {
	if q.Code == nil {
		return false
	}
	return q.OptionsAreCode() || q.Code.Expect == "output" || q.Code.Expect == "value"
}

// namedLetters returns the option letters a final explanation step names,
// or nil when it names none. The answer follows an arrow ("... -> Option C",
// "→ Options A and C", "=> B") or "answer:" ("Final answer: C"); or the
// whole step is one option's full text.
func namedLetters(step string, q *bank.Question) []string {
	step = strings.TrimSpace(step)
	if tail, ok := afterMarker(step); ok {
		return lettersIn(tail)
	}
	norm := bank.NormalizeText(strings.TrimRight(step, "."))
	// The option written with the same case, else the one option that is
	// the same once case is ignored (prose may capitalise an answer).
	for _, same := range []func(a, b string) bool{func(a, b string) bool { return a == b }, strings.EqualFold} {
		var named []string
		for _, o := range q.Options {
			if t := bank.NormalizeText(strings.TrimRight(o.Text, ".")); t != "" && same(t, norm) {
				named = append(named, o.Letter)
			}
		}
		if len(named) == 1 {
			return named
		}
		if len(named) > 1 {
			return nil
		}
	}
	return nil
}

// afterMarker returns the text after the last arrow, or after "answer:".
func afterMarker(s string) (string, bool) {
	at, size := -1, 0
	for _, m := range []string{"->", "=>", "→"} {
		if i := strings.LastIndex(s, m); i > at {
			at, size = i, len(m)
		}
	}
	if at < 0 {
		lower := strings.ToLower(s)
		if i := strings.LastIndex(lower, "answer:"); i >= 0 {
			at, size = i, len("answer:")
		}
	}
	if at < 0 {
		return "", false
	}
	return strings.TrimSpace(s[at+size:]), true
}

// lettersIn reads "Option C", "Options A and C", "Option A and Option C"
// or a lone letter ("C", "(C).").
func lettersIn(tail string) []string {
	words := strings.FieldsFunc(tail, func(r rune) bool {
		return r == ' ' || r == '\t' || r == ',' || r == '&' || r == '/' || r == '(' || r == ')' || r == '.' || r == ';'
	})
	isLetter := func(w string) bool { return len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' }
	if len(words) == 1 && isLetter(words[0]) {
		return words
	}
	var ls []string
	inList := false
	for _, w := range words {
		lw := strings.ToLower(w)
		switch {
		case lw == "option" || lw == "options":
			inList = true
		case !inList:
		case isLetter(w):
			ls = append(ls, w)
		case lw == "and" || lw == "or":
		default:
			if len(ls) > 0 {
				return uniq(ls)
			}
			inList = false
		}
	}
	return uniq(ls)
}

// ExplanationAnswer reports explanations that conclude with another answer.
var ExplanationAnswer = &lint.Rule{
	Code: "QB307", Name: "explanation-answer", Severity: lint.Error,
	Summary: "the explanation's final answer is not the key",
	Doc: `When the last solution step states the final answer — an option letter
("... -> Option C", "Final answer: C") or an option's full text — it must
be the keyed option. A mismatch means either the key or the explanation is
wrong, and students are told both.`,
	Bad: `answer = "B"
explanation = ["range(3) stops before 3", "0 1 2 -> Option A"]`,
	Good: `answer = "A"
explanation = ["range(3) stops before 3", "0 1 2 -> Option A"]`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			if len(q.Explanation) == 0 || len(q.Answer) == 0 {
				continue
			}
			last := len(q.Explanation) - 1
			named := namedLetters(q.Explanation[last], q)
			if named == nil {
				continue
			}
			keyed := uniq(q.Answer)
			if slices.Equal(sorted(named), sorted(keyed)) {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(itemNode(q, "explanation", last)), Question: q,
				Message: fmt.Sprintf("the explanation concludes %s but the key is %s", joinLetters(named), joinLetters(keyed)),
				Hint:    "fix whichever is wrong: the answer key or the explanation's last step"})
		}
	},
}

func joinLetters(ls []string) string {
	return strings.Join(ls, " and ")
}

func uniq(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}
