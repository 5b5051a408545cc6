package tomltree

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"
)

// SyntaxError is invalid TOML: a syntax error or a broken table rule.
type SyntaxError struct {
	Start, End int    // byte offsets of the offending text
	Msg        string // lower-case, no trailing period
	// Hint says how to fix it, when there is something to say.
	Hint string
	// Related is the offset of an earlier definition that the error
	// conflicts with, or -1.
	Related int
}

func (e *SyntaxError) Error() string { return e.Msg }

const bom = "\xef\xbb\xbf"

// Parse parses a TOML document. On invalid input it returns a *SyntaxError.
// A leading UTF-8 byte order mark is skipped.
func Parse(src []byte) (*Document, error) {
	doc := &Document{Src: src, Root: &Node{Kind: Table, KeyStart: -1, KeyEnd: -1}}
	if !utf8.Valid(src) {
		off := firstInvalid(src)
		return doc, &SyntaxError{Start: off, End: off + 1, Related: -1,
			Msg: "file is not valid UTF-8 (TOML files must be UTF-8)"}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return doc, &SyntaxError{Start: i, End: i + 1, Related: -1, Msg: "file contains a NUL byte: is it a binary file?"}
	}
	b := &builder{doc: doc, src: src, current: doc.Root}
	data := src
	if bytes.HasPrefix(data, []byte(bom)) {
		// The parser needs offsets into src: give it the whole buffer with
		// the BOM blanked out as whitespace would change nothing else, but
		// the BOM is 3 bytes, so parse the tail and shift.
		b.base = len(bom)
		data = data[len(bom):]
	}
	b.p.KeepComments = true
	b.p.Reset(data)
	for b.p.NextExpression() {
		if err := b.expr(b.p.Expression()); err != nil {
			return doc, err
		}
	}
	if err := b.p.Error(); err != nil {
		return doc, b.parserError(err)
	}
	return doc, nil
}

func firstInvalid(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(src)
}

type builder struct {
	p       unstable.Parser
	doc     *Document
	src     []byte
	base    int // offset of the parser's data in src
	current *Node
}

func (b *builder) errAt(start, end int, related int, format string, args ...any) error {
	return &SyntaxError{Start: start, End: end, Related: related, Msg: fmt.Sprintf(format, args...)}
}

func (b *builder) parserError(err error) error {
	if pe, ok := err.(*unstable.ParserError); ok {
		data := b.p.Data()
		off := cap(data) - cap(pe.Highlight)
		if off < 0 || off > len(data) {
			off = len(data)
		}
		end := off + len(pe.Highlight)
		if end == off {
			end = off + 1
		}
		msg := pe.Message
		if msg == "" {
			msg = "invalid TOML"
		}
		se := &SyntaxError{Start: b.base + off, End: b.base + end, Related: -1, Msg: msg}
		explain(b.src, se)
		return se
	}
	return &SyntaxError{Start: 0, End: 1, Related: -1, Msg: err.Error()}
}

// rng converts a parser range into offsets in src.
func (b *builder) rng(r unstable.Range) (int, int) {
	s := b.base + int(r.Offset)
	return s, s + int(r.Length)
}

type keyPart struct {
	name       string
	start, end int
}

func (b *builder) keyParts(n *unstable.Node) []keyPart {
	var parts []keyPart
	it := n.Key()
	for it.Next() {
		k := it.Node()
		s, e := b.rng(k.Raw)
		parts = append(parts, keyPart{name: string(k.Data), start: s, end: e})
	}
	return parts
}

func (b *builder) expr(e *unstable.Node) error {
	switch e.Kind {
	case unstable.Comment:
		b.comment(e)
		return nil
	case unstable.KeyValue:
		err := b.keyValue(b.current, e, false)
		b.trailingComments(e)
		return err
	case unstable.Table:
		err := b.header(e, false)
		b.trailingComments(e)
		return err
	case unstable.ArrayTable:
		err := b.header(e, true)
		b.trailingComments(e)
		return err
	}
	return nil
}

func (b *builder) comment(n *unstable.Node) {
	s, _ := b.rng(n.Raw)
	text := strings.TrimRight(string(n.Data), "\r")
	b.doc.Comments = append(b.doc.Comments, Comment{Start: s, End: s + len(text), Text: text})
}

// trailingComments records a comment that ends the line of an expression:
// go-toml chains it after the expression's last child.
func (b *builder) trailingComments(e *unstable.Node) {
	for n := e.Next(); n != nil && n.Valid(); n = n.Next() {
		if n.Kind == unstable.Comment {
			b.comment(n)
		}
	}
}

// header handles [a.b] and [[a.b]].
func (b *builder) header(e *unstable.Node, array bool) error {
	parts := b.keyParts(e)
	if len(parts) == 0 {
		return nil
	}
	hs := bytes.LastIndexByte(b.src[:parts[0].start], '[')
	if array && hs > 0 {
		hs--
	}
	he := b.closeHeader(parts[len(parts)-1].end, array)
	t := b.doc.Root
	for _, k := range parts[:len(parts)-1] {
		next := t.Get(k.name)
		switch {
		case next == nil:
			next = &Node{Kind: Table, Start: hs, End: he, KeyStart: k.start, KeyEnd: k.end, flags: flagImplicit}
			t.set(k.name, next)
		case next.Kind == Table:
			if next.flags&flagInline != 0 {
				return b.errAt(k.start, k.end, next.KeyStart, "cannot extend inline table %q: inline tables are complete as written", k.name)
			}
		case next.Kind == Array && next.flags&flagAoT != 0:
			next = next.Items[len(next.Items)-1]
		default:
			return b.errAt(k.start, k.end, next.KeyStart, "key %q is already %s, not a table", k.name, article(next.Kind))
		}
		t = next
	}
	last := parts[len(parts)-1]
	existing := t.Get(last.name)
	if array {
		tbl := &Node{Kind: Table, Start: hs, End: he, KeyStart: last.start, KeyEnd: last.end, flags: flagHeader}
		switch {
		case existing == nil:
			arr := &Node{Kind: Array, Start: hs, End: he, KeyStart: last.start, KeyEnd: last.end, flags: flagAoT}
			arr.Items = append(arr.Items, tbl)
			t.set(last.name, arr)
		case existing.Kind == Array && existing.flags&flagAoT != 0:
			existing.Items = append(existing.Items, tbl)
		case existing.Kind == Array:
			return b.errAt(last.start, last.end, existing.KeyStart, "cannot append to array %q with [[%s]]: it was written as a static array", last.name, last.name)
		default:
			return b.errAt(last.start, last.end, existing.KeyStart, "key %q is already %s, not an array of tables", last.name, article(existing.Kind))
		}
		b.current = tbl
		return nil
	}
	switch {
	case existing == nil:
		tbl := &Node{Kind: Table, Start: hs, End: he, KeyStart: last.start, KeyEnd: last.end, flags: flagHeader}
		t.set(last.name, tbl)
		b.current = tbl
	case existing.Kind == Table && existing.flags&flagImplicit != 0 && existing.flags&(flagHeader|flagDotted|flagInline) == 0:
		existing.flags = existing.flags&^flagImplicit | flagHeader
		existing.Start, existing.End = hs, he
		existing.KeyStart, existing.KeyEnd = last.start, last.end
		b.current = existing
	case existing.Kind == Table:
		return b.errAt(last.start, last.end, existing.KeyStart, "table [%s] is defined twice", joinKeys(parts))
	default:
		return b.errAt(last.start, last.end, existing.KeyStart, "key %q is already %s, not a table", last.name, article(existing.Kind))
	}
	return nil
}

func (b *builder) closeHeader(from int, array bool) int {
	i := bytes.IndexByte(b.src[from:], ']')
	if i < 0 {
		return from
	}
	end := from + i + 1
	if array && end < len(b.src) && b.src[end] == ']' {
		end++
	}
	return end
}

func joinKeys(parts []keyPart) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.name
	}
	return strings.Join(names, ".")
}

// keyValue defines key = value in table t. Inside inline tables, dotted
// sub-tables are frozen once the inline table is complete.
func (b *builder) keyValue(t *Node, e *unstable.Node, inline bool) error {
	parts := b.keyParts(e)
	if len(parts) == 0 {
		return nil
	}
	for _, k := range parts[:len(parts)-1] {
		next := t.Get(k.name)
		switch {
		case next == nil:
			next = &Node{Kind: Table, Start: k.start, End: k.end, KeyStart: k.start, KeyEnd: k.end, flags: flagDotted}
			t.set(k.name, next)
		case next.Kind == Table && next.flags&flagInline != 0:
			return b.errAt(k.start, k.end, next.KeyStart, "cannot extend inline table %q: inline tables are complete as written", k.name)
		case next.Kind == Table && next.flags&(flagHeader|flagImplicit) != 0:
			return b.errAt(k.start, k.end, next.KeyStart, "cannot add to table %q with a dotted key: it is defined by a [%s] header", k.name, k.name)
		case next.Kind == Table:
		default:
			return b.errAt(k.start, k.end, next.KeyStart, "key %q is already %s, not a table", k.name, article(next.Kind))
		}
		t = next
	}
	last := parts[len(parts)-1]
	if prev := t.Get(last.name); prev != nil {
		return b.errAt(last.start, last.end, prev.KeyStart, "key %q is defined twice", last.name)
	}
	// The value starts after '=' that follows the key.
	vstart := last.end
	for vstart < len(b.src) && (b.src[vstart] == ' ' || b.src[vstart] == '\t') {
		vstart++
	}
	if vstart < len(b.src) && b.src[vstart] == '=' {
		vstart++
	}
	for vstart < len(b.src) && (b.src[vstart] == ' ' || b.src[vstart] == '\t') {
		vstart++
	}
	v, err := b.value(e.Value(), vstart)
	if err != nil {
		return err
	}
	v.KeyStart, v.KeyEnd = last.start, last.end
	t.set(last.name, v)
	return nil
}

// skipFiller moves past whitespace, newlines, commas and comments.
func (b *builder) skipFiller(i int) int {
	for i < len(b.src) {
		switch b.src[i] {
		case ' ', '\t', '\r', '\n', ',':
			i++
		case '#':
			for i < len(b.src) && b.src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// value builds the node for a value whose text starts at offset at.
func (b *builder) value(v *unstable.Node, at int) (*Node, error) {
	n := &Node{KeyStart: -1, KeyEnd: -1}
	switch v.Kind {
	case unstable.Array:
		n.Kind = Array
		n.Start = at
		cursor := at + 1
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				b.comment(c)
				b.chainedComments(c)
				_, cursor = b.rng(c.Raw)
				continue
			}
			start := b.skipFiller(cursor)
			item, err := b.value(c, start)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, item)
			cursor = item.End
		}
		end := b.skipFiller(cursor)
		if end < len(b.src) && b.src[end] == ']' {
			end++
		}
		n.End = end
		return n, nil
	case unstable.InlineTable:
		n.Kind = Table
		n.flags = flagInline
		n.Start, _ = b.rng(v.Raw)
		cursor := n.Start + 1
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				b.comment(c)
				b.chainedComments(c)
				_, cursor = b.rng(c.Raw)
				continue
			}
			if err := b.keyValue(n, c, true); err != nil {
				return nil, err
			}
			_, cursor = b.rng(c.Raw)
		}
		end := b.skipFiller(cursor)
		if end < len(b.src) && b.src[end] == '}' {
			end++
		}
		n.End = end
		freeze(n)
		return n, nil
	}
	n.Start, n.End = b.rng(v.Raw)
	raw := string(b.src[n.Start:n.End])
	switch v.Kind {
	case unstable.String:
		n.Kind = String
		n.Str = string(v.Data)
		n.Literal = raw[0] == '\''
		n.Multiline = len(raw) >= 6 && (strings.HasPrefix(raw, `"""`) || strings.HasPrefix(raw, `'''`))
		n.ContentStart = n.Start + 1
		if n.Multiline {
			n.ContentStart = n.Start + 3
			if strings.HasPrefix(raw[3:], "\r\n") {
				n.ContentStart += 2
			} else if strings.HasPrefix(raw[3:], "\n") {
				n.ContentStart++
			}
		}
	case unstable.Bool:
		n.Kind = Bool
		n.Bool = raw == "true"
		n.Str = raw
	case unstable.Integer:
		n.Kind = Integer
		n.Str = raw
		i, err := parseInt(raw)
		if err != nil {
			return nil, b.errAt(n.Start, n.End, -1, "%s", err)
		}
		n.Int = i
	case unstable.Float:
		n.Kind = Float
		n.Str = raw
		f, err := parseFloat(raw)
		if err != nil {
			return nil, b.errAt(n.Start, n.End, -1, "%s", err)
		}
		n.Float = f
	case unstable.DateTime, unstable.LocalDateTime, unstable.LocalDate, unstable.LocalTime:
		n.Str = raw
		k, err := checkDatetime(v.Kind, raw)
		if err != nil {
			return nil, b.errAt(n.Start, n.End, -1, "%s", err)
		}
		n.Kind = k
	default:
		return nil, b.errAt(n.Start, n.End, -1, "unexpected %s", v.Kind)
	}
	return n, nil
}

func (b *builder) chainedComments(c *unstable.Node) {
	it := c.Children()
	for it.Next() {
		if cc := it.Node(); cc.Kind == unstable.Comment {
			b.comment(cc)
		}
	}
}

// freeze marks an inline table and the tables made by dotted keys inside
// it as complete.
func freeze(n *Node) {
	n.flags |= flagInline
	for _, c := range n.vals {
		if c.Kind == Table && c.flags&flagDotted != 0 {
			freeze(c)
		}
	}
}

func parseInt(raw string) (int64, error) {
	s := raw
	if strings.Contains(s, "_") {
		if strings.HasPrefix(s, "_") || strings.HasSuffix(s, "_") || strings.Contains(s, "__") {
			return 0, fmt.Errorf("invalid integer %q: underscores must sit between digits", raw)
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	base := 10
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'x':
			base = 16
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		if base != 10 {
			s = s[2:]
		}
	}
	if base == 10 {
		d := strings.TrimLeft(s, "+-")
		if len(d) > 1 && d[0] == '0' {
			return 0, fmt.Errorf("invalid integer %q: leading zeros are not allowed", raw)
		}
	}
	i, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("integer %s does not fit in 64 bits", raw)
		}
		return 0, fmt.Errorf("invalid integer %q", raw)
	}
	return i, nil
}

func parseFloat(raw string) (float64, error) {
	s := strings.TrimLeft(raw, "+-")
	switch s {
	case "inf":
		if raw[0] == '-' {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	if strings.Contains(raw, "_") {
		for i := 0; i < len(raw); i++ {
			if raw[i] == '_' && (i == 0 || i == len(raw)-1 || !isDigit(raw[i-1]) || !isDigit(raw[i+1])) {
				return 0, fmt.Errorf("invalid float %q: underscores must sit between digits", raw)
			}
		}
	}
	clean := strings.ReplaceAll(raw, "_", "")
	mant := strings.TrimLeft(clean, "+-")
	if e := strings.IndexAny(mant, "eE"); e >= 0 {
		mant = mant[:e]
	}
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if intPart == "" || (hasDot && frac == "") {
		return 0, fmt.Errorf("invalid float %q: digits are needed on both sides of the decimal point", raw)
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return 0, fmt.Errorf("invalid float %q: leading zeros are not allowed", raw)
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, nil
		}
		return 0, fmt.Errorf("invalid float %q", raw)
	}
	return f, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func checkDatetime(k unstable.Kind, raw string) (Kind, error) {
	s := strings.Replace(raw, " ", "T", 1)
	s = strings.Replace(s, "t", "T", 1)
	s = strings.Replace(s, "z", "Z", 1)
	var layouts []string
	var kind Kind
	switch k {
	case unstable.DateTime:
		kind = Datetime
		layouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"}
	case unstable.LocalDateTime:
		kind = LocalDatetime
		layouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"}
	case unstable.LocalDate:
		kind = LocalDate
		layouts = []string{"2006-01-02"}
	case unstable.LocalTime:
		kind = LocalTime
		layouts = []string{"15:04:05.999999999", "15:04"}
	}
	for _, l := range layouts {
		if _, err := time.Parse(l, s); err == nil {
			return kind, nil
		}
	}
	return kind, fmt.Errorf("invalid date or time %q", raw)
}

// article puts "a" or "an" before a kind's name.
func article(k Kind) string {
	s := k.String()
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
