package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/suggest"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// DifficultyLabel reports difficulty labels outside the configured set.
var DifficultyLabel = &lint.Rule{
	Code: "QB401", Name: "difficulty-label", Severity: lint.Error,
	Summary: "a difficulty that is not one of the configured labels",
	Doc: `Every question carries a difficulty from a fixed set of labels (by default
easy, medium and hard; set difficulty.labels in qbank.toml to change them).
Platforms filter and balance practice sets on it, so "Medium" or "hrad"
would make a question vanish from a filter. Near misses get a suggestion.`,
	Bad:  `difficulty = "Medium"`,
	Good: `difficulty = "medium"`,
	Run: func(p *lint.Pass) {
		labels := p.Config.Labels
		if len(labels) == 0 {
			labels = lint.DefaultLabels
		}
		for _, q := range p.Bank.Questions {
			n := q.Node.Get("difficulty")
			if n == nil || n.Kind != tomltree.String {
				continue // missing or mistyped: the schema rules report it
			}
			if slices.Contains(labels, q.Difficulty) {
				continue
			}
			f := lint.Finding{Span: lint.ValueSpan(n), Question: q,
				Message: fmt.Sprintf("difficulty %q is not one of %s", q.Difficulty, strings.Join(quoted(labels), ", "))}
			if g := suggest.Closest(strings.TrimSpace(q.Difficulty), labels); g != "" {
				f.Hint = fmt.Sprintf("did you mean %q?", g)
			} else {
				f.Hint = "use one of the labels, or add this one to difficulty.labels in qbank.toml"
			}
			p.Report(f)
		}
	},
}

func quoted(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
