// Package bank is the question-bank model: a bank's metadata, its
// questions, their options, answer keys and code snippets, decoded from a
// positioned TOML tree so every field can point back at its source.
//
// Decoding is lenient: a value of the wrong type is left empty here and
// reported by the JSON Schema check, so one typo never hides the other
// findings of a file.
package bank

import (
	"strings"

	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// Bank is one TOML file: a lesson's practice set.
type Bank struct {
	Path string             // the file, as it is reported
	Doc  *tomltree.Document // the parsed file
	Node *tomltree.Node     // the [bank] table; nil when missing

	ID, Title, Topic, Summary string
	Tags, Takeaways           []string
	// Match is the bank's default match level for code questions
	// ("exact", "normal", "loose"); "" when not given.
	Match     string
	Questions []*Question
}

// Question is one [[question]] table.
type Question struct {
	Bank  *Bank
	Index int            // 0-based position in the bank
	Node  *tomltree.Node // the [[question]] table

	ID         string
	Type       string // "single" or "multiple"; "single" when not given
	Difficulty string
	Prompt     string
	Options    []Option
	// Answer holds the keyed letters as written ("A", ["A", "C"]).
	Answer      []string
	Hint        string
	Explanation []string
	Mistakes    []string
	Tags        []string
	Code        *Code
}

// Option is one answer option, lettered A, B, C… in order.
type Option struct {
	Letter   string
	Text     string
	Feedback string
	Node     *tomltree.Node // the string or the inline table
}

// Code is a question's [question.code] table.
type Code struct {
	Node     *tomltree.Node
	Language string // "python" when not given
	Source   string
	// Expect is "output", "error", "compiles", "value" or "none";
	// "compiles" when not given.
	Expect    string
	Output    string
	HasOutput bool
	Error     string
	// Of is a Python expression evaluated after the run (expect = "value").
	Of string
	// Match caps how loosely an option may match: "exact", "normal" or
	// "loose"; "" when not given (see MatchLevel).
	Match string
	// Run is "source" (the default) or "options": every option is code.
	Run string
	// Value is, with Run = "options" and expect = "value", the repr the
	// keyed options evaluate to.
	Value    string
	HasValue bool
	Stdin    string
	Before   string
	After    string
	Requires []string
}

// Question types.
const (
	Single   = "single"
	Multiple = "multiple"
)

// MatchLevel is how loosely the question's options may match what its
// code did: its code's match, else its bank's, else "loose".
func (q *Question) MatchLevel() string {
	switch {
	case q.Code != nil && q.Code.Match != "":
		return q.Code.Match
	case q.Bank != nil && q.Bank.Match != "":
		return q.Bank.Match
	}
	return "loose"
}

// OptionsAreCode reports whether the question's options are snippets
// (run = "options").
func (q *Question) OptionsAreCode() bool { return q.Code != nil && q.Code.Run == "options" }

// FullID is the question's id qualified by its bank: "bank/question".
func (q *Question) FullID() string {
	return q.Bank.ID + "/" + q.ID
}

// Multiple reports whether the question takes several keys.
func (q *Question) Multiple() bool { return q.Type == Multiple }

// KeyIndexes returns the option indexes of the keyed letters that exist,
// in the order written, without repeats.
func (q *Question) KeyIndexes() []int {
	var out []int
	seen := map[int]bool{}
	for _, l := range q.Answer {
		i := LetterIndex(l)
		if i >= 0 && i < len(q.Options) && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

// Letter returns the letter of the i-th option: A…Z, then AA, AB…
func Letter(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return Letter(i/26-1) + Letter(i%26)
}

// LetterIndex is the inverse of Letter; it returns -1 for anything that is
// not an upper-case option letter.
func LetterIndex(s string) int {
	if s == "" || len(s) > 3 {
		return -1
	}
	n := 0
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return -1
		}
		n = n*26 + int(c-'A'+1)
	}
	return n - 1
}

// Decode builds the bank model from a parsed file.
func Decode(path string, doc *tomltree.Document) *Bank {
	b := &Bank{Path: path, Doc: doc}
	root := doc.Root
	if t := root.Get("bank"); t != nil && t.Kind == tomltree.Table {
		b.Node = t
		b.ID = str(t.Get("id"))
		b.Title = str(t.Get("title"))
		b.Topic = str(t.Get("topic"))
		b.Summary = str(t.Get("summary"))
		b.Tags = strs(t.Get("tags"))
		b.Takeaways = strs(t.Get("takeaways"))
		b.Match = str(t.Get("match"))
	}
	if qs := root.Get("question"); qs != nil && qs.Kind == tomltree.Array {
		for i, qn := range qs.Items {
			if qn.Kind != tomltree.Table {
				continue
			}
			b.Questions = append(b.Questions, decodeQuestion(b, i, qn))
		}
	}
	return b
}

func decodeQuestion(b *Bank, i int, n *tomltree.Node) *Question {
	q := &Question{
		Bank: b, Index: i, Node: n,
		ID:          str(n.Get("id")),
		Type:        str(n.Get("type")),
		Difficulty:  str(n.Get("difficulty")),
		Prompt:      str(n.Get("prompt")),
		Hint:        str(n.Get("hint")),
		Explanation: strs(n.Get("explanation")),
		Mistakes:    strs(n.Get("mistakes")),
		Tags:        strs(n.Get("tags")),
	}
	if q.Type == "" {
		q.Type = Single
	}
	if opts := n.Get("options"); opts != nil && opts.Kind == tomltree.Array {
		for j, o := range opts.Items {
			opt := Option{Letter: Letter(j), Node: o}
			switch o.Kind {
			case tomltree.String:
				opt.Text = o.Str
			case tomltree.Table:
				opt.Text = str(o.Get("text"))
				opt.Feedback = str(o.Get("feedback"))
			}
			q.Options = append(q.Options, opt)
		}
	}
	if a := n.Get("answer"); a != nil {
		switch a.Kind {
		case tomltree.String:
			q.Answer = []string{a.Str}
		case tomltree.Array:
			q.Answer = strs(a)
		}
	}
	if c := n.Get("code"); c != nil && c.Kind == tomltree.Table {
		q.Code = decodeCode(c)
	}
	return q
}

func decodeCode(n *tomltree.Node) *Code {
	c := &Code{
		Node:     n,
		Language: str(n.Get("language")),
		Source:   str(n.Get("source")),
		Expect:   str(n.Get("expect")),
		Output:   str(n.Get("output")),
		Error:    str(n.Get("error")),
		Of:       str(n.Get("of")),
		Match:    str(n.Get("match")),
		Run:      str(n.Get("run")),
		Value:    str(n.Get("value")),
		Stdin:    str(n.Get("stdin")),
		Before:   str(n.Get("before")),
		After:    str(n.Get("after")),
		Requires: strs(n.Get("requires")),
	}
	if o := n.Get("output"); o != nil && o.Kind == tomltree.String {
		c.HasOutput = true
	}
	if v := n.Get("value"); v != nil && v.Kind == tomltree.String {
		c.HasValue = true
	}
	if c.Run == "" {
		c.Run = "source"
	}
	if c.Language == "" {
		c.Language = "python"
	}
	if c.Expect == "" {
		c.Expect = "compiles"
	}
	return c
}

func str(n *tomltree.Node) string {
	if n != nil && n.Kind == tomltree.String {
		return n.Str
	}
	return ""
}

func strs(n *tomltree.Node) []string {
	if n == nil || n.Kind != tomltree.Array {
		return nil
	}
	out := make([]string, 0, len(n.Items))
	for _, it := range n.Items {
		if it.Kind == tomltree.String {
			out = append(out, it.Str)
		}
	}
	return out
}

// NormalizeText is an option's text as a reader sees it in prose: trimmed,
// runs of whitespace collapsed. Case is kept: "Hello" and "hello" are
// different answers.
func NormalizeText(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
