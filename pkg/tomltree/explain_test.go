package tomltree

import "testing"

// TestExplain checks the errors that are rewritten: where they point, what
// they say and the hint.
func TestExplain(t *testing.T) {
	for _, tt := range []struct {
		src, at, msg, hint string
	}{
		{"a = 1\nsrc = '''\nprint(1)\nb = 2\n", "'''", "multi-line literal string opened here is never closed: it runs to the end of the file", "close it with ''' on the line where the text ends"},
		{"a = '''x'''\nsrc = ''''quoted\nb = 2\n", "'''", "multi-line literal string opened here is never closed: it runs to the end of the file", "close it with ''' on the line where the text ends"},
		{"a = 1\nsrc = \"\"\"\nprint(\"\"\\\"\"\"x)\nb = 2\n", `"""`, "multi-line string opened here is never closed: it runs to the end of the file", `close it with """ on the line where the text ends`},
		{"difficulty = easy\"\nb = 2\n", `easy"`, "a text value must be quoted", `quote it: difficulty = "easy"`},
		{"difficulty = easy\nb = 2\n", "easy", "a text value must be quoted", `quote it: difficulty = "easy"`},
		{"difficulty = 'easy\nb = 2\n", "", "literal strings cannot have new lines", ""},
		{"difficulty = hard medium # c\n", "hard medium", "a text value must be quoted", `quote it: difficulty = "hard medium"`},
		{"prompt = What does this print?\n", "What does this print?", "a text value must be quoted", `quote it: prompt = "What does this print?"`},
		{"prompt = It's \"fine\"\n", `It's "fine"`, "a text value must be quoted", `quote it: prompt = "It's \"fine\""`},
		{"[question.code]\nexpect = output\n", "output", "a text value must be quoted", `quote it: expect = "output"`},
		{"tags = [\"a\", b]\n", "b", "a text value must be quoted", `quote it: "b"`},
		{"tags = [\n  \"a\",\n  b,\n]\n", "b", "a text value must be quoted", `quote it: "b"`},
		{"x = {k = v}\n", "v", "a text value must be quoted", `quote it: k = "v"`},
		{"x = tru\n", "", `expected keyword "true"`, ""},
		// An unclosed ''' that the next string's ''' closes: the TOML in
		// between became text.
		{"[[question]]\nsource = '''\nprint(1)\nexpect = \"output\"\n\n[[question]]\nsource = '''\nprint(2)\n'''\n", "'''",
			"multi-line literal string opened here is not closed where its text ends: the ''' at line 7 closes it, so the TOML between is read as text",
			"close it with ''' on the line where the text ends"},
		{"a = \"\"\"x\"\"\"\nsource = \"\"\"\nprint(1)\n[b]\nc = \"\"\"\nprint(2)\n\"\"\"\n", `"""`,
			`multi-line string opened here is not closed where its text ends: the """ at line 5 closes it, so the TOML between is read as text`,
			`close it with """ on the line where the text ends`},
		// Quotes at the end of a string's text, and a # or ''' inside a
		// one-line string, are not delimiters.
		{"a = '''x''''' # '''\nb = \"'''\"\nc = easy\n", "easy", "a text value must be quoted", `quote it: c = "easy"`},
	} {
		_, err := Parse([]byte(tt.src))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("%q: err = %v", tt.src, err)
			continue
		}
		if tt.at != "" && tt.src[se.Start:se.End] != tt.at {
			t.Errorf("%q: points at %q, want %q", tt.src, tt.src[se.Start:se.End], tt.at)
		}
		if se.Msg != tt.msg || se.Hint != tt.hint {
			t.Errorf("%q:\n got %q, hint %q\nwant %q, hint %q", tt.src, se.Msg, se.Hint, tt.msg, tt.hint)
		}
	}
}
