// Package xmlw is a small streaming XML writer for the exporters: indented
// elements, escaped text and attributes, and raw well-formed fragments (the
// Markdown renderer's HTML). Every string it writes goes through
// export.CleanXML first, so characters XML forbids never reach the output;
// Dirty reports whether any had to be rewritten since the last Reset.
package xmlw

import (
	"bytes"
	"strings"

	"github.com/qbank-dev/qbank/pkg/export"
)

// Writer builds an XML document in memory.
type Writer struct {
	buf   bytes.Buffer
	depth int
	stack []string
	dirty bool
}

// New returns a writer that has written the XML declaration.
func New() *Writer {
	w := &Writer{}
	w.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	return w
}

// Bytes returns the document so far.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// Dirty reports whether a forbidden character was rewritten since the last
// call to ResetDirty.
func (w *Writer) Dirty() bool { return w.dirty }

// ResetDirty clears the Dirty flag.
func (w *Writer) ResetDirty() { w.dirty = false }

func (w *Writer) clean(s string) string {
	c, changed := export.CleanXML(s)
	if changed {
		w.dirty = true
	}
	return c
}

func (w *Writer) indent() {
	for range w.depth {
		w.buf.WriteString("  ")
	}
}

func (w *Writer) startTag(name string, attrs []string) {
	w.buf.WriteByte('<')
	w.buf.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.buf.WriteByte(' ')
		w.buf.WriteString(attrs[i])
		w.buf.WriteString(`="`)
		w.escape(w.clean(attrs[i+1]), true)
		w.buf.WriteByte('"')
	}
}

// Open writes a start tag on its own line; attrs are name, value pairs.
func (w *Writer) Open(name string, attrs ...string) {
	w.indent()
	w.startTag(name, attrs)
	w.buf.WriteString(">\n")
	w.stack = append(w.stack, name)
	w.depth++
}

// Close writes the end tag of the innermost open element.
func (w *Writer) Close() {
	w.depth--
	name := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.indent()
	w.buf.WriteString("</" + name + ">\n")
}

// Empty writes an empty element on its own line.
func (w *Writer) Empty(name string, attrs ...string) {
	w.indent()
	w.startTag(name, attrs)
	w.buf.WriteString("/>\n")
}

// Text writes <name attrs>text</name> on one line, text escaped.
func (w *Writer) Text(name, text string, attrs ...string) {
	w.indent()
	w.startTag(name, attrs)
	w.buf.WriteByte('>')
	w.escape(w.clean(text), false)
	w.buf.WriteString("</" + name + ">\n")
}

// Raw writes <name attrs>fragment</name>; fragment is well-formed markup
// (it is not escaped, only cleaned of forbidden characters).
func (w *Writer) Raw(name, fragment string, attrs ...string) {
	w.indent()
	w.startTag(name, attrs)
	w.buf.WriteByte('>')
	w.buf.WriteString(keepCR(w.clean(fragment)))
	w.buf.WriteString("</" + name + ">\n")
}

// Fragment writes well-formed markup on its own line at the current depth.
func (w *Writer) Fragment(fragment string) {
	w.indent()
	w.buf.WriteString(keepCR(w.clean(fragment)))
	w.buf.WriteByte('\n')
}

func (w *Writer) escape(s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			if !attr {
				continue
			}
			rep = "&quot;"
		case '\r':
			rep = "&#xD;"
		case '\n':
			if !attr {
				continue
			}
			rep = "&#xA;"
		case '\t':
			if !attr {
				continue
			}
			rep = "&#x9;"
		default:
			continue
		}
		w.buf.WriteString(s[last:i])
		w.buf.WriteString(rep)
		last = i + 1
	}
	w.buf.WriteString(s[last:])
}

// EscapeText escapes s for a text node, as Text does (without cleaning).
func EscapeText(s string) string {
	var w Writer
	w.escape(s, false)
	return w.buf.String()
}

// keepCR writes carriage returns of a raw fragment as references: an XML
// parser would otherwise turn them into newlines.
func keepCR(fragment string) string {
	if !strings.Contains(fragment, "\r") {
		return fragment
	}
	return strings.ReplaceAll(fragment, "\r", "&#xD;")
}
