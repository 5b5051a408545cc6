package markdown

import (
	"slices"
	"strings"
	"testing"
)

// TestCheck: realistic options, compared with program output, that
// students see as written (changes empty) or not (changes named).
func TestCheck(t *testing.T) {
	tests := []struct {
		option, seen string
		change       string // a substring of one change; "" when shown as written
	}{
		// Shown as written.
		{"[1, 2]", "[1, 2]", ""},
		{"[1, [2, 3]]", "[1, [2, 3]]", ""},
		{"(1, 2)", "(1, 2)", ""},
		{"{'a': 1}", "{'a': 1}", ""},
		{"<class 'int'>", "<class 'int'>", ""},
		{"<function f at 0x1>", "<function f at 0x1>", ""},
		{"<b>bold</b>", "<b>bold</b>", ""},
		{"3.0", "3.0", ""},
		{"None", "None", ""},
		{"'abc'", "'abc'", ""},
		{`"abc"`, `"abc"`, ""},
		{"True", "True", ""},
		{"2 * 3 = 6", "2 * 3 = 6", ""},
		{"a_b_c", "a_b_c", ""},
		{"*args", "*args", ""},
		{"**kwargs", "**kwargs", ""},
		{"x = 5", "x = 5", ""},
		{"-1", "-1", ""},
		{"1.5e-05", "1.5e-05", ""},
		{"C:\\temp", "C:\\temp", ""},
		{"\\n", "\\n", ""},
		{"a & b", "a & b", ""},
		{"`__main__`", "__main__", ""},
		{"`a*b*c`", "a*b*c", ""},
		{"`|  hi  |`", "|  hi  |", ""},
		{"`  hi  `", " hi ", ""},
		{"`hi   `", "hi   ", ""},
		{"``a ` b``", "a ` b", ""},
		{"`3` and `4`", "3 and 4", ""},
		{"```\n  1\n    2\n```", "  1\n    2", ""},
		{"```python\nprint( 'x' )\n```\n", "print( 'x' )", ""},
		{"0 1 2\n", "0 1 2", ""},
		// Changed by Markdown or by HTML.
		{"__main__", "main", "__…__ shows as bold"},
		{"__init__.py", "init.py", "bold"},
		{"a*b*c", "abc", "*…* shows as italics"},
		{"_private_", "private", "_…_ shows as italics"},
		{"2*3*4", "234", "italics"},
		{"**kwargs**", "kwargs", "**…** shows as bold"},
		{"|  hi  |", "| hi |", "runs of spaces"},
		{"'a  b'", "'a b'", "runs of spaces"},
		{"x\ty", "x y", "runs of spaces or tabs"},
		{"hi   ", "hi", "spaces at the start or end"},
		{"   hi", "hi", "spaces at the start or end"},
		{"1\n2\n3", "1 2 3", "line breaks"},
		{"a\n\nb", "a\nb", "line breaks"},
		{`\d+\.\d+`, `\d+.\d+`, "backslash escapes"},
		{`a\_b`, "a_b", "backslash escapes"},
		{"&lt;b&gt;", "<b>", "entities"},
		{"&amp;", "&", "entities"},
		{"# TODO", "TODO", "heading"},
		{"## 2", "2", "heading"},
		{"- eggs", "eggs", "list"},
		{"1. first", "first", "list"},
		{"> quoted", "quoted", "quote"},
		{"---", "", "horizontal rule"},
		{"    indented", "indented", "code block"},
		{"[1](2)", "1", "link"},
		{"<https://example.com>", "https://example.com", "link"},
		{"`a\tb`", "a b", "tab"},
	}
	for _, tt := range tests {
		t.Run(tt.option, func(t *testing.T) {
			got := Check(tt.option)
			if got.Text != tt.seen {
				t.Errorf("Check(%q).Text = %q, want %q", tt.option, got.Text, tt.seen)
			}
			if tt.change == "" {
				if got.Changes != nil {
					t.Errorf("Check(%q) changes %q, want none (seen %q, literal %q)", tt.option, got.Changes, got.Text, got.Literal)
				}
				return
			}
			if !slices.ContainsFunc(got.Changes, func(c string) bool { return strings.Contains(c, tt.change) }) {
				t.Errorf("Check(%q) changes %q, want one with %q", tt.option, got.Changes, tt.change)
			}
			// The suggested rewrite is shown exactly as the literal text.
			w := Wrap(got.Literal)
			if w == "" {
				t.Fatalf("Wrap(%q) found no rewrite", got.Literal)
			}
			if c := Check(w); c.Changes != nil || c.Text != got.Literal {
				t.Errorf("Wrap(%q) = %q, which shows %q (changes %q)", got.Literal, w, c.Text, c.Changes)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct{ in, want string }{
		{"__main__", "`__main__`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
		{" hi ", "`  hi  `"},
		{"hi ", "`hi `"},
		{"1\n2", "```\n1\n2\n```"},
		{"a\tb", "```\na\tb\n```"},
		{"```", "```` ``` ````"},
	}
	for _, tt := range tests {
		if got := Wrap(tt.in); got != tt.want {
			t.Errorf("Wrap(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWholeCodeContent(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"`x`", "x", true},
		{"` x `", "x", true},
		{"`  x  `", " x ", true},
		{"``a ` b``", "a ` b", true},
		{"`a\nb`", "a b", true},
		{"```\n a\n```", " a", true},
		{"~~~py\nx\n~~~\n", "x", true},
		{"`a` b", "", false},
		{"x", "", false},
		{"```\na\n```\nmore", "", false},
	}
	for _, tt := range tests {
		got, _, ok := WholeCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("WholeCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestVisible(t *testing.T) {
	tests := []struct{ html, want string }{
		{"a  b", "a b"},
		{"  a\n b  ", "a b"},
		{"<code>a&#160;&#160;b</code>", "a  b"},
		{"<p>one</p>\n<p>two</p>", "one\ntwo"},
		{"<pre><code>  a\n\tb</code></pre>", "  a\n\tb"},
		{"x <em> y </em> z", "x y z"},
		{"a<br />b", "a\nb"},
		{"<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "a\nb"},
		{"&lt;b&gt; &amp;", "<b> &"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Visible(tt.html); got != tt.want {
			t.Errorf("Visible(%q) = %q, want %q", tt.html, got, tt.want)
		}
	}
}

// TestCheckShortcuts holds Check's shortcuts (plain text, an option that is
// wholly code) to the full path: rendered as the exporters do, then read
// as a browser shows it.
func TestCheckShortcuts(t *testing.T) {
	inputs := []string{
		"Nothing", "It is number 1", "[1, 2]", "0 1 2", "-1", "x = 5",
		"`0`", "`12`", "`  hi  `", "`hi   `", "` x`", "``a ` b``", "`a\nb`", "`a  \n  b`", "`__main__`", "`<b>&amp;</b>`",
		"```\n  1\n\t2\n```", "```py\nprint( 'x' )\n```\n", "~~~\n\n  a  \n\n~~~", "```\n```",
	}
	for _, in := range inputs {
		got := Check(in)
		if want := Visible(Option(in)); got.Text != want {
			t.Errorf("Check(%q).Text = %q, but the rendering %q shows %q", in, got.Text, Option(in), want)
		}
		src, doc := parse(in)
		lit, _ := literal(src, doc)
		if want := strings.TrimSuffix(lit, "\n"); got.Literal != want {
			t.Errorf("Check(%q).Literal = %q, want %q", in, got.Literal, want)
		}
	}
}
