// Package qti writes banks as an IMS QTI 2.1 content package: a zip with
// imsmanifest.xml (IMS Content Packaging 1.1, with IEEE LOM metadata) and
// one assessmentItem per question.
//
// Each item is a choiceInteraction with single or multiple cardinality and
// its correctResponse. Response processing declares the standard
// match_correct template; when the item has option feedback, a solution or
// a hint, the template's rules are written out in full together with the
// rules that set FEEDBACK (the chosen options, shown as modalFeedback),
// SOLUTION (the explanation, shown as modalFeedback after every attempt)
// and HINT (an endAttemptInteraction that reveals a feedbackBlock), so an
// engine that runs the item's own rules gets all of it and one that only
// applies the template still scores correctly.
//
// Difficulty and tags are LOM metadata of each item's resource in the
// manifest (educational/difficulty, general/keyword); banks are items of
// the manifest's organization, with their summary as LOM description.
package qti

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/internal/xmlw"
	"github.com/qbank-dev/qbank/pkg/markdown"
)

// Namespaces and the response processing template.
const (
	NSQTI        = "http://www.imsglobal.org/xsd/imsqti_v2p1"
	NSCP         = "http://www.imsglobal.org/xsd/imscp_v1p1"
	NSMD         = "http://www.imsglobal.org/xsd/imsmd_v1p2"
	NSXSI        = "http://www.w3.org/2001/XMLSchema-instance"
	MatchCorrect = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"
)

// ModTime is the modification time of every zip entry, so the same banks
// give the same bytes.
var ModTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Format is the qti21 export format.
type Format struct{}

// Name implements export.Format.
func (Format) Name() string { return "qti21" }

// Ext implements export.Format.
func (Format) Ext() string { return ".zip" }

// item is one question placed in the package.
type item struct {
	q      *bank.Question
	id     string // the item's identifier and its resource's
	href   string // its file in the zip
	zipped *entry
	// dirty is set when a forbidden character had to be rewritten.
	dirty bool
}

// Write implements export.Format.
func (Format) Write(w io.Writer, banks []*bank.Bank, env *export.Env) error {
	var items [][]*item
	seen := map[string]int{}
	for _, b := range banks {
		var bi []*item
		for _, q := range b.Questions {
			id := identifier(b.ID + "." + q.ID)
			if n := seen[id]; n > 0 {
				seen[id] = n + 1
				id += "-" + strconv.Itoa(n+1)
			} else {
				seen[id] = 1
			}
			bi = append(bi, &item{q: q, id: id, href: "items/" + id + ".xml"})
		}
		items = append(items, bi)
	}
	var flat []*item
	for _, bi := range items {
		flat = append(flat, bi...)
	}
	_ = export.Parallel(len(flat), func(i int) error {
		body, dirty := itemXML(flat[i], env.Drops)
		flat[i].dirty = dirty
		flat[i].zipped = pack(flat[i].href, body)
		return nil
	})
	for _, it := range flat {
		if it.dirty {
			env.Drops.Question(export.ReplacedChars, it.q)
		}
	}
	manifest, dirtyBanks := manifestXML(banks, items, env)
	for _, b := range dirtyBanks {
		env.Drops.Bank(export.ReplacedChars, b)
	}

	zw := zip.NewWriter(w)
	// Entries in byte order of their names: imsmanifest.xml sorts before
	// items/, and item files are named after their unique identifiers.
	if err := add(zw, pack("imsmanifest.xml", manifest)); err != nil {
		return err
	}
	sorted := slices.Clone(flat)
	sortItems(sorted)
	for _, it := range sorted {
		if err := add(zw, it.zipped); err != nil {
			return err
		}
	}
	return zw.Close()
}

// entry is a file prepared ahead of writing, so items are built in
// parallel and the zip is only assembled in order. Items are stored
// uncompressed: deflating ten thousand 2 KiB files costs three times the
// lint time of the same set (huffman tables per file), for a package about
// four times smaller. The manifest, one large repetitive file, is deflated.
type entry struct {
	name       string
	data       []byte // deflated
	crc        uint32
	size       uint64
	compressed bool
}

var flatePool = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

func pack(name string, raw []byte) *entry {
	if !strings.HasSuffix(name, "imsmanifest.xml") {
		return &entry{name: name, data: raw, crc: crc32.ChecksumIEEE(raw), size: uint64(len(raw))}
	}
	var buf bytes.Buffer
	fw := flatePool.Get().(*flate.Writer)
	fw.Reset(&buf)
	fw.Write(raw) // a bytes.Buffer never fails
	fw.Close()
	flatePool.Put(fw)
	return &entry{name: name, data: buf.Bytes(), crc: crc32.ChecksumIEEE(raw), size: uint64(len(raw)), compressed: true}
}

func add(zw *zip.Writer, e *entry) error {
	h := &zip.FileHeader{
		Name: e.name, Method: method(e), Modified: ModTime,
		// CreateRaw does not derive the MS-DOS fields from Modified.
		//lint:ignore SA1019 CreateRaw needs the MS-DOS fields set by hand
		ModifiedDate: uint16((ModTime.Year()-1980)<<9 | int(ModTime.Month())<<5 | ModTime.Day()),
		//lint:ignore SA1019 as above
		ModifiedTime: uint16(ModTime.Hour()<<11 | ModTime.Minute()<<5 | ModTime.Second()/2),
		CRC32:        e.crc, UncompressedSize64: e.size, CompressedSize64: uint64(len(e.data)),
	}
	fw, err := zw.CreateRaw(h)
	if err != nil {
		return fmt.Errorf("zip entry %s: %w", e.name, err)
	}
	if _, err := fw.Write(e.data); err != nil {
		return fmt.Errorf("zip entry %s: %w", e.name, err)
	}
	return nil
}

// identifier turns a string into a QTI/CP identifier (an NCName).
func identifier(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !ok {
			r = '_'
		}
		if i == 0 && !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// Difficulty maps a difficulty label to the LOM vocabulary: source and
// value. Labels outside easy/medium/hard keep their name under the
// "qbank" source.
func Difficulty(label string) (source, value string) {
	switch label {
	case "easy", "medium":
		return "LOMv1.0", label
	case "hard":
		return "LOMv1.0", "difficult"
	}
	return "qbank", label
}

func itemXML(it *item, drops *export.Drops) ([]byte, bool) {
	q := it.q
	export.DropCommon(drops, q)
	if _, ok := export.Points(q); ok {
		drops.Question(export.DropPoints, q)
	}
	w := xmlw.New()
	cardinality, maxChoices := "single", "1"
	if q.Multiple() {
		cardinality, maxChoices = "multiple", "0"
	}
	hasFeedback := false
	for _, o := range q.Options {
		if strings.TrimSpace(o.Feedback) != "" {
			hasFeedback = true
		}
	}
	explanation := export.ExplanationHTML(q)
	hasHint := strings.TrimSpace(q.Hint) != ""
	attrs := []string{
		"xmlns", NSQTI, "xmlns:xsi", NSXSI,
		"xsi:schemaLocation", NSQTI + " http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
		"identifier", it.id, "title", q.FullID(), "adaptive", "false", "timeDependent", "false",
	}
	if lang := export.MetaOf(q.Bank).Language; lang != "" {
		attrs = append(attrs, "xml:lang", lang)
	}
	w.Open("assessmentItem", attrs...)

	w.Open("responseDeclaration", "identifier", "RESPONSE", "cardinality", cardinality, "baseType", "identifier")
	if keys := q.KeyIndexes(); len(keys) > 0 {
		w.Open("correctResponse")
		for _, k := range keys {
			w.Text("value", q.Options[k].Letter)
		}
		w.Close()
	}
	w.Close()
	if hasHint {
		w.Empty("responseDeclaration", "identifier", "HINTREQUEST", "cardinality", "single", "baseType", "boolean")
	}
	w.Open("outcomeDeclaration", "identifier", "SCORE", "cardinality", "single", "baseType", "float")
	w.Open("defaultValue")
	w.Text("value", "0")
	w.Close()
	w.Close()
	if hasFeedback {
		w.Empty("outcomeDeclaration", "identifier", "FEEDBACK", "cardinality", cardinality, "baseType", "identifier")
	}
	if explanation != "" {
		w.Empty("outcomeDeclaration", "identifier", "SOLUTION", "cardinality", "single", "baseType", "identifier")
	}
	if hasHint {
		w.Empty("outcomeDeclaration", "identifier", "HINT", "cardinality", "single", "baseType", "identifier")
	}

	w.Open("itemBody")
	if p := export.PromptHTML(q); p != "" {
		w.Raw("div", p, "class", "qbank-prompt")
	}
	w.Open("choiceInteraction", "responseIdentifier", "RESPONSE", "shuffle", "false", "maxChoices", maxChoices)
	for _, o := range q.Options {
		w.Raw("simpleChoice", export.OptionHTML(q, o), "identifier", identifier(o.Letter))
	}
	w.Close()
	if hasHint {
		w.Raw("p", `<endAttemptInteraction responseIdentifier="HINTREQUEST" title="Show hint"/>`)
		w.Raw("feedbackBlock", markdown.Block(q.Hint), "outcomeIdentifier", "HINT", "identifier", "HINT", "showHide", "show")
	}
	w.Close()

	if !hasFeedback && explanation == "" && !hasHint {
		w.Empty("responseProcessing", "template", MatchCorrect)
	} else {
		w.Open("responseProcessing", "template", MatchCorrect)
		if hasHint {
			w.Open("responseCondition")
			w.Open("responseIf")
			w.Empty("variable", "identifier", "HINTREQUEST")
			setIdentifier(w, "HINT", "HINT")
			w.Close()
			w.Open("responseElse")
		}
		matchCorrect(w)
		if hasFeedback {
			w.Open("setOutcomeValue", "identifier", "FEEDBACK")
			w.Empty("variable", "identifier", "RESPONSE")
			w.Close()
		}
		if explanation != "" {
			setIdentifier(w, "SOLUTION", "SOLUTION")
		}
		if hasHint {
			w.Close() // responseElse
			w.Close() // responseCondition
		}
		w.Close()
	}

	for _, o := range q.Options {
		if strings.TrimSpace(o.Feedback) == "" {
			continue
		}
		w.Raw("modalFeedback", markdown.Short(o.Feedback),
			"outcomeIdentifier", "FEEDBACK", "identifier", identifier(o.Letter), "showHide", "show", "title", o.Letter)
	}
	if explanation != "" {
		w.Raw("modalFeedback", explanation,
			"outcomeIdentifier", "SOLUTION", "identifier", "SOLUTION", "showHide", "show", "title", "Solution")
	}
	w.Close()
	return w.Bytes(), w.Dirty()
}

// matchCorrect writes the rules of the match_correct template.
func matchCorrect(w *xmlw.Writer) {
	w.Open("responseCondition")
	w.Open("responseIf")
	w.Open("match")
	w.Empty("variable", "identifier", "RESPONSE")
	w.Empty("correct", "identifier", "RESPONSE")
	w.Close()
	setFloat(w, "SCORE", "1")
	w.Close()
	w.Open("responseElse")
	setFloat(w, "SCORE", "0")
	w.Close()
	w.Close()
}

func setFloat(w *xmlw.Writer, outcome, v string) {
	w.Open("setOutcomeValue", "identifier", outcome)
	w.Text("baseValue", v, "baseType", "float")
	w.Close()
}

func setIdentifier(w *xmlw.Writer, outcome, v string) {
	w.Open("setOutcomeValue", "identifier", outcome)
	w.Text("baseValue", v, "baseType", "identifier")
	w.Close()
}

func langstring(w *xmlw.Writer, lang, s string) {
	if lang == "" {
		w.Text("imsmd:langstring", s)
		return
	}
	w.Text("imsmd:langstring", s, "xml:lang", lang)
}

func manifestXML(banks []*bank.Bank, items [][]*item, env *export.Env) ([]byte, []*bank.Bank) {
	var dirty []*bank.Bank
	w := xmlw.New()
	w.Open("manifest",
		"xmlns", NSCP, "xmlns:imsmd", NSMD, "xmlns:xsi", NSXSI,
		"identifier", "qbank-export",
		"xsi:schemaLocation", NSCP+" http://www.imsglobal.org/xsd/imscp_v1p1.xsd "+NSMD+" http://www.imsglobal.org/xsd/imsmd_v1p2p4.xsd",
	)
	w.Open("metadata")
	w.Text("schema", "QTIv2.1 Package")
	w.Text("schemaversion", "1.0.0")
	w.Close()

	w.Open("organizations", "default", "qbank")
	w.Open("organization", "identifier", "qbank")
	w.Text("title", "qbank export")
	for bi, b := range banks {
		w.ResetDirty()
		m := export.MetaOf(b)
		if b.Topic != "" {
			env.Drops.Bank(export.DropBankTopic, b)
		}
		if len(b.Takeaways) > 0 {
			env.Drops.Bank(export.DropTakeaways, b)
		}
		if m.Version != "" || len(m.Authors) > 0 {
			env.Drops.Bank(export.DropBankMeta, b)
		}
		w.Open("item", "identifier", "bank-"+identifier(b.ID)+"-"+strconv.Itoa(bi+1))
		w.Text("title", orID(b.Title, b.ID))
		for _, it := range items[bi] {
			w.Open("item", "identifier", "ref-"+it.id, "identifierref", it.id)
			w.Text("title", it.q.FullID())
			w.Close()
		}
		w.Open("metadata")
		w.Open("imsmd:lom")
		w.Open("imsmd:general")
		w.Text("imsmd:identifier", b.ID)
		w.Open("imsmd:title")
		langstring(w, m.Language, orID(b.Title, b.ID))
		w.Close()
		if m.Language != "" {
			w.Text("imsmd:language", m.Language)
		}
		if b.Summary != "" {
			w.Open("imsmd:description")
			langstring(w, m.Language, b.Summary)
			w.Close()
		}
		for _, t := range b.Tags {
			w.Open("imsmd:keyword")
			langstring(w, m.Language, t)
			w.Close()
		}
		w.Close()
		w.Close()
		w.Close()
		w.Close()
		if w.Dirty() {
			dirty = append(dirty, b)
		}
	}
	w.Close()
	w.Close()

	w.Open("resources")
	for bi, b := range banks {
		w.ResetDirty()
		lang := export.MetaOf(b).Language
		for _, it := range items[bi] {
			q := it.q
			w.Open("resource", "identifier", it.id, "type", "imsqti_item_xmlv2p1", "href", it.href)
			w.Open("metadata")
			w.Text("schema", "IMS QTI Item")
			w.Text("schemaversion", "2.1")
			w.Open("imsmd:lom")
			w.Open("imsmd:general")
			w.Text("imsmd:identifier", q.FullID())
			w.Open("imsmd:title")
			langstring(w, lang, q.FullID())
			w.Close()
			for _, t := range q.Tags {
				w.Open("imsmd:keyword")
				langstring(w, lang, t)
				w.Close()
			}
			w.Close()
			if q.Difficulty != "" {
				src, val := Difficulty(q.Difficulty)
				w.Open("imsmd:educational")
				w.Open("imsmd:difficulty")
				w.Open("imsmd:source")
				langstring(w, "x-none", src)
				w.Close()
				w.Open("imsmd:value")
				langstring(w, "x-none", val)
				w.Close()
				w.Close()
				w.Close()
			}
			w.Close()
			w.Close()
			w.Empty("file", "href", it.href)
			w.Close()
		}
		if w.Dirty() {
			dirty = append(dirty, b)
		}
	}
	w.Close()
	w.Close()
	return w.Bytes(), dirty
}

func orID(title, id string) string {
	if strings.TrimSpace(title) == "" {
		return id
	}
	return title
}

func sortItems(items []*item) {
	slices.SortFunc(items, func(a, b *item) int { return cmp.Compare(a.href, b.href) })
}

func method(e *entry) uint16 {
	if e.compressed {
		return zip.Deflate
	}
	return zip.Store
}
