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
				Hint:    "add " + s.keys() + ` to [question.code] (or expect = "compiles" if the code is only to be compiled)`})
		}
	},
}

// expectSuggestion is the expect a question should have, and why.
type expectSuggestion struct {
	expect, error, of string
	stdin             bool // the code reads input() and has no stdin
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
	if s.stdin {
		out += `, stdin = "…\n"`
	}
	return out
}

var (
	// excTypeRe finds exception type names in an option.
	excTypeRe = regexp.MustCompile(`\b(?:[A-Za-z_][A-Za-z0-9_]*\.)*(?:[A-Z][A-Za-z0-9]*(?:Error|Exception)|StopIteration|StopAsyncIteration|KeyboardInterrupt|SystemExit|GeneratorExit)\b`)
	// vagueErrorRe is an option that says the code fails without naming how.
	vagueErrorRe = regexp.MustCompile(`(?i)^\s*(?:it |the code |the program |this )?(?:raises|throws|gives|produces)(?: an?)? (?:error|exception)\b|^\s*(?:an? )?(?:runtime )?(?:error|exception)(?: is (?:raised|thrown|generated|produced)| occurs| will occur)?\s*[.!]?\s*$`)

	// Prompts that ask about the snippet's printed output.
	outputRes = []*regexp.Regexp{
		regexp.MustCompile(`\bwhat (?:does|will|would|do|did)\b[^.?!]*\b(?:print|output|display)\b`),
		regexp.MustCompile(`\bwhat(?:'s| is| will be| would be| gets| get| does| do)? ?(?:printed|output|displayed)\b`),
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
		regexp.MustCompile(`\bwhat(?:'s| is| will be| would be)(?: the)? (?:final |resulting )?(?:value|contents?|return value) of\b`),
		regexp.MustCompile(`\bwhat (?:value )?(?:does|will|would)\b[^.?!]*\b(?:return|evaluate to|hold|contain)\b`),
		regexp.MustCompile(`\bwhat (?:is|will be|gets) returned\b`),
		regexp.MustCompile(`\bwhat value (?:is|does|will)\b`),
		regexp.MustCompile("\\bwhat(?:'s| is| will be) `[^`]+` (?:after|at the end|when the code|once)\\b"),
	}
	// partialRe asks about a part of the output ("the last line printed").
	partialRe  = regexp.MustCompile(`\b(?:last|final|next) (?:line|character|word|item|element|number|value)s? (?:printed|of (?:the )?output|in the output|output|displayed|shown)\b|\bon the (?:last|final) line\b`)
	codeSpanRe = regexp.MustCompile("`([^`]+)`")
	// stdinClauseRe is a clause that states the input a question's stdin
	// gives: "if the user enters `3`", "when the input is `4 9 1`".
	stdinClauseRe = regexp.MustCompile("\\b(?:(?:if|when) (?:the user|you|someone) (?:enters|types|inputs|gives|provides)(?: (?:the )?(?:input|value|number|text|string|word|line|lines))?|(?:if|when|given) the input is|for (?:the )?input|given (?:the )?input) (?:`…`|[^\\s`]+)")
	identRe       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	callRe        = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\(.*\)$`)
	valueOfWord   = regexp.MustCompile(`\b(?:value|contents?) of (?:the (?:variable|list|dict|string|name) )?([A-Za-z_][A-Za-z0-9_]*)\b`)
	// noAnswerRe are keyed options that no run can be compared with.
	noAnswerRe = regexp.MustCompile(`(?i)^\s*(?:none of (?:the|these)(?: above)?|all of (?:the|these)(?: above)?|it depends|nothing|no output|it runs forever|infinite loop|an infinite loop|undefined|unknown)\s*\.?\s*$`)
)

// vetoWords and vetoPhrases mark prompts no run answers, or that ask about
// another program than the snippet: what-if, fill-in, which line, how many,
// a part of the output. A word ending in "*" is a stem.
var (
	vetoWords = strings.Fields(`why valid statement statements should could blank fill missing complete explain* describ*
		purpose best difference instead without modif* chang* remov* replac* add added adding complexity big-o stderr
		file files log logs catch* caught handl* during inside before iteration iterations mean means possible might true
		correct first second third fourth fifth fix fixes bug* wrong`)
	vetoPhrases = []string{"how many", "how often", "how long", "which line", "which lines", "which snippet", "which code",
		"which option", "which version", "which function", "which expression", "which loop",
		"which of these snippets", "which of these lines", "which of these programs", "what line", "line number",
		"so that", "in order to", "to print", "to output", "to display", "to return", "to raise", "would you",
		"if we", "if you", "if the", "if it", "if this", "if that", "if line", "type of", "length of", "at line",
		"called with", "when called", "when passed", "when given", "for the input", "for input", "on python", "on windows",
		"after one", "after two", "after three"}
)

// paddedVetoPhrases are the phrases with a space at each end, to match
// whole words.
var paddedVetoPhrases = func() []string {
	out := make([]string, len(vetoPhrases))
	for i, p := range vetoPhrases {
		out[i] = " " + p + " "
	}
	return out
}()

// vetoed reports whether a prompt (lower case, code spans blanked) asks
// something no run of the snippet answers.
func vetoed(prompt string) bool {
	if strings.Contains(prompt, "___") || strings.Contains(prompt, "o(") || hasAny(prompt, "last", "final", "next") && partialRe.MatchString(prompt) {
		return true
	}
	words := strings.FieldsFunc(prompt, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '\'')
	})
	for i, w := range words {
		for _, v := range vetoWords {
			if w == v || strings.HasSuffix(v, "*") && strings.HasPrefix(w, v[:len(v)-1]) {
				return true
			}
		}
		if w == "line" && i+1 < len(words) && words[i+1][0] >= '0' && words[i+1][0] <= '9' {
			return true // "line 3"
		}
	}
	joined := " " + strings.Join(words, " ") + " "
	for _, p := range paddedVetoPhrases {
		if strings.Contains(joined, p) {
			return true
		}
	}
	return false
}

// cues are the word parts without which no prompt asks what the code
// does: most prompts are let go by this check alone.
var cues = []string{"print", "output", "display", "error", "exception", "rais", "throw", "happen", "result", "outcome",
	"value", "return", "evaluat", "hold", "contain", "content", "`"}

func hasCue(prompt string) bool { return hasAny(prompt, cues...) }

// hasAny reports whether s contains one of the parts: a cheap test before
// the regular expressions.
func hasAny(s string, parts ...string) bool {
	for _, p := range parts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

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
	s, ok := decideExpect(q)
	if ok && q.Code.Node.Get("stdin") == nil && inputRe.MatchString(q.Code.Before+"\n"+q.Code.Source+"\n"+q.Code.After) {
		s.stdin = true
	}
	return s, ok
}

func decideExpect(q *bank.Question) (expectSuggestion, bool) {
	c := q.Code
	if c == nil || c.Node.Get("expect") != nil || c.Language != "python" || q.OptionsAreCode() {
		return expectSuggestion{}, false
	}
	switch {
	case c.Node.Get("error") != nil:
		return expectSuggestion{expect: "error", error: c.Error, why: "error is given"}, true
	case c.Node.Get("output") != nil:
		// Output printed before an error, when the keyed option names the
		// error and the output does not.
		if keys := q.KeyIndexes(); len(keys) == 1 {
			if types := uniqStrings(excTypeRe.FindAllString(q.Options[keys[0]].Text, -1)); len(types) == 1 && !strings.Contains(c.Output, types[0]) {
				return expectSuggestion{expect: "error", error: types[0], why: "output is given and the keyed option names " + types[0]}, true
			}
		}
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
	if !hasCue(prompt) {
		return expectSuggestion{}, false
	}
	words := codeSpanRe.ReplaceAllString(prompt, "`…`")
	if c.Stdin != "" {
		// "…if the user enters `3`?" names the stdin the question gives:
		// not a what-if about another program.
		words = stdinClauseRe.ReplaceAllString(words, "")
	}
	if vetoed(words) || noAnswerRe.MatchString(key) {
		return expectSuggestion{}, false
	}
	asksError := hasAny(words, "error", "exception", "rais", "throw") && anyMatch(errorRes, words)
	asksOutput := hasAny(words, "print", "output", "display") && anyMatch(outputRes, words)
	asksValue := hasAny(words, "value", "return", "evaluat", "hold", "contain", "content", "`") && anyMatch(valueRes, words)
	happens := hasAny(words, "happen", "result", "outcome") && anyMatch(happensRes, words)
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
func printsSomething(src string) bool {
	return hasAny(src, "print", "write", "display") && printRe.MatchString(src)
}

// assigns reports whether the source binds or changes name on one of its
// lines: name = …, name += …, a, name = …, name: int = …, name[0] = …,
// for name in …, def name, class name, import name, name.append(…).
func assigns(src, name string) bool {
	if !strings.Contains(src, name) {
		return false
	}
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(t, "for "); ok {
			if targets, _, ok := strings.Cut(rest, " in "); ok && hasName(targets, name) {
				return true
			}
			continue
		}
		for _, kw := range []string{"def ", "class ", "import "} {
			if rest, ok := strings.CutPrefix(t, kw); ok && hasName(strings.SplitN(rest, "(", 2)[0], name) {
				return true
			}
		}
		if rest, ok := strings.CutPrefix(t, name+"."); ok {
			for _, m := range []string{"append(", "extend(", "insert(", "pop(", "remove(", "add(", "update(", "sort(", "reverse(", "clear("} {
				if strings.HasPrefix(rest, m) {
					return true
				}
			}
		}
		if lhs, ok := assignmentTarget(t); ok && hasName(lhs, name) {
			return true
		}
	}
	return false
}

// assignmentTarget returns the left-hand side of an assignment statement
// (plain, augmented or annotated), without its operator.
func assignmentTarget(t string) (string, bool) {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\'', '"', '#':
			return "", false // a string or a comment comes first
		case '(':
			if i > 0 {
				return "", false // a call comes first
			}
		case ':':
			return t[:i], strings.Contains(t[i:], "=") // name: int = …
		case '=':
			if i+1 < len(t) && t[i+1] == '=' || i > 0 && strings.IndexByte("=<>!", t[i-1]) >= 0 && (i < 2 || t[i-2] != t[i-1]) {
				return "", false // a comparison
			}
			return strings.TrimRight(t[:i], "+-*/%&|^@<> "), i > 0
		}
	}
	return "", false
}

// hasName reports whether name is one of the names in a target list.
func hasName(targets, name string) bool {
	for _, f := range strings.FieldsFunc(targets, func(r rune) bool { return strings.ContainsRune(" ,()[]*", r) }) {
		if f == name {
			return true
		}
	}
	return false
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
