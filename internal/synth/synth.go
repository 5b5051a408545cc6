// Package synth generates large synthetic question banks for benchmarks:
// valid banks in the full format (multi-line code, inline-table options,
// every optional key), deterministic for a given seed.
package synth

import (
	"fmt"
	"strings"
)

var difficulties = []string{"easy", "medium", "hard"}

// Bank returns the TOML text of bank number b with n questions. Every
// third question carries a Python snippet; every fifth is a
// multiple-answer question with feedback on each option.
func Bank(b, n int) []byte {
	var s strings.Builder
	s.Grow(n * 700)
	fmt.Fprintf(&s, "#:schema ../schema/qbank.schema.json\n\n[bank]\nid = \"synthetic-%04d\"\ntitle = \"Synthetic bank %d\"\n", b, b)
	fmt.Fprintf(&s, "topic = \"Benchmarks\"\ntags = [\"synthetic\", \"bench\"]\nsummary = \"\"\"\nA generated lesson used to measure qbank on large inputs.\nIt has %d questions.\n\"\"\"\ntakeaways = [\"Generated\", \"Large\"]\n", n)
	for q := 0; q < n; q++ {
		fmt.Fprintf(&s, "\n[[question]]\nid = \"q-%05d\"\n", q)
		diff := difficulties[(b+q)%3]
		switch {
		case q%5 == 4:
			fmt.Fprintf(&s, "type = \"multiple\"\ndifficulty = %q\nprompt = \"Which of these values are even? (question %d)\"\n", diff, q)
			s.WriteString("options = [\n")
			for o := 0; o < 4; o++ {
				fmt.Fprintf(&s, "  { text = \"%d\", feedback = \"%d is %s.\" },\n", q+o, q+o, map[bool]string{true: "even", false: "odd"}[(q+o)%2 == 0])
			}
			s.WriteString("]\n")
			if q%2 == 0 {
				s.WriteString("answer = [\"A\", \"C\"]\nexplanation = [\"Even numbers divide by two.\", \"-> Options A and C\"]\n")
			} else {
				s.WriteString("answer = [\"B\", \"D\"]\nexplanation = [\"Even numbers divide by two.\", \"-> Options B and D\"]\n")
			}
		case q%3 == 0:
			fmt.Fprintf(&s, "difficulty = %q\nprompt = \"What does this code print? (question %d)\"\n", diff, q)
			fmt.Fprintf(&s, "options = [\"`%d`\", \"`%d`\", \"`%d`\", \"Nothing\"]\nanswer = \"A\"\n", q*2, q*2+1, q*2+2)
			s.WriteString("hint = \"Multiply first.\"\nexplanation = [\"The value doubles.\", \"-> Option A\"]\nmistakes = [\"Adding instead of multiplying\"]\n")
			fmt.Fprintf(&s, "tags = [\"arithmetic\"]\n\n[question.code]\nlanguage = \"python\"\nsource = '''\n# [[question]] and key = value inside code are not TOML\nx = %d\nprint(x * 2)\n'''\nexpect = \"output\"\n", q)
		default:
			fmt.Fprintf(&s, "difficulty = %q\nprompt = \"\"\"\nWhich statement about item %d is true?\n\nRead *carefully*.\n\"\"\"\n", diff, q)
			fmt.Fprintf(&s, "options = [\"It is number %d\", \"It is number %d\", \"It is number %d\", \"None of these\"]\nanswer = \"A\"\n", q, q+1, q+2)
			fmt.Fprintf(&s, "hint = \"Look at the number.\"\nexplanation = [\"Item %d is number %d.\", \"It is number %d -> Option A\"]\nmistakes = [\"Off by one\"]\n", q, q, q)
		}
	}
	return []byte(s.String())
}

// SnippetBank returns bank number b with n questions, each with a trivial,
// distinct "what does this print?" snippet keyed right: for measuring the
// snippet runner.
func SnippetBank(b, n int) []byte {
	var s strings.Builder
	fmt.Fprintf(&s, "[bank]\nid = \"snippets-%04d\"\ntitle = \"Snippet bank %d\"\n", b, b)
	for q := 0; q < n; q++ {
		v := b*n + q
		fmt.Fprintf(&s, "\n[[question]]\nid = \"s-%05d\"\ndifficulty = %q\nprompt = \"What does this print?\"\n", q, difficulties[q%3])
		fmt.Fprintf(&s, "options = [\"%d\", \"%d\"]\nanswer = \"A\"\n\n[question.code]\nsource = \"print(%d + 1)\"\nexpect = \"output\"\n", v+1, v+2, v)
	}
	return []byte(s.String())
}
