package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/qbank-dev/qbank/pkg/suggest"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// Suppression comments.
//
//	answer = "E"  # qbank:ignore QB301 -- the options are added by the exporter
//
//	# qbank:ignore answer-letter, QB303 -- kept wrong on purpose for the quiz on keys
//	answer = ["E", "E"]
//
// A directive at the end of a line covers that line; a directive alone on
// its line covers the next line that is not itself a comment. When the
// covered line starts a value that spans lines (a multi-line array such as
// `options = [`, an inline table, a multi-line string), the directive
// covers every line of that value too: findings on an option's own line,
// or on a snippet's line. It silences
// the named rules (codes or names, comma-separated) for findings that start
// on the covered line. The reason after "--" is required. A directive that
// is malformed silences nothing and is reported; one that silences nothing
// is reported too, so stale suppressions do not pile up.

// DirectivePrefix starts every qbank comment directive.
const DirectivePrefix = "qbank:"

// Directive is one `# qbank:ignore` comment.
type Directive struct {
	File *File
	// Line is the comment's line; Target the line it covers, and TargetEnd
	// the last line of a value that starts on Target and spans lines
	// (Target when it does not).
	Line, Target, TargetEnd int
	// Start and End are the comment's byte range.
	Start, End int
	// Codes are the rules as written, with their byte ranges; Rules the
	// rules they name (nil when unknown).
	Codes []DirectiveCode
	// Reason is the text after "--".
	Reason string
	// Problem says why the directive is malformed; "" when it is not.
	Problem string
	// ProblemSpan is where the problem is.
	ProblemSpan Span
}

// DirectiveCode is one rule named by a directive.
type DirectiveCode struct {
	Text string
	Span Span
	Rule *Rule
	used bool
}

var directiveRe = regexp.MustCompile(`^#\s*qbank:([A-Za-z-]*)`)

// ParseDirectives finds the qbank directives in a file's comments, naming
// rules from rules.
func ParseDirectives(f *File, rules []*Rule) []*Directive {
	if f.Doc == nil || len(f.Doc.Comments) == 0 {
		return nil
	}
	comments := slices.Clone(f.Doc.Comments)
	slices.SortFunc(comments, func(a, b tomltree.Comment) int { return a.Start - b.Start })

	// Lines that hold nothing but a comment.
	commentOnly := map[int]bool{}
	for _, c := range comments {
		if lineBlankBefore(f.Doc.Src, c.Start) {
			commentOnly[f.Position(c.Start).Line] = true
		}
	}
	var out []*Directive
	for _, c := range comments {
		m := directiveRe.FindStringSubmatchIndex(c.Text)
		if m == nil {
			continue
		}
		line := f.Position(c.Start).Line
		d := &Directive{File: f, Line: line, Target: line, Start: c.Start, End: c.End}
		if lineBlankBefore(f.Doc.Src, c.Start) {
			d.Target = line + 1
			for commentOnly[d.Target] {
				d.Target++
			}
		}
		d.TargetEnd = valueEndLine(f, d.Target)
		word := c.Text[m[2]:m[3]]
		if word != "ignore" {
			d.Problem = fmt.Sprintf("unknown directive %q: the directive is qbank:ignore", DirectivePrefix+word)
			d.ProblemSpan = Span{c.Start, c.Start + m[1]}
			out = append(out, d)
			continue
		}
		rest := c.Text[m[1]:]
		restOff := c.Start + m[1]
		codesPart, reason, hasReason := strings.Cut(rest, "--")
		d.Reason = strings.TrimSpace(reason)
		off := restOff
		for _, part := range strings.Split(codesPart, ",") {
			text := strings.TrimSpace(part)
			lead := len(part) - len(strings.TrimLeft(part, " \t"))
			span := Span{off + lead, off + lead + len(text)}
			off += len(part) + 1
			if text == "" {
				continue
			}
			dc := DirectiveCode{Text: text, Span: span, Rule: findRule(rules, text)}
			switch {
			case d.Problem != "":
			case strings.ContainsAny(text, " \t"):
				d.Problem = fmt.Sprintf("rules in qbank:ignore are separated by commas, not spaces: %q", text)
				d.ProblemSpan = span
			case dc.Rule == nil:
				d.Problem = fmt.Sprintf("unknown rule %q in qbank:ignore%s", text, ruleSuggestion(rules, text))
				d.ProblemSpan = span
			}
			d.Codes = append(d.Codes, dc)
		}
		switch {
		case d.Problem != "":
		case len(d.Codes) == 0:
			d.Problem = "qbank:ignore names no rule: write # qbank:ignore CODE -- reason"
			d.ProblemSpan = Span{c.Start, c.End}
		case !hasReason || d.Reason == "":
			d.Problem = "qbank:ignore needs a reason: write # qbank:ignore " + joinCodes(d.Codes) + " -- why this is fine"
			d.ProblemSpan = Span{c.Start, c.End}
		}
		out = append(out, d)
	}
	return out
}

func joinCodes(cs []DirectiveCode) string {
	var ts []string
	for _, c := range cs {
		ts = append(ts, c.Text)
	}
	return strings.Join(ts, ", ")
}

// valueEndLine returns the last line of the value of a `key = value` that
// starts on line, when the value is an array, an inline table or a
// multi-line string; else line.
func valueEndLine(f *File, line int) int {
	src := f.Doc.Src
	start, end := f.Doc.LineOffset(line)
	i := start
	// The key: bare, quoted or dotted, up to "=".
	for i < end && src[i] != '=' {
		switch src[i] {
		case '#', '[':
			return line // a comment or a table header
		case '"', '\'':
			i = skipString(src, i)
			continue
		}
		i++
	}
	if i >= end {
		return line
	}
	i++
	for i < end && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i >= end {
		return line
	}
	switch {
	case src[i] == '[' || src[i] == '{':
		i = skipBrackets(src, i)
	case src[i] == '"' || src[i] == '\'':
		i = skipString(src, i)
	default:
		return line
	}
	return max(line, f.Position(max(i-1, start)).Line)
}

// skipBrackets returns the offset just after the bracket that closes the
// one at i, skipping strings and comments; len(src) when none does.
func skipBrackets(src []byte, i int) int {
	depth := 0
	for i < len(src) {
		switch src[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"', '\'':
			i = skipString(src, i)
			continue
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		i++
	}
	return len(src)
}

// skipString returns the offset just after the TOML string that starts at
// i (basic or literal, single- or multi-line); len(src) when it is not
// closed.
func skipString(src []byte, i int) int {
	q := src[i]
	delim := []byte{q}
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		delim = []byte{q, q, q}
	}
	j := i + len(delim)
	for j < len(src) {
		switch {
		case q == '"' && src[j] == '\\':
			j += 2
			continue
		case len(delim) == 1 && src[j] == '\n':
			return j // an unclosed one-line string ends with its line
		case bytes.HasPrefix(src[j:], delim):
			n := len(delim)
			for len(delim) == 3 && n < 5 && j+n < len(src) && src[j+n] == q {
				n++ // up to two quotes of the content may precede the closing three
			}
			return j + n
		}
		j++
	}
	return len(src)
}

// lineBlankBefore reports whether only spaces and tabs precede off on its line.
func lineBlankBefore(src []byte, off int) bool {
	for i := off - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' && src[i] != '\r' {
			return false
		}
	}
	return true
}

func findRule(rules []*Rule, codeOrName string) *Rule {
	for _, r := range rules {
		if strings.EqualFold(r.Code, codeOrName) || strings.EqualFold(r.Name, codeOrName) {
			return r
		}
	}
	return nil
}

func ruleSuggestion(rules []*Rule, word string) string {
	var ws []string
	for _, r := range rules {
		ws = append(ws, r.Code, r.Name)
	}
	if g := suggest.Closest(word, ws); g != "" {
		return fmt.Sprintf("; did you mean %q?", g)
	}
	return ""
}

// SuppressOptions configure Suppress.
type SuppressOptions struct {
	// Rules are every known rule, to resolve codes and names.
	Rules []*Rule
	// Unused reports a directive, or one rule of it, that silenced nothing.
	Unused *Rule
	// Invalid reports a malformed directive.
	Invalid *Rule
	Config  *Config
}

// Suppress applies the qbank:ignore directives of res.Files: it removes the
// diagnostics they silence from res.Diagnostics, adds a diagnostic for each
// malformed directive and each rule of a directive that silenced nothing,
// and returns the silenced diagnostics.
//
// A rule that is off is not reported as unused: its directive would be
// needed again when the rule is turned back on.
func Suppress(res *Result, opts SuppressOptions) []Diagnostic {
	cfg := opts.Config
	if cfg == nil {
		cfg = DefaultConfig()
	}
	type key struct {
		file string
		line int
	}
	byLine := map[key][]*Directive{}
	var all []*Directive
	for _, f := range res.Files {
		for _, d := range ParseDirectives(f, opts.Rules) {
			all = append(all, d)
			if d.Problem == "" {
				for line := d.Target; line <= d.TargetEnd; line++ {
					k := key{f.Path, line}
					byLine[k] = append(byLine[k], d)
				}
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	var kept, silenced []Diagnostic
	for _, dg := range res.Diagnostics {
		hit := false
		for _, d := range byLine[key{dg.File, dg.Line}] {
			for i := range d.Codes {
				if d.Codes[i].Rule.Code == dg.Code {
					d.Codes[i].used = true
					hit = true
				}
			}
		}
		if hit {
			silenced = append(silenced, dg)
		} else {
			kept = append(kept, dg)
		}
	}
	for _, d := range all {
		if d.Problem != "" {
			if r := opts.Invalid; r != nil && cfg.SeverityOf(r) != Off {
				kept = append(kept, place(r, cfg.SeverityOf(r), d.File, Finding{Span: d.ProblemSpan, Message: d.Problem,
					Hint: "a suppression is # qbank:ignore CODE[,CODE] -- reason, at the end of the line or on the line above"}))
			}
			continue
		}
		r := opts.Unused
		if r == nil || cfg.SeverityOf(r) == Off {
			continue
		}
		for _, c := range d.Codes {
			if c.used || cfg.SeverityOf(c.Rule) == Off {
				continue
			}
			kept = append(kept, place(r, cfg.SeverityOf(r), d.File, Finding{Span: c.Span,
				Message: fmt.Sprintf("qbank:ignore %s silences nothing: line %d has no %s %s finding", c.Text, d.Target, c.Rule.Code, c.Rule.Name),
				Hint:    "remove the suppression (or this rule from it) now that the finding is gone"}))
		}
	}
	Sort(kept)
	res.Diagnostics = kept
	return silenced
}
