package markdown

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// safeRenderer replaces goldmark's renderers for the nodes whose default
// output would break a guarantee of the package: raw HTML (escaped, never
// passed through), code (whitespace kept, no trailing newline in <pre>,
// like Code), links and images (safe URLs, QTI's attributes only).
type safeRenderer struct{}

func (safeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindCodeBlock, renderCodeBlock)
	reg.Register(ast.KindFencedCodeBlock, renderCodeBlock)
	reg.Register(ast.KindCodeSpan, renderCodeSpan)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindImage, renderImage)
}

func renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := node.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			writeEscaped(w, seg.Value(src))
		}
	}
	return ast.WalkSkipChildren, nil
}

// htmlBlockText is the source of an HTML block, as text.
func htmlBlockText(src []byte, n *ast.HTMLBlock) []byte {
	var b []byte
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		b = append(b, line.Value(src)...)
	}
	if n.HasClosure() {
		b = append(b, n.ClosureLine.Value(src)...)
	}
	return bytes.TrimRight(b, "\n")
}

func writeHTMLBlock(w interface{ Write([]byte) (int, error) }, src []byte, n *ast.HTMLBlock) {
	var b bytes.Buffer
	escapeTo(&b, string(htmlBlockText(src, n)))
	_, _ = w.Write(b.Bytes())
}

func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<p>")
		writeHTMLBlock(w, src, node.(*ast.HTMLBlock))
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

func writeEscaped(w util.BufWriter, s []byte) {
	var b bytes.Buffer
	escapeTo(&b, string(s))
	_, _ = w.Write(b.Bytes())
}

// codeLines is the content of a code block without its final newline.
func codeLines(src []byte, n ast.Node) string {
	var b strings.Builder
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		b.WriteString(strings.Repeat(" ", line.Padding)) // a tab partly used as indentation
		b.Write(line.Value(src))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func renderCodeBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		lang := ""
		if f, ok := node.(*ast.FencedCodeBlock); ok {
			lang = string(f.Language(src))
		}
		var b bytes.Buffer
		writeCode(&b, codeLines(src, node), lang)
		b.WriteByte('\n')
		_, _ = w.Write(b.Bytes())
	}
	return ast.WalkSkipChildren, nil
}

// codeSpanContent is a code span's content as CommonMark defines it: line
// endings become spaces (goldmark has already stripped the one space at
// either end when both are there).
func codeSpanContent(src []byte, n ast.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			continue
		}
		v := t.Segment.Value(src)
		if bytes.HasSuffix(v, []byte("\n")) {
			b.Write(v[:len(v)-1])
			b.WriteByte(' ')
		} else {
			b.Write(v)
		}
	}
	return b.String()
}

// nbsp is how a space that HTML would collapse or drop is written in code.
const nbsp = "&#160;"

// keepSpaces escapes code for a text node and writes every space HTML
// would collapse or drop (those in runs of two or more, and one at either
// end) as a no-break space; single spaces between words stay spaces.
func keepSpaces(code string) string {
	var b bytes.Buffer
	escapeTo(&b, code)
	s := b.String()
	if !strings.Contains(s, " ") {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		if s[i] != ' ' {
			out.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j-i == 1 && i > 0 && j < len(s) {
			out.WriteByte(' ')
		} else {
			out.WriteString(strings.Repeat(nbsp, j-i))
		}
		i = j
	}
	return out.String()
}

func renderCodeSpan(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<code>" + keepSpaces(codeSpanContent(src, node)) + "</code>")
	}
	return ast.WalkSkipChildren, nil
}

// safeURL returns the URL escaped for an attribute, or false when it is
// dangerous (javascript:, vbscript:, file:, data: other than images).
func safeURL(u []byte) (string, bool) {
	if html.IsDangerousURL(bytes.TrimSpace(u)) {
		return "", false
	}
	return string(util.EscapeHTML(u)), true
}

func renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	href, ok := safeURL(util.URLEscape(n.Destination, true))
	if !ok {
		return ast.WalkContinue, nil // the link text, without the link
	}
	if entering {
		_, _ = w.WriteString(`<a href="` + href + `">`)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := n.Label(src)
	url := util.URLEscape(n.URL(src), false)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		url = append([]byte("mailto:"), url...)
	}
	href, ok := safeURL(url)
	if !ok {
		writeEscaped(w, label)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="` + href + `">`)
	writeEscaped(w, label)
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// plainText is the text of a node's descendants, for an image's alt.
func plainText(b *bytes.Buffer, src []byte, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeSpan:
			b.WriteString(codeSpanContent(src, t))
		default:
			plainText(b, src, c)
		}
	}
}

func renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	var alt bytes.Buffer
	plainText(&alt, src, n)
	srcURL, ok := safeURL(util.URLEscape(n.Destination, true))
	if !ok {
		writeEscaped(w, alt.Bytes())
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<img src="` + srcURL + `" alt="`)
	xmlWriter{}.Write(w, alt.Bytes())
	_, _ = w.WriteString(`" />`)
	return ast.WalkSkipChildren, nil
}

// xmlWriter is goldmark's text writer, except that a numeric character
// reference to a character XML forbids (&#1;, &#xFFFF;) is written as
// U+FFFD, as CommonMark does for &#0;: the output stays valid XML.
type xmlWriter struct{}

func (xmlWriter) RawWrite(w util.BufWriter, s []byte)    { html.DefaultWriter.RawWrite(w, s) }
func (xmlWriter) SecureWrite(w util.BufWriter, s []byte) { html.DefaultWriter.SecureWrite(w, s) }

func (xmlWriter) Write(w util.BufWriter, s []byte) {
	html.DefaultWriter.Write(w, replaceForbiddenRefs(s))
}

// replaceForbiddenRefs rewrites the numeric references of s that name a
// character XML forbids as &#xFFFD;, unless a backslash escapes the '&'.
func replaceForbiddenRefs(s []byte) []byte {
	if !bytes.Contains(s, []byte("&#")) {
		return s
	}
	var out []byte
	last := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '&' || s[i+1] != '#' {
			continue
		}
		bs := 0
		for k := i - 1; k >= 0 && s[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 1 {
			continue
		}
		j, base := i+2, 10
		if s[j] == 'x' || s[j] == 'X' {
			j, base = j+1, 16
		}
		start := j
		for j < len(s) && j-start < 8 && isDigit(s[j], base) {
			j++
		}
		if j == start || j >= len(s) || s[j] != ';' {
			continue
		}
		v, err := strconv.ParseUint(string(s[start:j]), base, 32)
		if err != nil || !forbiddenInXML(v) {
			continue
		}
		out = append(out, s[last:i]...)
		out = append(out, "&#xFFFD;"...)
		last = j + 1
		i = j
	}
	if out == nil {
		return s
	}
	return append(out, s[last:]...)
}

func isDigit(c byte, base int) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	return base == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')
}

// forbiddenInXML reports a code point goldmark would write as itself but
// XML 1.0 does not allow (0, surrogates and out-of-range values goldmark
// already writes as U+FFFD).
func forbiddenInXML(v uint64) bool {
	return v >= 1 && v < 0x20 && v != 0x9 && v != 0xA && v != 0xD || v == 0xFFFE || v == 0xFFFF
}
