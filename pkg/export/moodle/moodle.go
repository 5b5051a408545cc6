// Package moodle writes banks as Moodle XML: a <quiz> with a category
// pseudo-question per bank (its summary and takeaways as the category's
// info, its id as idnumber) followed by the bank's questions as multichoice
// questions: HTML question text with the snippet as <pre><code>, one
// <answer> per option with its fraction and <feedback>, the explanation as
// <generalfeedback>, the hint as <hint>, tags as <tags>.
//
// Fractions are Moodle's grade options only: 100 for the key of a single
// answer question; for a multiple-answer one an equal split of 100 across
// the keys (50, 33.33333, 25, …) and a negative share for each wrong option.
package moodle

import (
	"io"
	"strconv"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/internal/xmlw"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

// Format is the moodle export format.
type Format struct{}

// Name implements export.Format.
func (Format) Name() string { return "moodle" }

// Ext implements export.Format.
func (Format) Ext() string { return ".xml" }

// CategoryPath is the Moodle category of a bank: under the course's top
// category, named after the bank's title ("/" doubled, as Moodle escapes
// it in paths).
func CategoryPath(b *bank.Bank) string {
	name := strings.TrimSpace(b.Title)
	if name == "" {
		name = b.ID
	}
	name = strings.Join(strings.Fields(name), " ")
	return "$course$/top/" + strings.ReplaceAll(name, "/", "//")
}

// Write implements export.Format.
func (Format) Write(w io.Writer, banks []*bank.Bank, env *export.Env) error {
	x := xmlw.New()
	x.Open("quiz")
	for _, b := range banks {
		x.ResetDirty()
		if b.Topic != "" {
			env.Drops.Bank(export.DropBankTopic, b)
		}
		if len(b.Tags) > 0 {
			env.Drops.Bank(export.DropBankTags, b)
		}
		if m := export.MetaOf(b); m.Version != "" || len(m.Authors) > 0 {
			env.Drops.Bank(export.DropBankMeta, b)
		}
		if export.MetaOf(b).Language != "" {
			env.Drops.Bank(export.DropBankLang, b)
		}
		x.Open("question", "type", "category")
		x.Open("category")
		x.Text("text", CategoryPath(b))
		x.Close()
		if info := export.BankInfoHTML(b); info != "" {
			x.Open("info", "format", "html")
			x.Text("text", info)
			x.Close()
		}
		x.Text("idnumber", b.ID)
		x.Close()
		if x.Dirty() {
			env.Drops.Bank(export.ReplacedChars, b)
		}
		// The HTML of the questions is rendered in parallel (Markdown is
		// most of the work) and written in order.
		hs := make([]questionHTML, len(b.Questions))
		_ = export.Parallel(len(hs), func(i int) error {
			hs[i] = render(b.Questions[i])
			return nil
		})
		for i, q := range b.Questions {
			x.ResetDirty()
			question(x, q, &hs[i], env.Drops)
			if x.Dirty() {
				env.Drops.Question(export.ReplacedChars, q)
			}
		}
	}
	x.Close()
	_, err := w.Write(x.Bytes())
	return err
}

func htmlText(x *xmlw.Writer, name, html string, attrs ...string) {
	x.Open(name, append([]string{"format", "html"}, attrs...)...)
	x.Text("text", html)
	x.Close()
}

// questionHTML is the rendered text of a question.
type questionHTML struct {
	prompt, explanation, hint string
	hasHint                   bool
	options, feedback         []string
}

func render(q *bank.Question) questionHTML {
	h := questionHTML{prompt: export.PromptHTML(q), explanation: export.ExplanationHTML(q)}
	if strings.TrimSpace(q.Hint) != "" {
		h.hint, h.hasHint = markdown.Block(q.Hint), true
	}
	for _, o := range q.Options {
		fb := ""
		if strings.TrimSpace(o.Feedback) != "" {
			fb = markdown.Short(o.Feedback)
		}
		h.options = append(h.options, export.OptionHTML(q, o))
		h.feedback = append(h.feedback, fb)
	}
	return h
}

func question(x *xmlw.Writer, q *bank.Question, h *questionHTML, drops *export.Drops) {
	export.DropCommon(drops, q)
	if q.Difficulty != "" {
		drops.Question(export.DropDifficulty, q)
	}
	x.Open("question", "type", "multichoice")
	x.Open("name")
	x.Text("text", q.FullID())
	x.Close()
	htmlText(x, "questiontext", h.prompt)
	htmlText(x, "generalfeedback", h.explanation)
	grade := "1"
	if p, ok := export.Points(q); ok {
		grade = strconv.FormatFloat(p, 'f', -1, 64)
	}
	x.Text("defaultgrade", grade)
	x.Text("penalty", "0.3333333")
	x.Text("hidden", "0")
	x.Text("idnumber", q.FullID())
	x.Text("single", strconv.FormatBool(!q.Multiple()))
	x.Text("shuffleanswers", "false")
	x.Text("answernumbering", "ABCD")
	x.Text("showstandardinstruction", "0")
	htmlText(x, "correctfeedback", "")
	htmlText(x, "partiallycorrectfeedback", "")
	htmlText(x, "incorrectfeedback", "")
	if q.Multiple() {
		x.Empty("shownumcorrect")
	}
	weights, ok := export.Weights(q.Multiple(), len(q.Options), q.KeyIndexes())
	if !ok {
		drops.Question(export.DropFraction, q)
	}
	for i := range q.Options {
		x.Open("answer", "fraction", weights[i], "format", "html")
		x.Text("text", h.options[i])
		htmlText(x, "feedback", h.feedback[i])
		x.Close()
	}
	if h.hasHint {
		htmlText(x, "hint", h.hint)
	}
	if len(q.Tags) > 0 {
		x.Open("tags")
		for _, t := range q.Tags {
			x.Open("tag")
			x.Text("text", t)
			x.Close()
		}
		x.Close()
	}
	x.Close()
}
