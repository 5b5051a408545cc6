package export

import (
	"fmt"
	"path"
	"slices"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// Filter selects questions. Within one field the values are alternatives
// (any may match); the fields combine with AND. An empty field selects
// everything.
type Filter struct {
	Banks        []string // bank ids
	Tags         []string // a question tag or a tag of its bank
	Difficulties []string // difficulty labels
	IDs          []string // glob patterns (path.Match) on the full id "bank/question"
}

// Validate checks the id patterns.
func (f Filter) Validate() error {
	for _, p := range f.IDs {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("bad --id pattern %q: %w", p, err)
		}
	}
	return nil
}

// Empty reports whether the filter selects everything.
func (f Filter) Empty() bool {
	return len(f.Banks) == 0 && len(f.Tags) == 0 && len(f.Difficulties) == 0 && len(f.IDs) == 0
}

// Match reports whether q is selected.
func (f Filter) Match(q *bank.Question) bool {
	if len(f.Banks) > 0 && !slices.Contains(f.Banks, q.Bank.ID) {
		return false
	}
	if len(f.Difficulties) > 0 && !slices.Contains(f.Difficulties, q.Difficulty) {
		return false
	}
	if len(f.Tags) > 0 && !slices.ContainsFunc(f.Tags, func(t string) bool {
		return slices.Contains(q.Tags, t) || slices.Contains(q.Bank.Tags, t)
	}) {
		return false
	}
	if len(f.IDs) > 0 && !slices.ContainsFunc(f.IDs, func(p string) bool {
		ok, _ := path.Match(p, q.FullID())
		return ok
	}) {
		return false
	}
	return true
}

// Select returns the banks that keep at least one question, each a shallow
// copy holding only its selected questions. The input is not modified.
func Select(banks []*bank.Bank, f Filter) []*bank.Bank {
	var out []*bank.Bank
	for _, b := range banks {
		if b == nil {
			continue
		}
		var qs []*bank.Question
		for _, q := range b.Questions {
			if f.Match(q) {
				qs = append(qs, q)
			}
		}
		if len(qs) == 0 {
			continue
		}
		if len(qs) == len(b.Questions) {
			out = append(out, b)
			continue
		}
		c := *b
		c.Questions = qs
		out = append(out, &c)
	}
	return out
}

// BankMeta is the part of [bank] the model does not decode.
type BankMeta struct {
	Version  string
	Authors  []string
	Language string
}

// MetaOf reads version, authors and language from the [bank] table.
func MetaOf(b *bank.Bank) BankMeta {
	var m BankMeta
	if b.Node == nil {
		return m
	}
	if n := b.Node.Get("version"); n != nil && n.Kind == tomltree.String {
		m.Version = n.Str
	}
	if n := b.Node.Get("language"); n != nil && n.Kind == tomltree.String {
		m.Language = n.Str
	}
	if n := b.Node.Get("authors"); n != nil && n.Kind == tomltree.Array {
		for _, it := range n.Items {
			if it.Kind == tomltree.String {
				m.Authors = append(m.Authors, it.Str)
			}
		}
	}
	return m
}

// Empty reports whether no field is set.
func (m BankMeta) Empty() bool { return m.Version == "" && len(m.Authors) == 0 && m.Language == "" }

// Points returns the question's points when the bank gives them.
func Points(q *bank.Question) (float64, bool) {
	if q.Node == nil {
		return 0, false
	}
	n := q.Node.Get("points")
	if n == nil {
		return 0, false
	}
	switch n.Kind {
	case tomltree.Integer:
		return float64(n.Int), true
	case tomltree.Float:
		return n.Float, true
	}
	return 0, false
}
