package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
)

// ForgottenExpect warns about code questions that ask what their code does
// but leave expect at its default, "compiles", so the key is never
// compared with what the code does.
var ForgottenExpect = &lint.Rule{
	Code: "QB518", Name: "forgotten-expect", Severity: lint.Warning,
	Summary: "the prompt asks what the code does, but expect is not set, so the key is never checked",
	Doc: `Without expect, a snippet is only compiled (expect = "compiles"): fine for a
conceptual question, but a question that asks what the code prints, returns
or raises then passes whatever its key says. When [question.code] has no
expect key and the prompt's wording (and the options) say what is asked,
the finding names the expect to add:

- "what does this print / output / display", "what is the output" →
  expect = "output";
- an exception type named by the keyed option, or "which exception is
  raised" → expect = "error" with error = the keyed option's exception;
- "what is the value of x", "what does f(2) return / evaluate to" →
  expect = "value", with of = "x" when the prompt names a variable the code
  assigns.

An output, error or of key given without expect is also reported. The rule
stays quiet on prompts that ask something no run can answer ("Which line has
a bug?", "What does this code do?", "How many times does the loop run?",
"Is this valid syntax?") and on what-if prompts ("…if we change x to 3?").
Set expect = "compiles" to say the code is only to be compiled.`,
	Bad: `prompt = "What does this code print?"
options = ["0 1 2", "1 2 3"]
answer = "A"
[question.code]
source = "for i in range(3): print(i)"`,
	Good: `prompt = "What does this code print?"
options = ["0 1 2", "1 2 3"]
answer = "A"
[question.code]
source = "for i in range(3): print(i)"
expect = "output"`,
	Run: func(p *lint.Pass) {
		for _, q := range p.Bank.Questions {
			s, ok := suggestExpect(q)
			if !ok {
				continue
			}
			p.Report(lint.Finding{Span: lint.ValueSpan(q.Code.Node), Question: q,
				Message: fmt.Sprintf("%s, but [question.code] has no expect, so the snippet is only compiled and the key is never checked", s.why),
				Hint:    "add " + s.keys() + " to [question.code]"})
		}
	},
}

// expectSuggestion is the expect a question should have, and why.
type expectSuggestion struct {
	expect, error, of string
	why               string
}

func (s expectSuggestion) keys() string {
	out := fmt.Sprintf("expect = %q", s.expect)
	if s.error != "" {
		out += fmt.Sprintf(", error = %q", s.error)
	}
	if s.of != "" {
		out += fmt.Sprintf(", of = %q", s.of)
	}
	return out
}

var (
	// excTypeRe finds exception type names in an option.
	excTypeRe = regexp.MustCompile(`\b(?:[A-Za-z_][A-Za-z0-9_]*\.)*(?:[A-Z][A-Za-z0-9]*(?:Error|Exception)|StopIteration|StopAsyncIteration|KeyboardInterrupt|SystemExit|GeneratorExit)\b`)
	// vagueErrorRe is an option that says the code fails without naming how.
	vagueErrorRe = regexp.MustCompile(`(?i)^\s*(?:it |the code |this )?(?:raises|throws)(?: an?)? (?:error|exception)\b|^\s*(?:an? )?(?:error|exception)(?: is raised| occurs)?\s*\.?\s*$`)

	// Prompts that ask about the snippet's printed output.
	outputRes = []*regexp.Regexp{
		regexp.MustCompile(`\bwhat(?:'s| is| will be| would be| gets| get| does| do)? ?(?:printed|output|displayed)\b`),
		regexp.MustCompile(`\bwhat (?:does|will|would|do|did)\b[^.?!]*\b(?:print|output|display)\b`),
		regexp.MustCompile(`\b(?:what|which)(?: of the following)?(?:'s| is| will be| would be) the (?:exact |expected |correct )?output\b`),
		regexp.MustCompile(`\bwhich of the following (?:is|will be|gets) (?:printed|displayed)\b`),
		regexp.MustCompile(`\bpredict the output\b`),
		regexp.MustCompile(`^(?:the )?output(?: of [^.?!]*)? is\b`),
	}
	// Prompts that ask which exception the snippet raises.
	errorRes = []*regexp.Regexp{
		regexp.MustCompile(`\b(?:what|which)(?: kind of| type of)? (?:error|exception)\b[^.?!]*\b(?:raise[sd]?|thrown|throws?|occurs?|happens?|stops|produced?|get|see|results?)\b`),
		regexp.MustCompile(`\bwhat (?:does|will|would) [^.?!]*\b(?:raise|throw)\b`),
	}
	// Prompts that ask what happens: the options decide.
	happensRes = []*regexp.Regexp{
		regexp.MustCompile(`\bwhat happens\b`),
		regexp.MustCompile(`\bwhat is the (?:result|outcome)\b`),
	}
	// Prompts that ask for the value of an expression or a variable.
	valueRes = []*regexp.Regexp{
		regexp.MustCompile("\\bwhat(?:'s| is| will be| would be)(?: the)? (?:final |resulting )?(?:value|contents?|return value) of\\b"),
		regexp.MustCompile(`\bwhat (?:value )?(?:does|will|would)\b[^.?!]*\b(?:return|evaluate to|hold|contain)\b`),
		regexp.MustCompile(`\bwhat (?:is|will be|gets) returned\b`),
		regexp.MustCompile(`\bwhat value (?:is|does|will)\b`),
		regexp.MustCompile("\\bwhat(?:'s| is| will be) `[^`]+` (?:after|at the end|when the code|once)\\b"),
	}
	// Prompts no run answers, or that ask about another program than the
	// snippet (what-if, fill-in, which line, how many…).
	vetoRe      = regexp.MustCompile(`\bhow (?:many|often|long)\b|\b(?:first|last|second|third|final|next) (?:line|character|word|item|element|number|value)s? (?:printed|of (?:the )?output|in the output|output|displayed|shown)\b|\bon the (?:first|last|second|third|final) line\b|\bwhich (?:line|lines|snippet|code|option|version|function|statement|expression|loop|of these (?:snippets|lines|programs))\b|\bwhat line\b|\bline number\b|\bbug|\bwrong with\b|\bfix\b|\bwhy\b|\bvalid\b|\bstatements?\b|\bshould\b|\bcould\b|\bwould you\b|\breplace|\bblank\b|_{3,}|\bfill\b|\bmissing\b|\bcomplete\b|\bso that\b|\bin order to\b|\bto (?:print|output|display|return|raise)\b|\bexplain|\bdescribe|\bpurpose\b|\bbest\b|\bdifference\b|\bif (?:we|you|the|it|this|that|line)\b|\binstead\b|\bwithout\b|\bmodif|\bchang|\bremov|\badd(?:ed|ing)?\b|\bcomplexity\b|\bbig-o\b|\bo\(|\bstderr\b|\bfile\b|\blog\b|\btype of\b|\blength of\b|\bcatch|\bhandle|\bduring\b|\binside\b|\bbefore\b|\biteration\b|\bafter (?:the )?(?:first|second|third|\d+|line|one|two|three)\b|\bat line\b|\b(?:first|second|third|fourth|fifth)\b|\bline \d+\b|\bcalled with\b|\bwhen (?:called|passed|given)\b|\bfor (?:the )?input\b|\bon (?:python ?2|windows)\b|\bmean\b|\bpossible\b|\bmight\b|\btrue\b|\bcorrect\b`)
	codeSpanRe  = regexp.MustCompile("`([^`]+)`")
	identRe     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	callRe      = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\(.*\)$`)
	valueOfWord = regexp.MustCompile(`\b(?:value|contents?) of (?:the (?:variable|list|dict|string|name) )?([A-Za-z_][A-Za-z0-9_]*)\b`)
	// noAnswerRe are keyed options that no run can be compared with.
	noAnswerRe = regexp.MustCompile(`(?i)^\s*(?:none of (?:the|these)(?: above)?|all of (?:the|these)(?: above)?|it depends|nothing|no output|it runs forever|infinite loop|an infinite loop|undefined|unknown)\s*\.?\s*$`)
)

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// suggestExpect decides, from the question's other code keys, its prompt
// and its options, the expect that its snippet was forgotten, if any can be
// told with confidence.
func suggestExpect(q *bank.Question) (expectSuggestion, bool) {
	c := q.Code
	if c == nil || c.Node.Get("expect") != nil || c.Language != "python" || q.OptionsAreCode() {
		return expectSuggestion{}, false
	}
	switch {
	case c.Node.Get("error") != nil:
		return expectSuggestion{expect: "error", error: c.Error, why: "error is given"}, true
	case c.Node.Get("output") != nil:
		return expectSuggestion{expect: "output", why: "output is given"}, true
	case c.Node.Get("of") != nil:
		return expectSuggestion{expect: "value", why: "of is given"}, true
	}
	keys := q.KeyIndexes()
	if q.Multiple() || len(keys) != 1 || len(q.Options) < 2 {
		return expectSuggestion{}, false
	}
	key := q.Options[keys[0]].Text
	prompt := strings.ToLower(strings.Join(strings.Fields(q.Prompt), " "))
	// Words inside code spans do not count for the wording: `print(x)`
	// is not a question about printing.
	words := codeSpanRe.ReplaceAllString(prompt, "`…`")
	if vetoRe.MatchString(words) || noAnswerRe.MatchString(key) {
		return expectSuggestion{}, false
	}
	asksError, asksOutput, asksValue := anyMatch(errorRes, words), anyMatch(outputRes, words), anyMatch(valueRes, words)
	happens := anyMatch(happensRes, words)
	if !asksError && !asksOutput && !asksValue && !happens {
		return expectSuggestion{}, false
	}
	// The keyed option names an exception: the code is keyed to raise it.
	if types := uniqStrings(excTypeRe.FindAllString(key, -1)); len(types) == 1 && (asksError || asksOutput || happens) {
		if strings.Contains(c.Source, "except") {
			// The snippet may catch the exception and print its name.
			if asksOutput && !asksError && printsSomething(c.Source) {
				return expectSuggestion{expect: "output", why: "the prompt asks what the code prints"}, true
			}
			return expectSuggestion{}, false
		}
		return expectSuggestion{expect: "error", error: types[0], why: "the keyed option names " + types[0]}, true
	} else if len(types) > 1 {
		return expectSuggestion{}, false
	}
	if asksError {
		if vagueErrorRe.MatchString(key) || !anyOptionNamesException(q) {
			return expectSuggestion{expect: "error", why: "the prompt asks which exception the code raises"}, true
		}
		return expectSuggestion{}, false // the key names no exception while others do
	}
	if vagueErrorRe.MatchString(key) && (asksOutput || happens) {
		return expectSuggestion{expect: "error", why: "the keyed option says the code raises an exception"}, true
	}
	if happens {
		return expectSuggestion{}, false // outputs, values or errors: the options do not say which
	}
	if asksOutput && !asksValue {
		if !printsSomething(c.Source) {
			return expectSuggestion{}, false
		}
		return expectSuggestion{expect: "output", why: "the prompt asks what the code prints"}, true
	}
	if asksValue && !asksOutput {
		return suggestValue(q, prompt)
	}
	return expectSuggestion{}, false
}

// suggestValue decides what a value question evaluates: a variable the
// prompt names and the code assigns, the snippet's last expression, or a
// call in the prompt of a function the code defines.
func suggestValue(q *bank.Question, prompt string) (expectSuggestion, bool) {
	src := q.Code.Source
	why := "the prompt asks for a value"
	var spans []string
	for _, m := range codeSpanRe.FindAllStringSubmatch(q.Prompt, -1) {
		spans = append(spans, strings.TrimSpace(m[1]))
	}
	if m := valueOfWord.FindStringSubmatch(prompt); m != nil && len(spans) == 0 {
		spans = append(spans, m[1])
	}
	for _, s := range spans {
		if identRe.MatchString(s) && assigns(src, s) {
			return expectSuggestion{expect: "value", of: s, why: fmt.Sprintf("the prompt asks for the value of %s", s)}, true
		}
	}
	last := lastStatement(src)
	for _, s := range spans {
		if m := callRe.FindStringSubmatch(s); m != nil && defines(src, m[1]) {
			if strings.ReplaceAll(last, " ", "") == strings.ReplaceAll(s, " ", "") {
				return expectSuggestion{expect: "value", why: why}, true
			}
			return expectSuggestion{expect: "value", of: s, why: fmt.Sprintf("the prompt asks what %s returns", s)}, true
		}
	}
	if len(spans) == 0 && endsWithExpression(last) {
		return expectSuggestion{expect: "value", why: why}, true
	}
	return expectSuggestion{}, false
}

func anyOptionNamesException(q *bank.Question) bool {
	for _, o := range q.Options {
		if excTypeRe.MatchString(o.Text) {
			return true
		}
	}
	return false
}

func uniqStrings(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

var printRe = regexp.MustCompile(`\b(?:print|pprint|write|display)\s*\(`)

// printsSomething reports whether the source has a call that prints.
func printsSomething(src string) bool { return printRe.MatchString(src) }

// assigns reports whether the source binds name at the start of a line:
// name = …, name += …, a, name = …, for name in …, def name, import name.
func assigns(src, name string) bool {
	q := regexp.QuoteMeta(name)
	re := regexp.MustCompile(`(?m)^\s*(?:(?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)*` + q + `\s*(?:,\s*[A-Za-z_][A-Za-z0-9_]*\s*)*(?::[^=\n]*)?(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=[^=]|for\s+(?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)*` + q + `\b|(?:def|class)\s+` + q + `\b|import\s+` + q + `\b|` + q + `\.(?:append|extend|insert|pop|remove|add|update|sort|reverse|clear)\()`)
	return re.MatchString(src)
}

// defines reports whether the source defines a function or class name.
func defines(src, name string) bool {
	return regexp.MustCompile(`(?m)^\s*(?:async\s+)?(?:def|class)\s+`+regexp.QuoteMeta(name)+`\b`).MatchString(src) ||
		regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(name)+`\s*=\s*lambda\b`).MatchString(src)
}

// lastStatement is the last non-blank, non-comment line of the source, if
// it is not indented.
func lastStatement(src string) string {
	lines := strings.Split(src, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimRight(lines[i], " \t\r")
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if l != t {
			return "" // indented: part of a block
		}
		return t
	}
	return ""
}

var statementRe = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_.,\s\[\]'"]*\s*(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=[^=]|(?:def|class|for|while|if|elif|else|try|except|finally|with|import|from|return|pass|break|continue|raise|del|assert|global|nonlocal|async|print)\b|@)`)

// endsWithExpression reports whether a top-level last statement is an
// expression (so expect = "value" takes its repr), not an assignment, a
// block or a call to print.
func endsWithExpression(last string) bool {
	return last != "" && !statementRe.MatchString(last) && !strings.HasSuffix(last, ":")
}
