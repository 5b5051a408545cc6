package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/internal/exporttest"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

// verifiedText is the text a snippet's output is compared with for an
// option: the code as written for run = "options", else the content of the
// code span or fence the option is (the whitespace bank has no other kind).
func verifiedText(t *testing.T, q *bank.Question, o bank.Option) string {
	t.Helper()
	if q.OptionsAreCode() {
		return strings.TrimSuffix(o.Text, "\n")
	}
	c, _, ok := markdown.WholeCode(o.Text)
	if !ok {
		t.Fatalf("%s %s: %q is not wholly code", q.FullID(), o.Letter, o.Text)
	}
	return c
}

// TestWhitespaceKept exports options whose whitespace is the answer and
// reads every format back, as a platform would (XML parsed, GIFT parsed by
// gift-pegjs, the HTML read as a browser shows it): students see exactly
// the text the snippet was checked against.
func TestWhitespaceKept(t *testing.T) {
	b := exporttest.Whitespace(t)
	var want []string // per option, in bank order
	for _, q := range b.Questions {
		for _, o := range q.Options {
			want = append(want, verifiedText(t, q, o))
		}
	}
	check := func(t *testing.T, htmls []string) {
		t.Helper()
		if len(htmls) != len(want) {
			t.Fatalf("%d options read back, want %d", len(htmls), len(want))
		}
		for i, h := range htmls {
			if got := markdown.Visible(h); got != want[i] {
				t.Errorf("option %d: students see %q, the snippet was checked against %q (HTML %q)", i, got, want[i], h)
			}
		}
	}

	t.Run("json", func(t *testing.T) {
		data, _ := exporttest.Export(t, "json", []*bank.Bank{b})
		exporttest.Golden(t, "whitespace.json", data)
		validateGo(t, data)
		var bundle export.Bundle
		if err := json.Unmarshal(data, &bundle); err != nil {
			t.Fatal(err)
		}
		i := 0
		for j, bq := range bundle.Banks[0].Questions {
			q := b.Questions[j]
			if q.OptionsAreCode() != (bq.Code != nil && bq.Code.Run == "options") {
				t.Errorf("%s: code.run = %+v", q.FullID(), bq.Code)
			}
			for k, o := range bq.Options {
				if o.Text != q.Options[k].Text {
					t.Errorf("%s %s: text %q, written %q", q.FullID(), o.Letter, o.Text, q.Options[k].Text)
				}
				i++
			}
		}
		if i != len(want) {
			t.Errorf("%d options, want %d", i, len(want))
		}
	})

	t.Run("qti21", func(t *testing.T) {
		data, _ := exporttest.Export(t, "qti21", []*bank.Bank{b})
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		items := map[string][]byte{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			items[f.Name], _ = io.ReadAll(rc)
			rc.Close()
		}
		var htmls []string
		for _, q := range b.Questions {
			var doc struct {
				Choices []struct {
					Inner string `xml:",innerxml"`
				} `xml:"itemBody>choiceInteraction>simpleChoice"`
			}
			if err := xml.Unmarshal(items["items/whitespace."+q.ID+".xml"], &doc); err != nil {
				t.Fatalf("%s: %v", q.ID, err)
			}
			for _, c := range doc.Choices {
				htmls = append(htmls, c.Inner)
			}
		}
		check(t, htmls)
	})

	t.Run("moodle", func(t *testing.T) {
		data, _ := exporttest.Export(t, "moodle", []*bank.Bank{b})
		exporttest.Golden(t, "whitespace.moodle.xml", data)
		var doc struct {
			Questions []struct {
				Answers []string `xml:"answer>text"`
			} `xml:"question"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var htmls []string
		for _, q := range doc.Questions {
			htmls = append(htmls, q.Answers...)
		}
		check(t, htmls)
	})

	t.Run("gift", func(t *testing.T) {
		data, _ := exporttest.Export(t, "gift", []*bank.Bank{b})
		exporttest.Golden(t, "whitespace.gift", data)
		var qs []struct {
			Choices []struct {
				Text struct {
					Format string `json:"format"`
					Text   string `json:"text"`
				} `json:"text"`
			} `json:"choices"`
		}
		if err := json.Unmarshal(exporttest.ParseGIFT(t, data), &qs); err != nil {
			t.Fatal(err)
		}
		var htmls []string
		for _, q := range qs {
			for _, c := range q.Choices {
				if c.Text.Format != "html" {
					t.Errorf("choice format %q", c.Text.Format)
				}
				htmls = append(htmls, c.Text.Text)
			}
		}
		check(t, htmls)
	})
}
