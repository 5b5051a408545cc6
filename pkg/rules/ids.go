package rules

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// DuplicateQuestionID reports question ids used twice in a bank.
var DuplicateQuestionID = &lint.Rule{
	Code: "QB202", Name: "duplicate-question-id", Severity: lint.Error,
	Summary: "two questions of a bank share an id",
	Doc: `A question's full id ("bank-id/question-id") names it in exports, reports
and learning platforms, so it must be unique. The finding sits on the
second use and points at the first.`,
	Bad: `[[question]]
id = "sum"
[[question]]
id = "sum"`,
	Good: `[[question]]
id = "sum"
[[question]]
id = "sum-of-list"`,
	Run: func(p *lint.Pass) {
		first := map[string]int{}
		for i, q := range p.Bank.Questions {
			if q.ID == "" {
				continue
			}
			j, dup := first[q.ID]
			if !dup {
				first[q.ID] = i
				continue
			}
			prev := p.Bank.Questions[j]
			p.Report(lint.Finding{
				Span: lint.ValueSpan(q.Node.Get("id")), Question: q,
				Message: fmt.Sprintf("question id %q is already used by question #%d", q.ID, prev.Index+1),
				Hint:    "give each question of a bank its own id",
				Related: &lint.RelatedFinding{Span: lint.ValueSpan(prev.Node.Get("id")), Message: "first used here"},
			})
		}
	},
}

// DuplicateBankID reports bank ids used by two files.
var DuplicateBankID = &lint.Rule{
	Code: "QB203", Name: "duplicate-bank-id", Severity: lint.Error, Scope: lint.ScopeRun,
	Summary: "two banks share an id",
	Doc: `Bank ids must be unique across every bank linted together: exports and
full question ids are built on them. Files are taken in path order, so the
finding is on the later path and names the earlier one; with
--changed-since the finding is on the changed file.`,
	Bad:  `# loops.toml and loops-copy.toml both say: id = "loops"`,
	Good: `# loops.toml: id = "loops"; loops-copy.toml: id = "loops-advanced"`,
	Run: func(p *lint.Pass) {
		first := map[string]*lint.File{}
		files := p.Files
		if focus := p.Config.Focus; focus != nil {
			// Unchanged files first, so the finding lands on a changed one.
			files = slices.Clone(files)
			slices.SortStableFunc(files, func(a, b *lint.File) int {
				return cmp.Compare(b2i(focus[a.Path]), b2i(focus[b.Path]))
			})
		}
		for _, f := range files {
			if f.Bank == nil || f.Bank.ID == "" {
				continue
			}
			prev, dup := first[f.Bank.ID]
			if !dup {
				first[f.Bank.ID] = f
				continue
			}
			p.Report(lint.Finding{
				File: f, Span: lint.ValueSpan(f.Bank.Node.Get("id")),
				Message: fmt.Sprintf("bank id %q is already used by %s", f.Bank.ID, prev.Path),
				Hint:    "give each bank its own id",
				Related: &lint.RelatedFinding{File: prev, Span: lint.ValueSpan(prev.Bank.Node.Get("id")), Message: "first used here"},
			})
		}
	},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
