package moodle_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/internal/exporttest"
	"github.com/qbank-dev/qbank/pkg/export/moodle"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

// The structure qformat_xml reads (question/format/xml/format.php):
// import_category, import_multichoice and import_headers.
type text struct {
	Format string `xml:"format,attr"`
	Text   string `xml:"text"`
}

type quiz struct {
	XMLName   xml.Name `xml:"quiz"`
	Questions []struct {
		Type         string   `xml:"type,attr"`
		Category     string   `xml:"category>text"`
		Info         text     `xml:"info"`
		IDNumber     string   `xml:"idnumber"`
		Name         string   `xml:"name>text"`
		QuestionText text     `xml:"questiontext"`
		General      text     `xml:"generalfeedback"`
		DefaultGrade string   `xml:"defaultgrade"`
		Single       string   `xml:"single"`
		Hints        []text   `xml:"hint"`
		Tags         []string `xml:"tags>tag>text"`
		Answers      []struct {
			Fraction string `xml:"fraction,attr"`
			Format   string `xml:"format,attr"`
			Text     string `xml:"text"`
			Feedback text   `xml:"feedback"`
		} `xml:"answer"`
	} `xml:"question"`
}

func parse(t *testing.T, data []byte) quiz {
	t.Helper()
	var q quiz
	if err := xml.Unmarshal(data, &q); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	return q
}

func xmllint(t *testing.T, data []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "quiz.xml")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	exporttest.XMLLint(t, nil, p)
}

var grades = func() map[string]bool {
	m := map[string]bool{"0": true}
	for _, p := range export.MoodlePercents {
		m[p], m["-"+p] = true, true
	}
	return m
}()

func check(t *testing.T, banks []*bank.Bank, data []byte) {
	t.Helper()
	doc := parse(t, data)
	i := 0
	for _, b := range export.Sorted(banks) {
		c := doc.Questions[i]
		i++
		if c.Type != "category" || c.Category != moodle.CategoryPath(b) || c.IDNumber != b.ID {
			t.Errorf("bank %s: category %+v", b.ID, c)
		}
		if len(b.Takeaways) > 0 && (c.Info.Format != "html" || !strings.Contains(c.Info.Text, markdown.Short(b.Takeaways[0]))) {
			t.Errorf("bank %s: info %q lacks the takeaways", b.ID, c.Info.Text)
		}
		for _, q := range b.Questions {
			mq := doc.Questions[i]
			i++
			id := q.FullID()
			if mq.Type != "multichoice" || mq.Name != id || mq.IDNumber != id {
				t.Errorf("%s: type %q name %q idnumber %q", id, mq.Type, mq.Name, mq.IDNumber)
			}
			if mq.Single != strconv.FormatBool(!q.Multiple()) {
				t.Errorf("%s: single = %q", id, mq.Single)
			}
			if mq.QuestionText.Format != "html" || !strings.HasPrefix(mq.QuestionText.Text, clean(markdown.Block(q.Prompt))) {
				t.Errorf("%s: questiontext %q", id, mq.QuestionText.Text)
			}
			if q.Code != nil && q.Code.Source != "" && !strings.Contains(mq.QuestionText.Text, "<pre><code") {
				t.Errorf("%s: snippet not preformatted", id)
			}
			if mq.General.Text != clean(export.ExplanationHTML(q)) {
				t.Errorf("%s: generalfeedback %q", id, mq.General.Text)
			}
			if q.Hint != "" && (len(mq.Hints) != 1 || mq.Hints[0].Text != markdown.Block(q.Hint)) {
				t.Errorf("%s: hints %+v", id, mq.Hints)
			}
			if !slices.Equal(mq.Tags, q.Tags) {
				t.Errorf("%s: tags %q", id, mq.Tags)
			}
			if len(mq.Answers) != len(q.Options) {
				t.Fatalf("%s: %d answers, want %d", id, len(mq.Answers), len(q.Options))
			}
			keys := q.KeyIndexes()
			sum, best := 0.0, 0.0
			for j, a := range mq.Answers {
				o := q.Options[j]
				if !grades[a.Fraction] {
					t.Errorf("%s %s: fraction %q is not a Moodle grade", id, o.Letter, a.Fraction)
				}
				f, _ := strconv.ParseFloat(a.Fraction, 64)
				if slices.Contains(keys, j) != (f > 0) {
					t.Errorf("%s %s: fraction %s for key=%v", id, o.Letter, a.Fraction, slices.Contains(keys, j))
				}
				if f > 0 {
					sum += f
				}
				best = max(best, f)
				if a.Text != clean(export.OptionHTML(q, o)) || a.Feedback.Text != markdown.Short(o.Feedback) {
					t.Errorf("%s %s: answer %q feedback %q", id, o.Letter, a.Text, a.Feedback.Text)
				}
			}
			// Moodle's checks: a single-answer question needs a 100% answer;
			// the positive grades of a multiple-answer one add up to 100%.
			if !q.Multiple() && best != 100 {
				t.Errorf("%s: no 100%% answer", id)
			}
			if q.Multiple() && (sum < 99.99 || sum > 100.01) {
				t.Errorf("%s: positive fractions sum to %v", id, sum)
			}
		}
	}
	if i != len(doc.Questions) {
		t.Errorf("%d <question>s, want %d", len(doc.Questions), i)
	}
}

func clean(s string) string {
	c, _ := export.CleanXML(s)
	return c
}

func TestProjectBanks(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	data, _ := exporttest.Export(t, "moodle", banks)
	exporttest.Golden(t, "questions.moodle.xml", data)
	xmllint(t, data)
	check(t, banks, data)
	rev := slices.Clone(banks)
	slices.Reverse(rev)
	if again, _ := exporttest.Export(t, "moodle", rev); !bytes.Equal(again, data) {
		t.Error("another file order gave other bytes")
	}
}

func TestNastyBank(t *testing.T) {
	banks := []*bank.Bank{exporttest.Nasty(t)}
	data, env := exporttest.Export(t, "moodle", banks)
	xmllint(t, data)
	check(t, banks, data)
	if bytes.ContainsAny(data, "\x00\x01\x07\uFFFF") {
		t.Error("a forbidden character was written")
	}
	doc := parse(t, data)
	multi := doc.Questions[2]
	var fr []string
	for _, a := range multi.Answers {
		fr = append(fr, a.Fraction)
	}
	if want := []string{"33.33333", "-50", "33.33333", "-50", "33.33333"}; !slices.Equal(fr, want) {
		t.Errorf("three-keys fractions %q, want %q", fr, want)
	}
	if doc.Questions[1].DefaultGrade != "2" {
		t.Errorf("points not carried: defaultgrade %q", doc.Questions[1].DefaultGrade)
	}
	w := strings.Join(env.Drops.Warnings("moodle"), "\n")
	for _, want := range []string{"moodle cannot carry difficulty (2 questions)", "replaced characters XML forbids"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

// TestWhitespaceBank: options whose whitespace is the answer, and code
// options, give valid Moodle XML (what they show is TestWhitespaceKept's).
func TestWhitespaceBank(t *testing.T) {
	banks := []*bank.Bank{exporttest.Whitespace(t)}
	data, _ := exporttest.Export(t, "moodle", banks)
	xmllint(t, data)
	check(t, banks, data)
	doc := parse(t, data)
	code := doc.Questions[len(doc.Questions)-1].Answers[0].Text
	if !strings.HasPrefix(code, `<pre><code class="language-python">print(`) {
		t.Errorf("a code option is not a code block: %q", code)
	}
}
