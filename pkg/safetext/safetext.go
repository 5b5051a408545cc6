// Package safetext renders untrusted bytes (snippet output) so they are safe to show on terminals, in JSON and in CI logs.
//
// Escape keeps printable UTF-8 text (including '\n' and '\t') unchanged and rewrites
// everything that a terminal, a log viewer or a CI runner could interpret:
//
//   - C0 control characters other than '\n' and '\t' become `\xNN` (so ESC becomes
//     the four visible characters `\x1b` and ANSI CSI/OSC sequences become inert);
//     '\r' becomes `\r`, so a snippet cannot overwrite the start of a line.
//   - DEL and the C1 controls U+0080–U+009F become `\u007f`, `\u0085`, ...
//   - Bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)
//     and the Unicode line/paragraph separators U+2028/U+2029 become `\u202e` etc.
//   - Bytes that are not valid UTF-8 become `\xNN` (e.g. `\xff`).
//   - A line whose first non-blank characters are `::` (GitHub Actions workflow
//     commands), `##vso[` or `##[` (Azure Pipelines logging commands) is prefixed
//     with LinePrefix ("| "), so the runner never sees a command at line start.
//     "Blank" is any Unicode white space, since runners trim it before parsing.
//
// The backslash itself is not escaped: the output is meant for humans and logs,
// not to be decoded back. Compare raw bytes, render with Escape.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LinePrefix is put in front of every output line that would otherwise start
// (after white space) with a CI workflow command marker.
const LinePrefix = "| "

// Escape renders b as safe, valid UTF-8 text. See the package documentation.
func Escape(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, b[0])
		case r == '\n' || r == '\t':
			sb.WriteRune(r)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiOrSeparator(r):
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.Write(b[:size])
		}
		b = b[size:]
	}
	out := sb.String()
	if !strings.Contains(out, "::") && !strings.Contains(out, "##") {
		return out
	}
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if isCommandLine(line) {
			lines[i] = LinePrefix + line
		}
	}
	return strings.Join(lines, "\n")
}

// EscapeString is Escape for a string.
func EscapeString(s string) string { return Escape([]byte(s)) }

func isBidiOrSeparator(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func isCommandLine(line string) bool {
	t := strings.TrimLeftFunc(line, func(r rune) bool {
		return unicode.IsSpace(r) || r == 0xfeff || r == 0x200b
	})
	return strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##vso[") || strings.HasPrefix(t, "##[")
}
