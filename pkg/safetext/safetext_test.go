package safetext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "hello world\n", "hello world\n"},
		{"tab newline", "a\tb\nc", "a\tb\nc"},
		{"unicode", "héllo → 世界 🎉", "héllo → 世界 🎉"},
		{"empty", "", ""},
		{"cr", "abc\rdef", `abc\rdef`},
		{"esc csi", "\x1b[2J\x1b[1;1Hx", `\x1b[2J\x1b[1;1Hx`},
		{"osc52", "\x1b]52;c;cHduZWQ=\x07", `\x1b]52;c;cHduZWQ=\x07`},
		{"nul", "a\x00b", `a\x00b`},
		{"del", "a\x7fb", `a\u007fb`},
		{"c1 csi", "a\u009b2Jb", `a\u009b2Jb`},
		{"nel", "a\u0085b", `a\u0085b`},
		{"bidi rlo", "abc\u202edef", `abc\u202edef`},
		{"bidi isolates", "\u2066x\u2069", `\u2066x\u2069`},
		{"lrm rlm alm", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"invalid", "ok\xff\xfe\x00\xc3(", `ok\xff\xfe\x00\xc3(`},
		{"truncated rune", "\xe2\x82", `\xe2\x82`},
		{"gh command", "::error file=q.md::fake\n", "| ::error file=q.md::fake\n"},
		{"gh command indented", "  ::add-mask::x", "|   ::add-mask::x"},
		{"gh command tab", "\t::warning::x", "| \t::warning::x"},
		{"gh command nbsp", "\u00a0::warning::x", "| \u00a0::warning::x"},
		{"gh command second line", "ok\n::set-output name=x::y\nok", "ok\n| ::set-output name=x::y\nok"},
		{"mid-line colons", "a::b", "a::b"},
		{"vso", "##vso[task.setvariable variable=X]y", "| ##vso[task.setvariable variable=X]y"},
		{"azure group", "##[group]x", "| ##[group]x"},
		{"hash comment", "## heading", "## heading"},
		{"cr then command", "x\r::error::y", `x\r::error::y`},
		{"b28", "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[1;1H::error file=q.md::fake\n::add-mask::x\n##vso[task.setvariable variable=X]y\n",
			`\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[1;1H::error file=q.md::fake` + "\n| ::add-mask::x\n| ##vso[task.setvariable variable=X]y\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Escape([]byte(c.in)); got != c.want {
				t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
			}
			if got := EscapeString(c.in); got != c.want {
				t.Errorf("EscapeString(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func checkSafe(t *testing.T, in []byte, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Escape(%q) is not valid UTF-8: %q", in, out)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Fatalf("Escape(%q) contains ESC: %q", in, out)
	}
	for _, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || Unsafe(r) {
			t.Fatalf("Escape(%q) contains control %U: %q", in, r, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
		if strings.HasPrefix(trimmed, "::") || strings.HasPrefix(trimmed, "##vso[") || strings.HasPrefix(trimmed, "##[") {
			t.Fatalf("Escape(%q) has a command line %q", in, line)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "hello\n", "::error::x", "\x1b[31mred", "\xff\xfe", "  ##vso[x]", "\u202e", "a\r\n::x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := Escape(in)
		checkSafe(t, in, out)
		// Printable single-line ASCII without markers passes unchanged.
		plain := true
		for _, c := range in {
			if c < 0x20 || c >= 0x7f {
				plain = false
			}
		}
		if plain && !IsCommandLine(string(in)) && out != string(in) {
			t.Fatalf("plain input changed: %q -> %q", in, out)
		}
	})
}
