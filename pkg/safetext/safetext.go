// Package safetext renders untrusted text (snippet output, bank strings,
// file names) so that it is safe to show on terminals, in CI logs and in
// the values of JSON and XML reports. It is the one escaping function of
// qbank's output: pkg/report applies it to every user-derived string before
// any format writes it.
//
// Escape (and EscapeString) keep printable UTF-8 text, '\n' and '\t'
// unchanged and rewrite everything that a terminal, a log viewer or a CI
// runner could interpret, as visible text:
//
//   - C0 control characters other than '\n' and '\t' become `\xNN` (so ESC becomes
//     the four visible characters `\x1b` and ANSI CSI/OSC sequences become inert);
//     '\r' becomes `\r`, so the text cannot overwrite the start of a line.
//   - DEL and the C1 controls U+0080–U+009F (CSI, NEL, …) become `\u007f`, `\u0085`, ...
//   - Bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
//     the Unicode line/paragraph separators U+2028/U+2029 and the
//     noncharacters U+FFFE/U+FFFF (not allowed in XML) become `\u202e` etc.
//   - Bytes that are not valid UTF-8 become `\xNN` (e.g. `\xff`).
//   - `##[` and `##vso[` (any case) become `##\x5b` and `##vso\x5b` wherever
//     they are: the Azure Pipelines agent finds `##vso[` logging commands
//     anywhere in a line, and GitHub's runner still reads its legacy `##[`
//     commands anywhere in a line too.
//   - A line whose first non-blank characters are `::` (GitHub Actions workflow
//     commands) is prefixed with LinePrefix ("| "), so the runner never sees a
//     command at line start. "Blank" is any Unicode white space (and U+FEFF,
//     U+200B), since runners trim it before parsing.
//
// Other invisible format characters (zero-width space and joiners, U+FEFF,
// tag characters) are kept: they neither move the cursor, nor reorder text,
// nor end a line.
//
// Line is the same for text that must stay on one line (a report headline, a
// GitHub annotation): '\n' and '\t' become `\n` and `\t` too.
//
// The result never contains a character that Escape or Line would rewrite,
// and both are idempotent: escaping escaped text changes nothing, so a
// string may safely pass through them twice. The backslash itself is not
// escaped: the output is meant for humans and logs, not to be decoded back.
// Compare raw bytes, render with Escape.
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

// Escape renders b as safe, valid UTF-8 text that may span lines. See the
// package documentation.
func Escape(b []byte) string { return render(string(b), false) }

// EscapeString is Escape for a string.
func EscapeString(s string) string { return render(s, false) }

// Line renders s as safe, valid UTF-8 text on one line: as EscapeString,
// and '\n' and '\t' become `\n` and `\t`.
func Line(s string) string { return render(s, true) }

// plain reports whether s is printable ASCII (and, unless oneLine, '\n'
// and '\t') without a ':' or '#' pair: text render returns unchanged.
func plain(s string, oneLine bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			if (c == ':' || c == '#') && i+1 < len(s) && s[i+1] == c {
				return false
			}
		case (c == '\n' || c == '\t') && !oneLine:
		default:
			return false
		}
	}
	return true
}

func render(b string, oneLine bool) string {
	if plain(b, oneLine) {
		return b
	}
	var sb strings.Builder
	sb.Grow(len(b) + 16)
	for len(b) > 0 {
		r, size := utf8.DecodeRuneInString(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, b[0])
		case r == '\n' && oneLine:
			sb.WriteString(`\n`)
		case r == '\t' && oneLine:
			sb.WriteString(`\t`)
		case r == '\n' || r == '\t':
			sb.WriteRune(r)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteString(b[:size])
		}
		b = b[size:]
	}
	out := sb.String()
	if !strings.Contains(out, "::") && !strings.Contains(out, "##") {
		return out
	}
	return GuardLines(out, nil)
}

// defuse rewrites the '[' of every "##[" and "##vso[" (any case) as `\x5b`.
func defuse(s string) string {
	if !strings.Contains(s, "##") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "##")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		n := 0 // length of the marker before its '['
		switch rest := s[i+2:]; {
		case strings.HasPrefix(rest, "["):
			n = 2
		case len(rest) >= 4 && strings.EqualFold(rest[:3], "vso") && rest[3] == '[':
			n = 5
		}
		if n == 0 {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i+n])
		b.WriteString(`\x5b`)
		s = s[i+n+1:]
	}
}

// Unsafe reports whether r is a character that Escape rewrites although it
// is valid UTF-8 and not a C0 control: DEL, a C1 control, a bidirectional
// control, U+2028/U+2029 or U+FFFE/U+FFFF.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	case r == 0xfffe, r == 0xffff:
		return true
	}
	return false
}

// IsCommandLine reports whether a CI runner could read line as a command:
// whether, after blanks (and ANSI SGR colour sequences, which qbank's own
// coloured output may put first), it starts with "::", "##vso[" or "##[".
func IsCommandLine(line string) bool {
	for {
		t := strings.TrimLeftFunc(line, func(r rune) bool {
			return unicode.IsSpace(r) || r == 0xfeff || r == 0x200b
		})
		if rest, ok := skipSGR(t); ok {
			line = rest
			continue
		}
		return strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##vso[") || strings.HasPrefix(t, "##[")
	}
}

// skipSGR strips one leading "ESC [ digits/semicolons m" sequence.
func skipSGR(s string) (string, bool) {
	if !strings.HasPrefix(s, "\x1b[") {
		return s, false
	}
	i := 2
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == ';') {
		i++
	}
	if i < len(s) && s[i] == 'm' {
		return s[i+1:], true
	}
	return s, false
}

// GuardLines makes text that is already free of control characters safe
// for a CI log, line by line: it rewrites every "##[" and "##vso[" as
// Escape does, and prefixes with LinePrefix every line that IsCommandLine,
// except those that allow accepts (a format's own workflow commands); allow
// may be nil.
func GuardLines(s string, allow func(line string) bool) string {
	s = defuse(s)
	if !strings.Contains(s, "::") {
		return s
	}
	lines := strings.Split(s, "\n")
	changed := false
	for i, line := range lines {
		if IsCommandLine(line) && (allow == nil || !allow(line)) {
			lines[i] = LinePrefix + line
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "\n")
}
