// Package tomltree parses a TOML document into a tree of values that remember
// where they were written.
//
// BurntSushi/toml decodes TOML well but keeps key positions private, so a
// linter that must point at the exact key or value cannot use it alone.
// tomltree builds its tree from the token stream of go-toml/v2's unstable
// parser (every key and scalar carries its byte range), applies the TOML
// table rules itself (duplicate keys, redefined tables, frozen inline tables,
// static arrays) and records every comment. Each file is parsed once; byte
// offsets are turned into line and column (1-based, columns in Unicode
// characters) only when a finding needs them.
package tomltree

import (
	"sort"
	"unicode/utf8"
)

// Kind is the TOML type of a node.
type Kind uint8

// The kinds of node.
const (
	String Kind = iota + 1
	Integer
	Float
	Bool
	Datetime
	LocalDatetime
	LocalDate
	LocalTime
	Array
	Table
)

var kindNames = [...]string{
	String: "string", Integer: "integer", Float: "float", Bool: "boolean",
	Datetime: "datetime", LocalDatetime: "local datetime", LocalDate: "local date",
	LocalTime: "local time", Array: "array", Table: "table",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "invalid"
}

// table flags
const (
	flagHeader   uint8 = 1 << iota // defined by a [header] or [[header]]
	flagImplicit                   // created as a super-table of a header
	flagDotted                     // created by a dotted key
	flagInline                     // an inline table: frozen
	flagAoT                        // an array of tables made by [[header]]
)

// Node is one TOML value with its position in the source.
type Node struct {
	Kind Kind
	// Start and End are the byte offsets of the value. For a table defined
	// by a header they cover the header; for the root they are 0, 0.
	Start, End int
	// KeyStart and KeyEnd cover the key that names this value (the last
	// part of a dotted key); both are -1 for array items and the root.
	KeyStart, KeyEnd int
	// ContentStart is, for strings, the offset of the first byte of the
	// content (after the opening quotes and a trimmed newline).
	ContentStart int
	// Multiline is set for strings written with triple quotes.
	Multiline bool
	// Literal is set for strings written with single quotes (no escapes),
	// whose content maps byte for byte onto the source.
	Literal bool

	Str   string // String: decoded value; numbers and datetimes: the literal text
	Int   int64
	Float float64
	Bool  bool

	Items []*Node // Array
	Keys  []string
	vals  []*Node          // the values of Keys, in order
	index map[string]*Node // built once a table outgrows a linear search
	flags uint8
}

// smallTable is the size up to which a table finds keys by linear search.
const smallTable = 16

// Get returns the field of a table, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Table {
		return nil
	}
	if n.index != nil {
		return n.index[key]
	}
	for i, k := range n.Keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// Len returns the number of items of an array or fields of a table.
func (n *Node) Len() int {
	switch {
	case n == nil:
		return 0
	case n.Kind == Array:
		return len(n.Items)
	case n.Kind == Table:
		return len(n.Keys)
	}
	return 0
}

// Inline reports whether a table was written inline ({...}).
func (n *Node) Inline() bool { return n.flags&flagInline != 0 }

// Header reports whether a table was written as a [header] or [[header]].
func (n *Node) Header() bool { return n.flags&flagHeader != 0 }

// ArrayOfTables reports whether an array was built by [[header]]s.
func (n *Node) ArrayOfTables() bool { return n.flags&flagAoT != 0 }

func (n *Node) set(key string, v *Node) {
	n.Keys = append(n.Keys, key)
	n.vals = append(n.vals, v)
	switch {
	case n.index != nil:
		n.index[key] = v
	case len(n.Keys) > smallTable:
		n.index = make(map[string]*Node, 2*len(n.Keys))
		for i, k := range n.Keys {
			n.index[k] = n.vals[i]
		}
	}
}

// Interface converts the node into plain Go values for JSON Schema
// validation: map[string]any, []any, string, bool, int64 and float64.
// Datetimes become their literal text.
func (n *Node) Interface() any {
	switch n.Kind {
	case String, Datetime, LocalDatetime, LocalDate, LocalTime:
		return n.Str
	case Integer:
		return n.Int
	case Float:
		return n.Float
	case Bool:
		return n.Bool
	case Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Interface()
		}
		return out
	case Table:
		out := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			out[k] = n.vals[i].Interface()
		}
		return out
	}
	return nil
}

// Comment is a comment in the source, without its newline.
type Comment struct {
	Start, End int
	Text       string // including the leading '#'
}

// Document is a parsed TOML file.
type Document struct {
	Root     *Node
	Comments []Comment
	Src      []byte
	lines    []int // offsets of line starts, built on first use
}

// Position is a 1-based line and column; the column counts Unicode
// characters, not bytes.
type Position struct {
	Line, Col int
}

// Position converts a byte offset into a line and column.
func (d *Document) Position(off int) Position {
	return PositionIn(d.Src, d.lineStarts(), off)
}

func (d *Document) lineStarts() []int {
	if d.lines == nil {
		d.lines = LineStarts(d.Src)
	}
	return d.lines
}

// LineStarts returns the offsets at which each line of src starts.
func LineStarts(src []byte) []int {
	lines := make([]int, 1, 64)
	for i, c := range src {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	return lines
}

// PositionIn converts a byte offset into a line and column, given the line
// starts of src.
func PositionIn(src []byte, lines []int, off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(src) {
		off = len(src)
	}
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return Position{Line: i + 1, Col: utf8.RuneCount(src[lines[i]:off]) + 1}
}

// Line returns the text of a 1-based line, without its line ending.
func (d *Document) Line(n int) string {
	if n < 1 || n > len(d.lineStarts()) {
		return ""
	}
	start, end := d.LineOffset(n)
	return string(d.Src[start:end])
}

// Lookup finds the node at a JSON pointer such as "/question/3/options/1".
// It returns the deepest node it reached and whether it reached the end.
func (d *Document) Lookup(pointer string) (*Node, bool) {
	n := d.Root
	for _, tok := range SplitPointer(pointer) {
		var next *Node
		switch n.Kind {
		case Table:
			next = n.Get(tok)
		case Array:
			i := 0
			ok := tok != ""
			for _, c := range tok {
				if c < '0' || c > '9' {
					ok = false
					break
				}
				i = i*10 + int(c-'0')
				if i > len(n.Items) {
					break
				}
			}
			if ok && i < len(n.Items) {
				next = n.Items[i]
			}
		}
		if next == nil {
			return n, false
		}
		n = next
	}
	return n, true
}

// SplitPointer splits a JSON pointer into its unescaped tokens.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	if p[0] == '/' {
		p = p[1:]
	}
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, unescapePointer(p[start:i]))
			start = i + 1
		}
	}
	return out
}

func unescapePointer(s string) string {
	if len(s) < 2 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '~' && i+1 < len(s) {
			switch s[i+1] {
			case '0':
				b = append(b, '~')
				i++
				continue
			case '1':
				b = append(b, '/')
				i++
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// LineOffset returns the byte offset at which a 1-based line starts, and
// the offset of its end (before the line ending).
func (d *Document) LineOffset(n int) (start, end int) {
	lines := d.lineStarts()
	if n < 1 {
		n = 1
	}
	if n > len(lines) {
		return len(d.Src), len(d.Src)
	}
	start, end = lines[n-1], len(d.Src)
	if n < len(lines) {
		end = lines[n] - 1
	}
	if end > start && d.Src[end-1] == '\r' {
		end--
	}
	return start, max(start, end)
}
