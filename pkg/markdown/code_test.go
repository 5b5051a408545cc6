package markdown

import (
	"slices"
	"testing"

	"github.com/yuin/goldmark/ast"
)

// parsedSpan is goldmark's reading of in when it is one code span.
func parsedSpan(t *testing.T, in string) (string, bool) {
	t.Helper()
	src, doc := parse(in)
	p := doc.FirstChild()
	if p == nil || p.Kind() != ast.KindParagraph || p.NextSibling() != nil {
		return "", false
	}
	span := p.FirstChild()
	if span == nil || span.Kind() != ast.KindCodeSpan || span.NextSibling() != nil {
		return "", false
	}
	return codeSpanContent(src, span), true
}

// TestSimpleSpan checks the parser-free path of WholeCode against goldmark
// on the inputs it takes, and that it declines the others.
func TestSimpleSpan(t *testing.T) {
	inputs := []string{"`x`", "` x `", "`  x  `", "`   `", "` `", "` x`", "`x `", "`a b`", "`<b>`", "`*a*`", "`\\n`", "`&amp;`", "`é`", "`__main__`", "`a  b`", "`[1, 2]`"}
	for _, in := range inputs {
		fast, ok := simpleSpan(in)
		if !ok {
			t.Errorf("simpleSpan(%q) declined", in)
			continue
		}
		slow, ok := parsedSpan(t, in)
		if !ok || slow != fast {
			t.Errorf("simpleSpan(%q) = %q, goldmark %q (one span: %v)", in, fast, slow, ok)
		}
	}
	for _, in := range []string{"``", "`a`b`", " `a`", "`a` ", "`a\nb`", "``a``", "`a"} {
		if _, ok := simpleSpan(in); ok {
			t.Errorf("simpleSpan(%q) took it", in)
		}
	}
}

// FuzzSimpleSpan: whenever the parser-free path takes an option, goldmark
// reads it as one code span with the same content.
func FuzzSimpleSpan(f *testing.F) {
	for _, s := range []string{"`x`", "` x `", "`  `", "`a\tb`", "`<>`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fast, ok := simpleSpan(in)
		if !ok {
			return
		}
		if slow, ok := parsedSpan(t, in); !ok || slow != fast {
			t.Fatalf("simpleSpan(%q) = %q, goldmark %q (one span: %v)", in, fast, slow, ok)
		}
	})
}

func TestWholeCode(t *testing.T) {
	tests := []struct {
		in      string
		content string
		line    int
		ok      bool
	}{
		{"`x`", "x", 0, true},
		{"``a`b``", "a`b", 0, true},
		{"` a `", "a", 0, true},
		{"`a\nb`", "a b", 0, true}, // a code span's line ending is a space
		{"```\n0\n1\n```", "0\n1", 1, true},
		{"```python\nprint(1)\n```", "print(1)", 1, true},
		{"\n\n```\nx = 1\ny = 2\n```", "x = 1\ny = 2", 3, true},
		{"~~~\na  b\n~~~", "a  b", 1, true},
		{"`a` and `b`", "", 0, false},
		{"x", "", 0, false},
		{"*`x`*", "", 0, false},
		{"    indented", "", 0, false},
	}
	for _, tt := range tests {
		c, line, ok := WholeCode(tt.in)
		if c != tt.content || line != tt.line || ok != tt.ok {
			t.Errorf("WholeCode(%q) = %q, %d, %v; want %q, %d, %v", tt.in, c, line, ok, tt.content, tt.line, tt.ok)
		}
	}
}

func TestInline(t *testing.T) {
	parts, ok := Inline("`3` and `4`")
	want := []Part{{Code: true, Text: "3"}, {Text: " and "}, {Code: true, Text: "4"}}
	if !ok || !slices.Equal(parts, want) {
		t.Errorf("Inline = %v, %v; want %v", parts, ok, want)
	}
	for _, in := range []string{"*a* and `b`", "`a`\n\n`b`", "- `a`"} {
		if _, ok := Inline(in); ok {
			t.Errorf("Inline(%q) took it", in)
		}
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`my\_var`:             "my_var",
		`\_\_main\_\_`:        "__main__",
		"&lt;class 'int'&gt;": "<class 'int'>",
		"a &amp; b":           "a & b",
		"&#65;":               "A",
		`a\\b`:                `a\b`,        // an escaped backslash is one backslash
		"`my\\_var`":          "`my\\_var`", // code keeps its backslashes
		"hi   ":               "hi   ",
		"C:\\new":             "C:\\new", // a backslash before a letter is no escape
	} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
