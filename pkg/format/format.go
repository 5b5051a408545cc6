// Package format lays out a bank file in one canonical way without
// touching what it says: `key = value` with single spaces around "=",
// no indentation before keys and table headers, no trailing white space,
// one blank line before each table header and never two in a row, and
// exactly one newline at the end. Strings (multi-line code included),
// comments, key order, quoting and line endings are left exactly as
// written.
//
// Safety comes first: the result is parsed again and must hold the same
// data and the same comments as the input, or Source refuses with an
// error and the caller keeps the original. Formatting is idempotent.
package format

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// ErrChanged means formatting would have changed the file's meaning; it
// is a bug in the formatter, and the file is left alone.
var ErrChanged = errors.New("formatting would change the data; file left unchanged (please report this)")

// Source formats a TOML document.
func Source(src []byte) ([]byte, error) {
	doc, err := tomltree.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("not valid TOML: %w", err)
	}
	spaced := spaceEquals(src, doc)
	doc2, err := tomltree.Parse(spaced)
	if err != nil {
		return nil, ErrChanged
	}
	out := layout(spaced, doc2)
	if err := same(doc, out); err != nil {
		return nil, err
	}
	return out, nil
}

// same checks that out holds the data and comments of doc.
func same(doc *tomltree.Document, out []byte) error {
	got, err := tomltree.Parse(out)
	if err != nil || !reflect.DeepEqual(got.Root.Interface(), doc.Root.Interface()) {
		return ErrChanged
	}
	if len(got.Comments) != len(doc.Comments) {
		return ErrChanged
	}
	for i := range got.Comments {
		// Trailing blanks of a comment are layout, not content.
		if strings.TrimRight(got.Comments[i].Text, " \t") != strings.TrimRight(doc.Comments[i].Text, " \t") {
			return ErrChanged
		}
	}
	return nil
}

type span struct{ start, end int }

type edit struct {
	span
	text string
}

// spaceEquals rewrites the gap between every key and its value as " = ",
// when the gap holds nothing but blanks and the "=".
func spaceEquals(src []byte, doc *tomltree.Document) []byte {
	var edits []edit
	walk(doc.Root, func(n *tomltree.Node) {
		if n.KeyEnd < 0 || n.Start <= n.KeyEnd {
			return // array items, the root, tables made by headers or dotted keys
		}
		gap := src[n.KeyEnd:n.Start]
		if bytes.Count(gap, []byte("=")) != 1 || len(bytes.Trim(gap, " \t=")) != 0 || string(gap) == " = " {
			return
		}
		edits = append(edits, edit{span{n.KeyEnd, n.Start}, " = "})
	})
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b bytes.Buffer
	last := 0
	for _, e := range edits {
		b.Write(src[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(src[last:])
	return b.Bytes()
}

func walk(n *tomltree.Node, f func(*tomltree.Node)) {
	f(n)
	for _, it := range n.Items {
		walk(it, f)
	}
	for _, k := range n.Keys {
		walk(n.Get(k), f)
	}
}

// layout fixes indentation, trailing blanks and blank lines.
func layout(src []byte, doc *tomltree.Document) []byte {
	var strSpans, containerSpans []span
	headers := map[int]bool{}
	walk(doc.Root, func(n *tomltree.Node) {
		switch {
		case n.Kind == tomltree.String:
			strSpans = append(strSpans, span{n.Start, n.End})
		case n.Kind == tomltree.Array && !n.ArrayOfTables(), n.Kind == tomltree.Table && n.Inline():
			containerSpans = append(containerSpans, span{n.Start, n.End})
		case n.Kind == tomltree.Table && n.Header():
			headers[n.Start] = true
		}
	})
	strs, containers := newSpanSet(strSpans), newSpanSet(containerSpans)

	// Pass 1: each line, re-indented and trimmed, with its kind.
	var lines []outLine
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		nl := ""
		if end < 0 {
			end = len(src)
		} else {
			end += off
			nl = "\n"
			if end > off && src[end-1] == '\r' {
				end--
				nl = "\r\n"
			}
		}
		next := end + len(nl)
		line := src[off:end]
		first := off + len(line) - len(bytes.TrimLeft(line, " \t"))
		switch {
		case strs.inside(off):
			// The line starts inside a multi-line string: it is content.
			lines = append(lines, outLine{text: trimTrailing(src, off, end, strs), nl: nl, kind: lineContent})
		case first == end:
			lines = append(lines, outLine{nl: nl, kind: lineBlank})
		default:
			start := off
			if !containers.inside(first) {
				start = first // a key, a header or a comment of the table level
			}
			kind := lineText
			switch {
			case headers[first]:
				kind = lineHeader
			case src[first] == '#':
				kind = lineComment
			}
			lines = append(lines, outLine{text: trimTrailing(src, start, end, strs), nl: nl, kind: kind})
		}
		off = next
	}
	// Pass 2: blank lines. A header gets one blank line before it (before
	// the comments that sit right above it, which belong to it); runs of
	// blank lines shrink to one; none at the start or the end.
	for i, l := range lines {
		if l.kind != lineHeader {
			continue
		}
		p := i
		for p > 0 && lines[p-1].kind == lineComment {
			p--
		}
		if p > 0 && lines[p-1].kind != lineBlank {
			lines[p].blankBefore = true
		}
	}
	var out bytes.Buffer
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	written, pendingBlank := false, false
	for _, l := range lines {
		if l.kind == lineBlank {
			pendingBlank = written
			continue
		}
		if written && (pendingBlank || l.blankBefore) {
			out.WriteString(nl)
		}
		pendingBlank = false
		out.Write(l.text)
		if l.nl == "" {
			l.nl = nl // exactly one newline at the end
		}
		out.WriteString(l.nl)
		written = true
	}
	return out.Bytes()
}

type outLine struct {
	text        []byte
	nl          string
	kind        int
	blankBefore bool
}

// Kinds of line.
const (
	lineText    = iota // a key or a line inside an array or inline table
	lineHeader         // [table] or [[array]]
	lineComment        // a comment alone on its line
	lineBlank
	lineContent // a line that starts inside a multi-line string
)

// trimTrailing returns src[start:end] without trailing blanks, keeping
// those that belong to a string.
func trimTrailing(src []byte, start, end int, strs spanSet) []byte {
	e := end
	for e > start && (src[e-1] == ' ' || src[e-1] == '\t') && !strs.inside(e-1) {
		e--
	}
	return src[start:e]
}

// spanSet answers "is this offset inside one of the spans?" in log time,
// for spans that are disjoint or nested.
type spanSet struct {
	starts []int
	maxEnd []int // the furthest end among the spans up to each index
}

func newSpanSet(spans []span) spanSet {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	s := spanSet{starts: make([]int, len(spans)), maxEnd: make([]int, len(spans))}
	for i, sp := range spans {
		s.starts[i] = sp.start
		s.maxEnd[i] = sp.end
		if i > 0 {
			s.maxEnd[i] = max(sp.end, s.maxEnd[i-1])
		}
	}
	return s
}

// inside reports whether off lies after the first byte of a span and
// before its end: within it, not at its opening delimiter.
func (s spanSet) inside(off int) bool {
	i := sort.SearchInts(s.starts, off) // spans before i start before off
	return i > 0 && s.maxEnd[i-1] > off
}
