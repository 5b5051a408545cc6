package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
)

func writeCorpus(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParse reads truth comments and rejects questions without one.
func TestParse(t *testing.T) {
	good := `[bank]
id = "b"

# truth: right
[[question]]
id = "one"

# truth: wrong QB502|QB504 (match)
[[question]]
id = "two"
[question.code]
source = "print(1)"
`
	qs, err := Parse(writeCorpus(t, good))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 {
		t.Fatalf("got %d questions", len(qs))
	}
	if q := qs[0]; q.ID != "one" || !q.Right || q.Style != "plain" || q.Line != 5 || q.End != 7 {
		t.Errorf("first: %+v", q)
	}
	if q := qs[1]; q.ID != "two" || q.Right || strings.Join(q.Codes, ",") != "QB502,QB504" || q.Style != "match" || q.Line != 9 || q.End != 12 {
		t.Errorf("second: %+v", q)
	}

	for name, src := range map[string]string{
		"no truth":        "[bank]\nid = \"b\"\n\n[[question]]\nid = \"q\"\n",
		"blank between":   "# truth: right\n\n[[question]]\nid = \"q\"\n",
		"malformed":       "# truth: wrong\n[[question]]\nid = \"q\"\n",
		"dangling truth":  "# truth: right\n[[question]]\nid = \"q\"\n# truth: right\n",
		"unknown verdict": "# truth: maybe\n[[question]]\nid = \"q\"\n",
	} {
		if _, err := Parse(writeCorpus(t, src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestClassify: errors on right keys are false errors, warnings are noise,
// a wrong question is found only by one of its codes.
func TestClassify(t *testing.T) {
	q := func(line int, right bool, codes ...string) *Question {
		return &Question{File: "c.toml", Line: line, End: line + 9, ID: "q", Style: "plain", Right: right, Codes: codes}
	}
	d := func(line int, code string, sev lint.Severity) lint.Diagnostic {
		return lint.Diagnostic{File: "c.toml", Line: line, Code: code, Severity: sev}
	}
	qs := []*Question{
		q(10, true),                    // clean
		q(20, true),                    // error → false error
		q(30, true),                    // warning → noise
		q(40, false, "QB502"),          // found
		q(50, false, "QB502", "QB504"), // found by its second code, as a warning counts too
		q(60, false, "QB520"),          // another code only → missed
		q(70, false, "QB518"),          // nothing → missed
	}
	ds := []lint.Diagnostic{
		d(22, "QB504", lint.Error),
		d(33, "QB508", lint.Warning),
		d(41, "QB502", lint.Error),
		d(55, "QB504", lint.Warning),
		d(61, "QB502", lint.Error),
		d(3, "QB203", lint.Error), // outside every question
	}
	r := Classify(qs, ds)
	var got []string
	for _, v := range r.Verdicts {
		s := "ok"
		switch {
		case v.FalseError:
			s = "false-error"
		case v.Noise:
			s = "noise"
		case v.Missed:
			s = "missed"
		}
		got = append(got, s)
	}
	want := "ok false-error noise ok ok missed missed"
	if strings.Join(got, " ") != want {
		t.Errorf("verdicts %q, want %q", strings.Join(got, " "), want)
	}
	if len(r.Stray) != 1 || r.Stray[0].Line != 3 {
		t.Errorf("stray: %+v", r.Stray)
	}
	_, total := r.Rows(func(*Question) string { return "all" })
	if *total != (Row{Name: "total", Questions: 7, Right: 3, Wrong: 4, FalseErrors: 1, Missed: 2, Noise: 1}) {
		t.Errorf("total row %+v", *total)
	}
	if tab := r.Table(); !strings.Contains(tab, "c.toml:60 q (truth: wrong QB520)") || !strings.Contains(tab, "findings outside any question (1)") ||
		!strings.Contains(tab, "false errors: 1 of 3 right keys (33.3%); missed: 2 of 4 wrong (50.0%)") {
		t.Errorf("table:\n%s", tab)
	}
}
