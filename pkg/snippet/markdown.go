package snippet

import (
	"strings"

	"github.com/qbank-dev/qbank/pkg/markdown"
)

// The Markdown an option may be wrapped in is read by package markdown, as
// CommonMark defines it (goldmark's parser), never by hand: what a code
// span or a fence holds is what students see.

// unwrapCode returns the content of s when s is wholly one code span or
// one fenced code block (markdown.WholeCode), and whether it was.
func unwrapCode(s string) (string, bool) {
	if c, _, ok := markdown.WholeCode(s); ok {
		return c, true
	}
	return spanPerLine(s)
}

// spanPerLine returns the contents of text whose every line is wholly one
// code span ("`1`⏎`2`": one printed line each), a line per line, and
// whether it was such text.
func spanPerLine(s string) (string, bool) {
	if !strings.Contains(s, "\n") || !strings.HasPrefix(strings.TrimSpace(s), "`") {
		return s, false
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		c, _, ok := markdown.WholeCode(strings.TrimSpace(l))
		if !ok || strings.Contains(c, "\n") {
			return s, false
		}
		lines[i] = c
	}
	return strings.Join(lines, "\n"), true
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
	parts, ok := markdown.Inline(s)
	if !ok {
		return "", false
	}
	var spans []string
	for _, p := range parts {
		switch {
		case p.Code:
			spans = append(spans, p.Text)
		case !onlyJoiners(p.Text):
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
