package snippet

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qbank-dev/qbank/pkg/markdown"
)

// How an option (or output = '''…''') is compared with what a snippet
// really did. There are three levels, from the strictest:
//
//  1. Exact: line endings become "\n", one final newline is ignored, and
//     an option that is wholly one Markdown code span or one fenced code
//     block stands for its content (as CommonMark defines it). Nothing
//     else: spaces, blank lines and case all count.
//  2. Normal: as exact, and every run of white space (spaces, tabs,
//     newlines) counts as one space, with none at either end. So an option
//     that writes three printed lines on one line ("0 1 2") matches.
//     Between the two, an option that keeps the printed lines and differs
//     only in spaces within them (trailing spaces left by end=" ", runs of
//     spaces) matches at the level Lines: a normal match that outranks one
//     that joins or splits lines, so "0 1 2" for the "0 1 2 " printed by
//     print(i, end=" ") is the answer and "0\n1\n2" is not. A `match`
//     setting of "normal" allows it.
//  3. Loose: besides, backticks and quotes (straight or curly) anywhere
//     are ignored, commas and semicolons count as spaces ("[1,3]" for
//     "[1, 3]"; "`Setup`, `Run`" for two printed lines), a full stop at
//     the very end is ignored, spaces next to brackets, parentheses and
//     braces are ignored ("[ 1, [ ] ]" for "[1, []]"), and two or more
//     code spans joined only by "and", "then", "followed by" or
//     punctuation stand for one printed line each ("`3` and `4`", "`a`,
//     then `b`", "`x` → `y`"). An option that describes the output in
//     words ("It prints 5", "The output is 5") matches too, and so does a
//     printed type's bare name ("float" for <class 'float'>). Within this
//     level, an option that differs only in the spaces next to commas,
//     colons and brackets, or in curly quotes ("['a','b']" or "[‘a’, ‘b’]"
//     for "['a', 'b']"), matches at the level Spacing, which outranks the
//     other loose matches: "['a','b','c']" is the answer for the printed
//     "['a', 'b', 'c']", not "['a b c']".
//
// A phrase that says nothing is printed ("Nothing is printed.", "(no
// output)") matches a snippet that printed nothing at all at the normal
// level.
//
// An option is compared both as written and as students see its
// characters (backslash escapes and HTML entities resolved: "my\_var" is
// "my_var"); the closer match counts.
//
// Case never folds, at any level. Judge gives the verdict over a
// question's options: the strictest level at which any option matches
// decides; see Judgement.

// Level is how closely an option matched: the higher, the stricter.
type Level int

// The match levels, from no match to the strictest.
const (
	NoMatch Level = iota
	Loose
	Spacing
	Normal
	Lines
	Exact
)

var levelNames = [...]string{NoMatch: "none", Loose: "loose", Spacing: "spacing", Normal: "normal", Lines: "lines", Exact: "exact"}

// String is the level's name: "exact", "lines", "normal", "spacing",
// "loose" or "none" (as `match` in a bank and `qbank run --format json`
// spell it; `match` has no "lines" or "spacing": "normal" allows lines,
// "loose" allows spacing).
func (l Level) String() string { return levelNames[l] }

// Setting is the name of the `match` setting a level falls under: Lines
// is a normal match and Spacing a loose one; the others are their names.
func (l Level) Setting() string {
	switch l {
	case Lines:
		return Normal.String()
	case Spacing:
		return Loose.String()
	}
	return l.String()
}

// ParseLevel reads a `match` setting ("exact", "normal" or "loose"); any
// other text, and "", give Loose, the default.
func ParseLevel(s string) Level {
	switch s {
	case "exact":
		return Exact
	case "normal":
		return Normal
	}
	return Loose
}

// ExactForm is text as the exact level compares it, for an option: line
// endings made "\n", a wrapping code span or fence unwrapped, one final
// newline dropped. Two options with the same exact form cannot be told
// apart by any level.
func ExactForm(option string) string {
	s := lineEnds(option)
	if inner, ok := unwrapCode(s); ok {
		s = inner
	}
	return strings.TrimSuffix(s, "\n")
}

// outputForm is program output as the exact level compares it: it is
// never unwrapped.
func outputForm(actual string) string { return strings.TrimSuffix(lineEnds(actual), "\n") }

// lineEnds makes every line ending "\n".
func lineEnds(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// Normalize is an option's text as the normal level compares it: its
// exact form with every run of white space made one space, and none at
// either end.
func Normalize(option string) string { return collapse(ExactForm(option)) }

func collapse(s string) string {
	if !needsCollapse(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = b.Len() > 0
		} else {
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i : i+size]) // bytes as they are, valid or not
		}
		i += size
	}
	return b.String()
}

// needsCollapse reports whether s has white space other than single
// spaces between words.
func needsCollapse(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return true
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c >= 0x80:
			return true // >= 0x80: Unicode white space is possible
		}
	}
	return false
}

// looseTokens is text as the loose level compares it: its tokens. An
// option wholly in a code span or fence is unwrapped; program output never
// is (its backticks are dropped with the rest).
func looseTokens(s string, option bool) []string {
	s = lineEnds(s)
	if option {
		if inner, ok := unwrapCode(s); ok {
			s = inner
		}
	}
	return tokens(s)
}

// joinedTokens are the loose tokens of an option written as code spans
// joined by words ("`3` and `4`" for two printed lines), or nil.
func joinedTokens(option string) []string {
	joined, ok := joinedSpans(lineEnds(option))
	if !ok {
		return nil
	}
	return tokens(joined)
}

// tokens splits text for the loose level: white space, commas, semicolons,
// backticks and quotes separate tokens, and each bracket, parenthesis and
// brace is a token of its own, so spaces next to them do not count
// ("[ 1, [ ] ]" and "[1, []]" have the same tokens). A final full stop is
// dropped.
func tokens(s string) []string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	out := make([]string, 0, 8)
	start := -1
	for i, r := range s {
		switch {
		case looseSeparator(r) || isBracket(r):
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			if isBracket(r) {
				out = append(out, s[i:i+1])
			}
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func looseSeparator(r rune) bool {
	return unicode.IsSpace(r) || r == ',' || r == ';' || r == '`' || isQuote(r)
}

// isQuote reports straight and curly quotes: options copied from web pages
// often have ‘ ’ “ ” where the program prints ' and ".
func isQuote(r rune) bool {
	return r == '\'' || r == '"' || r == '‘' || r == '’' || r == '“' || r == '”'
}

// straightQuotes replaces curly quotes with the straight ones a program
// prints: the level Spacing reads "[‘ab’]" as "['ab']".
var straightQuotes = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`).Replace

// spacingForm is text as the level Spacing compares it: runs of white
// space collapsed, and none next to a comma, semicolon, colon, bracket,
// parenthesis or brace — but kept between two words or numbers ("1 2" is
// not "12"), next to other punctuation ("|  hi  |" is not "|hi|") and
// next to quotes ("' a '" is not "'a'").
func spacingForm(s string) string {
	s = collapse(s)
	if !strings.Contains(s, " ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && i+1 < len(s) && (punct(s[i-1]) || punct(s[i+1])) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// punct reports the punctuation whose spacing the level Spacing ignores.
func punct(c byte) bool { return strings.IndexByte(",;:[](){}", c) >= 0 }

// proseRe is an option that describes the output in words: "It prints 5",
// "The program outputs: 5", "The output is 5".
var proseRe = regexp.MustCompile(`(?is)^\s*(?:(?:the\s+)?[a-z]+\s+(?:is|will be|would be)|(?:no error,?\s*)?(?:(?:it|this|the (?:code|program|snippet|script|loop|function))\s+)?(?:will\s+)?(?:prints?|outputs?|displays?)|output|ans|answer)\s*:?\s+(\S.*)$`)

// proseSuffixRe is a description after the output: "7 will be printed",
// "[1, 2] is the output".
var proseSuffixRe = regexp.MustCompile(`(?is)^\s*(\S.*?)\s+(?:(?:will be|is|gets|would be)\s+(?:printed|displayed|shown|output)|is the output)\s*[.!]?\s*$`)

// echoRe is a line a terminal or the Python REPL shows before the output:
// ">>> print(x)", "... ", "$ python3 demo.py".
var echoRe = regexp.MustCompile(`^(?:>>>|\.\.\.|\$)(?:\s|$)`)

// withoutEcho returns an option written as a terminal shows it without
// its prompt lines (">>> print(3 * 'ab')⏎ababab" is "ababab"); when only
// prompt lines remain (">>> [1, 2]", the REPL echoing a value), without
// the prompts. ok is false when the option has no prompt line.
func withoutEcho(option string) (string, bool) {
	lines := strings.Split(option, "\n")
	var kept, echoed []string
	for _, l := range lines {
		if echoRe.MatchString(strings.TrimLeft(l, " ")) {
			echoed = append(echoed, echoRe.ReplaceAllString(strings.TrimLeft(l, " "), ""))
		} else {
			kept = append(kept, l)
		}
	}
	switch {
	case len(echoed) == 0:
		return option, false
	case strings.TrimSpace(strings.Join(kept, "")) == "":
		return strings.Join(echoed, "\n"), true
	}
	return strings.Join(kept, "\n"), true
}

// unwrapped is an option's text without a code span or fence around it.
func unwrapped(s string) string {
	inner, _ := unwrapCode(s)
	return inner
}

// withoutJoiners drops from a description's tokens the words that join
// printed lines ("followed by", "then", "and") and a leading count of them
// ("two rows 1 3 followed by 2 4" is the printed "1 3" and "2 4"), or
// returns nil when that count is not lines, the number printed.
func withoutJoiners(tokens []string, lines int) []string {
	if n, ok := counts[strings.ToLower(tokens[0])]; ok && len(tokens) > 2 {
		unit := strings.ToLower(tokens[1])
		if strings.HasPrefix(unit, "row") || strings.HasPrefix(unit, "line") {
			if n != lines {
				return nil
			}
			tokens = tokens[2:]
		}
	}
	var out []string
	for _, t := range tokens {
		if !joiners[strings.ToLower(t)] {
			out = append(out, t)
		}
	}
	return out
}

// counts are the numbers a description may count printed lines with ("two
// rows", "3 lines").
var counts = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9}

// classRe is a printed type, <class 'float'>, which options often name
// alone.
var classRe = regexp.MustCompile(`^<class '([A-Za-z_][A-Za-z0-9_.]*)'>$`)

// proseTokens are the loose tokens of the output an option describes in
// words, or nil.
func proseTokens(option string) []string {
	if !strings.ContainsFunc(option, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '>' || r == '$' }) {
		return nil // no word and no prompt: "1 2 3", "[4, 5]"
	}
	m := proseRe.FindStringSubmatch(option)
	if m == nil {
		m = proseSuffixRe.FindStringSubmatch(option)
	}
	if m == nil {
		if r, ok := withoutEcho(option); ok {
			return looseTokens(r, true)
		}
		return nil
	}
	return looseTokens(m[1], true)
}

func isBracket(r rune) bool {
	return r == '[' || r == ']' || r == '(' || r == ')' || r == '{' || r == '}'
}

// bracketSpacing reports whether s has white space just inside a bracket,
// parenthesis or brace ("[ 1 ]"), which the loose level ignores.
func bracketSpacing(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if strings.IndexByte("[({", s[i]) >= 0 && isSpaceByte(s[i+1]) || isSpaceByte(s[i]) && strings.IndexByte("])}", s[i+1]) >= 0 {
			return true
		}
	}
	return false
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// target is what a snippet did, prepared once for comparing every option.
type target struct {
	exact, normal string
	lines         []string // linesForm(exact), made on first use
	spacing       string   // spacingForm(exact), made on first use
	empty         bool     // nothing at all was printed
	class         string   // the type's name, when what was printed is <class '…'>
	loose         []string
	looseDone     bool
}

func newTarget(actual string) *target {
	t := &target{exact: outputForm(actual), empty: actual == ""}
	if strings.HasPrefix(t.exact, "<class '") {
		if m := classRe.FindStringSubmatch(t.exact); m != nil {
			t.class = m[1]
		}
	}
	t.normal = collapse(t.exact)
	return t
}

// linesOf is linesForm of what the snippet did, made once.
func (t *target) linesOf() []string {
	if t.lines == nil {
		t.lines = linesForm(t.exact)
	}
	return t.lines
}

func (t *target) looseTokens() []string {
	if !t.looseDone {
		t.loose, t.looseDone = looseTokens(t.exact, false), true
	}
	return t.loose
}

// compare gives the strictest level at which option matches the target.
func (t *target) compare(option string) Level {
	l := t.compareText(option)
	if l < Exact {
		// What students see of "my\_var" or "&lt;class 'int'&gt;" is
		// "my_var" or "<class 'int'>": either form may match.
		if u := markdown.Unescape(option); u != option {
			l = max(l, t.compareText(u))
		}
	}
	if l < Exact && strings.Contains(option, `\n`) {
		// 'x\ny' written in a literal string means two lines.
		l = max(l, t.compareText(strings.ReplaceAll(option, `\n`, "\n")))
	}
	return l
}

// labelRe is a label an option carries in its own text: "a) ", "A. ",
// "(b) ", "3) ".
var labelRe = regexp.MustCompile(`^\s*\(?([A-Za-z]|[1-9][0-9]?)[.)]\s+`)

// WithoutLabels returns the options without the labels they carry in
// their own text ("a) 12", "B. -3", "(c) (-4, 1)", "4) 10 20"), when
// every one of two or more options starts with the label of its own
// position, in one style; otherwise the options as they are.
func WithoutLabels(options []string) []string {
	if len(options) < 2 {
		return options
	}
	out := make([]string, len(options))
	style := ""
	for i, o := range options {
		m := labelRe.FindStringSubmatchIndex(o)
		if m == nil {
			return options
		}
		label := o[m[2]:m[3]]
		var want []string
		if i < 26 {
			want = []string{string(rune('a' + i)), string(rune('A' + i))}
		}
		want = append(want, strconv.Itoa(i+1))
		if !slices.Contains(want, label) {
			return options
		}
		// One style: "(" or not, the same case or digits, and the same
		// punctuation after the label.
		st := labelStyle(label) + o[m[3]:m[3]+1]
		if strings.HasPrefix(strings.TrimLeft(o, " \t"), "(") {
			st = "(" + st
		}
		if i == 0 {
			style = st
		} else if st != style {
			return options
		}
		out[i] = o[m[1]:]
	}
	return out
}

// labelStyle is a label's kind: "a", "A" or "1".
func labelStyle(label string) string {
	switch c := label[0]; {
	case c >= 'a' && c <= 'z':
		return "a"
	case c >= 'A' && c <= 'Z':
		return "A"
	}
	return "1"
}

// CompareWritten is Compare for the option's text exactly as it is
// written, without reading its escapes and entities as students see them.
func CompareWritten(option, actual string) Level { return newTarget(actual).compareText(option) }

// compareText is compare for the option's text as it is written.
func (t *target) compareText(option string) Level {
	o := lineEnds(option)
	inner, _ := unwrapCode(o)
	e := strings.TrimSuffix(inner, "\n") // ExactForm
	if e == t.exact {
		return Exact
	}
	if collapse(e) == t.normal {
		if slices.Equal(linesForm(e), t.linesOf()) {
			return Lines
		}
		return Normal
	}
	if t.empty && saysNoOutput(option) {
		return Normal
	}
	if t.spacing == "" {
		t.spacing = spacingForm(t.exact)
	}
	if t.spacing != "" && spacingForm(straightQuotes(e)) == t.spacing {
		return Spacing
	}
	want := t.looseTokens()
	if a := tokens(inner); len(a) > 0 && slices.Equal(a, want) {
		return Loose
	}
	if a := joinedTokens(o); len(a) > 0 && slices.Equal(a, want) {
		return Loose
	}
	if a := proseTokens(o); len(a) > 0 && (slices.Equal(a, want) || slices.Equal(withoutJoiners(a, len(t.linesOf())), want)) {
		return Loose
	}
	if t.class != "" && strings.TrimSpace(inner) == t.class {
		return Loose // "float" for the printed <class 'float'>
	}
	return NoMatch
}

// noOutputRe is how options say that nothing is printed: "Nothing",
// "Nothing is printed.", "(no output)", "It prints nothing", "No output is
// produced", "Empty output".
var noOutputRe = regexp.MustCompile(`^(?:nothing(?: at all)?(?: (?:is|will be|gets|get) (?:printed|output|displayed|shown))?|nothing printed|no output(?: (?:is|will be) (?:printed|produced|shown|displayed))?|there is no output|(?:it|this|the code|the program) (?:prints|outputs|displays|will print) nothing|prints nothing|empty output|empty|blank)$`)

// saysNoOutput reports whether an option is a phrase that says nothing is
// printed ("Nothing is printed", "No output", "(nothing)"). It matches a
// snippet that printed nothing at all at the normal level; a snippet that
// printed an empty line printed something.
func saysNoOutput(option string) bool {
	o := strings.ToLower(strings.Join(strings.Fields(option), " "))
	o = strings.TrimSuffix(o, ".")
	if len(o) >= 2 && (o[0] == '(' && o[len(o)-1] == ')' || o[0] == '[' && o[len(o)-1] == ']') {
		o = strings.TrimSuffix(strings.TrimSpace(o[1:len(o)-1]), ".")
	}
	return noOutputRe.MatchString(o)
}

// quotes lists the quote characters of s in order, so that a different
// kind of quote counts as a difference.
func quotes(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isQuote(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// linesForm is text as the level Lines compares it: its lines, each with
// its runs of white space collapsed and none at either end, without blank
// lines at the end.
func linesForm(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = collapse(l)
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// Compare says how closely an option's text matches the real output (or
// value): the strictest level at which it matches, or NoMatch.
func Compare(option, actual string) Level { return newTarget(actual).compare(option) }

// Judgement is the verdict over a question's options: how each compares
// with what the snippet did, and which count. The strictest level that any
// option reached decides: the options at it are the answers (one is
// right; several are ambiguous), and an option that matched only at a
// looser level is not an answer while another option matches more closely.
type Judgement struct {
	// Levels is each option's level, with a match looser than the cap
	// counted as NoMatch.
	Levels []Level
	// Uncapped is each option's level before the cap.
	Uncapped []Level
	// Best is the strictest level any option reached: NoMatch when none
	// matched.
	Best Level
	// At are the indexes of the options at Best, in order; nil when none
	// matched.
	At []int
	// Ignoring is set by a caller that compared the options with less
	// than what the snippet printed (its input() prompts left out): what
	// was left out. Such a verdict is a loose one, whatever the levels.
	Ignoring string
}

// Judge compares every option with actual (what the snippet printed, or
// the repr of its value) and gives the verdict. Matches looser than cap
// (a question's `match`: ParseLevel of Question.MatchLevel) count as no
// match; cap Loose allows every level.
func Judge(options []string, actual string, cap Level) Judgement {
	options = WithoutLabels(options)
	t := newTarget(actual)
	j := Judgement{Levels: make([]Level, len(options)), Uncapped: make([]Level, len(options))}
	for i, o := range options {
		l := t.compare(o)
		j.Uncapped[i] = l
		if l < cap {
			l = NoMatch
		}
		j.Levels[i] = l
		if l > j.Best {
			j.Best, j.At = l, j.At[:0]
		}
		if l != NoMatch && l == j.Best {
			j.At = append(j.At, i)
		}
	}
	return j
}

// Answer reports whether option i is an answer: it matches at the
// strictest level any option reached.
func (j Judgement) Answer(i int) bool { return j.Best != NoMatch && j.Levels[i] == j.Best }

// Outranked reports whether option i matches, but only at a looser level
// than the answers: an option keyed so is a wrong key.
func (j Judgement) Outranked(i int) bool { return j.Levels[i] < j.Best }

// Ambiguous reports whether several options are answers.
func (j Judgement) Ambiguous() bool { return len(j.At) > 1 }

// Difference names what a match of option with actual ignored, for
// messages: "" at Exact, "white space" at Normal, and at Loose the kinds
// of difference that a loose match ignores ("quotes", "commas or
// semicolons", …).
func Difference(option, actual string) string {
	switch Compare(option, actual) {
	case Exact, NoMatch:
		return ""
	case Lines:
		return "spaces within lines"
	case Normal:
		if actual == "" && saysNoOutput(option) {
			return "that it describes no output in words"
		}
		return "white space"
	}
	o, a := lineEnds(option), outputForm(actual)
	if m := classRe.FindStringSubmatch(a); m != nil && strings.TrimSpace(unwrapped(o)) == m[1] {
		return "the <class '…'> around the type's name"
	}
	if m := proseRe.FindStringSubmatch(o); m != nil && slices.Equal(looseTokens(m[1], true), looseTokens(a, false)) {
		return "the words that describe the output"
	}
	if m := proseSuffixRe.FindStringSubmatch(o); m != nil && slices.Equal(looseTokens(m[1], true), looseTokens(a, false)) {
		return "the words that describe the output"
	}
	if r, ok := withoutEcho(o); ok && slices.Equal(looseTokens(r, true), looseTokens(a, false)) {
		return "the prompt lines of the terminal (>>>, $)"
	}
	var what []string
	if !slices.Equal(looseTokens(o, true), looseTokens(a, false)) {
		joined, _ := joinedSpans(o)
		what = append(what, "the words between code spans")
		o = joined
	} else if inner, ok := unwrapCode(o); ok {
		o = inner
	}
	if strings.Count(o, "`") != strings.Count(a, "`") {
		what = append(what, "backticks")
	}
	if quotes(o) != quotes(a) {
		what = append(what, "quotes")
	}

	if strings.Count(o, ",")+strings.Count(o, ";") != strings.Count(a, ",")+strings.Count(a, ";") {
		what = append(what, "commas or semicolons")
	}
	if strings.HasSuffix(strings.TrimSpace(o), ".") != strings.HasSuffix(strings.TrimSpace(a), ".") {
		what = append(what, "a final full stop")
	}
	if bracketSpacing(o) != bracketSpacing(a) {
		what = append(what, "spaces next to brackets")
	}
	if len(what) == 0 {
		what = append(what, "spacing around punctuation")
	}
	return strings.Join(what, ", ")
}
