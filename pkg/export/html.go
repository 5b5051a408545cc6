package export

import (
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

// PromptHTML is the question's stem as HTML: the prompt's Markdown, then
// the snippet as a preformatted code block.
func PromptHTML(q *bank.Question) string {
	s := markdown.Block(q.Prompt)
	if q.Code != nil && q.Code.Source != "" {
		if s != "" {
			s += "\n"
		}
		s += markdown.Code(q.Code.Source, q.Code.Language)
	}
	return s
}

// OptionHTML is an answer option as HTML: its Markdown, or, when the
// question's options are snippets (run = "options"), the option's text as
// a code block, exactly as written.
func OptionHTML(q *bank.Question, o bank.Option) string {
	if q.OptionsAreCode() {
		return markdown.Code(o.Text, q.Code.Language)
	}
	return markdown.Option(o.Text)
}

// ExplanationHTML renders the explanation steps, one paragraph (or block)
// each; "" when there are none.
func ExplanationHTML(q *bank.Question) string {
	parts := make([]string, 0, len(q.Explanation))
	for _, step := range q.Explanation {
		if strings.TrimSpace(step) != "" {
			parts = append(parts, markdown.Block(step))
		}
	}
	return strings.Join(parts, "\n")
}

// BankInfoHTML is a bank's summary followed by its takeaways as a list.
func BankInfoHTML(b *bank.Bank) string {
	s := markdown.Block(b.Summary)
	if len(b.Takeaways) > 0 {
		var l strings.Builder
		l.WriteString("<ul>")
		for _, t := range b.Takeaways {
			l.WriteString("<li>" + markdown.Short(t) + "</li>")
		}
		l.WriteString("</ul>")
		if s != "" {
			s += "\n"
		}
		s += l.String()
	}
	return s
}

// DropCommon records the fields no learning-platform format carries:
// mistakes and the snippet's expectation.
func DropCommon(d *Drops, q *bank.Question) {
	if len(q.Mistakes) > 0 {
		d.Question(DropMistakes, q)
	}
	if q.Code != nil {
		d.Question(DropCodeCheck, q)
	}
}
