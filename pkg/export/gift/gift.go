// Package gift writes banks in Moodle's GIFT text format: a $CATEGORY line
// per bank, then per question a comment with its id and tags
// ("// [id:bank/q] [tag:t]"), the ::title:: (the full id), the HTML stem
// with the snippet as <pre><code>, and the answers: "=" for the key of a
// single-answer question, "~%w%" weights for a multiple-answer one, "#"
// per-answer feedback and "####" general feedback (the explanation).
//
// All text is written in the [html] format and escaped for GIFT: the
// characters ~ = # { } : and the backslash get a backslash, and newlines
// are written as \n, so every question is one block with no blank line
// inside it.
package gift

import (
	"bytes"
	"io"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/moodle"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

// Format is the gift export format.
type Format struct{}

// Name implements export.Format.
func (Format) Name() string { return "gift" }

// Ext implements export.Format.
func (Format) Ext() string { return ".gift" }

// Escape escapes s for GIFT text: a backslash before \ ~ = # { } : and
// newlines as \n (CR LF and lone CR count as one newline).
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '~', '=', '#', '{', '}', ':':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

type writer struct {
	buf   bytes.Buffer
	dirty bool
}

func (w *writer) text(s string) {
	c, changed := export.CleanXML(s)
	if changed {
		w.dirty = true
	}
	w.buf.WriteString(Escape(c))
}

// html writes "[html]" and the escaped fragment; an empty fragment becomes
// an empty span, since GIFT cannot write empty text.
func (w *writer) html(fragment string) {
	if strings.TrimSpace(fragment) == "" {
		fragment = "<span></span>"
	}
	w.buf.WriteString("[html]")
	w.text(fragment)
}

// tagSafe reports whether a tag or id fits in a "[tag:…]" comment.
func tagSafe(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == ']' {
			return false
		}
	}
	return true
}

// Write implements export.Format.
func (Format) Write(out io.Writer, banks []*bank.Bank, env *export.Env) error {
	w := &writer{}
	w.buf.WriteString("// Exported by " + env.Generator.Name + " " + strings.Join(strings.Fields(env.Generator.Version), " ") + "\n\n")
	d := env.Drops
	for _, b := range banks {
		if b.Summary != "" {
			d.Bank(export.DropBankSummary, b)
		}
		if len(b.Takeaways) > 0 {
			d.Bank(export.DropTakeaways, b)
		}
		if b.Topic != "" {
			d.Bank(export.DropBankTopic, b)
		}
		if len(b.Tags) > 0 {
			d.Bank(export.DropBankTags, b)
		}
		if m := export.MetaOf(b); m.Version != "" || len(m.Authors) > 0 {
			d.Bank(export.DropBankMeta, b)
		}
		if export.MetaOf(b).Language != "" {
			d.Bank(export.DropBankLang, b)
		}
		cat, changed := export.CleanXML(moodle.CategoryPath(b))
		if changed {
			d.Bank(export.ReplacedChars, b)
		}
		w.buf.WriteString("$CATEGORY: " + cat + "\n\n")
		// Questions are rendered in parallel (Markdown is most of the
		// work) and written in order.
		qs := make([]writer, len(b.Questions))
		_ = export.Parallel(len(qs), func(i int) error {
			question(&qs[i], b.Questions[i], d)
			return nil
		})
		for i := range qs {
			w.buf.Write(qs[i].buf.Bytes())
			if qs[i].dirty {
				d.Question(export.ReplacedChars, b.Questions[i])
			}
		}
	}
	_, err := out.Write(w.buf.Bytes())
	return err
}

func question(w *writer, q *bank.Question, d *export.Drops) {
	export.DropCommon(d, q)
	if q.Difficulty != "" {
		d.Question(export.DropDifficulty, q)
	}
	if strings.TrimSpace(q.Hint) != "" {
		d.Question(export.DropHint, q)
	}
	if _, ok := export.Points(q); ok {
		d.Question(export.DropPoints, q)
	}
	var comment strings.Builder
	if tagSafe(q.FullID()) {
		comment.WriteString("[id:" + q.FullID() + "]")
	}
	for _, t := range q.Tags {
		if !tagSafe(t) {
			d.Question(export.DropBadTags, q)
			continue
		}
		if comment.Len() > 0 {
			comment.WriteByte(' ')
		}
		comment.WriteString("[tag:" + t + "]")
	}
	if comment.Len() > 0 {
		c, changed := export.CleanXML(comment.String())
		if changed {
			w.dirty = true
		}
		w.buf.WriteString("// " + c + "\n")
	}
	w.buf.WriteString("::")
	w.text(q.FullID())
	w.buf.WriteString("::")
	w.html(export.PromptHTML(q))
	w.buf.WriteString("{\n")
	keys := q.KeyIndexes()
	weights, ok := export.Weights(q.Multiple(), len(q.Options), keys)
	if !ok {
		d.Question(export.DropFraction, q)
	}
	for i, o := range q.Options {
		switch {
		case q.Multiple():
			w.buf.WriteString("~%" + weights[i] + "%")
		case weights[i] == "100":
			w.buf.WriteString("=")
		default:
			w.buf.WriteString("~")
		}
		w.html(export.OptionHTML(q, o))
		if strings.TrimSpace(o.Feedback) != "" {
			w.buf.WriteString(" #")
			w.html(markdown.Short(o.Feedback))
		}
		w.buf.WriteString("\n")
	}
	if ex := export.ExplanationHTML(q); ex != "" {
		w.buf.WriteString("####")
		w.html(ex)
		w.buf.WriteString("\n")
	}
	w.buf.WriteString("}\n\n")
}
