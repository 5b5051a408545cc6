package report

import (
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/safetext"
)

// View is what a format's writer is given: the report's Input with every
// string that comes from a bank, a file name or a snippet escaped for the
// format's Kind, by Escape. A writer emits no other user-derived text: what
// it needs and the View lacks is added here, escaped, so every format gets
// it escaped the same way.
type View struct {
	// Diagnostics are the findings, every text field escaped (File, Code,
	// Rule, Message, Hint, Question, and each related location's File and
	// Message); positions and offsets are kept.
	Diagnostics []lint.Diagnostic
	Files       []ViewFile
	Questions   int
	Tool        Tool
	Notes       []string
	// Snippets are the snippet counts (numbers only: nothing to escape).
	Snippets *SnippetCounts
	// Rules are the rules that ran: qbank's own text, not escaped.
	Rules []*lint.Rule

	// raw holds the findings as given, index-aligned with Diagnostics, for
	// lookups, hashes and percent-encoded URIs: never printed as is.
	raw    []lint.Diagnostic
	byPath map[string]*ViewFile
}

// ViewFile is a file of the run.
type ViewFile struct {
	Path string
	// Bank is the bank's id, "" when the file has no bank or the bank no id.
	Bank      string
	Questions []ViewQuestion

	src *lint.File // for code frames and columns
}

// ViewQuestion is a question of a file.
type ViewQuestion struct {
	ID    string // "" when the question has none
	Index int    // 0-based position in its bank
	Line  int    // line of its [[question]] table, 0 when unknown
	Start int    // byte offset of its table, -1 when unknown
	// Skipped tells that its check did not run, and why.
	Skipped    bool
	SkipReason string
}

// Escape is the one escaping function of the report layer: it renders a
// user-derived string for a format of kind k (safetext.Line for Terminal,
// safetext.EscapeString for Data).
func Escape(s string, k Kind) string {
	if k == Terminal {
		return safetext.Line(s)
	}
	return safetext.EscapeString(s)
}

// EscapeDiagnostic returns d with every user-derived string (file, code,
// rule, message, hint, question, related locations) escaped for a format of
// kind k: for output that shows diagnostics outside a Format, such as
// `qbank run`.
func EscapeDiagnostic(d lint.Diagnostic, k Kind) lint.Diagnostic {
	esc := func(s string) string { return Escape(s, k) }
	e := d
	e.File, e.Code, e.Rule, e.Message, e.Hint, e.Question = esc(d.File), esc(d.Code), esc(d.Rule), esc(d.Message), esc(d.Hint), esc(d.Question)
	e.Related = nil
	for _, r := range d.Related {
		r.File, r.Message = esc(r.File), esc(r.Message)
		e.Related = append(e.Related, r)
	}
	return e
}

// NewView escapes in for a format of kind k.
func NewView(in *Input, k Kind) *View {
	esc := func(s string) string { return Escape(s, k) }
	v := &View{
		Questions: in.Questions,
		Snippets:  in.Snippets,
		Tool:      Tool{Name: esc(in.Tool.Name), Version: esc(in.Tool.Version), URI: esc(in.Tool.URI)},
		Rules:     in.Rules,
		raw:       in.Diagnostics,
		byPath:    map[string]*ViewFile{},
	}
	for _, n := range in.Notes {
		v.Notes = append(v.Notes, esc(n))
	}
	v.Diagnostics = make([]lint.Diagnostic, len(in.Diagnostics))
	for i, d := range in.Diagnostics {
		v.Diagnostics[i] = EscapeDiagnostic(d, k)
	}
	v.Files = make([]ViewFile, len(in.Files))
	for i, f := range in.Files {
		vf := ViewFile{Path: esc(f.Path), src: f}
		if b := f.Bank; b != nil {
			vf.Bank = esc(b.ID)
			for _, q := range b.Questions {
				vq := ViewQuestion{ID: esc(q.ID), Index: q.Index, Start: -1}
				if q.Node != nil {
					vq.Start = q.Node.Start
					vq.Line = f.Position(q.Node.Start).Line
				}
				if why, ok := in.Skipped[q.FullID()]; ok {
					vq.Skipped, vq.SkipReason = true, esc(why)
				}
				vf.Questions = append(vf.Questions, vq)
			}
		}
		v.Files[i] = vf
	}
	for i := range v.Files {
		if _, dup := v.byPath[in.Files[i].Path]; !dup {
			v.byPath[in.Files[i].Path] = &v.Files[i]
		}
	}
	return v
}

// fileOf is the file of the i-th diagnostic, nil when the input does not
// list it.
func (v *View) fileOf(i int) *ViewFile { return v.byPath[v.raw[i].File] }

// file is the file at a raw path, nil when the input does not list it.
func (v *View) file(rawPath string) *ViewFile { return v.byPath[rawPath] }
