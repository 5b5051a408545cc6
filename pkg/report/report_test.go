package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"github.com/qbank-dev/qbank/internal/testtool"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

const dir = "../../testdata/report"

func sampleInput(t testing.TB) *report.Input {
	t.Helper()
	files := lint.ReadFiles([]string{filepath.ToSlash(filepath.Join(dir, "input.toml"))})
	res := lint.Run(files, rules.All(), nil)
	if len(res.Diagnostics) == 0 {
		t.Fatal("the sample should have findings")
	}
	return &report.Input{Diagnostics: res.Diagnostics, Files: res.Files, Questions: res.Questions,
		Tool: report.Tool{Name: "qbank", Version: "test"}, Rules: rules.All(),
		Snippets: &report.SnippetCounts{Total: 3, Verified: 1, Compiled: 1, Stopped: 1}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testtool.Golden(t, filepath.Join(dir, name), got, *update)
}

func TestGolden(t *testing.T) {
	in := sampleInput(t)
	for _, tt := range []struct {
		format, golden string
		color          bool
	}{
		{"text", "text.golden", false},
		{"text", "text-color.golden", true},
		{"concise", "concise.golden", false},
		{"json", "json.golden", false},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			f, err := report.Lookup(tt.format)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf, in, report.Options{Color: tt.color}); err != nil {
				t.Fatal(err)
			}
			hasEsc := bytes.Contains(buf.Bytes(), []byte("\x1b["))
			if hasEsc != tt.color {
				t.Errorf("colour codes present = %v, want %v", hasEsc, tt.color)
			}
			golden(t, tt.golden, buf.Bytes())
		})
	}
}

// TestCaretUnderSpan checks the code frame's caret sits under the span,
// counting characters (not bytes) and expanding tabs.
func TestCaretUnderSpan(t *testing.T) {
	in := sampleInput(t)
	var buf bytes.Buffer
	if err := report.Text.Write(&buf, in, report.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		if !strings.Contains(l, `difficulty = "Médium"`) {
			continue
		}
		caret := lines[i+1]
		col := strings.Index(l, `"Médium"`)
		if got := strings.Index(caret, "^"); got != col || strings.Count(caret, "^") != len([]rune(`"Médium"`)) {
			t.Fatalf("caret line %q does not underline %q in %q", caret, `"Médium"`, l)
		}
		return
	}
	t.Fatal("frame not found")
}

func TestJSONMatchesSchema(t *testing.T) {
	in := sampleInput(t)
	var buf bytes.Buffer
	if err := report.JSON.Write(&buf, in, report.Options{}); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("report.schema.json", bytes.NewReader(schema.ReportJSON)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("JSON report does not match schema/report.schema.json: %v", err)
	}
	var r struct {
		Diagnostics []map[string]any `json:"diagnostics"`
	}
	json.Unmarshal(buf.Bytes(), &r)
	for _, d := range r.Diagnostics {
		for _, k := range []string{"file", "line", "column", "end_line", "end_column", "severity", "code", "rule", "message", "question"} {
			if _, ok := d[k]; !ok {
				t.Errorf("diagnostic lacks %q: %v", k, d)
			}
		}
	}
}

func TestSummary(t *testing.T) {
	in := &report.Input{
		Diagnostics: []lint.Diagnostic{{Severity: lint.Error}, {Severity: lint.Error}, {Severity: lint.Error}, {Severity: lint.Warning}},
		Files:       []*lint.File{{}, {}}, Questions: 14,
	}
	if got, want := report.Summary(in), "3 errors, 1 warning in 2 files, 14 questions"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	in = &report.Input{Files: []*lint.File{{}}, Questions: 1}
	if got, want := report.Summary(in), "no problems in 1 file, 1 question"; got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
}
