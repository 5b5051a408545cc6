package markdown

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func TestBlockAndShort(t *testing.T) {
	tests := []struct {
		name, in, block, short string
	}{
		{"plain", "Hello", "<p>Hello</p>", "Hello"},
		{"escapes html", `<b>x</b> & "y"`, "<p>&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;</p>", "&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;"},
		{"inline code", "run `a < b` now", "<p>run <code>a &lt; b</code> now</p>", "run <code>a &lt; b</code> now"},
		{"double ticks", "``a ` b``", "<p><code>a ` b</code></p>", "<code>a ` b</code>"},
		{"emphasis", "*a* and _b_ and **c** and __d__", "<p><em>a</em> and <em>b</em> and <strong>c</strong> and <strong>d</strong></p>", "<em>a</em> and <em>b</em> and <strong>c</strong> and <strong>d</strong>"},
		{"nested", "**bold *it* x**", "<p><strong>bold <em>it</em> x</strong></p>", "<strong>bold <em>it</em> x</strong>"},
		{"intraword underscore", "snake_case_name", "<p>snake_case_name</p>", "snake_case_name"},
		{"lone star", "2 * 3 = 6", "<p>2 * 3 = 6</p>", "2 * 3 = 6"},
		{"backslash escape", `\*not em\*`, "<p>*not em*</p>", "*not em*"},
		{"unclosed tick", "a ` b", "<p>a ` b</p>", "a ` b"},
		{"paragraphs", "one\n\ntwo", "<p>one</p>\n<p>two</p>", "<p>one</p>\n<p>two</p>"},
		{"soft break", "one\ntwo", "<p>one\ntwo</p>", "one\ntwo"},
		{"fenced", "see:\n```python\nif a < b:\n    print(1)\n```\n", "<p>see:</p>\n<pre><code class=\"language-python\">if a &lt; b:\n    print(1)</code></pre>", "<p>see:</p>\n<pre><code class=\"language-python\">if a &lt; b:\n    print(1)</code></pre>"},
		{"fence keeps markup", "```\n*x* `y`\n```", "<pre><code>*x* `y`</code></pre>", "<pre><code>*x* `y`</code></pre>"},
		{"bullets", "- a\n- *b*\n", "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>", "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>"},
		{"numbered", "1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"},
		{"empty", "", "", ""},
		{"link", "[a](http://x.y/p?q=1&r=2)", `<p><a href="http://x.y/p?q=1&amp;r=2">a</a></p>`, `<a href="http://x.y/p?q=1&amp;r=2">a</a>`},
		{"unsafe link", "[a](javascript:alert(1))", "<p>a</p>", "a"},
		{"image", `![alt *x*](p.png "t")`, `<p><img src="p.png" alt="alt x" /></p>`, `<img src="p.png" alt="alt x" />`},
		{"html block", "<div>\n*x*\n</div>", "<p>&lt;div&gt;\n*x*\n&lt;/div&gt;</p>", "&lt;div&gt;\n*x*\n&lt;/div&gt;"},
		{"entities", "&copy; &amp; &#65; &#1;", "<p>\u00a9 &amp; A \ufffd</p>", "\u00a9 &amp; A \ufffd"},
		{"code keeps spaces", "`a  b` and ` x ` and `  y`", "<p><code>a&#160;&#160;b</code> and <code>x</code> and <code>&#160;&#160;y</code></p>", "<code>a&#160;&#160;b</code> and <code>x</code> and <code>&#160;&#160;y</code>"},
		{"hard break", "a\\\nb", "<p>a<br />\nb</p>", "a<br />\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Block(tt.in); got != tt.block {
				t.Errorf("Block(%q) = %q, want %q", tt.in, got, tt.block)
			}
			if got := Short(tt.in); got != tt.short {
				t.Errorf("Short(%q) = %q, want %q", tt.in, got, tt.short)
			}
		})
	}
}

// wellFormed reports whether rendered HTML parses as XML content.
func wellFormed(out string) error {
	d := xml.NewDecoder(strings.NewReader("<r>" + out + "</r>"))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// TestWellFormed checks that whatever the input, the output parses as XML.
func TestWellFormed(t *testing.T) {
	inputs := []string{
		"*a **b* c**", "``` unclosed\ncode", "- a\n\n1. b\n  cont", "<script>alert(1)</script>",
		"_a_b_ *", "**", "***x***", "`", "a\\", "& &amp; &#1;", "* * *", "__init__ is _special_",
		"&#x1F; &#xFFFF; &#xFFFE; &#0; &#55296; \\&#1;", "<div>\n<script>alert(1)</script>\n</div>",
		"<!-- c --> <?php x ?> <![CDATA[x]]>", "[a](javascript:alert(1)) [b](JAVASCRIPT:x)", "<javascript:alert(1)>",
		"![img](data:text/html,x \"t\")", "[x](http://a.b \"title\") ![i](p.png 'alt')", "<a href=\"javascript:x\">y</a>",
		"# h\n---\n> q\n\n    code", "a  \nb", "`a  b`", "[ref]\n\n[ref]: http://x", "&nbsp;&copy;&NotALegalEntity;",
	}
	for _, in := range inputs {
		for _, out := range []string{Block(in), Short(in)} {
			if err := wellFormed(out); err != nil {
				t.Errorf("%q -> %q: not well-formed: %v", in, out, err)
			}
			for _, bad := range []string{"<script", "<div", "<a href=\"javascript", "<!--", "<?", "<![CDATA", " title=", `href="JAVASCRIPT`, `src="data:text`} {
				if strings.Contains(out, bad) {
					t.Errorf("%q -> %q: %s passed through", in, out, bad)
				}
			}
		}
	}
}

// TestPlainShortcut holds the parser-free path for plain text to what
// goldmark renders, on plain strings and on near misses.
func TestPlainShortcut(t *testing.T) {
	inputs := []string{
		"Nothing", "Hello, world.", "x = 5", "True", "None", "(1, 2)", "{1: 2}", "'abc'", `"a" + "b"`,
		"a-b", "a - b", "a+b", "a | b", "off by 50%", "x$", "user@example.com", "a/b", "x == y?", "f(x) = 2^3",
		"Option B", "It prints 3.", "ValueError: bad", "a.b.c", "(1) first", "Q: why", "one two three",
		"A1B2", "x=1; y=2", "it's", "{'a': [1]}", "[1, 2, 3]", "[[1], [2]]", "[x][y]", "0 1 2", "3.0", "42",
		"3.14", "1, 2", "10 9 8", "-1", "-1.5", "2 4 6 -> Option B", "a > b", "1.5e10", "2)x",
	}
	near := []string{
		"1. x", "- x", "+ x", "# x", "> x", "a  b", " a", "a ", "a\nb", "a*b*c", "__x__", "a_b_c", "[x](y)", "<b>",
		"&amp;", "a\\*b", "`x`", "![i](p)", "~~~", "***", "a\tb", "", "=", "1) x", "3.", "2)", "12. x", "12.",
		"[a]: b", "see [a](b)", "-", "- 1", "--", "-x", "> a", "<a>", "1 < 2", "a_b",
	}
	for _, in := range append(inputs, near...) {
		if !plain(in) {
			continue
		}
		src, doc := parse(in)
		o := newOutput()
		o.render(src, doc)
		if want, got := o.done(), Block(in); got != want {
			t.Errorf("Block(%q) = %q, goldmark renders %q", in, got, want)
		}
	}
	for _, in := range inputs {
		if !plain(in) {
			t.Errorf("%q should take the shortcut", in)
		}
	}
	for _, in := range near {
		if plain(in) {
			t.Errorf("%q should not take the shortcut", in)
		}
	}
}
