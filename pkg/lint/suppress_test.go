package lint_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
)

var (
	ruleA = &lint.Rule{Code: "QB901", Name: "rule-a", Severity: lint.Error}
	ruleB = &lint.Rule{Code: "QB902", Name: "rule-b", Severity: lint.Warning}
	all   = []*lint.Rule{ruleA, ruleB}
)

func TestParseDirectives(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		target    int
		codes     string
		problem   string
	}{
		{"trailing", "a = 1  # qbank:ignore QB901 -- why\n", 1, "QB901", ""},
		{"above", "# qbank:ignore QB901 -- why\na = 1\n", 2, "QB901", ""},
		{"above, blank line after a comment", "# qbank:ignore QB901 -- why\n  # more\n\n", 3, "QB901", ""},
		{"above, skipping comment lines", "# qbank:ignore QB901 -- why\n# more\na = 1\n", 3, "QB901", ""},
		{"names and spaces", "a = 1 #qbank:ignore rule-a ,  QB902 -- r\n", 1, "rule-a,QB902", ""},
		{"no reason", "a = 1 # qbank:ignore QB901\n", 1, "QB901", "needs a reason"},
		{"empty reason", "a = 1 # qbank:ignore QB901 --  \n", 1, "QB901", "needs a reason"},
		{"no rule", "a = 1 # qbank:ignore -- r\n", 1, "", "names no rule"},
		{"unknown rule", "a = 1 # qbank:ignore QB91 -- r\n", 1, "QB91", `unknown rule "QB91" in qbank:ignore; did you mean "QB901"?`},
		{"spaces between rules", "a = 1 # qbank:ignore QB901 QB902 -- r\n", 1, "QB901 QB902", "separated by commas"},
		{"misspelt directive", "a = 1 # qbank:ingore QB901 -- r\n", 1, "", `unknown directive "qbank:ingore"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := lint.NewFile("x.toml", []byte(tc.src))
			ds := lint.ParseDirectives(f, all)
			if len(ds) != 1 {
				t.Fatalf("%d directives", len(ds))
			}
			d := ds[0]
			var codes []string
			for _, c := range d.Codes {
				codes = append(codes, c.Text)
				if got := tc.src[c.Span.Start:c.Span.End]; got != c.Text {
					t.Errorf("span of %q covers %q", c.Text, got)
				}
			}
			if d.Target != tc.target || strings.Join(codes, ",") != tc.codes {
				t.Errorf("target %d codes %v", d.Target, codes)
			}
			if (tc.problem == "") != (d.Problem == "") || !strings.Contains(d.Problem, tc.problem) {
				t.Errorf("problem %q, want %q", d.Problem, tc.problem)
			}
		})
	}
	// Not directives: other comments, and "#" inside strings.
	f := lint.NewFile("x.toml", []byte("# qbank is nice\na = \"# qbank:ignore QB901 -- r\"\n"))
	if ds := lint.ParseDirectives(f, all); len(ds) != 0 {
		t.Errorf("found %d directives", len(ds))
	}
}

func TestSuppress(t *testing.T) {
	src := `a = 1  # qbank:ignore QB901 -- silences the finding on line 1
# qbank:ignore QB901, QB902 -- QB902 silences nothing
b = 2
c = 3  # qbank:ignore QB902 -- unused, but not reported when rule-b is off
d = 4  # qbank:ignore QB901
`
	f := lint.NewFile("x.toml", []byte(src))
	diag := func(line int, r *lint.Rule) lint.Diagnostic {
		return lint.Diagnostic{File: "x.toml", Line: line, Column: 1, Code: r.Code, Rule: r.Name, Severity: r.Severity}
	}
	unused := &lint.Rule{Code: "QB601", Name: "unused-suppression", Severity: lint.Warning}
	invalid := &lint.Rule{Code: "QB602", Name: "invalid-suppression", Severity: lint.Error}
	for _, tc := range []struct {
		name     string
		cfg      *lint.Config
		want     []string
		silenced int
	}{
		{"default", nil, []string{"2 QB601", "4 QB601", "5 QB901", "5 QB602"}, 2},
		{"rule-b off", &lint.Config{Severity: map[string]lint.Severity{"QB902": lint.Off}}, []string{"5 QB901", "5 QB602"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &lint.Result{Files: []*lint.File{f}, Diagnostics: []lint.Diagnostic{
				diag(1, ruleA), diag(3, ruleA), diag(5, ruleA),
			}}
			got := lint.Suppress(res, lint.SuppressOptions{Rules: all, Unused: unused, Invalid: invalid, Config: tc.cfg})
			if len(got) != tc.silenced {
				t.Errorf("silenced %d, want %d", len(got), tc.silenced)
			}
			var ds []string
			for _, d := range res.Diagnostics {
				ds = append(ds, strconv.Itoa(d.Line)+" "+d.Code)
			}
			if strings.Join(ds, ";") != strings.Join(tc.want, ";") {
				t.Errorf("diagnostics %v, want %v", ds, tc.want)
			}
		})
	}
}

// TestRelease: what is left of a released file still places findings,
// carries its suppressions and its questions' places, and never runs the
// schema check again.
func TestRelease(t *testing.T) {
	src := "[bank]\nid = \"b\"\n\n[[question]]\nid = \"q\"  # qbank:ignore QB901 -- why\n"
	f := lint.NewFile("b.toml", []byte(src))
	r := f.Release()
	if r.Bank == nil || r.Bank.ID != "b" || len(r.Bank.Questions) != 1 || r.Bank.Questions[0].FullID() != "b/q" {
		t.Fatalf("bank %+v", r.Bank)
	}
	if p := r.Position(r.Bank.Questions[0].Node.Start); p.Line != 4 {
		t.Errorf("question at line %d", p.Line)
	}
	if ds := lint.ParseDirectives(r, all); len(ds) != 1 || ds[0].Target != 5 {
		t.Errorf("directives %v", ds)
	}
	if ps, err := r.Schema(); len(ps) != 0 || err != nil {
		t.Errorf("schema ran again: %v %v", ps, err)
	}
	if r.Doc.Root.Get("bank") != nil {
		t.Error("the tree was kept")
	}
}

// TestDirectiveCoversValue: a directive over a value that spans lines (a
// multi-line options array, a multi-line string) covers all its lines.
func TestDirectiveCoversValue(t *testing.T) {
	for _, tc := range []struct {
		name, src         string
		target, targetEnd int
	}{
		{"array", "# qbank:ignore QB901 -- r\noptions = [\n  \"a\",\n  \"b\",\n]\nanswer = \"A\"\n", 2, 5},
		{"trailing on the opening line", "options = [ # qbank:ignore QB901 -- r\n  \"a\",\n]\n", 1, 3},
		{"brackets and comments in strings", "# qbank:ignore QB901 -- r\noptions = [\n  \"]\", '[', \"\\\"]\", # ] in a comment\n  '''\n]\n''',\n]\nx = 1\n", 2, 7},
		{"nested", "# qbank:ignore QB901 -- r\na = [[1,\n 2], [3]]\nb = 2\n", 2, 3},
		{"inline table", "# qbank:ignore QB901 -- r\nt = {a = \"}\"}\nb = 2\n", 2, 2},
		{"multi-line string", "# qbank:ignore QB901 -- r\nsource = '''\nprint(1)\nprint(''x'')'''\nb = 2\n", 2, 4},
		{"multi-line basic string", "# qbank:ignore QB901 -- r\nsource = \"\"\"\nprint(\\\"\\\"\\\")\n\"\"\"\nb = 2\n", 2, 4},
		{"one-line array", "# qbank:ignore QB901 -- r\noptions = [\"a\", \"b\"]\nanswer = \"A\"\n", 2, 2},
		{"plain value", "# qbank:ignore QB901 -- r\nanswer = \"A\"\nb = [\n1]\n", 2, 2},
		{"table header", "# qbank:ignore QB901 -- r\n[[question]]\nb = [\n1]\n", 2, 2},
		{"quoted key", "# qbank:ignore QB901 -- r\n\"a=b\" = [\n1]\n", 2, 3},
		{"unclosed", "# qbank:ignore QB901 -- r\noptions = [\n  \"a\",\n", 2, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := lint.NewFile("x.toml", []byte(tc.src))
			ds := lint.ParseDirectives(f, all)
			if len(ds) != 1 {
				t.Fatalf("%d directives", len(ds))
			}
			if ds[0].Target != tc.target || ds[0].TargetEnd != tc.targetEnd {
				t.Errorf("covers lines %d-%d, want %d-%d", ds[0].Target, ds[0].TargetEnd, tc.target, tc.targetEnd)
			}
		})
	}
	// Suppress silences findings on every covered line, and only there,
	// also on what is left of a file once released (as the linter runs it).
	src := "[bank]\nid = \"b\"\n[[question]]\nid = \"q\"\n# qbank:ignore QB901 -- r\noptions = [\n  \"a\",\n  \"b\",\n]\nanswer = \"A\"\n"
	f := lint.NewFile("x.toml", []byte(src)).Release()
	d := func(line int) lint.Diagnostic {
		return lint.Diagnostic{File: "x.toml", Line: line, Column: 3, Code: ruleA.Code, Rule: ruleA.Name, Severity: ruleA.Severity}
	}
	res := &lint.Result{Files: []*lint.File{f}, Diagnostics: []lint.Diagnostic{d(7), d(8), d(10)}}
	silenced := lint.Suppress(res, lint.SuppressOptions{Rules: all})
	if len(silenced) != 2 || len(res.Diagnostics) != 1 || res.Diagnostics[0].Line != 10 {
		t.Errorf("silenced %v, kept %v", silenced, res.Diagnostics)
	}
}
