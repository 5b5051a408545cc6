// Package markdown renders the Markdown of question banks (CommonMark, by
// github.com/yuin/goldmark) into safe, well-formed HTML that is also
// well-formed XML, so QTI can embed it, and says what students will see of
// it (Visible, Check).
//
// The guarantees, whatever the input:
//   - raw HTML in a bank is shown, never interpreted: inline HTML and HTML
//     blocks are written as escaped text;
//   - only the entities &amp; &lt; &gt; &quot; and numeric references are
//     written (XHTML mode, entities of the source decoded), so the output is
//     valid XML without a DTD; a numeric reference to a character XML
//     forbids becomes U+FFFD (such characters written literally in a bank
//     pass through, for the exporters to show as visible escapes);
//   - links and images keep only safe URLs (no javascript:, vbscript:,
//     file: or non-image data: URLs) and only the attributes QTI 2.1's
//     XHTML subset allows (href; src and alt);
//   - whitespace in code is kept in every target: fenced and indented code
//     is <pre>, and in a code span the spaces that HTML would collapse or
//     drop (runs, and a space at either end) are written as &#160;, since
//     QTI has no style attribute for white-space: pre;
//   - the same input gives the same bytes.
package markdown

import (
	"bufio"
	"bytes"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// md is the one converter: CommonMark, XHTML, with the safe renderers of
// this package in front of goldmark's own.
var md = goldmark.New(
	goldmark.WithRendererOptions(
		html.WithXHTML(),
		html.WithWriter(xmlWriter{}),
		renderer.WithNodeRenderers(util.Prioritized(safeRenderer{}, 100)),
	),
)

// parse parses s (line endings made "\n") and returns the source bytes
// and the document.
func parse(s string) ([]byte, ast.Node) {
	src := []byte(normalizeNewlines(s))
	return src, md.Parser().Parse(text.NewReader(src))
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// output is a buffer with the buffered writer goldmark writes to (it
// would allocate a 4 KiB one per call otherwise), pooled.
type output struct {
	b bytes.Buffer
	w *bufio.Writer
}

var outputs = sync.Pool{New: func() any {
	o := &output{}
	o.w = bufio.NewWriterSize(&o.b, 1024)
	return o
}}

func newOutput() *output { return outputs.Get().(*output) }

// done returns what was written and puts o back in the pool.
func (o *output) done() string {
	_ = o.w.Flush()
	s := strings.TrimRight(o.b.String(), "\n")
	o.b.Reset()
	outputs.Put(o)
	return s
}

func (o *output) render(src []byte, n ast.Node) {
	// Rendering into a bytes.Buffer does not fail.
	_ = md.Renderer().Render(o.w, src, n)
}

// plain reports whether s is one line of text that CommonMark renders as
// it is (escaped): letters, digits, single spaces inside, and punctuation
// that starts no Markdown construct where it stands — no list marker, no
// link, no reference definition. Most options and many prompts are plain;
// they skip the parser (a test holds the shortcut to goldmark's output).
func plain(s string) bool {
	if s == "" || s[len(s)-1] == ' ' || strings.Contains(s, "](") {
		return false
	}
	switch c := s[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '(', c == '{', c == '\'', c == '"':
	case c == '[':
		if strings.Contains(s, "]:") { // a link reference definition
			return false
		}
	case c == '-':
		if len(s) < 2 || s[1] < '0' || s[1] > '9' { // a list item or a rule
			return false
		}
	case c >= '0' && c <= '9':
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n < len(s) && (s[n] == '.' || s[n] == ')') && (n+1 == len(s) || s[n+1] == ' ') { // "1." "2) x"
			return false
		}
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == ' ':
			if s[i-1] == ' ' {
				return false
			}
		case strings.IndexByte(",.;:?'\"(){}[]/=%$@^|+->", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Block renders s as block HTML: every paragraph in <p>.
func Block(s string) string {
	if plain(s) {
		return "<p>" + Escape(s) + "</p>"
	}
	src, doc := parse(s)
	o := newOutput()
	o.render(src, doc)
	return o.done()
}

// Short renders s like Block, but text that is a single paragraph comes
// out without its <p>, for options and feedback that sit inline.
func Short(s string) string {
	if plain(s) {
		return Escape(s)
	}
	src, doc := parse(s)
	return short(src, doc)
}

func short(src []byte, doc ast.Node) string {
	o := newOutput()
	first := doc.FirstChild()
	switch {
	case first != nil && first.NextSibling() == nil && first.Kind() == ast.KindParagraph:
		for c := first.FirstChild(); c != nil; c = c.NextSibling() {
			o.render(src, c)
		}
	case first != nil && first.NextSibling() == nil && first.Kind() == ast.KindHTMLBlock:
		writeHTMLBlock(o.w, src, first.(*ast.HTMLBlock))
	default:
		o.render(src, doc)
	}
	return o.done()
}

// Code renders source as a preformatted code block.
func Code(source, language string) string {
	var b bytes.Buffer
	writeCode(&b, strings.TrimSuffix(source, "\n"), language)
	return b.String()
}

// Escape escapes text for an HTML or XML text node or attribute.
func Escape(s string) string {
	var b bytes.Buffer
	escapeTo(&b, s)
	return b.String()
}

func escapeTo(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&quot;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

func writeCode(b *bytes.Buffer, code, language string) {
	b.WriteString("<pre><code")
	if language != "" {
		b.WriteString(` class="language-`)
		escapeTo(b, language)
		b.WriteString(`"`)
	}
	b.WriteString(">")
	escapeTo(b, code)
	b.WriteString("</code></pre>")
}
