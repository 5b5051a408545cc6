package rules

import (
	"fmt"
	"maps"
	"slices"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// UnusedSuppression reports qbank:ignore rules that silence nothing. The
// engine does not run it: Suppress reports it after the other rules ran.
var UnusedSuppression = &lint.Rule{
	Code: "QB601", Name: "unused-suppression", Severity: lint.Warning, Scope: lint.ScopeFile,
	Summary: "a qbank:ignore comment that silences nothing",
	Doc: `A "# qbank:ignore CODE -- reason" comment silences the rule CODE on its own
line (at the end of a line) or on the next line (alone on a line). When the
finding it was written for is fixed, the comment stays behind and would
hide the next, unrelated finding of that rule on the line. This rule points
at each rule of a suppression that silenced nothing. Rules that are turned
off in qbank.toml are not reported.`,
	Bad: `[[question]]
id = "sum"
# qbank:ignore QB301 -- the key is checked by hand
answer = "B"   # B exists: nothing to silence`,
	Good: `[[question]]
id = "sum"
answer = "B"`,
}

// InvalidSuppression reports malformed qbank directives.
var InvalidSuppression = &lint.Rule{
	Code: "QB602", Name: "invalid-suppression", Severity: lint.Error, Scope: lint.ScopeFile,
	Summary: "a qbank:ignore comment without a reason, or naming no known rule",
	Doc: `A suppression must name the rules it silences, by code or name and separated
by commas, and say why after "--": "# qbank:ignore QB306 -- both options are
'None' on purpose". The reason is required, so a reviewer can judge it.
A malformed directive silences nothing; a misspelt directive word
("qbank:ingore") is reported too.`,
	Bad:  `answer = "E"  # qbank:ignore QB301`,
	Good: `answer = "E"  # qbank:ignore QB301 -- option E is appended by the exporter`,
}

// DifficultyMinimum reports banks with too few questions of a label.
var DifficultyMinimum = &lint.Rule{
	Code: "QB610", Name: "difficulty-minimum", Severity: lint.Error,
	Summary: "a bank has fewer questions of a difficulty than qbank.toml requires",
	Doc: `A practice set should span its difficulties: set [difficulty.minimum] in
qbank.toml (for example hard = 3) and every bank must have at least that
many questions with the label. Without the table the rule checks nothing.
The finding sits on the bank's [bank] header.`,
	Bad: `# qbank.toml: [difficulty.minimum] hard = 2
[[question]]
id = "a"
difficulty = "hard"
[[question]]
id = "b"
difficulty = "easy"`,
	Good: `# qbank.toml: [difficulty.minimum] hard = 2
[[question]]
id = "a"
difficulty = "hard"
[[question]]
id = "b"
difficulty = "hard"`,
	Run: func(p *lint.Pass) {
		min := p.Config.Minimum
		if len(min) == 0 {
			return
		}
		count := map[string]int{}
		for _, q := range p.Bank.Questions {
			count[q.Difficulty]++
		}
		span := lint.Span{}
		if p.Bank.Node != nil {
			span = lint.ValueSpan(p.Bank.Node)
		}
		for _, label := range slices.Sorted(maps.Keys(min)) {
			want, got := min[label], count[label]
			if got >= want {
				continue
			}
			p.Report(lint.Finding{Span: span,
				Message: fmt.Sprintf("bank has %s; at least %d required", nQuestions(got, label), want),
				Hint:    fmt.Sprintf("add %d %q question(s), or lower difficulty.minimum.%s in qbank.toml", want-got, label, label)})
		}
	},
}

func nQuestions(n int, label string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s question", label)
	}
	return fmt.Sprintf("%d %s questions", n, label)
}

// Suppress applies the qbank:ignore comments of a run's files: see
// lint.Suppress. It returns the silenced diagnostics.
func Suppress(res *lint.Result, cfg *lint.Config) []lint.Diagnostic {
	return lint.Suppress(res, lint.SuppressOptions{
		Rules: All(), Unused: UnusedSuppression, Invalid: InvalidSuppression, Config: cfg,
	})
}
