package schema

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// The fast path. Most files are valid, and jsonschema/v5 spends most of a
// lint run building error locations it then throws away. So the schema is
// also compiled into this small checker for the draft-07 keywords it uses,
// which walks the TOML tree directly and only answers "valid or not". A file
// it calls valid is valid; anything else goes through jsonschema/v5, which
// stays the reference for every reported problem. A keyword this checker
// does not know makes it refuse to compile, and then every file takes the
// full path — so a schema edit can slow qbank down but never make it wrong.
// TestFastAgreesWithFull keeps the two in step.

type fastNode struct {
	types           []string
	props           map[string]*fastNode
	noAdditional    bool
	required        []string
	enum            []string
	pattern         *regexp.Regexp
	items           *fastNode
	minItems        int
	minLength       int
	minimum         *float64
	oneOf           []*fastNode
	ref             string
	resolved        *fastNode
	hasMin, hasMinL bool
}

// ignored keywords carry documentation only.
var ignored = map[string]bool{
	"$schema": true, "$id": true, "title": true, "description": true, "default": true,
	"definitions": true, "examples": true, "x-taplo": true, "$comment": true,
}

type fastCompiler struct {
	root map[string]any
	defs map[string]*fastNode
}

func compileFast(raw map[string]any) (*fastNode, error) {
	c := &fastCompiler{root: raw, defs: map[string]*fastNode{}}
	n, err := c.node(raw)
	if err != nil {
		return nil, err
	}
	return n, c.resolve(n, map[*fastNode]bool{})
}

func (c *fastCompiler) resolve(n *fastNode, seen map[*fastNode]bool) error {
	if n == nil || seen[n] {
		return nil
	}
	seen[n] = true
	if n.ref != "" {
		d, ok := c.defs[n.ref]
		if !ok {
			return fmt.Errorf("unresolved $ref %q", n.ref)
		}
		n.resolved = d
		if err := c.resolve(d, seen); err != nil {
			return err
		}
	}
	for _, p := range n.props {
		if err := c.resolve(p, seen); err != nil {
			return err
		}
	}
	for _, o := range n.oneOf {
		if err := c.resolve(o, seen); err != nil {
			return err
		}
	}
	return c.resolve(n.items, seen)
}

func (c *fastCompiler) node(s map[string]any) (*fastNode, error) {
	n := &fastNode{}
	for k, v := range s {
		if ignored[k] {
			continue
		}
		switch k {
		case "type":
			switch t := v.(type) {
			case string:
				n.types = []string{t}
			case []any:
				for _, x := range t {
					n.types = append(n.types, fmt.Sprint(x))
				}
			}
		case "properties":
			n.props = map[string]*fastNode{}
			for name, sub := range v.(map[string]any) {
				p, err := c.node(sub.(map[string]any))
				if err != nil {
					return nil, err
				}
				n.props[name] = p
			}
		case "additionalProperties":
			b, ok := v.(bool)
			if !ok {
				return nil, fmt.Errorf("additionalProperties schema not supported")
			}
			n.noAdditional = !b
		case "required":
			for _, r := range v.([]any) {
				n.required = append(n.required, r.(string))
			}
		case "enum":
			for _, e := range v.([]any) {
				str, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("non-string enum not supported")
				}
				n.enum = append(n.enum, str)
			}
		case "pattern":
			re, err := regexp.Compile(v.(string))
			if err != nil {
				return nil, err
			}
			n.pattern = re
		case "items":
			sub, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("tuple items not supported")
			}
			it, err := c.node(sub)
			if err != nil {
				return nil, err
			}
			n.items = it
		case "minItems":
			n.minItems, n.hasMin = int(v.(float64)), true
		case "minLength":
			n.minLength, n.hasMinL = int(v.(float64)), true
		case "minimum":
			f := v.(float64)
			n.minimum = &f
		case "oneOf":
			for _, sub := range v.([]any) {
				o, err := c.node(sub.(map[string]any))
				if err != nil {
					return nil, err
				}
				n.oneOf = append(n.oneOf, o)
			}
		case "$ref":
			ref := v.(string)
			name, ok := strings.CutPrefix(ref, "#/definitions/")
			if !ok {
				return nil, fmt.Errorf("$ref %q not supported", ref)
			}
			if _, done := c.defs[name]; !done {
				defs, _ := c.root["definitions"].(map[string]any)
				sub, ok := defs[name].(map[string]any)
				if !ok {
					return nil, fmt.Errorf("$ref %q not found", ref)
				}
				c.defs[name] = &fastNode{} // placeholder against cycles
				d, err := c.node(sub)
				if err != nil {
					return nil, err
				}
				*c.defs[name] = *d
			}
			n.ref = name
		default:
			return nil, fmt.Errorf("keyword %q not supported by the fast path", k)
		}
	}
	return n, nil
}

func jsonTypeOf(k tomltree.Kind) string {
	switch k {
	case tomltree.Table:
		return "object"
	case tomltree.Array:
		return "array"
	case tomltree.Integer:
		return "integer"
	case tomltree.Float:
		return "number"
	case tomltree.Bool:
		return "boolean"
	}
	return "string"
}

func (n *fastNode) valid(v *tomltree.Node) bool {
	if n.resolved != nil && !n.resolved.valid(v) {
		return false
	}
	if len(n.types) > 0 {
		t := jsonTypeOf(v.Kind)
		ok := false
		for _, want := range n.types {
			if want == t || want == "number" && t == "integer" {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	switch v.Kind {
	case tomltree.Table:
		for _, r := range n.required {
			if v.Get(r) == nil {
				return false
			}
		}
		for _, k := range v.Keys {
			p, ok := n.props[k]
			if !ok {
				if n.noAdditional {
					return false
				}
				continue
			}
			if !p.valid(v.Get(k)) {
				return false
			}
		}
	case tomltree.Array:
		if n.hasMin && len(v.Items) < n.minItems {
			return false
		}
		if n.items != nil {
			for _, it := range v.Items {
				if !n.items.valid(it) {
					return false
				}
			}
		}
	case tomltree.Integer, tomltree.Float:
		if n.minimum != nil {
			f := v.Float
			if v.Kind == tomltree.Integer {
				f = float64(v.Int)
			}
			if f < *n.minimum {
				return false
			}
		}
	case tomltree.Bool:
	default: // strings and datetimes, which validate as strings
		if n.enum != nil {
			found := false
			for _, e := range n.enum {
				if e == v.Str {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		if n.hasMinL && utf8.RuneCountInString(v.Str) < n.minLength {
			return false
		}
		if n.pattern != nil && !n.pattern.MatchString(v.Str) {
			return false
		}
	}
	if n.enum != nil && v.Kind != tomltree.String && !isStringKind(v.Kind) {
		return false
	}
	if len(n.oneOf) > 0 {
		count := 0
		for _, o := range n.oneOf {
			if o.valid(v) {
				count++
			}
		}
		if count != 1 {
			return false
		}
	}
	return true
}

func isStringKind(k tomltree.Kind) bool {
	return jsonTypeOf(k) == "string"
}
