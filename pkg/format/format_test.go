package format

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestGolden(t *testing.T) {
	in, err := os.ReadFile("../../testdata/format/messy.toml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Source(in)
	if err != nil {
		t.Fatal(err)
	}
	testtool.Golden(t, "../../testdata/format/messy.golden.toml", got, *update)
}

func TestCases(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"spaces around =", "a=1\nb  =   2\n", "a = 1\nb = 2\n"},
		{"indentation", "[t]\n  a = 1\n", "[t]\na = 1\n"},
		{"trailing blanks", "a = 1   \n", "a = 1\n"},
		{"final newline", "a = 1", "a = 1\n"},
		{"many final newlines", "a = 1\n\n\n", "a = 1\n"},
		{"blank runs", "a = 1\n\n\n\nb = 2\n", "a = 1\n\nb = 2\n"},
		{"blank before header", "a = 1\n[t]\nb = 2\n", "a = 1\n\n[t]\nb = 2\n"},
		{"comment stays on its header", "a = 1\n# about t\n[t]\n", "a = 1\n\n# about t\n[t]\n"},
		{"multi-line string untouched", "s = '''\n  x   \n\n\n  y\n'''\n", "s = '''\n  x   \n\n\n  y\n'''\n"},
		{"basic multi-line untouched", "s = \"\"\"\n[[question]]\n  k=v  \n\"\"\"\n", "s = \"\"\"\n[[question]]\n  k=v  \n\"\"\"\n"},
		{"array continuation kept", "a = [\n    1,\n    2,\n]\n", "a = [\n    1,\n    2,\n]\n"},
		{"crlf kept", "a=1\r\n[t]\r\nb=2", "a = 1\r\n\r\n[t]\r\nb = 2\r\n"},
		{"leading blank lines", "\n\n# c\na = 1\n", "# c\na = 1\n"},
		{"dotted keys", "a.b=1\n", "a.b = 1\n"},
		{"string with equals", "a = \"x = y\"\n", "a = \"x = y\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Source([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			again, err := Source(got)
			if err != nil || !bytes.Equal(again, got) {
				t.Errorf("not idempotent: %q then %q (%v)", got, again, err)
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	if _, err := Source([]byte("a = [")); err == nil || errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v, want a syntax error", err)
	}
}

// TestProjectFiles formats every bank of the project and every fixture
// that parses: each result is idempotent (Source checks the data itself).
func TestProjectFiles(t *testing.T) {
	var files []string
	for _, g := range []string{"../../questions/*.toml", "../../testdata/*/*.toml", "../../testdata/*/*/*.toml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		src, _ := os.ReadFile(f)
		out, err := Source(src)
		if err != nil {
			if errors.Is(err, ErrChanged) {
				t.Errorf("%s: %v", f, err)
			}
			continue
		}
		n++
		if again, err := Source(out); err != nil || !bytes.Equal(again, out) {
			t.Errorf("%s: not idempotent", f)
		}
	}
	if n < 20 {
		t.Fatalf("only %d files formatted", n)
	}
}

// FuzzSource: formatting never changes the data (Source would report
// ErrChanged) and is idempotent.
func FuzzSource(f *testing.F) {
	for _, s := range []string{
		"a=1\n[t]\n  b = 'x'   \n", "s = '''\n  x  \n'''\n", "a = [\n 1, # c\n]\n[[q]]\nid=1\n",
		"# c\n\n\n[t]\n", "x = { a=1, b = [ 1,2 ] }\r\n", "a.b.c = \"\"\"\nq\n\"\"\"   # t  \n",
	} {
		f.Add([]byte(s))
	}
	if src, err := os.ReadFile("../../testdata/format/messy.toml"); err == nil {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Source(src)
		if err != nil {
			if errors.Is(err, ErrChanged) {
				t.Fatalf("formatting changed the data of %q", src)
			}
			return
		}
		again, err := Source(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n%q\n%q\n%q (%v)", src, out, again, err)
		}
		if strings.Count(string(out), "\n") == 0 && len(out) > 0 {
			t.Fatalf("no final newline: %q", out)
		}
	})
}
