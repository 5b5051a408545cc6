package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/safetext"
)

// Text is the human report: one headline per finding
// ("file:line:col: severity code name: message"), a frame of the offending
// line with a caret under the span, the fix hint, and a summary line.
var Text = NewFormat("text", "human report with code frames (default)", Terminal, writeText)

// Concise is one line per finding, for editors' problem matchers.
var Concise = NewFormat("concise", "one line per finding: file:line:col: severity code name: message", Terminal, writeConcise)

type palette struct {
	sev                map[lint.Severity]*color.Color
	bold, dim, hint, c *color.Color
}

func newPalette(on bool) *palette {
	p := &palette{
		sev: map[lint.Severity]*color.Color{
			lint.Error:   color.New(color.FgRed, color.Bold),
			lint.Warning: color.New(color.FgYellow, color.Bold),
			lint.Info:    color.New(color.FgBlue, color.Bold),
		},
		bold: color.New(color.Bold),
		dim:  color.New(color.Faint),
		hint: color.New(color.FgCyan),
		c:    color.New(color.FgMagenta),
	}
	for _, c := range append([]*color.Color{p.bold, p.dim, p.hint, p.c}, p.sev[lint.Error], p.sev[lint.Warning], p.sev[lint.Info]) {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// Headline is a diagnostic's first line, without colour, as the concise
// format prints it: its fields are escaped onto one line (safetext.Line),
// and the line is guarded (safetext.GuardLines) so that it is safe to
// print on a line of its own (a file name starts it).
func Headline(d lint.Diagnostic) string {
	l := safetext.Line
	return safetext.GuardLines(fmt.Sprintf("%s:%d:%d: %s %s %s: %s",
		l(d.File), d.Line, d.Column, d.Severity, l(d.Code), l(d.Rule), l(d.Message)), nil)
}

func writeConcise(w io.Writer, v *View, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, d := range v.Diagnostics {
		fmt.Fprintln(bw, Headline(d))
	}
	return bw.Flush()
}

func writeText(w io.Writer, v *View, opts Options) error {
	p := newPalette(opts.Color)
	bw := bufio.NewWriter(w)
	for i, d := range v.Diagnostics {
		fmt.Fprintf(bw, "%s %s %s: %s\n",
			p.bold.Sprintf("%s:%d:%d:", d.File, d.Line, d.Column),
			p.sev[d.Severity].Sprint(d.Severity.String()),
			p.c.Sprintf("%s %s", d.Code, d.Rule),
			d.Message)
		gutter := 0
		if f := v.fileOf(i); f != nil && f.src.Doc != nil && f.src.Doc.Src != nil {
			gutter = writeFrame(bw, p, f.src, d)
		}
		pad := strings.Repeat(" ", gutter)
		if d.Hint != "" {
			fmt.Fprintf(bw, "%s = %s %s\n", pad, p.hint.Sprint("hint:"), d.Hint)
		}
		for _, r := range d.Related {
			fmt.Fprintf(bw, "%s = %s %s:%d:%d: %s\n", pad, p.dim.Sprint("note:"), r.File, r.Line, r.Column, r.Message)
		}
		fmt.Fprintln(bw)
	}
	for _, n := range v.Notes {
		fmt.Fprintln(bw, p.dim.Sprint(n))
	}
	sum := summary(v.Diagnostics, len(v.Files), v.Questions)
	c := lint.Count(v.Diagnostics)
	switch {
	case c.Errors > 0:
		sum = p.sev[lint.Error].Sprint(sum)
	case c.Warnings > 0:
		sum = p.sev[lint.Warning].Sprint(sum)
	default:
		sum = p.bold.Sprint(sum)
	}
	fmt.Fprintln(bw, sum)
	return bw.Flush()
}

const frameWidth = 100

// writeFrame prints the diagnostic's line with a caret under its span and
// returns the gutter width.
func writeFrame(w io.Writer, p *palette, f *lint.File, d lint.Diagnostic) int {
	text := f.Doc.Line(d.Line)
	num := fmt.Sprint(d.Line)
	gutter := len(num) + 1
	runes := []rune(text)
	start := d.Column - 1
	end := len(runes)
	if d.EndLine == d.Line && d.EndColumn > d.Column {
		end = d.EndColumn - 1
	}
	start = min(max(start, 0), len(runes))
	end = min(max(end, start+1), len(runes)+1)
	// Keep long lines readable: show a window around the span.
	lo := 0
	if start > frameWidth/2 && len(runes) > frameWidth {
		lo = start - frameWidth/4
	}
	hi := min(len(runes), lo+frameWidth)
	cells := displayCells(runes)
	shown := strings.Join(cells[lo:hi], "")
	prefix := ""
	if lo > 0 {
		prefix = "…"
	}
	suffix := ""
	if hi < len(runes) {
		suffix = "…"
	}
	fmt.Fprintf(w, "%s %s %s%s%s\n", p.dim.Sprint(strings.Repeat(" ", gutter-len(num))+num), p.dim.Sprint("|"), prefix, shown, suffix)
	capStart := start - lo
	capEnd := min(end, hi+1) - lo
	lead := width(cells[lo:lo+max(0, min(capStart, hi-lo))]) + utf8.RuneCountInString(prefix)
	span := max(1, width(cells[lo+min(capStart, hi-lo):lo+min(capEnd, hi-lo)]))
	fmt.Fprintf(w, "%s %s %s%s\n", strings.Repeat(" ", gutter), p.dim.Sprint("|"),
		strings.Repeat(" ", lead), p.sev[d.Severity].Sprint(strings.Repeat("^", span)))
	return gutter
}

// displayCells makes a source line safe and aligned for a terminal, one
// string per rune: tabs become four spaces, every character safetext
// escapes (controls, bidi controls, separators) a visible replacement of
// width one, and the '[' of "##[" or "##vso[" `\x5b`, as safetext.Line
// writes it (a CI runner reads those anywhere in a line), so that the caret
// stays under its span.
func displayCells(rs []rune) []string {
	cells := make([]string, len(rs))
	for i, r := range rs {
		switch {
		case r == '\t':
			cells[i] = "    "
		case r == '\r':
			cells[i] = ""
		case r < 0x20 || safetext.Unsafe(r):
			cells[i] = "\uFFFD"
		case r == '[' && (hasSuffixFold(rs[:i], "##") || hasSuffixFold(rs[:i], "##vso")):
			cells[i] = `\x5b`
		default:
			cells[i] = string(r)
		}
	}
	return cells
}

func hasSuffixFold(rs []rune, suffix string) bool {
	n := utf8.RuneCountInString(suffix)
	return len(rs) >= n && strings.EqualFold(string(rs[len(rs)-n:]), suffix)
}

func width(cells []string) int {
	n := 0
	for _, c := range cells {
		n += utf8.RuneCountInString(c)
	}
	return n
}
