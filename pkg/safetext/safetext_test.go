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
		{"vso", "##vso[task.setvariable variable=X]y", `##vso\x5btask.setvariable variable=X]y`},
		{"vso mid-line", "ok ##vso[task.prependpath]/x", `ok ##vso\x5btask.prependpath]/x`},
		{"vso upper case", "a ##VSO[x]", `a ##VSO\x5bx]`},
		{"azure group", "##[group]x", `##\x5bgroup]x`},
		{"legacy runner command mid-line", "x ##[set-env name=A;]b", `x ##\x5bset-env name=A;]b`},
		{"hashes", "### [x] ##vs[", "### [x] ##vs["},
		{"noncharacters", "a\ufffe\uffffb", `a\ufffe\uffffb`},
		{"bom then command", "\ufeff::error::x", "| \ufeff::error::x"},
		{"hash comment", "## heading", "## heading"},
		{"cr then command", "x\r::error::y", `x\r::error::y`},
		{"b28", "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[1;1H::error file=q.md::fake\n::add-mask::x\n##vso[task.setvariable variable=X]y\n",
			`\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[1;1H::error file=q.md::fake` + "\n| ::add-mask::x\n" + `##vso\x5btask.setvariable variable=X]y` + "\n"},
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

func TestLine(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "unknown key \"optoins\"", "unknown key \"optoins\""},
		{"newline", "a\nb", `a\nb`},
		{"tab", "a\tb", `a\tb`},
		{"crlf", "a\r\nb", `a\r\nb`},
		{"newline command", "x\n::stop-commands::tok", `x\n::stop-commands::tok`},
		{"command first", "::add-mask::x", "| ::add-mask::x"},
		{"indented command", "  ::error::x", "|   ::error::x"},
		{"tab before command", "\t::error::x", `\t::error::x`},
		{"vso after newline", "x\n##vso[task.setvariable]y", `x\n##vso\x5btask.setvariable]y`},
		{"nel", "a\u0085::error::x", `a\u0085::error::x`},
		{"bidi", "\u202eabc\u2066", `\u202eabc\u2066`},
		{"escape", "\x1b[2J\x1b]8;;http://x\x07link\x1b]8;;\x07", `\x1b[2J\x1b]8;;http://x\x07link\x1b]8;;\x07`},
		{"invalid", "a\xffb", `a\xffb`},
		{"percent is data", "%0A::error::", "%0A::error::"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Line(c.in); got != c.want {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestIsCommandLine(t *testing.T) {
	for in, want := range map[string]bool{
		"::error::x": true, "  ::x": true, "\u00a0::x": true, "\u200b::x": true, "##vso[x]": true, "##[group]": true,
		"\x1b[1m::1:1:\x1b[0m x": true, "\x1b[1;31m  ::x": true,
		"a::b": false, "| ::x": false, "#::x": false, "\x1b[2J::x": false, ": :x": false, "": false,
	} {
		if got := IsCommandLine(in); got != want {
			t.Errorf("IsCommandLine(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestGuardLines(t *testing.T) {
	own := func(l string) bool { return strings.HasPrefix(l, "::error file=") }
	for _, c := range []struct{ in, want string }{
		{"::error file=a::m\n::stop-commands::x\n", "::error file=a::m\n| ::stop-commands::x\n"},
		{"ok\n  ::add-mask::s", "ok\n|   ::add-mask::s"},
		{"a ##vso[task.complete]b", `a ##vso\x5btask.complete]b`},
		{"::error file=a::##[x]", `::error file=a::##\x5bx]`},
		{"plain\n", "plain\n"},
	} {
		if got := GuardLines(c.in, own); got != c.want {
			t.Errorf("GuardLines(%q) = %q, want %q", c.in, got, c.want)
		}
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
		trimmed := strings.TrimLeftFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r == 0xfeff || r == 0x200b })
		if strings.HasPrefix(trimmed, "::") {
			t.Fatalf("Escape(%q) has a command line %q", in, line)
		}
		if l := strings.ToLower(line); strings.Contains(l, "##vso[") || strings.Contains(l, "##[") {
			t.Fatalf("Escape(%q) has a logging command %q", in, line)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "hello\n", "::error::x", "\x1b[31mred", "\xff\xfe", "  ##vso[x]", "\u202e", "a\r\n::x", "###vso[", "##VsO["} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out := Escape(in)
		checkSafe(t, in, out)
		if again := EscapeString(out); again != out {
			t.Fatalf("Escape is not idempotent: %q -> %q -> %q", in, out, again)
		}
		line := Line(string(in))
		checkSafe(t, in, line)
		if strings.ContainsAny(line, "\n\t") {
			t.Fatalf("Line(%q) = %q spans lines", in, line)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line is not idempotent: %q -> %q -> %q", in, line, again)
		}
		// Printable single-line ASCII without markers passes unchanged.
		plain := true
		for _, c := range in {
			if c < 0x20 || c >= 0x7f {
				plain = false
			}
		}
		if plain && !IsCommandLine(string(in)) && defuse(string(in)) == string(in) && out != string(in) {
			t.Fatalf("plain input changed: %q -> %q", in, out)
		}
	})
}
