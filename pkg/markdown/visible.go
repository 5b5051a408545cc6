package markdown

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Visible is the text a browser shows for a well-formed HTML fragment
// (as this package writes it): whitespace collapsed as CSS's
// white-space: normal does (a run of spaces, tabs and line breaks is one
// space, none at the start or end of a line) except inside <pre>, a line
// break between blocks and at <br>, no-break spaces shown as spaces.
func Visible(fragment string) string {
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	v := &visible{lineStart: true}
	pre := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken: // io.EOF: a strings.Reader fails no other way
			return strings.ReplaceAll(strings.TrimSuffix(v.b.String(), "\n"), "\u00a0", " ")
		case xhtml.TextToken:
			v.text(string(z.Text()), pre > 0)
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Br:
				v.space = false
				v.b.WriteByte('\n')
				v.lineStart = true
			case blocks[a]:
				v.newline()
			}
			switch {
			case a == atom.Pre && tt == xhtml.StartTagToken:
				pre++
			case a == atom.Pre && tt == xhtml.EndTagToken:
				pre--
			}
		}
	}
}

type visible struct {
	b         strings.Builder
	lineStart bool // nothing written on the current line yet
	space     bool // a collapsible space is pending
}

var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Pre: true, atom.Ul: true, atom.Ol: true, atom.Li: true,
	atom.Blockquote: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Hr: true, atom.Table: true, atom.Tr: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
}

func (v *visible) newline() {
	v.space = false
	if !v.lineStart {
		v.b.WriteByte('\n')
		v.lineStart = true
	}
}

func (v *visible) text(s string, pre bool) {
	if pre {
		if s == "" {
			return
		}
		if v.space {
			v.b.WriteByte(' ')
			v.space = false
		}
		v.b.WriteString(s)
		v.lineStart = strings.HasSuffix(s, "\n")
		return
	}
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			if !v.lineStart {
				v.space = true
			}
			continue
		}
		if v.space {
			v.b.WriteByte(' ')
			v.space = false
		}
		v.b.WriteRune(r)
		v.lineStart = false
	}
}

// Option is the HTML of an answer option as the exporters write it.
func Option(s string) string { return Short(s) }

// Seen is what students are shown of an option's Markdown.
type Seen struct {
	// Text is what they see: the option rendered as the exporters do,
	// then read as a browser shows it (Visible).
	Text string
	// Literal is what the author wrote, read literally: the content of
	// code spans and of a code block that is the whole option, everything
	// else as written (line endings "\n", one final newline dropped).
	Literal string
	// Changes names what rendering changed, when Text is not Literal.
	Changes []string
}

// Check renders an option and says whether students will see it as
// written.
func Check(s string) Seen {
	if plain(s) {
		return Seen{Text: s, Literal: s}
	}
	if c, ok := simpleSpan(s); ok {
		return Seen{Text: c, Literal: c} // one plain code span: shown as it is
	}
	src, doc := parse(s)
	if c, ok := wholeCode(src, doc); ok && !strings.Contains(c, "\t") {
		// Code keeps its spaces and line breaks in the exports (a test
		// holds this shortcut to the rendering); only tabs in a code span
		// collapse.
		c = strings.TrimSuffix(c, "\n")
		return Seen{Text: c, Literal: c}
	}
	seen := Seen{Text: Visible(short(src, doc))}
	lit, outside := literal(src, doc)
	seen.Literal = strings.TrimSuffix(lit, "\n")
	if seen.Text == strings.ReplaceAll(seen.Literal, "\u00a0", " ") {
		return seen
	}
	seen.Changes = changes(src, doc, strings.TrimSuffix(outside, "\n"))
	return seen
}

func wholeCode(src []byte, doc ast.Node) (string, bool) {
	first := doc.FirstChild()
	if first == nil || first.NextSibling() != nil {
		return "", false
	}
	switch first.Kind() {
	case ast.KindFencedCodeBlock:
		return codeLines(src, first), true
	case ast.KindParagraph:
		c := first.FirstChild()
		if c != nil && c.NextSibling() == nil && c.Kind() == ast.KindCodeSpan {
			return codeSpanContent(src, c), true
		}
	}
	return "", false
}

// literal is the source with code spans replaced by their content (or
// the content of an option that is wholly code), and the same with code
// removed: the text whose whitespace HTML collapses.
func literal(src []byte, doc ast.Node) (lit, outside string) {
	if c, ok := wholeCode(src, doc); ok {
		return c, ""
	}
	var l, o strings.Builder
	last := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != ast.KindCodeSpan {
			return ast.WalkContinue, nil
		}
		start, end, ok := spanRange(src, n)
		if !ok || start < last {
			return ast.WalkSkipChildren, nil
		}
		l.Write(src[last:start])
		o.Write(src[last:start])
		l.WriteString(codeSpanContent(src, n))
		o.WriteByte(0) // keeps the text on either side apart
		last = end
		return ast.WalkSkipChildren, nil
	})
	l.Write(src[last:])
	o.Write(src[last:])
	return l.String(), o.String()
}

// spanRange finds the backticks around a code span's content.
func spanRange(src []byte, n ast.Node) (start, end int, ok bool) {
	first, ok1 := n.FirstChild().(*ast.Text)
	last, ok2 := n.LastChild().(*ast.Text)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	start, end = first.Segment.Start, last.Segment.Stop
	if start > 0 && src[start-1] != '`' {
		start-- // the space CommonMark strips
	}
	for start > 0 && src[start-1] == '`' {
		start--
	}
	if end < len(src) && src[end] != '`' {
		end++
	}
	for end < len(src) && src[end] == '`' {
		end++
	}
	return start, end, true
}

// changes names what the rendering of an option changed.
// The changes that only resolve characters (see Unescape).
const (
	EscapesRemoved  = "backslash escapes are removed"
	EntitiesDecoded = "HTML entities are decoded"
)

func changes(src []byte, doc ast.Node, outside string) []string {
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Emphasis:
			d := delimiter(src, t)
			if t.Level == 2 {
				add(fmt.Sprintf("%s…%s shows as bold", d+d, d+d))
			} else {
				add(fmt.Sprintf("%s…%s shows as italics", d, d))
			}
		case *ast.Text:
			v := string(t.Segment.Value(src))
			if hasEscape(v) {
				add(EscapesRemoved)
			}
			if strings.Contains(v, "&") && xhtml.UnescapeString(v) != v {
				add(EntitiesDecoded)
			}
			if t.HardLineBreak() {
				add("a line break shows")
			}
		case *ast.CodeSpan:
			if strings.Contains(codeSpanContent(src, t), "\t") {
				add("a tab shows as one space")
			}
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			add("a line starting with # is a heading")
		case *ast.List:
			add("a line starting with -, +, * or a number and a dot is a list")
		case *ast.Blockquote:
			add("a line starting with > is a quote")
		case *ast.ThematicBreak:
			add("a line of -, * or _ is a horizontal rule")
		case *ast.CodeBlock:
			add("four leading spaces make a code block")
		case *ast.FencedCodeBlock:
			add("``` lines are a code block")
		case *ast.Link, *ast.AutoLink:
			add("it is read as a link")
		case *ast.Image:
			add("it is read as an image")
		}
		return ast.WalkContinue, nil
	})
	trimmed := strings.Trim(outside, " \t\n")
	if trimmed != outside {
		add("spaces at the start or end are not shown")
	}
	if strings.Contains(trimmed, "  ") || strings.Contains(trimmed, "\t") {
		add("runs of spaces or tabs show as one space")
	}
	if strings.Contains(trimmed, "\n") {
		add("line breaks show as spaces or paragraphs")
	}
	if len(out) == 0 {
		add("Markdown formatting changes it")
	}
	return out
}

// delimiter is the character of an emphasis: the one just before its
// first text.
func delimiter(src []byte, n ast.Node) string {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok && t.Segment.Start > 0 {
			if d := src[t.Segment.Start-1]; d == '*' || d == '_' {
				return string(d)
			}
			break
		}
	}
	return "*"
}

func hasEscape(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\\' && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\n", s[i+1]) >= 0 {
			return true
		}
	}
	return false
}

// Wrap returns s written so that students see exactly s (one final
// newline aside, as the matcher ignores it): as a code span
// with enough backticks, or, when a code span cannot keep it (line breaks,
// tabs), as a fenced code block; "" when neither can.
func Wrap(s string) string {
	s = strings.TrimSuffix(normalizeNewlines(s), "\n")
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	ticks := strings.Repeat("`", longest+1)
	inner := s
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.Trim(s, " ") != "" {
		inner = " " + s + " "
	}
	for _, w := range []string{ticks + inner + ticks, fenced(s, longest)} {
		if c := Check(w); c.Changes == nil && c.Literal == s {
			return w
		}
	}
	return ""
}

func fenced(s string, longest int) string {
	f := strings.Repeat("`", max(3, longest+1))
	return f + "\n" + s + "\n" + f
}
