// Package export writes question banks for other tools: a self-describing
// JSON bundle (this package) and learning-platform formats (QTI 2.1, Moodle
// XML and GIFT, in sub-packages); package formats lists them all.
//
// Every format is deterministic to the byte: banks are written sorted by id
// (then path), questions in their authored order, with no timestamps. A
// format that has no place for a field drops it and records the kind of
// field in Drops, so the command can print one warning per kind.
package export

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/qbank-dev/qbank/pkg/bank"
)

// Format writes banks in one file format.
type Format interface {
	// Name is the --format value: "json", "qti21", "moodle", "gift".
	Name() string
	// Ext is the file extension --split uses, with its dot.
	Ext() string
	// Write writes banks, already sorted by Sorted, to w.
	Write(w io.Writer, banks []*bank.Bank, env *Env) error
}

// Generator names the program that wrote an export.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Env is what a format needs besides the banks.
type Env struct {
	Generator Generator
	Drops     *Drops
	// Verify returns what a question's snippet really did, when qbank ran
	// it; nil (or a nil result) leaves the bundle's "verified" out.
	Verify func(q *bank.Question) *Verified
}

// NewEnv returns an Env for qbank at version with empty Drops.
func NewEnv(version string) *Env {
	return &Env{Generator: Generator{Name: "qbank", Version: version}, Drops: NewDrops()}
}

// Sorted returns banks ordered by id, then path: the order every format
// writes them in, whatever order the files were found in.
func Sorted(banks []*bank.Bank) []*bank.Bank {
	out := slices.Clone(banks)
	slices.SortStableFunc(out, func(a, b *bank.Bank) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Path, b.Path))
	})
	return out
}

// Write writes banks in format f to w, in the canonical order.
func Write(w io.Writer, f Format, banks []*bank.Bank, env *Env) error {
	if err := f.Write(w, Sorted(banks), env); err != nil {
		return fmt.Errorf("%s export: %w", f.Name(), err)
	}
	return nil
}

// CountQuestions is the number of questions in banks.
func CountQuestions(banks []*bank.Bank) int {
	n := 0
	for _, b := range banks {
		n += len(b.Questions)
	}
	return n
}
