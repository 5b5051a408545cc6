// Package schema holds qbank's published JSON Schemas and checks a parsed
// bank against qbank.schema.json, turning each schema error into a problem
// placed on the exact key or value it is about.
//
// The schema files in this directory are the single source of truth for
// the bank format: editors read them through a `#:schema` comment, and
// `qbank lint` embeds the same bytes.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/suggest"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// BankJSON is the bank schema, as published.
//
//go:embed qbank.schema.json
var BankJSON []byte

// ReportJSON is the schema of `qbank lint --format json`.
//
//go:embed report.schema.json
var ReportJSON []byte

// RunJSON is the schema of `qbank run --format json`.
//
//go:embed run.schema.json
var RunJSON []byte

const bankURL = "https://github.com/qbank-dev/qbank/schema/qbank.schema.json"

// Kind classifies a problem; each kind is reported by its own rule.
type Kind string

// The kinds of problem.
const (
	Unknown  Kind = "unknown-key"
	Type     Kind = "wrong-type"
	Missing  Kind = "missing-key"
	Invalid  Kind = "invalid-value"
	IDFormat Kind = "id-format"
)

// Problem is one schema violation.
type Problem struct {
	Kind    Kind
	Node    *tomltree.Node // the node it is about (a table, for missing keys)
	OnKey   bool           // point at the key rather than the value
	Pointer string         // JSON pointer of the instance
	Message string
	Hint    string
}

type compiled struct {
	schema *jsonschema.Schema
	raw    map[string]any
	fast   *fastNode // nil when the schema uses keywords the fast path lacks
}

var bankSchema = sync.OnceValues(func() (*compiled, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	if err := c.AddResource(bankURL, bytes.NewReader(BankJSON)); err != nil {
		return nil, err
	}
	s, err := c.Compile(bankURL)
	if err != nil {
		return nil, fmt.Errorf("compile bank schema: %w", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(BankJSON, &raw); err != nil {
		return nil, err
	}
	fast, _ := compileFast(raw)
	return &compiled{schema: s, raw: raw, fast: fast}, nil
})

// Check validates a parsed bank file against the bank schema.
func Check(doc *tomltree.Document) ([]Problem, error) {
	c, err := bankSchema()
	if err != nil {
		return nil, err
	}
	if c.fast != nil && c.fast.valid(doc.Root) {
		return nil, nil
	}
	verr := c.schema.Validate(doc.Root.Interface())
	if verr == nil {
		return nil, nil
	}
	ve, ok := verr.(*jsonschema.ValidationError)
	if !ok {
		return nil, verr
	}
	m := &mapper{c: c, doc: doc, seen: map[string]bool{}}
	m.walk(ve)
	return m.out, nil
}

type mapper struct {
	c    *compiled
	doc  *tomltree.Document
	out  []Problem
	seen map[string]bool
}

func keyword(loc string) string {
	return loc[strings.LastIndexByte(loc, '/')+1:]
}

// schemaAt resolves the absolute keyword location to the schema object
// that holds the keyword.
func (m *mapper) schemaAt(abs string) map[string]any {
	_, frag, _ := strings.Cut(abs, "#")
	toks := tomltree.SplitPointer(frag)
	if len(toks) > 0 {
		toks = toks[:len(toks)-1]
	}
	var cur any = m.c.raw
	for _, t := range toks {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[t]
		case []any:
			i := 0
			fmt.Sscanf(t, "%d", &i)
			if i < len(v) {
				cur = v[i]
			} else {
				cur = nil
			}
		}
	}
	obj, _ := cur.(map[string]any)
	return obj
}

func (m *mapper) add(p Problem) {
	k := string(p.Kind) + "\x00" + p.Pointer + "\x00" + p.Message
	if m.seen[k] {
		return
	}
	m.seen[k] = true
	m.out = append(m.out, p)
}

func (m *mapper) walk(e *jsonschema.ValidationError) {
	kw := keyword(e.KeywordLocation)
	if kw == "oneOf" || kw == "anyOf" {
		m.alternatives(e)
		return
	}
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			m.walk(c)
		}
		return
	}
	m.leaf(e, kw)
}

// alternatives handles oneOf/anyOf: when the value's type fits no branch,
// one "wrong type" problem names every accepted type; otherwise the
// branches whose type fits explain what is wrong inside them.
func (m *mapper) alternatives(e *jsonschema.ValidationError) {
	var types []string
	var fitting []*jsonschema.ValidationError
	for _, c := range e.Causes {
		if l := unwrap(c); keyword(l.KeywordLocation) == "type" && l.InstanceLocation == e.InstanceLocation && len(l.Causes) == 0 {
			if s := m.schemaAt(l.AbsoluteKeywordLocation); s != nil {
				types = append(types, typeNames(s["type"])...)
			}
			continue
		}
		fitting = append(fitting, c)
	}
	if len(fitting) == 0 {
		n, _ := m.doc.Lookup(e.InstanceLocation)
		m.add(Problem{Kind: Type, Node: n, Pointer: e.InstanceLocation,
			Message: fmt.Sprintf("%s must be %s, not %s", m.describe(e.InstanceLocation), joinOr(types), article(n))})
		return
	}
	for _, c := range fitting {
		m.walk(c)
	}
}

// unwrap follows a chain of single causes ($ref wrappers) to its end.
func unwrap(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(e.Causes) == 1 {
		e = e.Causes[0]
	}
	return e
}

func (m *mapper) leaf(e *jsonschema.ValidationError, kw string) {
	n, _ := m.doc.Lookup(e.InstanceLocation)
	s := m.schemaAt(e.AbsoluteKeywordLocation)
	what := m.describe(e.InstanceLocation)
	switch kw {
	case "additionalProperties":
		props := propertyNames(s)
		var unknown []string
		for _, k := range n.Keys {
			if _, ok := s["properties"].(map[string]any)[k]; !ok {
				unknown = append(unknown, k)
			}
		}
		for _, k := range unknown {
			p := Problem{Kind: Unknown, Node: n.Get(k), OnKey: true, Pointer: e.InstanceLocation + "/" + escape(k),
				Message: fmt.Sprintf("unknown key %q in %s", k, m.table(e.InstanceLocation))}
			if g := suggest.Closest(k, props); g != "" {
				p.Hint = fmt.Sprintf("did you mean %q?", g)
			} else {
				p.Hint = "allowed keys: " + strings.Join(props, ", ")
			}
			m.add(p)
		}
	case "required":
		req, _ := s["required"].([]any)
		for _, r := range req {
			k, _ := r.(string)
			if n.Get(k) == nil {
				m.add(Problem{Kind: Missing, Node: n, Pointer: e.InstanceLocation,
					Message: fmt.Sprintf("missing required key %q in %s", k, m.table(e.InstanceLocation)),
					Hint:    requiredHint(e.InstanceLocation, k)})
			}
		}
	case "type":
		m.add(Problem{Kind: Type, Node: n, Pointer: e.InstanceLocation,
			Message: fmt.Sprintf("%s must be %s, not %s", what, joinOr(typeNames(s["type"])), article(n))})
	case "enum":
		var vals []string
		for _, v := range s["enum"].([]any) {
			vals = append(vals, fmt.Sprint(v))
		}
		p := Problem{Kind: Invalid, Node: n, Pointer: e.InstanceLocation,
			Message: fmt.Sprintf("%s is %q; it must be one of %s", what, n.Str, quoteAll(vals))}
		if g := closestValue(n.Str, vals); g != "" {
			p.Hint = fmt.Sprintf("did you mean %q?", g)
		}
		m.add(p)
	case "pattern":
		toks := tomltree.SplitPointer(e.InstanceLocation)
		last := ""
		if len(toks) > 0 {
			last = toks[len(toks)-1]
		}
		if last == "id" {
			m.add(Problem{Kind: IDFormat, Node: n, Pointer: e.InstanceLocation,
				Message: fmt.Sprintf("id %q is not kebab-case", n.Str),
				Hint:    fmt.Sprintf("use lowercase letters, digits and single hyphens, e.g. %q", suggest.Kebab(n.Str))})
			return
		}
		p := Problem{Kind: Invalid, Node: n, Pointer: e.InstanceLocation,
			Message: fmt.Sprintf("%s %q is not valid", what, n.Str)}
		if d, ok := s["description"].(string); ok {
			p.Hint = d
		}
		if isAnswerPointer(toks) {
			p.Message = fmt.Sprintf("answer %q is not an option letter", n.Str)
			p.Hint = "write the option's upper-case letter: \"A\" for the first option, \"B\" for the second…"
			if up := strings.ToUpper(strings.TrimSpace(n.Str)); up != n.Str && len(up) <= 2 && up != "" {
				p.Hint = fmt.Sprintf("did you mean %q?", up)
			}
			if ls := answerLetters(n.Str); len(ls) > 1 {
				p.Hint = m.answerListHint(toks, ls)
			}
		}
		m.add(p)
	case "minLength":
		m.add(Problem{Kind: Invalid, Node: n, Pointer: e.InstanceLocation, Message: fmt.Sprintf("%s is empty", what)})
	case "minItems":
		m.add(Problem{Kind: Invalid, Node: n, Pointer: e.InstanceLocation, Message: fmt.Sprintf("%s is empty", what)})
	default:
		m.add(Problem{Kind: Invalid, Node: n, Pointer: e.InstanceLocation, Message: fmt.Sprintf("%s: %s", what, e.Message)})
	}
}

// answerLetterSep separates the letters of "A, B", "A and C", "A/B".
var answerLetterSep = regexp.MustCompile(`(?i)\s*(?:,|;|/|&|\+|\band\b|\s)\s*`)

// answerLetters splits an answer written as several letters in one string
// ("A, B", "A,B", "A and B", "a; c") into its letters, or returns nil.
func answerLetters(s string) []string {
	var out []string
	for _, part := range answerLetterSep.Split(strings.TrimSpace(s), -1) {
		if part == "" {
			continue
		}
		if len(part) != 1 || !(part[0] >= 'A' && part[0] <= 'Z' || part[0] >= 'a' && part[0] <= 'z') {
			return nil
		}
		out = append(out, strings.ToUpper(part))
	}
	return out
}

// answerListHint is the hint for several letters written in one string:
// write a list (and, on a single-answer question, make it "multiple").
func (m *mapper) answerListHint(toks []string, letters []string) string {
	list := "[" + quoteAll(letters) + "]"
	if len(toks) >= 2 && toks[0] == "question" {
		if q, ok := m.doc.Lookup("/question/" + toks[1]); ok && q != nil {
			if t := q.Get("type"); t == nil || t.Kind != tomltree.String || t.Str != bank.Multiple {
				return fmt.Sprintf("a single-answer question has one key; for several, set type = \"multiple\" and write a list: answer = %s", list)
			}
		}
	}
	if len(toks) > 0 && isIndex(toks[len(toks)-1]) {
		return fmt.Sprintf("one letter per item: answer = %s", list)
	}
	return fmt.Sprintf("write a list: answer = %s", list)
}

// synonyms are words authors write for an allowed value of expect or
// type, for the "did you mean" of an enum.
var synonyms = map[string]string{
	"print": "output", "prints": "output", "printed": "output", "stdout": "output",
	"raise": "error", "raises": "error", "raised": "error", "exception": "error", "throws": "error", "errors": "error",
	"return": "value", "returns": "value", "result": "value", "evaluates": "value", "expression": "value",
	"compile": "compiles", "syntax": "compiles",
	"multi": "multiple", "many": "multiple", "several": "multiple", "checkbox": "multiple",
	"one": "single", "radio": "single",
}

// closestValue suggests the allowed value an invalid one was meant to be:
// the nearest by edit distance; else the one it abbreviates or spells out
// ("multi", "multiple-choice" for "multiple"), if only one; else a known
// synonym that is allowed ("prints" for "output").
func closestValue(v string, vals []string) string {
	if g := suggest.Closest(strings.TrimSpace(v), vals); g != "" {
		return g
	}
	w := strings.ToLower(strings.TrimSpace(v))
	var hits []string
	for _, c := range vals {
		lc := strings.ToLower(c)
		if len(w) >= 3 && strings.HasPrefix(lc, w) || len(lc) >= 3 && strings.HasPrefix(w, lc) {
			hits = append(hits, c)
		}
	}
	if len(hits) == 1 {
		return hits[0]
	}
	for _, word := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }) {
		if g, ok := synonyms[word]; ok && slices.Contains(vals, g) {
			return g
		}
	}
	return ""
}

func isAnswerPointer(toks []string) bool {
	for _, t := range toks {
		if t == "answer" {
			return true
		}
	}
	return false
}

func requiredHint(ptr, key string) string {
	switch {
	case ptr == "" && key == "bank":
		return "start the file with a [bank] table: id and title"
	case ptr == "" && key == "question":
		return "add at least one [[question]] table"
	}
	return fmt.Sprintf("add %s = …", key)
}

// describe names the value at a pointer for messages: `"options"`,
// `option B`, `answer`.
func (m *mapper) describe(ptr string) string {
	toks := tomltree.SplitPointer(ptr)
	if len(toks) == 0 {
		return "the file"
	}
	last := toks[len(toks)-1]
	if isIndex(last) && len(toks) >= 2 {
		parent := toks[len(toks)-2]
		i := 0
		fmt.Sscanf(last, "%d", &i)
		switch parent {
		case "options":
			return "option " + bank.Letter(i)
		case "question":
			return m.table(ptr)
		}
		return fmt.Sprintf("item %d of %q", i+1, parent)
	}
	return fmt.Sprintf("%q", last)
}

// table names the table at a pointer: [bank], [[question]] "id", [question.code].
func (m *mapper) table(ptr string) string {
	toks := tomltree.SplitPointer(ptr)
	switch {
	case len(toks) == 0:
		return "the top level"
	case len(toks) == 1:
		return "[" + toks[0] + "]"
	case toks[0] == "question" && len(toks) == 2:
		n, _ := m.doc.Lookup(ptr)
		if id := n.Get("id"); id != nil && id.Kind == tomltree.String && id.Str != "" {
			return fmt.Sprintf("[[question]] %q", id.Str)
		}
		return fmt.Sprintf("[[question]] #%s", plusOne(toks[1]))
	case toks[0] == "question" && len(toks) == 3:
		return "[question." + toks[2] + "]"
	case toks[0] == "question" && len(toks) == 4 && toks[2] == "options":
		i := 0
		fmt.Sscanf(toks[3], "%d", &i)
		return "option " + bank.Letter(i)
	}
	return fmt.Sprintf("%q", toks[len(toks)-1])
}

func plusOne(s string) string {
	i := 0
	fmt.Sscanf(s, "%d", &i)
	return fmt.Sprint(i + 1)
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func propertyNames(s map[string]any) []string {
	props, _ := s["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func typeNames(t any) []string {
	var raw []string
	switch v := t.(type) {
	case string:
		raw = []string{v}
	case []any:
		for _, x := range v {
			raw = append(raw, fmt.Sprint(x))
		}
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = tomlType(r)
	}
	return out
}

// tomlType renders a JSON Schema type with the TOML word for it.
func tomlType(t string) string {
	switch t {
	case "object":
		return "a table"
	case "array":
		return "an array"
	case "string":
		return "a string"
	case "integer":
		return "an integer"
	case "number":
		return "a number"
	case "boolean":
		return "a boolean"
	}
	return t
}

func article(n *tomltree.Node) string {
	if n == nil {
		return "missing"
	}
	k := n.Kind.String()
	switch k[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + k
	}
	return "a " + k
}

func joinOr(xs []string) string {
	switch len(xs) {
	case 0:
		return "something else"
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func escape(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}
