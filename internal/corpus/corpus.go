// Package corpus measures qbank's verdicts on a corpus of realistic code
// questions whose truth is recorded by hand (testdata/corpus/*.toml): a
// comment directly above each [[question]] says whether its key is right or
// which finding a wrong key (or another flaw) must get:
//
//	# truth: right
//	# truth: wrong QB502
//	# truth: wrong QB502|QB504 (match)
//
// A wrong question is found when one of its codes is among its findings
// (warnings count). The optional word in parentheses is the question's style
// (the table groups by it as well as by file); "plain" when absent.
//
// Classify compares the truths with the findings of a lint: a right key
// with an error finding is a false error, a right key with only warnings is
// noise, a wrong question without its code is a miss. Table prints the
// figures per file, per style and in total.
package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// Question is one corpus question and its recorded truth.
type Question struct {
	File  string // path as linted
	Line  int    // line of its [[question]] header
	End   int    // last line that belongs to it
	ID    string // question id
	Style string
	// Right is true for a correct key; otherwise Codes lists the codes
	// of which one must be reported.
	Right bool
	Codes []string
}

// Where is the question's file:line.
func (q *Question) Where() string { return fmt.Sprintf("%s:%d", q.File, q.Line) }

var (
	truthRE = regexp.MustCompile(`^# truth: (right|wrong (QB\d{3}(?:\|QB\d{3})*))(?: \(([a-z][a-z0-9-]*)\))?\s*$`)
	idRE    = regexp.MustCompile(`^id\s*=\s*"([^"]*)"`)
)

// Parse reads the truths of one corpus file. Every [[question]] must have
// a truth comment on the line directly above it, and a truth comment must
// stand above a [[question]].
func Parse(path string) ([]*Question, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var (
		qs      []*Question
		prev    string
		prevTru int // line of a truth comment not yet used
		lineNo  int
	)
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case strings.HasPrefix(line, "# truth:"):
			if prevTru != 0 {
				return nil, fmt.Errorf("%s:%d: truth comment not directly above a [[question]]", path, prevTru)
			}
			if !truthRE.MatchString(line) {
				return nil, fmt.Errorf("%s:%d: malformed truth comment %q (want \"# truth: right\" or \"# truth: wrong QBnnn[|QBnnn…]\", optionally \" (style)\")", path, lineNo, line)
			}
			prevTru = lineNo
		case line == "[[question]]":
			m := truthRE.FindStringSubmatch(prev)
			if m == nil {
				return nil, fmt.Errorf("%s:%d: [[question]] without a \"# truth:\" comment directly above it", path, lineNo)
			}
			prevTru = 0
			if n := len(qs); n > 0 {
				qs[n-1].End = lineNo - 2
			}
			q := &Question{File: path, Line: lineNo, Style: m[3], Right: m[1] == "right"}
			if q.Style == "" {
				q.Style = "plain"
			}
			if !q.Right {
				q.Codes = strings.Split(m[2], "|")
			}
			qs = append(qs, q)
		default:
			if prevTru != 0 && line != "" {
				return nil, fmt.Errorf("%s:%d: truth comment not directly above a [[question]]", path, prevTru)
			}
			if m := idRE.FindStringSubmatch(line); m != nil && len(qs) > 0 && qs[len(qs)-1].ID == "" {
				qs[len(qs)-1].ID = m[1]
			}
		}
		prev = line
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if prevTru != 0 {
		return nil, fmt.Errorf("%s:%d: truth comment not directly above a [[question]]", path, prevTru)
	}
	if n := len(qs); n > 0 {
		qs[n-1].End = lineNo
	}
	for _, q := range qs {
		if q.ID == "" {
			return nil, fmt.Errorf("%s: question has no id", q.Where())
		}
	}
	return qs, nil
}

// Verdict is what the lint made of one question.
type Verdict struct {
	Q        *Question
	Findings []lint.Diagnostic
	// FalseError: a right key with an error finding. Noise: a right key
	// with warnings only. Missed: a wrong question without its code.
	FalseError, Noise, Missed bool
}

// Report is the classification of a whole corpus.
type Report struct {
	Verdicts []*Verdict
	// Stray are findings outside every question (bank-level or file
	// errors): the corpus itself is broken.
	Stray []lint.Diagnostic
}

// Classify attributes each diagnostic to the question whose lines hold it
// and classifies every question.
func Classify(qs []*Question, ds []lint.Diagnostic) *Report {
	byFile := map[string][]*Verdict{}
	r := &Report{}
	for _, q := range qs {
		v := &Verdict{Q: q}
		r.Verdicts = append(r.Verdicts, v)
		k := filepath.ToSlash(filepath.Clean(q.File))
		byFile[k] = append(byFile[k], v)
	}
	for _, d := range ds {
		var owner *Verdict
		for _, v := range byFile[filepath.ToSlash(filepath.Clean(d.File))] {
			if d.Line >= v.Q.Line && d.Line <= v.Q.End {
				owner = v
				break
			}
		}
		if owner == nil {
			r.Stray = append(r.Stray, d)
			continue
		}
		owner.Findings = append(owner.Findings, d)
	}
	for _, v := range r.Verdicts {
		if v.Q.Right {
			for _, d := range v.Findings {
				if d.Severity >= lint.Error {
					v.FalseError = true
				} else if d.Severity == lint.Warning {
					v.Noise = true
				}
			}
			if v.FalseError {
				v.Noise = false
			}
			continue
		}
		v.Missed = true
		for _, d := range v.Findings {
			for _, c := range v.Q.Codes {
				if d.Code == c {
					v.Missed = false
				}
			}
		}
	}
	return r
}

// Row is one line of the table.
type Row struct {
	Name                                                string
	Questions, Right, Wrong, FalseErrors, Missed, Noise int
}

func (row *Row) add(v *Verdict) {
	row.Questions++
	if v.Q.Right {
		row.Right++
	} else {
		row.Wrong++
	}
	if v.FalseError {
		row.FalseErrors++
	}
	if v.Missed {
		row.Missed++
	}
	if v.Noise {
		row.Noise++
	}
}

// Rows groups the verdicts by key (file or style), sorted by name, and
// returns the total row last.
func (r *Report) Rows(key func(*Question) string) (rows []*Row, total *Row) {
	m := map[string]*Row{}
	total = &Row{Name: "total"}
	for _, v := range r.Verdicts {
		k := key(v.Q)
		if m[k] == nil {
			m[k] = &Row{Name: k}
			rows = append(rows, m[k])
		}
		m[k].add(v)
		total.add(v)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows, total
}

// Table writes the figures per file and per style, then the list of false
// errors, misses and noisy right keys, each with its file:line and findings.
func (r *Report) Table() string {
	var b strings.Builder
	section := func(title string, key func(*Question) string) {
		rows, total := r.Rows(key)
		fmt.Fprintf(&b, "%-28s %9s %5s %5s %12s %6s %14s\n", title, "questions", "right", "wrong", "false-errors", "missed", "warnings-right")
		for _, row := range append(rows, total) {
			fmt.Fprintf(&b, "%-28s %9d %5d %5d %12d %6d %14d\n", row.Name, row.Questions, row.Right, row.Wrong, row.FalseErrors, row.Missed, row.Noise)
		}
		b.WriteString("\n")
	}
	section("file", func(q *Question) string { return filepath.Base(q.File) })
	section("style", func(q *Question) string { return q.Style })
	_, t := r.Rows(func(*Question) string { return "" })
	fmt.Fprintf(&b, "false errors: %d of %d right keys (%s); missed: %d of %d wrong (%s); warnings on right keys: %d (%s)\n\n",
		t.FalseErrors, t.Right, percent(t.FalseErrors, t.Right), t.Missed, t.Wrong, percent(t.Missed, t.Wrong), t.Noise, percent(t.Noise, t.Right))
	list := func(title string, pick func(*Verdict) bool) {
		var vs []*Verdict
		for _, v := range r.Verdicts {
			if pick(v) {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s (%d):\n", title, len(vs))
		for _, v := range vs {
			want := "right"
			if !v.Q.Right {
				want = "wrong " + strings.Join(v.Q.Codes, "|")
			}
			fmt.Fprintf(&b, "  %s %s (truth: %s)\n", v.Q.Where(), v.Q.ID, want)
			if len(v.Findings) == 0 {
				b.WriteString("      no finding\n")
			}
			for _, d := range v.Findings {
				fmt.Fprintf(&b, "      %d:%d %s %s %s\n", d.Line, d.Column, d.Severity, d.Code, oneLine(d.Message))
			}
		}
		b.WriteString("\n")
	}
	list("false errors on right keys", func(v *Verdict) bool { return v.FalseError })
	list("missed wrong keys", func(v *Verdict) bool { return v.Missed })
	list("warnings on right keys (noise)", func(v *Verdict) bool { return v.Noise })
	if len(r.Stray) > 0 {
		fmt.Fprintf(&b, "findings outside any question (%d):\n", len(r.Stray))
		for _, d := range r.Stray {
			fmt.Fprintf(&b, "  %s:%d:%d %s %s %s\n", d.File, d.Line, d.Column, d.Severity, d.Code, oneLine(d.Message))
		}
	}
	return b.String()
}

func percent(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}
