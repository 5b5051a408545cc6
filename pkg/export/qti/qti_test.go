package qti_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/internal/exporttest"
	"github.com/qbank-dev/qbank/pkg/export/qti"
)

// unzip returns the entries in order and checks they are sorted with the
// fixed modification time.
func unzip(t *testing.T, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		if !f.Modified.Equal(qti.ModTime) {
			t.Errorf("%s: modified %v, want the fixed %v", f.Name, f.Modified, qti.ModTime)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
		names = append(names, f.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("zip entries not sorted: %q", names)
	}
	return names, out
}

// validate writes the package out and runs xmllint against the official
// QTI 2.1 and IMS CP 1.1 XSDs on every item and on the manifest.
func validate(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	dir := t.TempDir()
	var items []string
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(name, "items/") {
			items = append(items, p)
		}
	}
	schemas := exporttest.SchemasDir(t)
	exporttest.XMLLint(t, []string{"--schema", filepath.Join(schemas, "qti21", "imsqti_v2p1.xsd")}, items...)
	exporttest.XMLLint(t, []string{"--schema", filepath.Join(schemas, "imscp_v1p1.xsd")}, filepath.Join(dir, "imsmanifest.xml"))
	return items
}

// The parts of an item the tests compare with the bank.
type itemDoc struct {
	Identifier string `xml:"identifier,attr"`
	Responses  []struct {
		Identifier  string   `xml:"identifier,attr"`
		Cardinality string   `xml:"cardinality,attr"`
		Values      []string `xml:"correctResponse>value"`
	} `xml:"responseDeclaration"`
	Choice struct {
		MaxChoices string `xml:"maxChoices,attr"`
		Choices    []struct {
			Identifier string `xml:"identifier,attr"`
			Inner      string `xml:",innerxml"`
		} `xml:"simpleChoice"`
	} `xml:"itemBody>choiceInteraction"`
	Prompt string `xml:"itemBody>div"`
	Hint   struct {
		Inner string `xml:",innerxml"`
	} `xml:"itemBody>feedbackBlock"`
	RP struct {
		Template string `xml:"template,attr"`
	} `xml:"responseProcessing"`
	Modal []struct {
		Outcome    string `xml:"outcomeIdentifier,attr"`
		Identifier string `xml:"identifier,attr"`
	} `xml:"modalFeedback"`
}

type manifestDoc struct {
	Resources []struct {
		Identifier string   `xml:"identifier,attr"`
		Type       string   `xml:"type,attr"`
		Href       string   `xml:"href,attr"`
		Keywords   []string `xml:"metadata>lom>general>keyword>langstring"`
		Difficulty string   `xml:"metadata>lom>educational>difficulty>value>langstring"`
	} `xml:"resources>resource"`
}

func check(t *testing.T, banks []*bank.Bank, files map[string][]byte) {
	t.Helper()
	var m manifestDoc
	if err := xml.Unmarshal(files["imsmanifest.xml"], &m); err != nil {
		t.Fatal(err)
	}
	var qs []*bank.Question
	for _, b := range export.Sorted(banks) {
		qs = append(qs, b.Questions...)
	}
	if len(m.Resources) != len(qs) {
		t.Fatalf("%d resources, want %d", len(m.Resources), len(qs))
	}
	for i, q := range qs {
		r := m.Resources[i]
		if r.Type != "imsqti_item_xmlv2p1" {
			t.Errorf("%s: resource type %q", q.FullID(), r.Type)
		}
		if !slices.Equal(r.Keywords, q.Tags) {
			t.Errorf("%s: keywords %q, want %q", q.FullID(), r.Keywords, q.Tags)
		}
		if _, v := qti.Difficulty(q.Difficulty); r.Difficulty != v {
			t.Errorf("%s: difficulty %q, want %q", q.FullID(), r.Difficulty, v)
		}
		var it itemDoc
		if err := xml.Unmarshal(files[r.Href], &it); err != nil {
			t.Fatalf("%s: %v", r.Href, err)
		}
		if it.Identifier != r.Identifier {
			t.Errorf("%s: item identifier %q, resource %q", q.FullID(), it.Identifier, r.Identifier)
		}
		resp := it.Responses[0]
		wantCard := "single"
		if q.Multiple() {
			wantCard = "multiple"
		}
		var keys []string
		for _, k := range q.KeyIndexes() {
			keys = append(keys, q.Options[k].Letter)
		}
		if resp.Identifier != "RESPONSE" || resp.Cardinality != wantCard || !slices.Equal(resp.Values, keys) {
			t.Errorf("%s: response %+v, want %s %q", q.FullID(), resp, wantCard, keys)
		}
		if len(it.Choice.Choices) != len(q.Options) {
			t.Errorf("%s: %d choices, want %d", q.FullID(), len(it.Choice.Choices), len(q.Options))
		}
		if it.RP.Template != qti.MatchCorrect {
			t.Errorf("%s: response processing template %q", q.FullID(), it.RP.Template)
		}
		fb := 0
		for _, o := range q.Options {
			if strings.TrimSpace(o.Feedback) != "" {
				fb++
			}
		}
		solution := 0
		for _, mf := range it.Modal {
			if mf.Outcome == "SOLUTION" {
				solution++
			}
		}
		if len(it.Modal)-solution != fb || (solution == 1) != (len(q.Explanation) > 0) {
			t.Errorf("%s: %d modalFeedback (%d solution), want %d option feedbacks and a solution", q.FullID(), len(it.Modal), solution, fb)
		}
		if (q.Hint != "") != (strings.TrimSpace(it.Hint.Inner) != "") {
			t.Errorf("%s: hint block %q", q.FullID(), it.Hint)
		}
		if q.Code != nil && q.Code.Source != "" && !strings.Contains(string(files[r.Href]), `<pre><code class="language-python">`) {
			t.Errorf("%s: snippet not in <pre><code>", q.FullID())
		}
	}
}

func TestProjectBanks(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	data, _ := exporttest.Export(t, "qti21", banks)
	exporttest.Golden(t, "questions.qti21.zip", data)
	names, files := unzip(t, data)
	if names[0] != "imsmanifest.xml" {
		t.Errorf("first entry %q", names[0])
	}
	if items := validate(t, files); len(items) != 36 {
		t.Errorf("%d items, want 36", len(items))
	}
	check(t, banks, files)

	rev := slices.Clone(banks)
	slices.Reverse(rev)
	if again, _ := exporttest.Export(t, "qti21", rev); !bytes.Equal(again, data) {
		t.Error("another file order gave other bytes")
	}
}

func TestNastyBank(t *testing.T) {
	b := exporttest.Nasty(t)
	data, env := exporttest.Export(t, "qti21", []*bank.Bank{b})
	_, files := unzip(t, data)
	validate(t, files)
	check(t, []*bank.Bank{b}, files)
	for name, f := range files {
		for _, bad := range []string{"\x00", "\x01", "\x07", "\uFFFF"} {
			if bytes.Contains(f, []byte(bad)) {
				t.Errorf("%s contains the forbidden character %q", name, bad)
			}
		}
	}
	if !bytes.Contains(files["items/nasty.specials.xml"], []byte(`A control \x07 bell and \uFFFF nonchar`)) {
		t.Error("forbidden characters were not written as visible escapes")
	}
	w := strings.Join(env.Drops.Warnings("qti21"), "\n")
	for _, want := range []string{"replaced characters XML forbids, written as visible \\xNN / \\uNNNN escapes (1 question, 1 bank)", "cannot carry points (1 question)", "cannot carry mistakes (1 question)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

// TestWhitespaceBank: options whose whitespace is the answer, and code
// options as <pre> blocks inside simpleChoice, are valid QTI 2.1.
func TestWhitespaceBank(t *testing.T) {
	b := exporttest.Whitespace(t)
	data, _ := exporttest.Export(t, "qti21", []*bank.Bank{b})
	_, files := unzip(t, data)
	validate(t, files)
	check(t, []*bank.Bank{b}, files)
	if !bytes.Contains(files["items/whitespace.code-options.xml"], []byte(`<simpleChoice identifier="A"><pre><code class="language-python">`)) {
		t.Error("a code option is not a code block")
	}
}
