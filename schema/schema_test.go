package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/tomltree"
)

func fullValid(t *testing.T, doc *tomltree.Document) bool {
	t.Helper()
	c, err := bankSchema()
	if err != nil {
		t.Fatal(err)
	}
	return c.schema.Validate(doc.Root.Interface()) == nil
}

// variants returns the fixture plus single-line edits of it that break or
// keep its validity in many ways.
func variants(src string) []string {
	out := []string{src}
	lines := strings.Split(src, "\n")
	edits := []func(string) string{
		func(l string) string { return "" }, // drop the line
		func(l string) string { return l + "\nextra = 1" },
		func(l string) string { return strings.Replace(l, `"`, `"X`, 1) },
		func(l string) string { return strings.Replace(l, "[", "[1, ", 1) },
		func(l string) string { return strings.Replace(l, `= "`, `= 7 #"`, 1) },
		func(l string) string { return strings.Replace(l, `= [`, `= [[], `, 1) },
		func(l string) string { return strings.Replace(l, `"A"`, `["A"]`, 1) },
		func(l string) string { return strings.Replace(l, `"easy"`, `""`, 1) },
	}
	for i := range lines {
		for _, e := range edits {
			cp := append([]string(nil), lines...)
			cp[i] = e(cp[i])
			out = append(out, strings.Join(cp, "\n"))
		}
	}
	return out
}

// TestFastAgreesWithFull checks that the fast path and jsonschema/v5 give
// the same verdict on every fixture and on many edits of them.
func TestFastAgreesWithFull(t *testing.T) {
	c, err := bankSchema()
	if err != nil {
		t.Fatal(err)
	}
	if c.fast == nil {
		t.Fatal("the fast path did not compile: a schema keyword it does not support?")
	}
	var files []string
	for _, g := range []string{"../testdata/rules/*.toml", "../testdata/rules/*/*.toml", "../testdata/clean/*.toml", "../questions/*.toml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d fixtures found", len(files))
	}
	checked, invalid := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range variants(string(src)) {
			doc, err := tomltree.Parse([]byte(v))
			if err != nil {
				continue
			}
			full := fullValid(t, doc)
			if fast := c.fast.valid(doc.Root); fast != full {
				t.Fatalf("%s: fast=%v full=%v for:\n%s", f, fast, full, v)
			}
			checked++
			if !full {
				invalid++
			}
		}
	}
	if invalid == 0 || invalid == checked {
		t.Fatalf("variants not varied enough: %d of %d invalid", invalid, checked)
	}
	t.Logf("%d documents checked, %d invalid", checked, invalid)
}

func TestSchemaIsDraft07(t *testing.T) {
	if !strings.Contains(string(BankJSON), `"$schema": "http://json-schema.org/draft-07/schema#"`) {
		t.Fatal("bank schema must declare draft-07 so editors (taplo) can use it")
	}
}

func TestClosestValue(t *testing.T) {
	types := []string{"single", "multiple"}
	expects := []string{"output", "error", "compiles", "value", "none"}
	for _, tt := range []struct {
		v    string
		vals []string
		want string
	}{
		{"multi", types, "multiple"},
		{"Multi", types, "multiple"},
		{"multiple-choice", types, "multiple"},
		{"multiple_choice", types, "multiple"},
		{"singel", types, "single"},
		{"single-choice", types, "single"},
		{"mcq", types, ""},
		{"outputs", expects, "output"},
		{"prints", expects, "output"},
		{"stdout", expects, "output"},
		{"exception", expects, "error"},
		{"raises", expects, "error"},
		{"return", expects, "value"},
		{"compile", expects, "compiles"},
		{"comp", expects, "compiles"},
		{"banana", expects, ""},
	} {
		if got := closestValue(tt.v, tt.vals); got != tt.want {
			t.Errorf("closestValue(%q) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestHints checks the hints of invalid values that nearly fit.
func TestHints(t *testing.T) {
	head := "[bank]\nid = \"b\"\ntitle = \"t\"\n\n[[question]]\nid = \"q\"\ndifficulty = \"easy\"\nprompt = \"p\"\noptions = [\"a\", \"b\", \"c\"]\n"
	for _, tt := range []struct{ src, hint string }{
		{"type = \"multiple\"\nanswer = \"A, B\"\n", `write a list: answer = ["A", "B"]`},
		{"type = \"multiple\"\nanswer = \"A,C\"\n", `write a list: answer = ["A", "C"]`},
		{"type = \"multiple\"\nanswer = \"a and b\"\n", `write a list: answer = ["A", "B"]`},
		{"type = \"multiple\"\nanswer = [\"A, B\"]\n", `one letter per item: answer = ["A", "B"]`},
		{"answer = \"A, B\"\n", `a single-answer question has one key; for several, set type = "multiple" and write a list: answer = ["A", "B"]`},
		{"answer = \"a\"\n", `did you mean "A"?`},
		{"answer = \"Alpha\"\n", `write the option's upper-case letter: "A" for the first option, "B" for the second…`},
		{"type = \"multi\"\nanswer = \"A\"\n", `did you mean "multiple"?`},
		{"answer = \"A\"\n[question.code]\nsource = \"print(1)\"\nexpect = \"outputs\"\n", `did you mean "output"?`},
		{"answer = \"A\"\n[question.code]\nsource = \"print(1)\"\nexpect = \"raises\"\n", `did you mean "error"?`},
	} {
		doc, err := tomltree.Parse([]byte(head + tt.src))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := Check(doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Hint != tt.hint {
			t.Errorf("%q: problems %+v, want one with hint %q", tt.src, ps, tt.hint)
		}
	}
}
