package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender: whatever the Markdown, the HTML is well-formed XML (once the
// characters XML forbids in the source itself are left out, as the
// exporters do), carries no raw HTML, and Check and Wrap do not fail;
// a text Wrap rewrites shows as itself.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"__main__", "a*b*c", "`  x  `", "```\n a\n```", "<b>&amp;</b>", "[a](javascript:x)", "- 1\n- 2", "a\\*b &#1;", "> q\n\n    c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
		}) {
			return
		}
		for _, out := range []string{Block(s), Short(s)} {
			if err := wellFormed(out); err != nil {
				t.Fatalf("%q -> %q: not well-formed: %v", s, out, err)
			}
			for _, bad := range []string{"<script", "<div", "<!--", `href="javascript:`, `src="javascript:`} {
				if strings.Contains(strings.ToLower(out), strings.ToLower(bad)) {
					t.Fatalf("%q -> %q: %s passed through", s, out, bad)
				}
			}
		}
		c := Check(s)
		if w := Wrap(c.Literal); w != "" {
			if got := Check(w); got.Changes != nil || got.Text != strings.TrimSuffix(c.Literal, "\n") {
				t.Fatalf("Wrap(%q) = %q shows %q", c.Literal, w, got.Text)
			}
		}
	})
}
