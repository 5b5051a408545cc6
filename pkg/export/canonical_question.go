package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
)

// questionHash is HashOf(q) without reflection: it writes the canonical
// JSON of the question straight from the struct, members in sorted order,
// omitting exactly what the JSON encoding omits. TestBundleHashes checks it
// against the generic path on the written document.
func questionHash(q *BundleQuestion) string {
	var b bytes.Buffer
	b.Grow(2048)
	key := func(first bool, k string) {
		if !first {
			b.WriteByte(',')
		}
		canonicalString(&b, k)
		b.WriteByte(':')
	}
	strs := func(ss []string) {
		b.WriteByte('[')
		for i, s := range ss {
			if i > 0 {
				b.WriteByte(',')
			}
			canonicalString(&b, s)
		}
		b.WriteByte(']')
	}
	b.WriteByte('{')
	key(true, "answer")
	strs(q.Answer)
	if c := q.Code; c != nil {
		key(false, "code")
		b.WriteByte('{')
		first := true
		opt := func(k, v string) {
			if v != "" {
				key(first, k)
				first = false
				canonicalString(&b, v)
			}
		}
		opt("after", c.After)
		opt("before", c.Before)
		opt("error", c.Error)
		key(first, "expect")
		first = false
		canonicalString(&b, c.Expect)
		key(false, "language")
		canonicalString(&b, c.Language)
		opt("of", c.Of)
		if c.Output != nil {
			key(false, "output")
			canonicalString(&b, *c.Output)
		}
		if len(c.Requires) > 0 {
			key(false, "requires")
			strs(c.Requires)
		}
		key(false, "source")
		canonicalString(&b, c.Source)
		opt("stdin", c.Stdin)
		b.WriteByte('}')
	}
	key(false, "difficulty")
	canonicalString(&b, q.Difficulty)
	key(false, "explanation")
	strs(q.Explanation)
	key(false, "full_id")
	canonicalString(&b, q.FullID)
	if q.Hint != "" {
		key(false, "hint")
		canonicalString(&b, q.Hint)
	}
	key(false, "id")
	canonicalString(&b, q.ID)
	key(false, "mistakes")
	strs(q.Mistakes)
	key(false, "options")
	b.WriteByte('[')
	for i, o := range q.Options {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		first := true
		if o.Feedback != "" {
			key(true, "feedback")
			canonicalString(&b, o.Feedback)
			first = false
		}
		key(first, "key")
		if o.Key {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
		key(false, "letter")
		canonicalString(&b, o.Letter)
		key(false, "text")
		canonicalString(&b, o.Text)
		b.WriteByte('}')
	}
	b.WriteByte(']')
	if q.Points != nil {
		key(false, "points")
		b.WriteString(canonicalNumber(*q.Points))
	}
	key(false, "prompt")
	canonicalString(&b, q.Prompt)
	key(false, "tags")
	strs(q.Tags)
	key(false, "type")
	canonicalString(&b, q.Type)
	b.WriteByte('}')
	sum := sha256.Sum256(b.Bytes())
	return "sha256:" + hex.EncodeToString(sum[:])
}
