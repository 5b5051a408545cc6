package lint

import (
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/tomltree"
	"github.com/qbank-dev/qbank/schema"
)

// File is one bank file of a run.
type File struct {
	Path string
	// ReadErr is set when the file could not be read.
	ReadErr error
	// Doc is the parsed file; on a syntax error it holds the source only.
	Doc *tomltree.Document
	// SyntaxErr is set when the file is not valid TOML.
	SyntaxErr *tomltree.SyntaxError
	// Bank is the decoded bank; nil when the file did not parse, or was
	// not taken as a bank (NotBank).
	Bank *bank.Bank
	// NotBank says why a .toml file found in a directory was not taken as
	// a bank although its top-level tables nearly name one ("[Bank]",
	// "[[questions]]"); Bank is nil then.
	NotBank string
	// Snippets are the outcomes of the bank's code snippets by question
	// index, set by whoever ran them (package linter); nil when they were
	// not run. Read them with Outcome.
	Snippets map[int]*snippet.Outcome
	// OptionSnippets are, for questions whose options are code (run =
	// "options"), each option's outcome in option order, by question
	// index; set like Snippets. Read them with OptionOutcomes.
	OptionSnippets map[int][]*snippet.Outcome

	schemaOnce     sync.Once
	schemaProblems []schema.Problem
	schemaErr      error
}

// Schema returns the problems of the bank against the JSON Schema,
// computed on first use and kept: every structure rule reads the same
// check. The error is set when the check itself could not run.
func (f *File) Schema() ([]schema.Problem, error) {
	f.schemaOnce.Do(func() {
		if f.Bank != nil {
			f.schemaProblems, f.schemaErr = schema.Check(f.Doc)
		}
	})
	return f.schemaProblems, f.schemaErr
}

// Outcome returns the outcome of a question's snippet, or nil when it has
// none or it was not run.
func (f *File) Outcome(q *bank.Question) *snippet.Outcome {
	return f.Snippets[q.Index]
}

// OptionOutcomes returns the outcomes of a code-options question's
// options, in option order, or nil when they were not run.
func (f *File) OptionOutcomes(q *bank.Question) []*snippet.Outcome {
	return f.OptionSnippets[q.Index]
}

// NewFile parses src into a File. It never fails: problems are kept on the
// File for the rules to report.
func NewFile(path string, src []byte) *File {
	f := &File{Path: path}
	doc, err := tomltree.Parse(src)
	f.Doc = doc
	if err != nil {
		var se *tomltree.SyntaxError
		if errors.As(err, &se) {
			f.SyntaxErr = se
		} else {
			f.SyntaxErr = &tomltree.SyntaxError{Start: 0, End: 0, Related: -1, Msg: err.Error()}
		}
		return f
	}
	f.Bank = bank.Decode(path, doc)
	return f
}

// UnreadableFile records a file that could not be read.
func UnreadableFile(path string, err error) *File {
	return &File{Path: path, ReadErr: err, Doc: &tomltree.Document{Root: &tomltree.Node{Kind: tomltree.Table}}}
}

// Position converts a byte offset of the file into a line and column.
func (f *File) Position(off int) tomltree.Position {
	if f.Doc == nil || f.Doc.Src == nil {
		return tomltree.Position{Line: 1, Col: 1}
	}
	return f.Doc.Position(off)
}

// Release returns what is left of a checked file for reports and for the
// rules that look across files: its path, problems, source and qbank:ignore
// comments (code frames, suppressions), and for a bank
// its id, [bank] table and its questions' ids and places (cross-bank rules,
// JUnit test cases). The parse tree, the questions' content and the
// snippet outcomes are dropped, so a long run does not hold them all.
func (f *File) Release() *File {
	r := &File{Path: f.Path, ReadErr: f.ReadErr, SyntaxErr: f.SyntaxErr, NotBank: f.NotBank}
	// Its rules have run: the schema check is not to run again on what is
	// left (only its error, if any, is kept).
	_, r.schemaErr = f.Schema()
	r.schemaOnce.Do(func() {})
	if f.Doc != nil {
		r.Doc = &tomltree.Document{Root: &tomltree.Node{Kind: tomltree.Table}, Src: f.Doc.Src}
		if slices.ContainsFunc(f.Doc.Comments, func(c tomltree.Comment) bool { return strings.Contains(c.Text, DirectivePrefix) }) {
			r.Doc.Comments = f.Doc.Comments
		}
	}
	if b := f.Bank; b != nil {
		nb := &bank.Bank{Path: b.Path, Doc: r.Doc, Node: b.Node, ID: b.ID, Title: b.Title, Topic: b.Topic}
		// One allocation each for the questions and their places.
		qs := make([]bank.Question, len(b.Questions))
		nodes := make([]tomltree.Node, len(b.Questions))
		nb.Questions = make([]*bank.Question, len(b.Questions))
		for i, q := range b.Questions {
			qs[i] = bank.Question{Bank: nb, Index: q.Index, ID: q.ID}
			if q.Node != nil {
				nodes[i] = tomltree.Node{Kind: q.Node.Kind, Start: q.Node.Start, End: q.Node.End, KeyStart: q.Node.KeyStart, KeyEnd: q.Node.KeyEnd}
				qs[i].Node = &nodes[i]
			}
			nb.Questions[i] = &qs[i]
		}
		r.Bank = nb
	}
	return r
}
