package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// What an option wrapped in Markdown code holds, read as CommonMark
// defines it (goldmark's parser), never by hand: the matcher compares it
// with program output, the snippet runner runs it as code, and the
// exports show it.

// WholeCode returns the content of s when s is wholly one code span or one
// fenced code block, as CommonMark defines it — a code span's line endings
// become spaces and one space is stripped from each side when both have
// one; a fence's lines, each with its line ending except the last — with
// the 0-based line of s on which that content starts, and whether s was
// such text.
func WholeCode(s string) (content string, line int, ok bool) {
	if !mayBeCode(s) {
		return "", 0, false
	}
	if inner, ok := simpleSpan(s); ok {
		return inner, 0, true
	}
	src, doc := parse(s)
	c, ok := wholeCode(src, doc)
	if !ok {
		return "", 0, false
	}
	if f := doc.FirstChild(); f.Kind() == ast.KindFencedCodeBlock && f.Lines().Len() > 0 {
		line = strings.Count(string(src[:f.Lines().At(0).Start]), "\n")
	}
	return c, line, true
}

// mayBeCode is the cheap test in front of the parser: text that does not
// start with a backtick or "~~~" (after white space) is neither one code
// span nor one fence.
func mayBeCode(s string) bool {
	t := strings.TrimLeft(s, " \t\r\n")
	return strings.HasPrefix(t, "`") || strings.HasPrefix(t, "~~~")
}

// simpleSpan is the common case without the parser: s is "`…`" with no
// other backtick, no control character (tabs, line endings, NUL) and no
// white space outside. Its content is CommonMark's: one space is stripped
// from each side when both sides have one and it is not all spaces.
// TestSimpleSpan and FuzzSimpleSpan check it against goldmark.
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

// Part is a piece of one paragraph of inline Markdown: a code span's
// content, or the text between code spans.
type Part struct {
	Code bool
	Text string
}

// Inline splits s into its code spans and the text between them, when s
// is one paragraph made only of text and code spans (no emphasis, links or
// other inline markup); ok is false otherwise.
func Inline(s string) (parts []Part, ok bool) {
	src, doc := parse(s)
	p := doc.FirstChild()
	if p == nil || p.Kind() != ast.KindParagraph || p.NextSibling() != nil {
		return nil, false
	}
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.CodeSpan:
			parts = append(parts, Part{Code: true, Text: codeSpanContent(src, n)})
		case *ast.Text:
			parts = append(parts, Part{Text: string(n.Segment.Value(src))})
		default:
			return nil, false
		}
	}
	return parts, true
}

// Unescape is text as students see its characters: backslash escapes of
// punctuation removed and HTML entities decoded (goldmark's own routines,
// as CommonMark defines them), white space untouched. Text with a code
// span is returned as it is: inside code nothing is unescaped.
func Unescape(s string) string {
	if !strings.ContainsAny(s, "\\&") || strings.Contains(s, "`") {
		return s
	}
	return string(util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames([]byte(s)))))
}
