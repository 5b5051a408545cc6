package export

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// XMLForbidden reports whether r can never appear in an XML 1.0 document,
// not even as a character reference.
func XMLForbidden(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20:
		return true
	case r == 0xFFFE || r == 0xFFFF:
		return true
	case r >= 0xD800 && r <= 0xDFFF:
		return true
	}
	return false
}

// CleanXML rewrites what XML forbids in s as visible text: a C0 control
// becomes `\xNN`, U+FFFE and U+FFFF become `\uFFFE` / `\uFFFF`, and a byte
// that is not UTF-8 becomes `\xNN`. It returns s itself and false when
// nothing had to change.
func CleanXML(s string) (string, bool) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || XMLForbidden(r) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case XMLForbidden(r) && r < 0x20:
			fmt.Fprintf(&b, `\x%02x`, r)
		case XMLForbidden(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), true
}
