package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/snippetio"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// The QB5xx rules compare what a snippet really did (package snippetrun ran
// it in the sandbox, and the methods of its snippet.Outcome say what that
// was) with what the question claims. Each reads the outcome of its
// question and reports one kind of disagreement.

// ran is a question whose snippet ran, with its outcome and first result.
type ran struct {
	q   *bank.Question
	o   *snippet.Outcome
	r   snippetio.Result
	doc *tomltree.Document
}

// snippets returns the questions of the pass's bank whose snippet ran.
// Unless all is set, only those that can be judged (Outcome.Judged: no
// sandbox failure, no limit hit, no missing module); the rules for those
// cases ask for all.
func snippets(p *lint.Pass, all bool) []ran {
	var out []ran
	for _, q := range p.Bank.Questions {
		o := p.File.Outcome(q)
		if o == nil || o.Skipped || len(o.Runs) == 0 {
			continue
		}
		if !all && !o.Judged() {
			continue
		}
		out = append(out, ran{q: q, o: o, r: o.First(), doc: p.File.Doc})
	}
	return out
}

// codeField returns the node of a key of the question's code table, or the
// code table itself.
func codeField(q *bank.Question, key string) *tomltree.Node {
	if n := q.Code.Node.Get(key); n != nil {
		return n
	}
	return q.Code.Node
}

// sourceSpan maps a line (and column) of the snippet onto the TOML file.
// Multi-line strings map line for line; other strings point at the value.
func sourceSpan(doc *tomltree.Document, q *bank.Question, line, col int) lint.Span {
	return stringLineSpan(doc, codeField(q, "source"), line, col)
}

// stringLineSpan maps a line (and column) of a string's value onto the
// TOML file: a multi-line string line for line, any other value as a whole.
func stringLineSpan(doc *tomltree.Document, n *tomltree.Node, line, col int) lint.Span {
	if n.Kind != tomltree.String || !n.Multiline || line < 1 {
		return lint.ValueSpan(n)
	}
	first := doc.Position(n.ContentStart).Line
	start, end := doc.LineOffset(first + line - 1)
	if start >= n.End {
		return lint.ValueSpan(n)
	}
	if col > 1 {
		// columns are characters; walk them
		off := start
		for i := 1; i < col && off < end; i++ {
			_, size := utf8.DecodeRune(doc.Src[off:])
			off += size
		}
		start = off
	}
	return lint.Span{Start: start, End: max(end, start)}
}

// outputSpan is where a question's output goes wrong: its first wrong line
// (snippet.LineDiff.Line) when the string maps line for line onto the file
// (a multi-line string without escapes that add or remove lines, not
// wrapped in a code fence), else the whole value.
func outputSpan(doc *tomltree.Document, q *bank.Question, line int) lint.Span {
	n := codeField(q, "output")
	if n.Kind != tomltree.String || !n.Multiline || snippet.ExactForm(n.Str) != strings.TrimSuffix(n.Str, "\n") {
		return lint.ValueSpan(n)
	}
	if !n.Literal && strings.Contains(string(doc.Src[n.ContentStart:n.End]), "\\") {
		return lint.ValueSpan(n) // an escape may stand for a line end
	}
	return stringLineSpan(doc, n, line, 1)
}

// show quotes untrusted output for a message: escaped, abbreviated.
func show(s string) string {
	const max = 120
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max]) + "…"
	}
	return strconv.Quote(s)
}

// fileLineRe is the "(<string>, line 3)" that str() of a SyntaxError ends
// with; the finding says where instead.
var fileLineRe = regexp.MustCompile(`\s*\(<[^>]*>, line \d+\)$`)

func excText(e *snippetio.Exception) string {
	name := snippet.QualifiedName(e)
	if msg := fileLineRe.ReplaceAllString(e.Message, ""); msg != "" {
		name += ": " + msg
	}
	where := ""
	switch {
	case e.Where == "before" || e.Where == "after":
		where = fmt.Sprintf(" in the hidden %s code", e.Where)
	case e.Line > 0:
		where = fmt.Sprintf(" at line %d of the snippet", e.Line)
	}
	return name + where
}

// excSpan points at the snippet line that raised, or at the source.
func excSpan(s ran, e *snippetio.Exception) lint.Span {
	if e.Where == "source" || e.Where == "" {
		return sourceSpan(s.doc, s.q, e.Line, e.Col)
	}
	return lint.ValueSpan(codeField(s.q, "source"))
}

// SnippetSyntax reports snippets that do not compile.
var SnippetSyntax = &lint.Rule{
	Code: "QB501", Name: "snippet-syntax", Severity: lint.Error,
	Summary: "a code snippet does not compile",
	Doc: `Every Python snippet is compiled in the sandbox (expect = "compiles" is the
default). A snippet with a syntax error that the question does not ask about
is a typo students will copy. The finding sits on the snippet's own line.
If the question is about the error, say so: expect = "error" and
error = "SyntaxError".`,
	Bad: `[question.code]
source = '''
for i in range(3)
    print(i)
'''`,
	Good: `[question.code]
source = '''
for i in range(3):
    print(i)
'''`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			e := s.r.Exception
			if e == nil || !e.CompileTime || s.q.Code.Expect == "error" {
				continue
			}
			p.Report(lint.Finding{Span: excSpan(s, e), Question: s.q,
				Message: "snippet does not compile: " + excText(e),
				Hint:    `fix the code, or if the question is about this error set expect = "error" and error = "` + e.Type + `"`})
		}
	},
}

// WrongKey reports keys that say something other than what the code does.
var WrongKey = &lint.Rule{
	Code: "QB502", Name: "wrong-key", Severity: lint.Error,
	Summary: "the key is not what the code really does",
	Doc: `For expect = "output" the keyed option (or output = '''…''' when given) must
be what the snippet prints; for expect = "value", the repr of the value; for
expect = "error", the keyed option must name the exception the code raises.
Options are compared from the strictest level down: exact (line endings,
one final newline and a code span or fence around the whole option aside),
normal (runs of white space count as one space), loose (quotes, backticks,
separating punctuation; see QB508); case always counts. The strictest level
at which any option matches decides: a key that matches only loosely while
another option matches exactly is wrong too (print("abc") keyed on 'abc'
when abc is an option). match = "exact" or "normal" in [question.code] or
[bank] forbids looser matches. The finding shows both and names the option
that matches; a multi-line mismatch shows the first wrong line, and for
output = '''…''' points at it.`,
	Bad: `options = ["'abc'", "abc", '"abc"']
answer = "A"
[question.code]
source = "print('abc')"
expect = "output"`,
	Good: `options = ["'abc'", "abc", '"abc"']
answer = "B"
[question.code]
source = "print('abc')"
expect = "output"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			switch c.Expect {
			case "output", "value":
				if s.r.Exception != nil || c.Expect == "value" && !s.r.HasValue || s.o.Varies() {
					continue
				}
				actual := s.o.Actual()
				if c.HasOutput && c.Expect == "output" {
					if compareOutput(s.q, actual) == snippet.NoMatch {
						reportOutput(p, s, actual, "output says %s but the snippet prints %s", "correct output (or remove it to compare with the keyed option)")
					} else {
						reportKeyBesideOutput(p, s, actual)
					}
					continue
				}
				if s.q.Multiple() {
					reportPrintedLines(p, s, actual)
					continue
				}
				reportKeyMismatch(p, s, actual)
			case "error":
				e := s.r.Exception
				if e == nil || !snippet.ErrorMatches(c.Error, e) {
					continue // QB506 / QB507
				}
				if c.HasOutput && compareOutput(s.q, string(s.r.Stdout)) == snippet.NoMatch {
					reportOutput(p, s, string(s.r.Stdout), "output says %s is printed before the error, but the snippet prints %s", "correct output to what is printed before the exception")
				}
				reportErrorKey(p, s, e)
			}
		}
	},
}

// MatchCap is the loosest level a question allows (its `match`).
func MatchCap(q *bank.Question) snippet.Level { return snippet.ParseLevel(q.MatchLevel()) }

// compareOutput compares a question's output with what the snippet
// printed, within the question's cap.
func compareOutput(q *bank.Question, actual string) snippet.Level {
	if l := snippet.Compare(q.Code.Output, actual); l >= MatchCap(q) {
		return l
	}
	return snippet.NoMatch
}

// reportOutput reports a question's output that does not match what the
// snippet printed: a multi-line output with a line diff, at its first
// wrong line; else both texts (format has two %s for them).
func reportOutput(p *lint.Pass, s ran, actual, format, hint string) {
	out := s.q.Code.Output
	note := capNote(s.q, snippet.Compare(out, actual))
	if snippet.MultiLine(out) {
		d := snippet.DiffLines(out, actual)
		p.Report(lint.Finding{Span: outputSpan(s.doc, s.q, d.Line), Question: s.q,
			Message: "output differs from what the snippet prints " + d.String() + note,
			Hint:    hint + "; " + snippet.Legend})
		return
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "output")), Question: s.q,
		Message: fmt.Sprintf(format, show(snippet.ExactForm(out)), show(actual)) + note,
		Hint:    hint})
}

// capNote says that a match was refused by the question's cap.
func capNote(q *bank.Question, uncapped snippet.Level) string {
	if uncapped == snippet.NoMatch || uncapped >= MatchCap(q) {
		return ""
	}
	return fmt.Sprintf(" (it would match at the %s level, which match = %q does not allow)", uncapped.Setting(), q.MatchLevel())
}

// judgeOptions is JudgeOptions for a question whose snippet ran.
func judgeOptions(s ran) (snippet.Judgement, string, bool) { return JudgeOptions(s.q, s.o) }

// JudgeOptions compares the options of an output or value question with
// what its snippet did (snippet.Judge, within the question's cap): the
// verdict the QB5xx rules give, which `qbank run` and the export verifier
// show too. It reports false for questions whose options are not compared:
// not judged, not output or value, with output = '…' given, of type
// "multiple", code as options, an exception, output that varies, or no
// value. actual is what the options were compared with.
func JudgeOptions(q *bank.Question, o *snippet.Outcome) (j snippet.Judgement, actual string, ok bool) {
	if q.Code == nil || !o.Judged() {
		return j, "", false
	}
	c, r := q.Code, o.First()
	if (c.Expect != "output" && c.Expect != "value") || c.Expect == "output" && c.HasOutput || q.OptionsAreCode() || r.Exception != nil || q.Multiple() || o.Varies() {
		return j, "", false
	}
	if c.Expect == "value" && !r.HasValue {
		return j, "", false
	}
	actual = o.Actual()
	j = snippet.Judge(OptionTexts(q), actual, MatchCap(q))
	if j.Best == snippet.NoMatch && c.Expect == "output" && c.Stdin != "" && MatchCap(q) == snippet.Loose {
		// "The user types 4. What is printed?" keyed "44": the author
		// means what the program prints besides its input() prompts.
		if prompts := inputPrompts(c.Source); len(prompts) > 0 {
			stripped := actual
			for _, p := range prompts {
				stripped = strings.ReplaceAll(stripped, p, "")
			}
			if j2 := snippet.Judge(OptionTexts(q), stripped, snippet.Loose); stripped != actual && j2.Best != snippet.NoMatch {
				var shown []string
				for _, p := range prompts {
					shown = append(shown, show(p))
				}
				j2.Ignoring = "the input() prompt " + strings.Join(shown, " and ")
				return j2, stripped, true
			}
		}
	}
	return j, actual, true
}

// inputPromptRe is an input() call whose prompt is one plain string
// literal.
var inputPromptRe = regexp.MustCompile(`\binput\(\s*(?:'([^'\\\n]+)'|"([^"\\\n]+)")\s*\)`)

// inputPrompts are the distinct literal prompts of the input() calls of
// source, in order.
func inputPrompts(source string) []string {
	var out []string
	for _, m := range inputPromptRe.FindAllStringSubmatch(source, -1) {
		p := m[1] + m[2]
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// OptionTexts are the texts of a question's options, without the labels
// they may carry in their own text ("a) 12": snippet.WithoutLabels).
func OptionTexts(q *bank.Question) []string {
	texts := make([]string, len(q.Options))
	for i, o := range q.Options {
		texts[i] = o.Text
	}
	return snippet.WithoutLabels(texts)
}

// KeyMatch is how closely a question's key matches what its snippet did:
// its output = '…' when given, else its one keyed option, judged among
// the others (an option outranked by another is NoMatch). It reports
// false when the key is not compared with the snippet.
func KeyMatch(q *bank.Question, o *snippet.Outcome) (snippet.Level, bool) {
	if q.Code != nil && q.Code.Expect == "output" && q.Code.HasOutput && o.Judged() && o.Exception() == nil && !o.Varies() {
		return compareOutput(q, o.Actual()), true
	}
	j, _, ok := JudgeOptions(q, o)
	keys := q.KeyIndexes()
	if !ok || len(keys) != 1 {
		return snippet.NoMatch, false
	}
	if !j.Answer(keys[0]) {
		return snippet.NoMatch, true
	}
	if j.Ignoring != "" {
		return min(j.Levels[keys[0]], snippet.Loose), true
	}
	return j.Levels[keys[0]], true
}

// letters names options by their letters: "A", "A and C", "A, B and C".
func letters(q *bank.Question, idx []int) string {
	ls := optionLetters(q, idx)
	if len(ls) < 2 {
		return strings.Join(ls, "")
	}
	return strings.Join(ls[:len(ls)-1], ", ") + " and " + ls[len(ls)-1]
}

// how says in words how an option matched.
func how(l snippet.Level, option, actual string) string {
	switch l {
	case snippet.Exact:
		return "exactly"
	case snippet.Lines:
		return "once runs of white space within lines are collapsed"
	case snippet.Normal:
		return "once runs of white space are collapsed"
	case snippet.Loose, snippet.Spacing:
		return "only when ignoring " + snippet.Difference(option, actual)
	}
	return "not at all"
}

func verb(q *bank.Question) string {
	if q.Code.Expect == "value" {
		return "evaluates to"
	}
	return "prints"
}

// keyDiff is, for a multi-line keyed option, a line diff against what the
// snippet did: "; option B differs from line 2: …".
func keyDiff(q *bank.Question, key int, actual string) string {
	o := q.Options[key]
	if !snippet.MultiLine(o.Text) {
		return ""
	}
	return fmt.Sprintf("; option %s differs %s", o.Letter, snippet.DiffLines(o.Text, actual))
}

func reportKeyMismatch(p *lint.Pass, s ran, actual string) {
	q := s.q
	keys := q.KeyIndexes()
	j, _, ok := judgeOptions(s)
	if !ok || len(keys) != 1 || j.Best == snippet.NoMatch || !j.Outranked(keys[0]) {
		return // QB504, or the key is an answer
	}
	key := keys[0]
	best, kopt := q.Options[j.At[0]], q.Options[key]
	printed := show(actual)
	if j.Ignoring != "" {
		printed += " (leaving out " + j.Ignoring + ")"
	}
	msg := fmt.Sprintf("the key is %s (%s) but the snippet %s %s; option %s matches", kopt.Letter, show(kopt.Text), verb(q), printed, letters(q, j.At))
	if j.Levels[key] != snippet.NoMatch {
		// The key matches too, only less closely: say how each matches.
		msg += fmt.Sprintf(" %s, while %s matches %s", how(j.Best, best.Text, actual), kopt.Letter, how(j.Levels[key], kopt.Text, actual))
	} else {
		msg += capNote(q, j.Uncapped[key]) + keyDiff(q, key, actual)
	}
	hint := fmt.Sprintf("key option %s, or fix the snippet", best.Letter)
	if snippet.MultiLine(kopt.Text) {
		hint += "; " + snippet.Legend
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q, Message: msg, Hint: hint})
}

// reportKeyBesideOutput reports, for a question whose output is given
// (and right), a key that is not the option that is what the snippet
// prints, when one is: output = "[3, 2, 1]" keyed on "None of the above"
// while option A is "[3, 2, 1]". Options that describe the output in other
// words match nothing at the normal level, and are left alone.
func reportKeyBesideOutput(p *lint.Pass, s ran, actual string) {
	q := s.q
	keys := q.KeyIndexes()
	if len(keys) != 1 || q.Multiple() {
		return
	}
	j := snippet.Judge(OptionTexts(q), actual, MatchCap(q))
	if j.Best < snippet.Normal || j.Answer(keys[0]) {
		return
	}
	kopt := q.Options[keys[0]]
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet prints %s, as output says, and option %s matches it %s, but the key is %s (%s)",
			show(actual), letters(q, j.At), how(j.Best, q.Options[j.At[0]].Text, actual), kopt.Letter, show(kopt.Text)),
		Hint: fmt.Sprintf("key option %s, or fix the snippet", q.Options[j.At[0]].Letter)})
}

// reportPrintedLines checks a "select all" output question ("Which lines
// appear in the output?"): when its options are lines the snippet may
// print and at least one of them is printed, the keys must be exactly the
// options that are printed lines. Prompts that ask for what is not
// printed are left alone.
func reportPrintedLines(p *lint.Pass, s ran, actual string) {
	q := s.q
	if s.q.Code.Expect != "output" || notPrintedRe.MatchString(q.Prompt) {
		return
	}
	printed := map[string]bool{}
	for _, l := range strings.Split(snippet.ExactForm(actual), "\n") {
		printed[snippet.Normalize(l)] = true
	}
	var want []int
	for i, t := range OptionTexts(q) {
		if n := snippet.Normalize(t); n != "" && printed[n] {
			want = append(want, i)
		}
	}
	keys := slices.Sorted(slices.Values(q.KeyIndexes()))
	if len(want) == 0 || slices.Equal(keys, want) {
		return
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet prints %s: of the options, %s are printed lines, but the key is %s", show(actual), letters(q, want), letters(q, keys)),
		Hint:    fmt.Sprintf("key %s, or fix the snippet", letters(q, want))})
}

// notPrintedRe is a prompt that asks for what is not printed.
var notPrintedRe = regexp.MustCompile(`(?i)\b(?:not|never|isn't|aren't|won't|doesn't|don't|missing)\b`)

func mentions(text, name string) bool {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		if f == name || strings.HasSuffix(f, "."+name) {
			return true
		}
	}
	return false
}

// reportErrorKey checks that the keyed option names the raised exception
// when exactly one option does.
func reportErrorKey(p *lint.Pass, s ran, e *snippetio.Exception) {
	q := s.q
	keys := q.KeyIndexes()
	if len(keys) != 1 {
		return
	}
	var naming []int
	for i, o := range q.Options {
		if mentions(o.Text, e.Type) {
			naming = append(naming, i)
		}
	}
	if len(naming) == 0 {
		reportVagueErrorKey(p, s, e)
		return
	}
	if len(naming) > 1 {
		reportErrorLineKey(p, s, e, naming)
		return
	}
	if naming[0] == keys[0] || mentions(q.Options[keys[0]].Text, e.Type) {
		return
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet raises %s, which option %s names, but the key is %s", e.Type, q.Options[naming[0]].Letter, q.Options[keys[0]].Letter),
		Hint:    fmt.Sprintf("key option %s", q.Options[naming[0]].Letter)})
}

// reportErrorLineKey checks, when several options name the raised
// exception with different messages ("ZeroDivisionError: division by
// zero", "ZeroDivisionError: integer division or modulo by zero"), that
// the key is the one that is the traceback's last line.
func reportErrorLineKey(p *lint.Pass, s ran, e *snippetio.Exception, naming []int) {
	q := s.q
	key := q.KeyIndexes()[0]
	texts := OptionTexts(q)
	lines := []string{snippet.QualifiedName(e) + ": " + e.Message, e.Type + ": " + e.Message}
	level := func(i int) snippet.Level {
		return max(snippet.Compare(texts[i], lines[0]), snippet.Compare(texts[i], lines[1]))
	}
	var matching []int
	for _, i := range naming {
		if level(i) >= snippet.Normal {
			matching = append(matching, i)
		}
	}
	if e.Message == "" || len(matching) != 1 || matching[0] == key || level(key) >= snippet.Normal {
		return
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet raises %s, and option %s is its traceback's last line, but the key is %s (%s)",
			show(lines[0]), q.Options[matching[0]].Letter, q.Options[key].Letter, show(q.Options[key].Text)),
		Hint: fmt.Sprintf("key option %s", q.Options[matching[0]].Letter)})
}

// reportVagueErrorKey checks, when no option names the raised exception,
// that the key is the one option saying that the code fails ("Error", "An
// exception is thrown"): a key such as "snos world" or "None of the
// mentioned" beside an "Error" option is wrong for code that raises.
func reportVagueErrorKey(p *lint.Pass, s ran, e *snippetio.Exception) {
	q := s.q
	key := q.KeyIndexes()[0]
	var vague []int
	texts := OptionTexts(q)
	for i, t := range texts {
		if vagueErrorRe.MatchString(t) {
			vague = append(vague, i)
		}
	}
	if reportErrorKindKey(p, s, e, texts) {
		return
	}
	if len(vague) != 1 || vague[0] == key || failureWordRe.MatchString(texts[key]) {
		return
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet raises %s, which option %s (%s) says, but the key is %s (%s)",
			snippet.QualifiedName(e), q.Options[vague[0]].Letter, show(q.Options[vague[0]].Text), q.Options[key].Letter, show(q.Options[key].Text)),
		Hint: fmt.Sprintf("key option %s", q.Options[vague[0]].Letter)})
}

// compileErrorRe and runtimeErrorRe are options that say when the code
// fails: "Compile time error", "Syntax error"; "Runtime error".
var (
	compileErrorRe = regexp.MustCompile(`(?i)^\s*(?:an?\s+)?(?:compile[- ]?time|compilation|compiler|syntax)\s+error\b`)
	runtimeErrorRe = regexp.MustCompile(`(?i)^\s*(?:an?\s+)?run[- ]?time\s+error\b`)
)

// reportErrorKindKey checks a key that says when the code fails: a
// compile-time error for an exception raised while running (or the other
// way round), beside the one option that says it rightly. It reports
// whether it found such a key.
func reportErrorKindKey(p *lint.Pass, s ran, e *snippetio.Exception, texts []string) bool {
	q := s.q
	key := q.KeyIndexes()[0]
	keyRe, rightRe, when := compileErrorRe, runtimeErrorRe, "while running"
	if e.CompileTime {
		keyRe, rightRe, when = runtimeErrorRe, compileErrorRe, "when compiled"
	}
	if !keyRe.MatchString(texts[key]) {
		return false
	}
	var right []int
	for i, t := range texts {
		if rightRe.MatchString(t) {
			right = append(right, i)
		}
	}
	if len(right) != 1 {
		return false
	}
	p.Report(lint.Finding{Span: lint.ValueSpan(field(q, "answer")), Question: q,
		Message: fmt.Sprintf("the snippet raises %s %s, as option %s (%s) says, but the key is %s (%s)",
			snippet.QualifiedName(e), when, q.Options[right[0]].Letter, show(q.Options[right[0]].Text), q.Options[key].Letter, show(q.Options[key].Text)),
		Hint: fmt.Sprintf("key option %s", q.Options[right[0]].Letter)})
	return true
}

// failureWordRe is a key that itself says the code fails, in any words.
var failureWordRe = regexp.MustCompile(`(?i)\b(?:error|exception|crash\w*|fails?|raises?|throws?|traceback)\b`)

// AmbiguousOptions reports output questions where several options match.
var AmbiguousOptions = &lint.Rule{
	Code: "QB503", Name: "ambiguous-options", Severity: lint.Error,
	Summary: "several options match what the code does",
	Doc: `When two options match the snippet's real output (or value) equally well, a
student who picks the unkeyed one is marked wrong for a right answer. Only
the strictest level reached counts: among "hi   ", "hi" and "   hi" for
print("hi   ") the first matches exactly and the others only once white
space is collapsed, so the question is not ambiguous; "1 2" and "1  2" for
two printed lines both match at the normal level, and are.`,
	Bad:  `options = ["1 2", "1  2", "2 1"]  # print(1); print(2)`,
	Good: `options = ["1\n2", "1 2", "2 1"]  # the first matches exactly`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			j, actual, ok := judgeOptions(s)
			if !ok || !j.Ambiguous() {
				continue
			}
			level := ""
			if j.Best != snippet.Exact {
				level = fmt.Sprintf(" (none exactly; all %s)", how(j.Best, s.q.Options[j.At[0]].Text, actual))
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(field(s.q, "options")), Question: s.q,
				Message: fmt.Sprintf("options %s all match what the snippet %s: %s%s", strings.Join(optionLetters(s.q, j.At), ", "), verb(s.q), show(actual), level),
				Hint:    "reword the options so exactly one is the output (one that matches exactly outranks the others)"})
		}
	},
}

func optionLetters(q *bank.Question, idx []int) []string {
	var ls []string
	for _, i := range idx {
		ls = append(ls, q.Options[i].Letter)
	}
	return ls
}

// NoMatchingOption reports output questions where no option matches.
var NoMatchingOption = &lint.Rule{
	Code: "QB504", Name: "no-matching-option", Severity: lint.Error,
	Summary: "no option is what the code does",
	Doc: `The snippet's real output (or value) is none of the options at any level the
question allows (match = "exact" or "normal" forbids looser matches; case
always counts): the key and every distractor are wrong, so the question has
no right answer.`,
	Bad:  `options = ["hello", "HELLO"]  # print("hello".title())`,
	Good: `options = ["Hello", "HELLO"]  # print("hello".title())`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			j, actual, ok := judgeOptions(s)
			if !ok || j.Best != snippet.NoMatch {
				continue
			}
			msg := fmt.Sprintf("no option matches: the snippet %s %s", verb(s.q), show(actual))
			for i, l := range j.Uncapped {
				if l != snippet.NoMatch {
					msg += fmt.Sprintf("; option %s would match at the %s level, which match = %q does not allow", s.q.Options[i].Letter, l, s.q.MatchLevel())
					break
				}
			}
			hint := `make the keyed option the real output, or fix the snippet; for a snippet that prints nothing, say output = ""`
			if keys := s.q.KeyIndexes(); len(keys) == 1 && snippet.MultiLine(s.q.Options[keys[0]].Text) {
				msg += keyDiff(s.q, keys[0], actual)
				hint += "; " + snippet.Legend
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(field(s.q, "answer")), Question: s.q, Message: msg, Hint: hint})
		}
	},
}

// UnexpectedException reports output and value snippets that raise.
var UnexpectedException = &lint.Rule{
	Code: "QB505", Name: "unexpected-exception", Severity: lint.Error,
	Summary: "the code raises an exception instead of printing",
	Doc: `An output or value question whose snippet raises an uncaught exception has
no printed answer. If the question is about the error, use expect = "error".`,
	Bad:  `source = "print(1 / 0)"` + "\n" + `expect = "output"`,
	Good: `source = "print(1 / 0)"` + "\n" + `expect = "error"` + "\n" + `error = "ZeroDivisionError"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			e := s.r.Exception
			if (c.Expect != "output" && c.Expect != "value") || e == nil || e.CompileTime {
				continue
			}
			msg := "the snippet raised " + excText(e)
			if len(s.r.Stdout) > 0 {
				msg += " after printing " + show(string(s.r.Stdout))
			}
			hint := `fix the snippet, or ask about the error: expect = "error", error = "` + e.Type + `"`
			if why, fix := exceptionCause(c, e); why != "" {
				msg += ": " + why
				hint = fix
			}
			p.Report(lint.Finding{Span: excSpan(s, e), Question: s.q, Message: msg, Hint: hint})
		}
	},
}

// inputRe finds a call of input() in a snippet.
var inputRe = regexp.MustCompile(`\binput\s*\(`)

// exceptionCause explains an exception that is no mistake of the question's
// code but of its setup: input() with no (or too little) stdin, or a call
// the sandbox refuses. It returns why (for the message) and the fix, or "".
func exceptionCause(c *bank.Code, e *snippetio.Exception) (why, fix string) {
	switch {
	case sandboxRefused(e):
		what := refusedWhat(c, e)
		return "the sandbox refused " + what,
			fmt.Sprintf(`the sandbox forbids %s, so Python raises PermissionError in the sandbox: qbank cannot check this key; show the code without running it (expect = "compiles"), or ask about code that does not need it`, what)
	case e.Type == "EOFError" && inputRe.MatchString(c.Before+"\n"+c.Source+"\n"+c.After):
		if c.Stdin == "" {
			return "input() found no stdin",
				`add stdin = "…\n" to [question.code]: the text input() reads, one line per call`
		}
		return "input() read past the end of stdin",
			"give stdin one line per input() call: it has fewer lines than the snippet reads"
	}
	return "", ""
}

// refusals name what the sandbox refuses, by the code that asks for it.
var refusals = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\b(?:subprocess|Popen|os\.(?:system|exec\w*|spawn\w*|popen|posix_spawn\w*))\b`), "running another program"},
	{regexp.MustCompile(`\b(?:socket|urllib|http|requests|smtplib|ftplib|asyncio\.open_connection)\b`), "network access"},
	{regexp.MustCompile(`\b(?:chmod|chown|lchown|utime|touch|setxattr|removexattr)\b`), "changing a file's mode, owner or times"},
	{regexp.MustCompile(`\b(?:multiprocessing|shared_memory|Semaphore)\b`), "shared memory (multiprocessing)"},
	{regexp.MustCompile(`\b(?:kill|killpg|ptrace|setpriority|sched_set\w*|prlimit)\b`), "control of other processes"},
}

// refusedWhat names what the sandbox refused, from the line that raised
// (else the whole code), or "this call".
func refusedWhat(c *bank.Code, e *snippetio.Exception) string {
	code := c.Before + "\n" + c.Source + "\n" + c.After
	if lines := strings.Split(c.Source, "\n"); e.Where == "source" && e.Line >= 1 && e.Line <= len(lines) {
		code = lines[e.Line-1] + "\n" + code // the raising line first
	}
	best, at := "this call", -1
	for _, r := range refusals {
		if loc := r.re.FindStringIndex(code); loc != nil && (at < 0 || loc[0] < at) {
			best, at = r.what, loc[0]
		}
	}
	return best
}

// sandboxRefused reports whether e is the PermissionError of a call the
// sandbox refuses: every refusal is EPERM ("[Errno 1] Operation not
// permitted"), unlike a file the snippet may not open (EACCES, errno 13).
func sandboxRefused(e *snippetio.Exception) bool {
	return e != nil && e.Type == "PermissionError" && (e.Module == "builtins" || e.Module == "") &&
		strings.HasPrefix(e.Message, "[Errno 1] ")
}

// ErrorNotRaised reports error questions whose code raises nothing.
var ErrorNotRaised = &lint.Rule{
	Code: "QB506", Name: "error-not-raised", Severity: lint.Error,
	Summary: "the code raises no exception, but the question says it does",
	Doc:     `With expect = "error" the snippet must raise the named exception.`,
	Bad:     `source = "print(1 / 1)"` + "\n" + `expect = "error"` + "\n" + `error = "ZeroDivisionError"`,
	Good:    `source = "print(1 / 0)"` + "\n" + `expect = "error"` + "\n" + `error = "ZeroDivisionError"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			if s.q.Code.Expect != "error" || s.r.Exception != nil {
				continue
			}
			msg := fmt.Sprintf("the snippet raises no exception (expected %s)", s.q.Code.Error)
			if len(s.r.Stdout) > 0 {
				msg += "; it prints " + show(string(s.r.Stdout))
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "error")), Question: s.q, Message: msg,
				Hint: "fix the snippet so it fails as the question says, or change expect"})
		}
	},
}

// WrongException reports error questions whose code raises another type.
var WrongException = &lint.Rule{
	Code: "QB507", Name: "wrong-exception", Severity: lint.Error,
	Summary: "the code raises a different exception",
	Doc: `With expect = "error" and error = "Name" the snippet must raise exactly that
type ("module.Name" also works); a subclass or a parent is not the same
answer. SyntaxError and IndentationError are decided by compiling the code,
never by reading what it prints.`,
	Bad:  `source = "print('a' + 1)"` + "\n" + `expect = "error"` + "\n" + `error = "ValueError"`,
	Good: `source = "print('a' + 1)"` + "\n" + `expect = "error"` + "\n" + `error = "TypeError"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			e := s.r.Exception
			if s.q.Code.Expect != "error" || e == nil || snippet.ErrorMatches(s.q.Code.Error, e) {
				continue
			}
			sp := excSpan(s, e)
			msg := fmt.Sprintf("the snippet raises %s, not %s", excText(e), s.q.Code.Error)
			hint := fmt.Sprintf("set error = %q if that is the point of the question, or fix the snippet", e.Type)
			if why, fix := exceptionCause(s.q.Code, e); why != "" {
				msg += ": " + why
				hint = fix
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "error")), Question: s.q,
				Message: msg, Hint: hint,
				Related: &lint.RelatedFinding{Span: sp, Message: "raised here"}})
		}
	},
}

// LooseMatch warns when the key matches only with punctuation ignored.
var LooseMatch = &lint.Rule{
	Code: "QB508", Name: "loose-match", Severity: lint.Warning,
	Summary: "the key matches the output only if punctuation is ignored",
	Doc: `The keyed option (or output = '''…''') matches what the snippet prints only at
the loose level, and no option matches more closely: once backticks,
quotes, commas and semicolons between items, a final full stop and spaces
next to brackets are ignored, or with several printed lines written as
code spans joined by words ("[1,3]" for the printed "[1, 3]", "'Tokyo'" for
Tokyo, "[ 1, [ ] ]" for [1, []], "` + "`3` and `4`" + `" for two printed lines). Case
always counts. Students may read it either way; write the output as it is
printed. match = "normal" or "exact" makes such a match an error.`,
	Bad:  `options = ["'Tokyo'", "'Paris'"]  # print('Tokyo')`,
	Good: `options = ["Tokyo", "Paris"]`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			if c.Expect == "output" && c.HasOutput && s.r.Exception == nil && !s.o.Varies() {
				actual := s.o.Actual()
				if l := compareOutput(s.q, actual); l == snippet.Loose || l == snippet.Spacing {
					p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "output")), Question: s.q,
						Message: fmt.Sprintf("output matches what the snippet prints only when ignoring %s: %s vs %s", snippet.Difference(c.Output, actual), show(snippet.ExactForm(c.Output)), show(actual)),
						Hint:    "write output exactly as it is printed"})
				}
				continue
			}
			j, actual, ok := judgeOptions(s)
			keys := s.q.KeyIndexes()
			if !ok || len(keys) != 1 || (j.Best != snippet.Loose && j.Best != snippet.Spacing && j.Ignoring == "") || len(j.At) != 1 || j.At[0] != keys[0] {
				continue
			}
			o := s.q.Options[keys[0]]
			ignoring := snippet.Difference(o.Text, actual)
			if j.Ignoring != "" {
				// Compared with less than was printed: say what was left
				// out, and what else the match ignored.
				if j.Best >= snippet.Normal {
					ignoring = j.Ignoring
				} else {
					ignoring = j.Ignoring + " and " + ignoring
				}
				actual = s.o.Actual()
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(o.Node), Question: s.q,
				Message: fmt.Sprintf("option %s matches what the snippet %s only when ignoring %s: %s vs %s", o.Letter, verb(s.q), ignoring, show(o.Text), show(actual)),
				Hint:    "write the option exactly as it is printed"})
		}
	},
}

// Nondeterministic reports output that differs between runs.
var Nondeterministic = &lint.Rule{
	Code: "QB509", Name: "nondeterministic-output", Severity: lint.Error,
	Summary: "the output depends on set ordering, randomness or time",
	Doc: `Snippets that build sets, call hash() or id(), or use random, time, os or
sys run twice, under PYTHONHASHSEED 0 and 1; when the two outputs differ,
or the output shows an object address ("at 0x…"), the key cannot be right
for everyone — unless the keyed option writes the address as a placeholder
("<__main__.Box object at 0x...>") and matches with any address there. Sort the set, seed the generator, or print something stable.`,
	Bad:  `source = "print({'apple', 'banana', 'cherry'})"`,
	Good: `source = "print(sorted({'apple', 'banana', 'cherry'}))"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			c := s.q.Code
			if c.Expect != "output" && c.Expect != "value" {
				continue
			}
			first := s.o.Actual()
			if len(s.o.Runs) > 1 {
				second := s.o.Runs[1]
				other := string(second.Stdout)
				if c.Expect == "value" {
					other = second.Value
				}
				if other != first {
					p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
						Message: fmt.Sprintf("output depends on set ordering, randomness or time: %s under one hash seed, %s under another", show(first), show(other)),
						Hint:    "sort sets before printing them, seed random, avoid time and ids"})
					continue
				}
			}
			if strings.Contains(first, " at 0x") && !keyElidesAddress(s.q, first) {
				p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
					Message: "output shows an object address, which differs between runs: " + show(first),
					Hint:    "print a value, not the object (define __repr__ or print an attribute)"})
			}
		}
	},
}

// addressRe is an object address as Python prints it, and placeholderRe
// one as a key writes it to say "any address": 0x..., 0x…, 0xXXXX.
var (
	addressRe     = regexp.MustCompile(`\b0x[0-9a-fA-F]+`)
	placeholderRe = regexp.MustCompile(`\b0x(?:\.\.\.|…|[xX.]+|[0-9a-fA-F]+(?:\.\.\.|…))`)
)

// keyElidesAddress reports whether the one keyed option writes the
// printed object's address as a placeholder ("<__main__.Box object at
// 0x...>") and matches the output with every address read as one.
func keyElidesAddress(q *bank.Question, actual string) bool {
	keys := q.KeyIndexes()
	if len(keys) != 1 || q.Multiple() {
		return false
	}
	key := OptionTexts(q)[keys[0]]
	if !placeholderRe.MatchString(key) {
		return false
	}
	const any = "0x…"
	return snippet.Compare(placeholderRe.ReplaceAllString(key, any), addressRe.ReplaceAllString(actual, any)) >= snippet.Normal
}

// MissingModule reports snippets whose required modules are missing.
var MissingModule = &lint.Rule{
	Code: "QB510", Name: "missing-module", Severity: lint.Error,
	Summary: "a module the snippet requires is not installed",
	Doc: `requires = ["numpy"] names modules the snippet imports from the
interpreter's own site-packages. When one is missing the snippet is not
run, and this finding says so — never a wrong-key verdict.`,
	Bad:  `requires = ["numpy"]  # on a Python without numpy`,
	Good: `requires = ["numpy"]  # after pip install numpy for that Python`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			if s.o.Err != nil || len(s.r.Missing) == 0 {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "requires")), Question: s.q,
				Message: fmt.Sprintf("needs %s, not installed for %s", strings.Join(s.r.Missing, ", "), s.o.Python),
				Hint:    "install it for that interpreter, or choose one with --python"})
		}
	},
}

// SnippetLimit reports snippets stopped by a sandbox limit.
var SnippetLimit = &lint.Rule{
	Code: "QB511", Name: "snippet-limit", Severity: lint.Error,
	Summary: "the snippet hit a sandbox limit",
	Doc: `Snippets run with limits (by default 2 s of CPU, 3 s of wall time, 512 MiB
of memory, 64 KiB of output each for stdout and stderr). A snippet that
exceeds one is stopped and its answer cannot be checked. Quiz snippets
should be tiny; raise the limit in qbank.toml's [sandbox] if one must not be.`,
	Bad:  `source = "while True: pass"`,
	Good: `source = "print(sum(range(10)))"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			if s.o.Err != nil {
				continue
			}
			why := s.o.Limit()
			if why == "" {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
				Message: "the snippet was stopped: " + why,
				Hint:    "make the snippet smaller, or raise the limit in qbank.toml [sandbox]"})
		}
	},
}

// NoValue reports value questions whose snippet has no value to snippet.
var NoValue = &lint.Rule{
	Code: "QB512", Name: "no-value", Severity: lint.Error,
	Summary: "a value question whose snippet has no value",
	Doc: `expect = "value" compares the keyed option with the repr of the snippet's
last expression (as the Python REPL would echo it), or of the expression
of = "…" evaluated in the snippet's namespace after it ran: a variable
(of = "y"), or a derived answer (of = "len(result)", of = 'stdout.count("hi")',
where stdout is the text the shown source printed, unless the snippet
defines stdout itself). The snippet must end with an expression, or define
the variable, and the expression must not raise.`,
	Bad:  `source = "y = 2 * 3"` + "\n" + `expect = "value"` + "\n" + `of = "len(z)"`,
	Good: `source = "y = 2 * 3"` + "\n" + `expect = "value"` + "\n" + `of = "y"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, false) {
			if s.q.Code.Expect != "value" || s.r.Exception != nil || s.r.HasValue {
				continue
			}
			if e := s.r.OfError; e != nil {
				p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "of")), Question: s.q,
					Message: fmt.Sprintf("of = %s raised %s after the snippet ran", show(s.q.Code.Of), excText(e)),
					Hint:    "fix the expression: it is evaluated in the snippet's namespace, and stdout is the text the shown source printed"})
				continue
			}
			msg := "the snippet's last statement is not an expression, so it has no value"
			if s.q.Code.Of != "" {
				msg = fmt.Sprintf("the snippet does not define %q", s.q.Code.Of)
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q, Message: msg,
				Hint: `end the snippet with the expression asked about, or set of = "name"`})
		}
	},
}

// SandboxTampering reports snippets that changed the sandbox or forged
// their own report.
var SandboxTampering = &lint.Rule{
	Code: "QB514", Name: "sandbox-tampering", Severity: lint.Error,
	Summary: "the snippet changed the sandbox or forged its own report",
	Doc: `The snippet (or its hidden before/after code) did something that would let it
change the verdict of other questions or of its own: it changed the worker
process that runs the next snippets (its limits, priority, CPU affinity or
scheduler), or it wrote to the runner's private report channel, or the
report did not agree with what the sandbox saw from outside (exit status,
traceback). The sandbox threw the worker away and ran the snippet again on a
fresh one, with the same result. Nothing the snippet reported is trusted and
the result is never cached: rewrite the code so that it leaves the sandbox
alone.`,
	Bad:  `before = "import os; os.write(3, b'forged')"` + "\n" + `source = "print(1)"`,
	Good: `source = "print(1)"`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			why := s.o.TamperedWith()
			if why == "" || s.o.Err != nil {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
				Message: "the snippet tampered with the sandbox, so its result is not trusted: " + why,
				Hint:    "leave the sandbox's own processes and file descriptors alone (fd 3 is the runner's)"})
		}
	},
}

// SandboxFailure reports snippets the sandbox could not run.
var SandboxFailure = &lint.Rule{
	Code: "QB513", Name: "sandbox-failure", Severity: lint.Error,
	Summary: "the sandbox failed to run a snippet",
	Doc: `The sandbox itself failed (not the snippet): the interpreter could not start,
a worker died. The snippet's answer is unchecked; the message says why.`,
	Run: func(p *lint.Pass) {
		for _, s := range snippets(p, true) {
			if s.o.Err == nil {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(codeField(s.q, "source")), Question: s.q,
				Message: "the sandbox could not run the snippet: " + s.o.Err.Error()})
		}
	},
}
