package testtool

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qbank-dev/qbank/pkg/safetext"
)

// sgr is an ANSI colour sequence, as qbank's own coloured output writes.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// LogUnsafe says why output meant for a terminal or a CI log could drive
// one, or returns "" when it cannot: invalid UTF-8; a control character
// other than the newline, a C1 control, a bidi control or a line separator
// (qbank's own colour sequences are removed first when color is set); an
// Azure logging command (##vso[ or ##[) anywhere; or a line that starts,
// after blanks, with "::" — a GitHub workflow command — unless annotations
// is set and the line starts with it in its first column (the github
// format's own annotations, which the caller checks further).
func LogUnsafe(text string, color, annotations bool) string {
	if color {
		text = sgr.ReplaceAllString(text, "")
	}
	if !utf8.ValidString(text) {
		return fmt.Sprintf("output is not valid UTF-8: %q", text)
	}
	for _, r := range text {
		if r < 0x20 && r != '\n' || r >= 0x20 && safetext.Unsafe(r) {
			return fmt.Sprintf("output holds %U: %q", r, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if l := strings.ToLower(line); strings.Contains(l, "##vso[") || strings.Contains(l, "##[") {
			return fmt.Sprintf("a CI runner reads a logging command in %q", line)
		}
		trimmed := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r == 0xfeff || r == 0x200b })
		if strings.HasPrefix(trimmed, "::") && !(annotations && trimmed == line) {
			return fmt.Sprintf("line starts a workflow command: %q", line)
		}
	}
	return ""
}
