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
