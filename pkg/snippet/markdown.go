package snippet

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// The Markdown an option may be wrapped in is read as CommonMark defines
// it (goldmark's parser), never by hand: what a code span or a fence holds
// is what students see.

// md parses options; goldmark's parser is safe for concurrent use.
var md parser.Parser = goldmark.DefaultParser()

// mayBeCode is the cheap test in front of the parser: text that does not
// start with a backtick or "~~~" (after white space) is neither one code
// span nor one fence.
func mayBeCode(s string) bool {
	t := strings.TrimLeft(s, " \t\n")
	return strings.HasPrefix(t, "`") || strings.HasPrefix(t, "~~~")
}

// unwrapCode returns the content of s when s is wholly one code span or
// one fenced code block (content exactly as CommonMark defines it: a code
// span's line endings become spaces and one space is stripped from each
// side when both have one; a fence's lines, each with its line ending),
// and whether it was.
func unwrapCode(s string) (string, bool) {
	if !mayBeCode(s) {
		return s, false
	}
	if inner, ok := simpleSpan(s); ok {
		return inner, true
	}
	src := []byte(s)
	doc := md.Parse(text.NewReader(src))
	block := doc.FirstChild()
	if block == nil || block.NextSibling() != nil {
		return s, false
	}
	switch b := block.(type) {
	case *ast.FencedCodeBlock:
		var sb strings.Builder
		for i := 0; i < b.Lines().Len(); i++ {
			l := b.Lines().At(i)
			sb.WriteString(strings.Repeat(" ", l.Padding))
			sb.Write(l.Value(src))
		}
		return sb.String(), true
	case *ast.Paragraph:
		span, ok := b.FirstChild().(*ast.CodeSpan)
		if !ok || span.NextSibling() != nil {
			return s, false
		}
		return codeSpanText(span, src), true
	}
	return s, false
}

// simpleSpan is the common case without the parser: s is "`…`" with no
// other backtick, no control character (tabs, line endings, NUL) and no
// white space outside. Its content is
// CommonMark's: one space is stripped from each side when both sides have
// one and it is not all spaces. TestSimpleSpan checks it against goldmark.
func simpleSpan(s string) (string, bool) {
	if len(s) < 3 || s[0] != '`' || s[len(s)-1] != '`' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	for i := 0; i < len(inner); i++ {
		if c := inner[i]; c == '`' || c < 0x20 || c == 0x7f {
			return "", false
		}
	}
	if len(inner) >= 2 && inner[0] == ' ' && inner[len(inner)-1] == ' ' && strings.Trim(inner, " ") != "" {
		inner = inner[1 : len(inner)-1]
	}
	return inner, true
}

// codeSpanText is a code span's content as a renderer shows it.
func codeSpanText(n *ast.CodeSpan, src []byte) string {
	var sb strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			continue
		}
		v := t.Segment.Value(src)
		if len(v) > 0 && v[len(v)-1] == '\n' {
			sb.Write(v[:len(v)-1])
			sb.WriteByte(' ')
		} else {
			sb.Write(v)
		}
	}
	return sb.String()
}

// joiners are the words that may join code spans that stand for several
// printed lines: "`3` and `4`", "`a`, then `b`".
var joiners = map[string]bool{"and": true, "then": true, "followed": true, "by": true}

// joinedSpans returns, for text that is two or more code spans joined only
// by joiner words and punctuation ("`3` and `4`", "`a`, then `b`",
// "`x` → `y`"), the spans' contents one per line, and whether it was such
// text.
func joinedSpans(s string) (string, bool) {
	if strings.Count(s, "`") < 4 {
		return "", false
	}
	src := []byte(s)
	doc := md.Parse(text.NewReader(src))
	p, ok := doc.FirstChild().(*ast.Paragraph)
	if !ok || p.NextSibling() != nil {
		return "", false
	}
	var spans []string
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.CodeSpan:
			spans = append(spans, codeSpanText(n, src))
		case *ast.Text:
			if !onlyJoiners(string(n.Segment.Value(src))) {
				return "", false
			}
		default:
			return "", false
		}
	}
	if len(spans) < 2 {
		return "", false
	}
	return strings.Join(spans, "\n"), true
}

// onlyJoiners reports whether s holds nothing but joiner words,
// punctuation and white space.
func onlyJoiners(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r > 0x7f && !isArrowOrDash(r))
	}) {
		if !joiners[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// isArrowOrDash reports the non-ASCII punctuation that may join code spans.
func isArrowOrDash(r rune) bool {
	return r >= 0x2190 && r <= 0x21ff || r == '–' || r == '—' || r == '…' || r == '⏎' || r == '·'
}
