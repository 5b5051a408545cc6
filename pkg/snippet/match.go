package snippet

import (
	"strings"
	"unicode"
)

// How an option is compared with what a snippet really did. There are
// three levels:
//
//  1. Exact, after normalisation: Markdown wrapping is removed (a code
//     fence around the option, or backticks around all of it), line endings
//     become "\n", and every run of whitespace — spaces, tabs, newlines —
//     becomes one space, with none at either end. So an option that writes
//     three printed lines on one line ("0 1 2") matches. This passes.
//  2. Loose: besides, backticks and quotes anywhere are ignored, commas and
//     semicolons count as spaces (so "[1,3,4,5]" matches "[1, 3, 4, 5]"
//     and "`Setup`, `Using resource`, `Cleanup`" matches three printed
//     lines), and a full stop at the very end is ignored. This is a
//     warning that names what differed.
//  3. Anything else: a mismatch, an error.

// Level is how closely an option matched.
type Level int

// The match levels.
const (
	NoMatch Level = iota
	Loose
	Exact
)

// Normalize applies the level-1 normalisation to text.
func Normalize(s string) string {
	s = unwrapMarkdown(s)
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\r\n", "\n")), " ")
}

// unwrapMarkdown removes a code fence around the whole text, or backticks
// around the whole text.
func unwrapMarkdown(s string) string {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "```") && strings.HasSuffix(t, "```") && len(t) >= 6 {
		inner := t[3 : len(t)-3]
		if nl := strings.IndexByte(inner, '\n'); nl >= 0 {
			inner = inner[nl+1:] // drop the info string ("```python")
		}
		return inner
	}
	for _, fence := range []string{"``", "`"} {
		if strings.HasPrefix(t, fence) && strings.HasSuffix(t, fence) && len(t) > 2*len(fence) &&
			!strings.Contains(t[len(fence):len(t)-len(fence)], "`") {
			return t[len(fence) : len(t)-len(fence)]
		}
	}
	return s
}

// looseTokens applies the level-2 normalisation and splits into tokens.
func looseTokens(s string) []string {
	s = strings.TrimSpace(unwrapMarkdown(s))
	s = strings.TrimSuffix(s, ".")
	return strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == '`' || r == '\'' || r == '"'
	})
}

// Compare says how well an option's text matches the real output.
func Compare(option, actual string) Level {
	if Normalize(option) == Normalize(actual) {
		return Exact
	}
	a, b := looseTokens(option), looseTokens(actual)
	if len(a) != len(b) || len(a) == 0 && Normalize(option) != "" {
		return NoMatch
	}
	for i := range a {
		if a[i] != b[i] {
			return NoMatch
		}
	}
	return Loose
}

// Difference names what a loose match ignored, for the warning.
func Difference(option, actual string) string {
	o, a := unwrapMarkdown(option), actual
	var what []string
	has := func(s, chars string) bool { return strings.ContainsAny(s, chars) }
	if has(o, "`") != has(a, "`") || strings.Count(o, "`") != strings.Count(a, "`") {
		what = append(what, "backticks")
	}
	if strings.Count(o, "'")+strings.Count(o, `"`) != strings.Count(a, "'")+strings.Count(a, `"`) {
		what = append(what, "quotes")
	}
	if strings.Count(o, ",")+strings.Count(o, ";") != strings.Count(a, ",")+strings.Count(a, ";") {
		what = append(what, "commas or semicolons")
	}
	if strings.HasSuffix(strings.TrimSpace(o), ".") != strings.HasSuffix(strings.TrimSpace(a), ".") {
		what = append(what, "a final full stop")
	}
	if len(what) == 0 {
		what = append(what, "spacing around punctuation")
	}
	return strings.Join(what, ", ")
}
