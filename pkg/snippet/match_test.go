package snippet

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		option, actual string
		want           Level
	}{
		// exact: line endings, one final newline, a wrapping code span or fence
		{"abc", "abc\n", Exact},
		{"abc\n", "abc\n", Exact},
		{"0\n1\n2", "0\n1\n2\n", Exact},
		{"0\r\n1", "0\n1\n", Exact},
		{"0\n1", "0\r\n1\r\n", Exact},
		{"`abc`", "abc\n", Exact},
		{"`` `abc` ``", "`abc`\n", Exact},
		{"` a `", "a\n", Exact},     // CommonMark strips one space from each side
		{"`  a  `", " a \n", Exact}, // only one
		{"`a\nb`", "a b\n", Exact},  // a code span's line ending is a space
		{"```\n0\n1\n```", "0\n1\n", Exact},
		{"```python\n[1, 2]\n```", "[1, 2]\n", Exact},
		{"~~~\nhi   \n~~~", "hi   \n", Exact},
		{"hi   ", "hi   \n", Exact},
		{"   hi", "   hi\n", Exact},
		{"HELLO", "HELLO\n", Exact},
		{"'abc'", "'abc'", Exact}, // a value's repr
		{"", "\n", Exact},
		{"", "", Exact},
		{"[1, 2]", "[1, 2]\n", Exact},
		// normal: runs of white space, ends
		{"0 1 2", "0\n1\n2\n", Normal},
		{"`0 1 2`", "0\n1\n2\n", Normal},
		{"Hello  World", "Hello World\r\n", Lines},
		{"hi", "hi   \n", Lines},
		{"hi", "   hi\n", Lines},
		{"hi   ", "hi\n", Lines},
		{"a\n\nb", "a\nb\n", Normal},
		{"abc", "abc\n\n", Lines}, // only one final newline is ignored
		{"` abc`", " abc\n", Exact},
		// loose: today's rules
		{"[1,3,4,5]", "[1, 3, 4, 5]\n", Spacing},
		{"'Tokyo'", "Tokyo\n", Loose},
		{`"abc"`, "abc\n", Loose},
		{"abc", "'abc'", Loose},
		{"`Setup`, `Using resource`, `Cleanup`", "Setup\nUsing resource\nCleanup\n", Loose},
		{"Done.", "Done\n", Loose},
		{"1; 2; 3", "1\n2\n3\n", Loose},
		// loose: code spans joined by words or punctuation
		{"`3` and `4`", "3\n4\n", Loose},
		{"`a`, then `b`", "a\nb\n", Loose},
		{"`x` → `y`", "x\ny\n", Loose},
		{"`x` -> `y`", "x\ny\n", Loose},
		{"`1` followed by `2`", "1\n2\n", Loose},
		{"`[1, 2]` then `[3]`", "[1, 2]\n[3]\n", Loose},
		{"`a` and `b`", "a and b\n", Loose}, // the words may be printed too
		{"`a` and `b`", "a\nb\n", Loose},
		// loose: spaces next to brackets
		{"[ 1, [ ] ]", "[1, []]\n", Spacing},
		{"( 1, 2 )", "(1, 2)\n", Spacing},
		{"{ 'a': 1 }", "{'a': 1}\n", Spacing},
		{"(1, )", "(1,)\n", Spacing},
		{"[1, 2, ]", "[1, 2]\n", Loose},
		{"f (x)", "f(x)\n", Spacing},
		// no match
		{"hello", "Hello\n", NoMatch},
		{"HELLO", "Hello\n", NoMatch},
		{"Hello", "hello\n", NoMatch},
		{"3", "4\n", NoMatch},
		{"1", "1.0\n", NoMatch},
		{"1.0", "1\n", NoMatch},
		{"[1, 2]", "(1, 2)\n", NoMatch},
		{"(1, 2)", "[1, 2]\n", NoMatch},
		{"{1, 2}", "[1, 2]\n", NoMatch},
		{"True", "true\n", NoMatch},
		{"None", "\n", NoMatch},
		// A phrase that says nothing is printed matches no output at all,
		// never an empty line, nor text.
		{"Nothing", "", Normal},
		{"Nothing is printed.", "", Normal},
		{"(no output)", "", Normal},
		{"Nothing", "\n", NoMatch},
		{"No output", " \n", NoMatch},
		{"Nothing", "nothing\n", NoMatch},
		{"Nothing at all, it crashes", "", NoMatch},
		{"", "x", NoMatch},
		{"1 2", "1 2 3", NoMatch},
		{"12", "1\n2\n", NoMatch},
		{"[12]", "[1,2]\n", NoMatch},
		{"[1] 2", "[1 2]\n", NoMatch},
		{"[[1, 2]]", "[1, 2]\n", NoMatch},
		{"`3` or `4`", "3\n4\n", NoMatch}, // "or" offers a choice: not lines
		{"Prints `3`", "3\n", Loose},      // an option that describes the output in words
		{"The output is [1, 2]", "[1, 2]\n", Loose},
		{"Output will be 15", "15\n", Loose},
		{"7 will be printed", "7\n", Loose},
		{"No error, prints 5", "5\n", Loose},
		{"Ans: 6", "6\n", Loose},
		{"Result is 4", "4\n", Loose},
		{"`1`\n`2`", "1\n2\n", Exact}, // a code span per printed line
		{"`1`\n`2`", "1 2\n", Normal},
		{"`1`\n\n`2`", "1\n2\n", Loose}, // two paragraphs: spans joined by nothing
		{"Outptu is 4", "4\n", Loose},   // one word, whatever its spelling, then "is"
		{"It is not 4", "4\n", NoMatch},
		{"Output is: [3, 2, 1]", "[3, 2, 1]\n", Loose},
		{"Output is: [3, 2, 1]", "None\n", NoMatch},
		{">>> print(3 * 'ab')\nababab", "ababab\n", Loose},
		{">>> [1, 2, [3, 4]]", "[1, 2, [3, 4]]\n", Loose},
		{"$ python3 demo.py\n[1, 2, 3, 4]", "[1, 2, 3, 4]\n", Loose},
		{">>> 7 / 2\n3", "3.5\n", NoMatch},
		{"The program prints two rows 1 3 followed by 2 4", "1 3 \n2 4 \n", Loose},
		{"The program prints two rows 1 3 followed by 4 2", "1 3 \n2 4 \n", NoMatch},
		{"It prints salt and pepper", "salt and pepper\n", Loose},
		{"The program prints one row 1 3 2 4", "1 3 \n2 4 \n", NoMatch}, // two rows are printed
		{"It prints 5", "6\n", NoMatch},
		{"|hi|", "|  hi  |\n", NoMatch}, // spaces next to other punctuation count
		{"x=5", "x = 5\n", NoMatch},
		{"Nothing", "None\n", NoMatch},
		{`x\ny`, "x\ny\n", Exact},      // a literal \n written in the option means a line break
		{`'x\ny'`, "'x\\ny'\n", Exact}, // and a printed backslash-n still matches as written
		{`x\ny`, "x y\n", Normal},
		{"float", "<class 'float'>\n", Loose},
		{"int", "<class 'float'>\n", NoMatch},
		{"Float", "<class 'float'>\n", NoMatch},
		{"`4` and `3`", "3\n4\n", NoMatch}, // order counts
		{"''", "\n", NoMatch},
		{"``", "\n", NoMatch},
		{"3.", "3.0\n", NoMatch},
		{"-1", "1\n", NoMatch},
		{"'1'", "1.0\n", NoMatch},
		{"[1, 2, 3]", "[1, 2]\n", NoMatch},
	}
	for _, tt := range tests {
		if got := Compare(tt.option, tt.actual); got != tt.want {
			t.Errorf("Compare(%q, %q) = %v, want %v", tt.option, tt.actual, got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name    string
		options []string
		actual  string
		cap     Level
		levels  string // each option's level
		best    Level
		at      []int
	}{
		{"print vs repr", []string{"'abc'", "abc", `"abc"`}, "abc\n", Loose, "loose exact loose", Exact, []int{1}},
		{"repr value", []string{"'abc'", "abc", `"abc"`}, "'abc'", Loose, "exact loose loose", Exact, []int{0}},
		{"title", []string{"HELLO", "Hello", "hello"}, "Hello\n", Loose, "none exact none", Exact, []int{1}},
		{"upper", []string{"HELLO", "Hello", "hello"}, "HELLO\n", Loose, "exact none none", Exact, []int{0}},
		{"ljust", []string{"hi   ", "hi", "   hi"}, "hi   \n", Loose, "exact lines lines", Exact, []int{0}},
		{"rjust", []string{"hi   ", "hi", "   hi"}, "   hi\n", Loose, "lines lines exact", Exact, []int{2}},
		{"strip", []string{"hi   ", "hi", "   hi"}, "hi\n", Loose, "lines exact lines", Exact, []int{1}},
		{"center", []string{"|  hi  |", "| hi |", "|hi|"}, "|  hi  |\n", Loose, "exact lines none", Exact, []int{0}},
		// end=" " leaves a trailing space: the option that keeps the one
		// printed line outranks the one that splits it.
		{"end=", []string{"0 1 2", "0\n1\n2", "012"}, "0 1 2 ", Loose, "lines normal none", Lines, []int{0}},
		{"end= then print()", []string{"0\n1\n2", "0 1 2"}, "0 1 2 \n", Loose, "normal lines", Lines, []int{1}},
		{"two lines, spaces differ", []string{"a  b\nc", "a b c"}, "a b\nc\n", Loose, "lines normal", Lines, []int{0}},
		{"cap normal keeps lines", []string{"0 1 2", "0\n1\n2"}, "0 1 2 ", Normal, "lines normal", Lines, []int{0}},
		{"one exact among normal", []string{"1 2", "1\n2", "2 1"}, "1\n2\n", Loose, "normal exact none", Exact, []int{1}},
		{"two normal", []string{"1 2", "`1 2`", "2 1"}, "1\n2\n", Loose, "normal normal none", Normal, []int{0, 1}},
		{"none", []string{"4", "5"}, "6\n", Loose, "none none", NoMatch, nil},
		{"cap exact", []string{"'abc'", "xyz"}, "abc\n", Exact, "none none", NoMatch, nil},
		{"cap normal keeps normal", []string{"0 1", "1 0"}, "0\n1\n", Normal, "normal none", Normal, []int{0}},
		{"cap normal drops loose", []string{"0, 1", "1 0"}, "0\n1\n", Normal, "none none", NoMatch, nil},
		{"loose only", []string{"`3` and `4`", "`4` and `3`"}, "3\n4\n", Loose, "loose none", Loose, []int{0}},
		{"brackets", []string{"[ 1, [ ] ]", "[ 1, [ 2 ] ]"}, "[1, []]\n", Loose, "spacing none", Spacing, []int{0}},
		// Spacing outranks looser matches: quotes and commas count there.
		{"compact list", []string{"['a','b','c']", "['a b c']", "['a', '', 'b', 'c']"}, "['a', 'b', 'c']\n", Loose, "spacing loose loose", Spacing, []int{0}},
		{"curly quotes", []string{"[‘ab’, ‘cd’]", "[‘ab’]"}, "['ab', 'cd']\n", Loose, "spacing none", Spacing, []int{0}},
		{"curly quotes outrank a joined list", []string{"[‘ab’, ‘cd’, ‘ef’]", "[‘abcdef’]", "[‘ab cd ef’]"}, "['ab', 'cd', 'ef']\n", Loose, "spacing none loose", Spacing, []int{0}},
		{"it prints", []string{"It prints 5", "It prints 23"}, "5\n", Loose, "loose none", Loose, []int{0}},
		{"nothing in parentheses", []string{"(nothing is printed)", "None"}, "", Loose, "normal none", Normal, []int{0}},
		{"list vs tuple", []string{"[1, 2]", "(1, 2)"}, "(1, 2)\n", Loose, "none exact", Exact, []int{1}},
		{"int vs float", []string{"1", "1.0"}, "1.0\n", Loose, "none exact", Exact, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := Judge(tt.options, tt.actual, tt.cap)
			var got []string
			for _, l := range j.Levels {
				got = append(got, l.String())
			}
			if strings.Join(got, " ") != tt.levels || j.Best != tt.best || !slices.Equal(j.At, tt.at) {
				t.Errorf("levels %v best %v at %v; want %s, %v, %v", got, j.Best, j.At, tt.levels, tt.best, tt.at)
			}
			for i := range tt.options {
				if j.Answer(i) != slices.Contains(tt.at, i) {
					t.Errorf("Answer(%d) = %v", i, j.Answer(i))
				}
				if j.Outranked(i) != (j.Levels[i] < j.Best) {
					t.Errorf("Outranked(%d) = %v", i, j.Outranked(i))
				}
			}
			if j.Ambiguous() != (len(tt.at) > 1) {
				t.Errorf("Ambiguous() = %v", j.Ambiguous())
			}
		})
	}
}

func TestJudgeCapKeepsUncapped(t *testing.T) {
	j := Judge([]string{"'abc'"}, "abc\n", Exact)
	if j.Levels[0] != NoMatch || j.Uncapped[0] != Loose {
		t.Errorf("levels %v uncapped %v", j.Levels, j.Uncapped)
	}
}

func TestParseLevel(t *testing.T) {
	for s, want := range map[string]Level{"exact": Exact, "normal": Normal, "loose": Loose, "": Loose} {
		if got := ParseLevel(s); got != want {
			t.Errorf("ParseLevel(%q) = %v", s, got)
		}
		if s != "" && want.String() != s {
			t.Errorf("%v.String() = %q", want, want.String())
		}
	}
}

func TestExactForm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HELLO", "HELLO"},
		{"`x`", "x"},
		{" `x` ", "x"},
		{"`x`.", "`x`."},
		{"`a` `b`", "`a` `b`"},
		{"    `x`", "    `x`"}, // an indented code block shows the backticks
		{"# `x`", "# `x`"},
		{"```\nhi  \n```", "hi  "},
		{"a\r\nb\r\n", "a\nb"},
		{"hi\n\n", "hi\n"},
	}
	for _, tt := range tests {
		if got := ExactForm(tt.in); got != tt.want {
			t.Errorf("ExactForm(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDifference(t *testing.T) {
	tests := []struct{ option, actual, want string }{
		{"'Tokyo'", "Tokyo", "quotes"},
		{"[1,3]", "[1, 3]", "spacing around punctuation"},
		{"a, b", "a\nb", "commas or semicolons"},
		{"Done.", "Done", "a final full stop"},
		{"[ 1, [ ] ]", "[1, []]", "spaces next to brackets"},
		{"`3` and `4`", "3\n4", "the words between code spans"},
		{"0 1", "0\n1\n", "white space"},
		{"0", "0\n", ""},
	}
	for _, tt := range tests {
		if got := Difference(tt.option, tt.actual); got != tt.want {
			t.Errorf("Difference(%q, %q) = %q, want %q", tt.option, tt.actual, got, tt.want)
		}
	}
}

func TestDiffLines(t *testing.T) {
	tests := []struct {
		expected, actual string
		line             int
		text             string
	}{
		{"a\nb c\nd\n", "a\nb  c\nd\n", 2, "from line 2: expected ‹a⏎▸b·c⏎d› but it prints ‹a⏎▸b··c⏎d›"},
		{"a\nb\n", "a\nb\nc\n", 3, "from line 3: expected ‹a⏎b ▸(no more lines)› but it prints ‹a⏎b⏎▸c›"},
		{"a\tb\nx\n", "a b\ny\n", 2, "from line 2: expected ‹a→b⏎▸x› but it prints ‹a·b⏎▸y›"},
		{"1\n2\n3\n4\n5\n6\n7\n", "1\n2\n3\n4\n5\n6\nX\n", 7, "from line 7: expected ‹…5⏎6⏎▸7› but it prints ‹…5⏎6⏎▸X›"},
		{"1\n2\n3\n4\n5\n6\n7\n", "1\nX\n3\n4\n5\n6\n7\n", 2, "from line 2: expected ‹1⏎▸2⏎3⏎4…› but it prints ‹1⏎▸X⏎3⏎4…›"},
		{"hi \nb\n", "hi\nc\n", 2, "from line 2: expected ‹hi·⏎▸b› but it prints ‹hi⏎▸c›"}, // trailing space forgiven while a later line is wrong
		{"hi \nb\n", "hi\nb\n", 1, "from line 1: expected ‹▸hi·⏎b› but it prints ‹▸hi⏎b›"},
	}
	for _, tt := range tests {
		d := DiffLines(tt.expected, tt.actual)
		if d.Line != tt.line || d.String() != tt.text {
			t.Errorf("DiffLines(%q, %q) = %d %q, want %d %q", tt.expected, tt.actual, d.Line, d.String(), tt.line, tt.text)
		}
	}
	if !MultiLine("a\nb") || MultiLine("a\n") || MultiLine("`a\nb`") || !MultiLine("```\na\nb\n```") {
		t.Error("MultiLine")
	}
}

// BenchmarkJudge compares realistic option sets with what their snippets
// printed, as the QB5xx rules do for every output question.
func BenchmarkJudge(b *testing.B) {
	cases := []struct {
		options []string
		actual  string
	}{
		{[]string{"0 1 2", "1 2 3", "0 1 2 3", "Nothing"}, "0\n1\n2\n"},
		{[]string{"`0 1 2`", "`1 2 3`", "`0 1 2 3`", "Error"}, "0\n1\n2\n"},
		{[]string{"'abc'", "abc", `"abc"`, "None"}, "abc\n"},
		{[]string{"[1, 2, 3]", "[1, 2]", "(1, 2, 3)", "[3, 2, 1]"}, "[1, 2, 3]\n"},
		{[]string{"HELLO", "Hello", "hello", "hELLO"}, "Hello\n"},
		{[]string{"`3` and `4`", "`4` and `3`", "`3`", "`4`"}, "3\n4\n"},
		{[]string{"```\nSetup\nRun\n```", "Setup Run", "Run Setup", "Setup"}, "Setup\nRun\n"},
	}
	for i := 0; i < 20; i++ { // plain options, the common case
		cases = append(cases, struct {
			options []string
			actual  string
		}{[]string{fmt.Sprint(i), fmt.Sprint(i + 1), fmt.Sprint(i * 2), "None"}, fmt.Sprint(i) + "\n"})
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cases {
			Judge(c.options, c.actual, Loose)
		}
	}
}

// benchPairs are realistic option/output pairs: plain numbers (the common
// case), code spans, fences, quotes, lists, and wrong options.
var benchPairs = [][2]string{
	{"0 1 2", "0\n1\n2\n"}, {"`0 1 2`", "0\n1\n2\n"}, {"1 2 3", "0\n1\n2\n"}, {"Nothing", "0\n1\n2\n"},
	{"'abc'", "abc\n"}, {"abc", "abc\n"}, {`"abc"`, "abc\n"}, {"None", "abc\n"},
	{"[1, 2, 3]", "[1, 2, 3]\n"}, {"[1,2,3]", "[1, 2, 3]\n"}, {"(1, 2, 3)", "[1, 2, 3]\n"},
	{"Hello", "Hello\n"}, {"HELLO", "Hello\n"}, {"`Hello`", "Hello\n"},
	{"```\nSetup\nRun\n```", "Setup\nRun\n"}, {"Setup Run", "Setup\nRun\n"},
	{"42", "42\n"}, {"43", "42\n"}, {"`42`", "42\n"}, {"42.0", "42\n"},
}

// BenchmarkCompare compares one option with one output, for every pair of
// benchPairs: the API the matcher had before Judge, so the same benchmark
// runs on older revisions for a side-by-side ratio.
func BenchmarkCompare(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range benchPairs {
			Compare(p[0], p[1])
		}
	}
}

func TestWithoutLabels(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"a) 12", "b) 1 2", "c) 34"}, []string{"12", "1 2", "34"}},
		{[]string{"A. -4", "B. -3"}, []string{"-4", "-3"}},
		{[]string{"(a) (-4, 1)", "(b) (-3, -1)"}, []string{"(-4, 1)", "(-3, -1)"}},
		{[]string{"1) 10 20", "2) [10, 20]"}, []string{"10 20", "[10, 20]"}},
		// Not every option labelled, labels out of order, mixed styles, or
		// one option: the texts stay as they are.
		{[]string{"a) 12", "34"}, []string{"a) 12", "34"}},
		{[]string{"b) 12", "a) 34"}, []string{"b) 12", "a) 34"}},
		{[]string{"a) 12", "B. 34"}, []string{"a) 12", "B. 34"}},
		{[]string{"a) 12", "b. 34"}, []string{"a) 12", "b. 34"}},
		{[]string{"a) x"}, []string{"a) x"}},
		{[]string{"1. 5", "2. 6"}, []string{"5", "6"}},
		{[]string{"1.5", "2.5"}, []string{"1.5", "2.5"}}, // numbers, not labels
	}
	for _, tt := range tests {
		if got := WithoutLabels(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("WithoutLabels(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
