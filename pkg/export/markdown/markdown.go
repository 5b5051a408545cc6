// Package markdown renders the small Markdown subset question banks use into
// safe, well-formed HTML (also well-formed XML, so QTI can embed it):
// paragraphs, fenced code blocks, bullet and numbered lists, inline code,
// emphasis and strong emphasis, backslash escapes. Everything else is text:
// every '<', '>' and '&' of the source is escaped, so raw HTML in a bank is
// shown, never interpreted.
//
// Only the entities &amp; &lt; &gt; and &quot; are written, so the output is
// valid XML without a DTD.
package markdown

import (
	"strings"
)

// Block renders s as block HTML: every paragraph in <p>.
func Block(s string) string {
	var b strings.Builder
	renderBlocks(&b, s, false)
	return b.String()
}

// Short renders s like Block, but text that is a single paragraph comes
// out without its <p>, for options and feedback that sit inline.
func Short(s string) string {
	var b strings.Builder
	renderBlocks(&b, s, true)
	return b.String()
}

// Code renders source as a preformatted code block.
func Code(source, language string) string {
	var b strings.Builder
	writeCode(&b, strings.TrimSuffix(source, "\n"), language)
	return b.String()
}

// Escape escapes text for an HTML or XML text node or attribute.
func Escape(s string) string {
	var b strings.Builder
	escapeTo(&b, s)
	return b.String()
}

func escapeTo(b *strings.Builder, s string) {
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

func writeCode(b *strings.Builder, code, language string) {
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

type block struct {
	kind  int // paragraph, code, bullet list, numbered list
	lines []string
	lang  string
	items [][]string // list items, each a list of lines
	start string     // first number of a numbered list
}

const (
	kPara = iota
	kCode
	kUL
	kOL
)

func renderBlocks(b *strings.Builder, s string, short bool) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	blocks := parseBlocks(strings.Split(s, "\n"))
	if short && len(blocks) == 1 && blocks[0].kind == kPara {
		inline(b, strings.Join(blocks[0].lines, "\n"))
		return
	}
	for i, bl := range blocks {
		if i > 0 {
			b.WriteString("\n")
		}
		switch bl.kind {
		case kPara:
			b.WriteString("<p>")
			inline(b, strings.Join(bl.lines, "\n"))
			b.WriteString("</p>")
		case kCode:
			writeCode(b, strings.Join(bl.lines, "\n"), bl.lang)
		case kUL, kOL:
			tag := "ul"
			if bl.kind == kOL {
				tag = "ol"
			}
			b.WriteString("<" + tag + ">")
			for _, it := range bl.items {
				b.WriteString("<li>")
				inline(b, strings.Join(it, "\n"))
				b.WriteString("</li>")
			}
			b.WriteString("</" + tag + ">")
		}
	}
}

// fence returns the fence marker and info string of an opening fence line.
func fence(line string) (marker, info string, ok bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return "", "", false
	}
	for _, ch := range []string{"```", "~~~"} {
		if strings.HasPrefix(t, ch) {
			n := len(t) - len(strings.TrimLeft(t, ch[:1]))
			info = strings.TrimSpace(t[n:])
			if ch == "```" && strings.Contains(info, "`") {
				return "", "", false
			}
			if f := strings.Fields(info); len(f) > 0 {
				info = f[0]
			} else {
				info = ""
			}
			return strings.Repeat(ch[:1], n), info, true
		}
	}
	return "", "", false
}

// listItem returns the kind and the content of a list item line.
func listItem(line string) (kind int, content, num string, ok bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || t == "" {
		return 0, "", "", false
	}
	if (t[0] == '-' || t[0] == '*' || t[0] == '+') && len(t) > 1 && (t[1] == ' ' || t[1] == '\t') {
		return kUL, strings.TrimSpace(t[2:]), "", true
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && (t[i+1] == ' ' || t[i+1] == '\t') {
		return kOL, strings.TrimSpace(t[i+2:]), t[:i], true
	}
	return 0, "", "", false
}

func parseBlocks(lines []string) []block {
	var out []block
	var cur *block
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if marker, info, ok := fence(line); ok {
			flush()
			bl := block{kind: kCode, lang: info}
			indent := len(line) - len(strings.TrimLeft(line, " "))
			for i++; i < len(lines); i++ {
				t := strings.TrimSpace(lines[i])
				if strings.HasPrefix(t, marker) && strings.Trim(t, marker[:1]) == "" {
					break
				}
				l := lines[i]
				for k := 0; k < indent && strings.HasPrefix(l, " "); k++ {
					l = l[1:]
				}
				bl.lines = append(bl.lines, l)
			}
			out = append(out, bl)
			continue
		}
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if kind, content, num, ok := listItem(line); ok {
			if cur == nil || cur.kind != kind {
				flush()
				cur = &block{kind: kind, start: num}
			}
			cur.items = append(cur.items, []string{content})
			continue
		}
		if cur != nil && (cur.kind == kUL || cur.kind == kOL) {
			// A continuation line of the last item.
			last := len(cur.items) - 1
			cur.items[last] = append(cur.items[last], strings.TrimSpace(line))
			continue
		}
		if cur == nil {
			cur = &block{kind: kPara}
		}
		cur.lines = append(cur.lines, strings.TrimSpace(line))
	}
	flush()
	return out
}

func isPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// inline renders code spans, emphasis and escapes; the rest is text.
func inline(b *strings.Builder, s string) {
	text := 0 // start of pending plain text
	flushText := func(end int) {
		escapeTo(b, s[text:end])
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			flushText(i)
			escapeTo(b, s[i+1:i+2])
			i += 2
			text = i
			continue
		case c == '`':
			n := run(s, i, '`')
			if end := closingTicks(s, i+n, n); end >= 0 {
				flushText(i)
				code := s[i+n : end]
				code = strings.ReplaceAll(code, "\n", " ")
				if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
					code = code[1 : len(code)-1]
				}
				b.WriteString("<code>")
				escapeTo(b, code)
				b.WriteString("</code>")
				i = end + n
				text = i
				continue
			}
			i += n
			continue
		case c == '*' || c == '_':
			n := run(s, i, c)
			if n > 3 {
				i += n
				continue
			}
			width := n
			if width == 3 {
				width = 2 // ***x*** is read as <strong>*x*</strong>
			}
			if end := closingEmph(s, i, width, c); end >= 0 {
				flushText(i)
				tag := "em"
				if width == 2 {
					tag = "strong"
				}
				b.WriteString("<" + tag + ">")
				inline(b, s[i+width:end])
				b.WriteString("</" + tag + ">")
				i = end + width
				text = i
				continue
			}
			i += n
			continue
		}
		i++
	}
	flushText(len(s))
}

func run(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// closingTicks finds a run of exactly n backticks at or after i.
func closingTicks(s string, i, n int) int {
	for i < len(s) {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			return -1
		}
		j += i
		m := run(s, j, '`')
		if m == n {
			return j
		}
		i = j + m
	}
	return -1
}

// closingEmph finds the delimiter closing an emphasis opened at i with
// width characters c, or -1. The opener must be followed by non-space; the
// closer preceded by non-space; '_' does not open or close inside a word.
func closingEmph(s string, i, width int, c byte) int {
	open := i + width
	if open >= len(s) || isSpace(s[open]) {
		return -1
	}
	if c == '_' && i > 0 && isAlnum(s[i-1]) {
		return -1
	}
	for j := open + 1; j+width <= len(s); j++ {
		if s[j] == '`' { // skip code spans: their content is not markup
			n := run(s, j, '`')
			if end := closingTicks(s, j+n, n); end >= 0 {
				j = end + n - 1
				continue
			}
			j += n - 1
			continue
		}
		if s[j] == '\\' {
			j++
			continue
		}
		if s[j] != c || isSpace(s[j-1]) {
			continue
		}
		n := run(s, j, c)
		if n < width {
			j += n - 1
			continue
		}
		if width == 1 && n == 2 {
			j++ // a ** inside *...* belongs to a nested strong
			continue
		}
		if c == '_' && j+n < len(s) && isAlnum(s[j+n]) {
			j += n - 1
			continue
		}
		return j
	}
	return -1
}
