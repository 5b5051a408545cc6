package lint

import (
	"cmp"
	"slices"
)

// Diagnostic is a finding placed in its file, ready for a report.
// Lines and columns are 1-based; columns count Unicode characters; the end
// is exclusive.
type Diagnostic struct {
	File      string     `json:"file"`
	Line      int        `json:"line"`
	Column    int        `json:"column"`
	EndLine   int        `json:"end_line"`
	EndColumn int        `json:"end_column"`
	Severity  Severity   `json:"severity"`
	Code      string     `json:"code"`
	Rule      string     `json:"rule"`
	Message   string     `json:"message"`
	Hint      string     `json:"hint,omitempty"`
	Question  string     `json:"question,omitempty"`
	Related   []Location `json:"related,omitempty"`

	// Offset and EndOffset are the byte range in the file.
	Offset    int `json:"-"`
	EndOffset int `json:"-"`
}

// Location is a secondary place a diagnostic refers to.
type Location struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message,omitempty"`
}

// Sort puts diagnostics in their report order: by file, position, code and
// message, so that a run prints the same bytes whatever the order of its
// inputs.
func Sort(ds []Diagnostic) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
			cmp.Compare(a.EndLine, b.EndLine),
			cmp.Compare(a.EndColumn, b.EndColumn),
		)
	})
}

// Counts tallies diagnostics by severity.
type Counts struct {
	Errors, Warnings, Infos int
}

// Count tallies ds.
func Count(ds []Diagnostic) Counts {
	var c Counts
	for _, d := range ds {
		switch d.Severity {
		case Error:
			c.Errors++
		case Warning:
			c.Warnings++
		case Info:
			c.Infos++
		}
	}
	return c
}
