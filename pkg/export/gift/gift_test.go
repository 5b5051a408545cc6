package gift_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/gift"
	"github.com/qbank-dev/qbank/pkg/export/internal/exporttest"
	"github.com/qbank-dev/qbank/pkg/export/moodle"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`~=#{}:\`, `\~\=\#\{\}\:\\`},
		{"a\nb\r\nc\rd", `a\nb\nc\nd`},
		{`\n`, `\\n`},
		{"<p>&amp;</p>", "<p>&amp;</p>"},
	}
	for _, tt := range tests {
		if got := gift.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// What gift-pegjs returns (its index.d.ts).
type textFormat struct {
	Format string `json:"format"`
	Text   string `json:"text"`
}

type parsed struct {
	Type           string      `json:"type"`
	Title          string      `json:"title"`
	ID             string      `json:"id"`
	Tags           []string    `json:"tags"`
	Stem           textFormat  `json:"stem"`
	GlobalFeedback *textFormat `json:"globalFeedback"`
	Choices        []struct {
		IsCorrect bool        `json:"isCorrect"`
		Weight    *float64    `json:"weight"`
		Text      textFormat  `json:"text"`
		Feedback  *textFormat `json:"feedback"`
	} `json:"choices"`
}

// parseGIFT runs the independent gift-pegjs parser on data.
func parseGIFT(t *testing.T, data []byte) []parsed {
	t.Helper()
	var qs []parsed
	if err := json.Unmarshal(exporttest.ParseGIFT(t, data), &qs); err != nil {
		t.Fatalf("gift-parse.js output: %v", err)
	}
	return qs
}

func clean(s string) string {
	c, _ := export.CleanXML(s)
	return strings.TrimSpace(c)
}

func compare(t *testing.T, banks []*bank.Bank, data []byte) {
	t.Helper()
	got := parseGIFT(t, data)
	i := 0
	next := func() *parsed {
		if i >= len(got) {
			t.Fatalf("gift-pegjs found only %d questions", len(got))
		}
		i++
		return &got[i-1]
	}
	for _, b := range export.Sorted(banks) {
		if c := next(); c.Type != "Category" || c.Title != moodle.CategoryPath(b) {
			t.Errorf("bank %s: got %s %q", b.ID, c.Type, c.Title)
		}
		for _, q := range b.Questions {
			p := next()
			id := q.FullID()
			if p.Type != "MC" || p.Title != id || p.ID != id {
				t.Errorf("%s: type %q title %q id %q", id, p.Type, p.Title, p.ID)
			}
			var tags []string
			for _, tg := range q.Tags {
				if !strings.ContainsAny(tg, "]") {
					tags = append(tags, tg)
				}
			}
			if !slices.Equal(p.Tags, tags) {
				t.Errorf("%s: tags %q, want %q", id, p.Tags, tags)
			}
			if p.Stem.Format != "html" || p.Stem.Text != clean(export.PromptHTML(q)) {
				t.Errorf("%s: stem %+v\nwant %q", id, p.Stem, clean(export.PromptHTML(q)))
			}
			if q.Code != nil && q.Code.Source != "" && !strings.Contains(p.Stem.Text, "<pre><code") {
				t.Errorf("%s: snippet not preformatted", id)
			}
			if ex := clean(export.ExplanationHTML(q)); (p.GlobalFeedback == nil && ex != "") || (p.GlobalFeedback != nil && p.GlobalFeedback.Text != ex) {
				t.Errorf("%s: general feedback %+v, want %q", id, p.GlobalFeedback, ex)
			}
			if len(p.Choices) != len(q.Options) {
				t.Fatalf("%s: %d choices, want %d", id, len(p.Choices), len(q.Options))
			}
			keys := q.KeyIndexes()
			sum := 0.0
			for j, c := range p.Choices {
				o := q.Options[j]
				isKey := slices.Contains(keys, j)
				if q.Multiple() {
					if c.Weight == nil || (*c.Weight > 0) != isKey {
						t.Errorf("%s %s: weight %v for key=%v", id, o.Letter, c.Weight, isKey)
					} else if *c.Weight > 0 {
						sum += *c.Weight
					}
				} else if c.IsCorrect != isKey || c.Weight != nil {
					t.Errorf("%s %s: isCorrect %v weight %v, key=%v", id, o.Letter, c.IsCorrect, c.Weight, isKey)
				}
				if c.Text.Text != clean(export.OptionHTML(q, o)) {
					t.Errorf("%s %s: text %q, want %q", id, o.Letter, c.Text.Text, clean(export.OptionHTML(q, o)))
				}
				wantFB := clean(markdown.Short(o.Feedback))
				if (c.Feedback == nil) != (wantFB == "") || (c.Feedback != nil && c.Feedback.Text != wantFB) {
					t.Errorf("%s %s: feedback %+v, want %q", id, o.Letter, c.Feedback, wantFB)
				}
			}
			if q.Multiple() && (sum < 99.99 || sum > 100.01) {
				t.Errorf("%s: key weights sum to %s", id, strconv.FormatFloat(sum, 'f', -1, 64))
			}
		}
	}
	if i != len(got) {
		t.Errorf("gift-pegjs found %d items, want %d", len(got), i)
	}
}

func TestProjectBanks(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	data, env := exporttest.Export(t, "gift", banks)
	exporttest.Golden(t, "questions.gift", data)
	compare(t, banks, data)
	rev := slices.Clone(banks)
	slices.Reverse(rev)
	if again, _ := exporttest.Export(t, "gift", rev); !bytes.Equal(again, data) {
		t.Error("another file order gave other bytes")
	}
	w := strings.Join(env.Drops.Warnings("gift"), "\n")
	for _, want := range []string{"gift cannot carry hint (36 questions)", "gift cannot carry mistakes (36 questions)", "gift cannot carry difficulty (36 questions)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

func TestNastyBank(t *testing.T) {
	banks := []*bank.Bank{exporttest.Nasty(t)}
	data, env := exporttest.Export(t, "gift", banks)
	compare(t, banks, data)
	if bytes.ContainsAny(data, "\x00\x01\x07\uFFFF") {
		t.Error("a forbidden character was written")
	}
	w := strings.Join(env.Drops.Warnings("gift"), "\n")
	if !strings.Contains(w, "gift cannot carry tags with characters the format cannot write (1 question)") {
		t.Errorf("no warning for the tag with ']':\n%s", w)
	}
}

func TestWhitespaceBank(t *testing.T) {
	banks := []*bank.Bank{exporttest.Whitespace(t)}
	data, _ := exporttest.Export(t, "gift", banks)
	compare(t, banks, data)
}
