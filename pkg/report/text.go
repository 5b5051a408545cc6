package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// Text is the human report: one headline per finding
// ("file:line:col: severity code name: message"), a frame of the offending
// line with a caret under the span, the fix hint, and a summary line.
var Text = &Format{Name: "text", Summary: "human report with code frames (default)", Write: writeText}

// Concise is one line per finding, for editors' problem matchers.
var Concise = &Format{Name: "concise", Summary: "one line per finding: file:line:col: severity code name: message", Write: writeConcise}

func init() {
	Register(Text)
	Register(Concise)
}

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

// Headline is a diagnostic's first line, without colour.
func Headline(d lint.Diagnostic) string {
	return fmt.Sprintf("%s:%d:%d: %s %s %s: %s", d.File, d.Line, d.Column, d.Severity, d.Code, d.Rule, d.Message)
}

func writeConcise(w io.Writer, in *Input, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, d := range in.Diagnostics {
		fmt.Fprintln(bw, Headline(d))
	}
	return bw.Flush()
}

func writeText(w io.Writer, in *Input, opts Options) error {
	p := newPalette(opts.Color)
	files := map[string]*lint.File{}
	for _, f := range in.Files {
		files[f.Path] = f
	}
	bw := bufio.NewWriter(w)
	for _, d := range in.Diagnostics {
		fmt.Fprintf(bw, "%s %s %s: %s\n",
			p.bold.Sprintf("%s:%d:%d:", d.File, d.Line, d.Column),
			p.sev[d.Severity].Sprint(d.Severity.String()),
			p.c.Sprintf("%s %s", d.Code, d.Rule),
			d.Message)
		gutter := 0
		if f := files[d.File]; f != nil && f.Doc != nil && f.Doc.Src != nil {
			gutter = writeFrame(bw, p, f, d)
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
	for _, n := range in.Notes {
		fmt.Fprintln(bw, p.dim.Sprint(n))
	}
	sum := Summary(in)
	c := lint.Count(in.Diagnostics)
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
	shown := displayRunes(runes[lo:hi])
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
	lead := width(runes[lo:lo+max(0, min(capStart, hi-lo))]) + utf8.RuneCountInString(prefix)
	span := max(1, width(runes[lo+min(capStart, hi-lo):lo+min(capEnd, hi-lo)]))
	fmt.Fprintf(w, "%s %s %s%s\n", strings.Repeat(" ", gutter), p.dim.Sprint("|"),
		strings.Repeat(" ", lead), p.sev[d.Severity].Sprint(strings.Repeat("^", span)))
	return gutter
}

// displayRunes makes a source line safe and aligned for a terminal: tabs
// become four spaces, control characters a visible replacement.
func displayRunes(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(displayRune(r))
	}
	return b.String()
}

func displayRune(r rune) string {
	switch {
	case r == '\t':
		return "    "
	case r == '\r':
		return ""
	case unicode.IsControl(r) || isBidi(r):
		return "\uFFFD"
	}
	return string(r)
}

func width(rs []rune) int {
	n := 0
	for _, r := range rs {
		n += utf8.RuneCountInString(displayRune(r))
	}
	return n
}

func isBidi(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}
