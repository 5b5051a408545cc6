package export

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/qbank-dev/qbank/pkg/bank"
)

// Field kinds a format may have to drop. Warnings list them in this order.
const (
	DropDifficulty  = "difficulty"
	DropHint        = "hint"
	DropMistakes    = "mistakes"
	DropCodeCheck   = "code expectation (expect, output, error, of, run, value, match, stdin, before, after, requires)"
	DropPoints      = "points"
	DropTags        = "tags"
	DropBadTags     = "tags with characters the format cannot write"
	DropBankSummary = "bank summary"
	DropTakeaways   = "bank takeaways"
	DropBankTopic   = "bank topic"
	DropBankTags    = "bank tags"
	DropBankMeta    = "bank version and authors"
	DropBankLang    = "bank language"
	DropFraction    = "answer weights (more keys than the format's fractions can split)"
	// ReplacedChars is not a drop but a rewrite: characters XML forbids
	// (C0 controls other than tab, newline and CR; U+FFFE, U+FFFF; bytes
	// that are not UTF-8) written as visible \xNN or \uNNNN text.
	ReplacedChars = "characters XML forbids, written as visible \\xNN / \\uNNNN escapes"
)

var kindOrder = []string{
	DropDifficulty, DropHint, DropMistakes, DropCodeCheck, DropPoints, DropTags, DropBadTags,
	DropFraction, DropBankSummary, DropTakeaways, DropBankTopic, DropBankTags, DropBankMeta, DropBankLang, ReplacedChars,
}

// Drops records, per kind of field, which questions or banks lost it.
// It is safe for concurrent use.
type Drops struct {
	mu    sync.Mutex
	kinds map[string]map[string]map[string]bool // kind -> unit -> question or bank keys
}

// NewDrops returns an empty record.
func NewDrops() *Drops {
	return &Drops{kinds: map[string]map[string]map[string]bool{}}
}

// Question records that q lost a field of kind.
func (d *Drops) Question(kind string, q *bank.Question) {
	d.add(kind, "question", q.Bank.Path+"\x00"+q.FullID()+fmt.Sprint("\x00", q.Index))
}

// Bank records that b lost a field of kind.
func (d *Drops) Bank(kind string, b *bank.Bank) {
	d.add(kind, "bank", b.Path+"\x00"+b.ID)
}

func (d *Drops) add(kind, unit, key string) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	byUnit := d.kinds[kind]
	if byUnit == nil {
		byUnit = map[string]map[string]bool{}
		d.kinds[kind] = byUnit
	}
	m := byUnit[unit]
	if m == nil {
		m = map[string]bool{}
		byUnit[unit] = m
	}
	m[key] = true
}

// Count returns how many questions and banks lost a field of kind.
func (d *Drops) Count(kind string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, m := range d.kinds[kind] {
		n += len(m)
	}
	return n
}

// Warnings returns one line per kind of dropped field, in a fixed order:
// `gift cannot carry hint (36 questions)`.
func (d *Drops) Warnings(format string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var kinds []string
	known := map[string]bool{}
	for _, k := range kindOrder {
		known[k] = true
		if len(d.kinds[k]) > 0 {
			kinds = append(kinds, k)
		}
	}
	var extra []string
	for k := range d.kinds {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	kinds = append(kinds, extra...)
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		var counts []string
		for _, unit := range []string{"question", "bank"} {
			if n := len(d.kinds[k][unit]); n > 0 {
				if n != 1 {
					unit += "s"
				}
				counts = append(counts, fmt.Sprintf("%d %s", n, unit))
			}
		}
		what := strings.Join(counts, ", ")
		if k == ReplacedChars {
			out = append(out, fmt.Sprintf("%s: replaced %s (%s)", format, k, what))
			continue
		}
		out = append(out, fmt.Sprintf("%s cannot carry %s (%s)", format, k, what))
	}
	return out
}
