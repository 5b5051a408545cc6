package snippet

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// LineDiff compares expected text (an option, or a question's output) with what
// a snippet printed, line by line, for a message about a multi-line
// mismatch.
type LineDiff struct {
	// Line is the first line of expected that is wrong (1-based), as
	// ExactForm splits it; len(Expected)+1 when lines are missing at the
	// end.
	Line int
	// Expected and Printed are the lines compared (exact forms).
	Expected, Printed []string
}

// MultiLine reports whether expected text (an option, or a question's
// output) has more than one line once the exact level's normalisation is
// applied: then a line diff says more than the two texts side by side.
func MultiLine(expected string) bool { return strings.Contains(ExactForm(expected), "\n") }

// DiffLines finds the first wrong line of expected against actual: the
// first line that differs once white space is collapsed, or, when every
// line agrees so, the first that differs at all.
func DiffLines(expected, actual string) LineDiff {
	d := LineDiff{Expected: strings.Split(ExactForm(expected), "\n"), Printed: strings.Split(outputForm(actual), "\n")}
	n := min(len(d.Expected), len(d.Printed))
	first := -1
	for i := 0; i < n; i++ {
		if d.Expected[i] != d.Printed[i] {
			if first < 0 {
				first = i
			}
			if collapse(d.Expected[i]) != collapse(d.Printed[i]) {
				d.Line = i + 1
				return d
			}
		}
	}
	switch {
	case len(d.Expected) != len(d.Printed):
		d.Line = n + 1
	case first >= 0:
		d.Line = first + 1
	default:
		d.Line = n // the same lines: nothing to mark but the end
	}
	return d
}

// The marks of a rendered line diff.
const (
	markSpace = "·"
	markTab   = "→"
	markEOL   = "⏎"
	markHere  = "▸"
	diffLine  = 60 // characters shown of a line
	diffCtx   = 2  // lines shown around the first wrong one
)

// String renders the diff on one line: "from line 2: expected ‹a⏎▸b·c⏎d› but
// it prints ‹a⏎▸b··c⏎d›", with spaces shown as ·, tabs as →, line ends as
// ⏎, the first wrong line marked ▸, and at most two lines of context on
// either side of it.
func (d LineDiff) String() string {
	return "from line " + strconv.Itoa(d.Line) + ": expected ‹" + window(d.Expected, d.Line) + "› but it prints ‹" + window(d.Printed, d.Line) + "›"
}

// Legend explains the marks of String, for a hint.
const Legend = "in the diff · is a space, → a tab, ⏎ a line end and ▸ the first wrong line"

func window(lines []string, mark int) string {
	from, to := max(0, mark-1-diffCtx), min(len(lines), mark+diffCtx)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	for i := from; i < to; i++ {
		if i > from {
			b.WriteString(markEOL)
		}
		if i == mark-1 {
			b.WriteString(markHere)
		}
		b.WriteString(visible(lines[i]))
	}
	if mark-1 >= len(lines) {
		b.WriteString(" " + markHere + "(no more lines)")
	}
	if to < len(lines) {
		b.WriteString("…")
	}
	return b.String()
}

// visible shows a line's white space: · for a space, → for a tab.
func visible(s string) string {
	if utf8.RuneCountInString(s) > diffLine {
		s = string([]rune(s)[:diffLine]) + "…"
	}
	return strings.NewReplacer(" ", markSpace, "\t", markTab).Replace(s)
}
