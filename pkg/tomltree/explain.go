package tomltree

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// explain rewrites a parser error where the parser's own words mislead: an
// unclosed multi-line string is reported where it opens (the parser stops
// at the end of the file), and a bare word where a value belongs gets a
// hint to quote it.
func explain(src []byte, se *SyntaxError) {
	switch {
	case strings.HasPrefix(se.Msg, "multiline literal string not terminated"):
		unclosed(src, se, "'''", "multi-line literal string")
	case strings.HasPrefix(se.Msg, "multiline basic string not terminated"):
		unclosed(src, se, `"""`, "multi-line string")
	case swallowed(src, se):
	case strings.HasSuffix(se.Msg, "at start of value"), se.Msg == "strings must be quoted":
		unquoted(src, se)
	}
}

// unclosed points an unterminated multi-line string's error at its opening
// delimiter: the string runs to the end of the file, so it holds no
// delimiter, and the last one in the file opened it.
func unclosed(src []byte, se *SyntaxError, delim, what string) {
	end := min(se.Start, len(src))
	i := bytes.LastIndex(src[:end], []byte(delim))
	for i > 0 && delim == `"""` && escaped(src, i) {
		i = bytes.LastIndex(src[:i], []byte(delim))
	}
	if i < 0 {
		return
	}
	for i > 0 && src[i-1] == delim[0] {
		i-- // the opening delimiter is the first three of a run of quotes
	}
	se.Start, se.End = i, i+len(delim)
	se.Msg = fmt.Sprintf("%s opened here is never closed: it runs to the end of the file", what)
	se.Hint = fmt.Sprintf("close it with %s on the line where the text ends", delim)
}

// escaped reports whether the byte at i is escaped by a backslash.
func escaped(src []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && src[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

var keyBeforeRe = regexp.MustCompile(`^\s*((?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=\s*$`)

// unquoted turns "unexpected character 'e' at start of value" for
// `difficulty = easy"` into a hint to quote the value.
func unquoted(src []byte, se *SyntaxError) {
	start := se.Start
	if start >= len(src) {
		return
	}
	// The value runs to the end of the line, or of the array item or
	// inline-table value it sits in; a comment ends it.
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	lineEnd := len(src)
	if j := bytes.IndexByte(src[start:], '\n'); j >= 0 {
		lineEnd = start + j
	}
	// Move back over quotes or letters typed before the error's position.
	for start > lineStart && isWordByte(src[start-1]) {
		start--
	}
	before := string(src[lineStart:start])
	var key string
	inline := false
	if m := keyBeforeRe.FindStringSubmatch(before); m != nil {
		key = m[1]
		if i := strings.LastIndexAny(key, "{,"); i >= 0 {
			key = strings.TrimSpace(key[i+1:])
		}
	} else {
		trimmed := strings.TrimRight(before, " \t")
		if trimmed != "" && !strings.HasSuffix(trimmed, "[") && !strings.HasSuffix(trimmed, ",") && !strings.HasSuffix(trimmed, "=") {
			return
		}
		inline = true
		if strings.HasSuffix(trimmed, "=") {
			// k = v inside an inline table: the key is the word before.
			if m := regexp.MustCompile(`([A-Za-z0-9_-]+)\s*=$`).FindStringSubmatch(trimmed); m != nil {
				key = m[1]
			}
		}
	}
	rest := string(src[start:lineEnd])
	if i := strings.Index(rest, " #"); i >= 0 {
		rest = rest[:i]
	}
	if inline {
		if i := strings.IndexAny(rest, ",]}"); i >= 0 {
			rest = rest[:i]
		}
	}
	text := strings.TrimSpace(rest)
	// A stray quote at either end (`easy"`) goes; balanced ones stay.
	for _, q := range []string{`"`, "'"} {
		if strings.Count(text, q)%2 == 1 {
			if strings.HasSuffix(text, q) {
				text = strings.TrimSuffix(text, q)
			} else if strings.HasPrefix(text, q) {
				text = strings.TrimPrefix(text, q)
			}
		}
	}
	text = strings.TrimSpace(text)
	if text == "" || strings.ContainsAny(text, "[]{}") {
		return
	}
	se.Start, se.End = start, start+len(strings.TrimRight(rest, " \t\r"))
	se.Msg = "a text value must be quoted"
	quoted := tomlQuote(text)
	if key != "" {
		se.Hint = fmt.Sprintf("quote it: %s = %s", key, quoted)
	} else {
		se.Hint = "quote it: " + quoted
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '"' || c == '\''
}

// tomlQuote writes s as a TOML string: basic when it can be, literal when
// it holds a quote but no apostrophe.
func tomlQuote(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// mlString is a multi-line string literal found by scanMultiline: the
// offsets of its opening and closing delimiters.
type mlString struct {
	open, close int
	delim       string
}

// scanMultiline finds the multi-line strings that close before end, the
// way a TOML lexer would: comments and one-line strings are skipped.
func scanMultiline(src []byte, end int) []mlString {
	var out []mlString
	for i := 0; i < end && i < len(src); {
		c := src[i]
		switch {
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case bytes.HasPrefix(src[i:], []byte("'''")) || bytes.HasPrefix(src[i:], []byte(`"""`)):
			delim := string(src[i : i+3])
			j := i + 3
			for {
				k := bytes.Index(src[j:], []byte(delim))
				if k < 0 {
					return out
				}
				j += k
				if delim == `"""` && escaped(src, j) {
					j++
					continue
				}
				break
			}
			run := 3
			for j+run < len(src) && src[j+run] == delim[0] {
				run++
			}
			j += min(run-3, 2) // up to two quotes before the closing delimiter are text
			out = append(out, mlString{open: i, close: j, delim: delim})
			i = j + 3
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if c == '"' && src[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
		default:
			i++
		}
	}
	return out
}

var (
	tomlLineRe   = regexp.MustCompile(`(?m)^\s*(?:\[\[?[A-Za-z0-9_."' -]+\]\]?\s*(?:#.*)?|[A-Za-z0-9_-]+\s*=\s*(?:["'\[{]|true\b|false\b|\d).*)$`)
	keyEqualsRe  = regexp.MustCompile(`^\s*[A-Za-z0-9_."'-]+\s*=\s*$`)
	lineOfOffset = func(src []byte, off int) int { return bytes.Count(src[:off], []byte("\n")) + 1 }
)

// swallowed points an error that follows a multi-line string which took in
// TOML (its closing delimiter opens the next string, as in source = …) at
// where that string opened: it was never closed where its text ends.
func swallowed(src []byte, se *SyntaxError) bool {
	ms := scanMultiline(src, se.Start)
	if len(ms) == 0 {
		return false
	}
	m := ms[len(ms)-1]
	lineStart := bytes.LastIndexByte(src[:m.close], '\n') + 1
	if !keyEqualsRe.Match(src[lineStart:m.close]) {
		return false // its closing delimiter is not where a value starts
	}
	if !tomlLineRe.Match(src[m.open+3 : lineStart]) {
		return false // no TOML inside it
	}
	what := "multi-line string"
	if m.delim == "'''" {
		what = "multi-line literal string"
	}
	se.Start, se.End = m.open, m.open+3
	se.Msg = fmt.Sprintf("%s opened here is not closed where its text ends: the %s at line %d closes it, so the TOML between is read as text", what, m.delim, lineOfOffset(src, m.close))
	se.Hint = fmt.Sprintf("close it with %s on the line where the text ends", m.delim)
	return true
}
