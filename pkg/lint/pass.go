package lint

import (
	"fmt"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// Span is a range of bytes in a bank's file.
type Span struct{ Start, End int }

// KeySpan covers the key that names n (or the value, for array items).
func KeySpan(n *tomltree.Node) Span {
	if n == nil {
		return Span{}
	}
	if n.KeyStart >= 0 {
		return Span{n.KeyStart, n.KeyEnd}
	}
	return ValueSpan(n)
}

// ValueSpan covers n's value (a table's header, for tables).
func ValueSpan(n *tomltree.Node) Span {
	if n == nil {
		return Span{}
	}
	return Span{n.Start, n.End}
}

// Finding is what a rule reports.
type Finding struct {
	// File is the bank the finding is in; Pass.Bank's file when nil.
	File *File
	Span Span
	// Question is the question the finding is about, if any.
	Question *bank.Question
	Message  string // lower-case, no trailing period
	Hint     string // how to fix it, if there is something to say
	// Related points at another place, e.g. the first of two duplicates.
	Related *RelatedFinding
}

// RelatedFinding is a second location of a finding.
type RelatedFinding struct {
	File    *File
	Span    Span
	Message string
}

// Pass is what a rule sees while it runs.
type Pass struct {
	Rule   *Rule
	Config *Config
	// File and Bank are the file under check; Bank is nil when it did not
	// parse. Both are nil for ScopeRun rules.
	File *File
	Bank *bank.Bank
	// Files are every file of the run, sorted by path.
	Files []*File

	report func(Finding)
}

// Report records a finding.
func (p *Pass) Report(f Finding) { p.report(f) }

// Reportf records a finding with a formatted message.
func (p *Pass) Reportf(span Span, q *bank.Question, format string, args ...any) {
	p.report(Finding{Span: span, Question: q, Message: fmt.Sprintf(format, args...)})
}
