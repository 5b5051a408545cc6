package synth

import (
	"fmt"
	"strings"
)

// RichBank returns the TOML source of bank number b with n questions,
// dense with what exporters must escape or convert: Markdown, code, XML
// and GIFT special characters, per-option feedback, single and multiple
// questions. The output is a pure function of its arguments.
func RichBank(b, n int) string {
	var s strings.Builder
	fmt.Fprintf(&s, `[bank]
id = "synth-%04d"
title = "Synthetic bank %d: loops, *emphasis* and `+"`code`"+`"
topic = "Python"
tags = ["synthetic", "bank-%d"]
summary = """
A generated bank for benchmarks. It has **Markdown**, `+"`inline code`"+` and
special characters: < > & { } ~ = # : \\ "quotes".
"""
takeaways = ["Loops repeat code.", "`+"`range(n)`"+` stops before *n*."]
`, b, b, b%7)
	for i := range n {
		multiple := i%5 == 4
		fmt.Fprintf(&s, `
[[question]]
id = "q-%05d"
`, i)
		if multiple {
			s.WriteString("type = \"multiple\"\n")
		} else {
			s.WriteString("type = \"single\"\n")
		}
		fmt.Fprintf(&s, "difficulty = %q\n", []string{"easy", "medium", "hard"}[i%3])
		fmt.Fprintf(&s, "prompt = \"Question %d: what does this loop print? Watch the `range` bounds {#%d}.\"\n", i, i)
		s.WriteString("options = [\n")
		for o := range 4 {
			if o%2 == 0 {
				fmt.Fprintf(&s, "  { text = \"`%d %d` option %c ~ = # : {x}\", feedback = \"Because *range* stops at %d.\" },\n", i, o, 'A'+o, o)
			} else {
				fmt.Fprintf(&s, "  \"%d %d plain option %c\",\n", i, o, 'A'+o)
			}
		}
		s.WriteString("]\n")
		if multiple {
			s.WriteString("answer = [\"A\", \"C\"]\n")
		} else {
			fmt.Fprintf(&s, "answer = %q\n", string(rune('A'+i%4)))
		}
		conclusion := "Option " + string(rune('A'+i%4))
		if multiple {
			conclusion = "Options A and C"
		}
		fmt.Fprintf(&s, `hint = "Count the iterations of question %d."
explanation = [
  "Step 1: `+"`range(%d)`"+` yields %d numbers.",
  "Step 2: each is printed on its own line.",
  "The answer -> %s",
]
mistakes = ["Counting the stop value.", "Off by one."]
tags = ["loops", "t%d"]
`, i, i%10, i%10, conclusion, i%4)
		if i%2 == 0 {
			fmt.Fprintf(&s, `
[question.code]
language = "python"
source = '''
for i in range(%d):
    print(i)
'''
expect = "output"
`, i%10)
		}
	}
	return s.String()
}

// RichSet returns the sources of a set of RichBanks holding total
// questions in banks of perBank, keyed by file name.
func RichSet(total, perBank int) map[string]string {
	out := map[string]string{}
	for b := 0; total > 0; b++ {
		n := min(perBank, total)
		out[fmt.Sprintf("synth-%04d.toml", b)] = RichBank(b, n)
		total -= n
	}
	return out
}
