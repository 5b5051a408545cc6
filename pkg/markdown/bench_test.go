package markdown

import "testing"

// Typical bank text: a prompt with code, options, an explanation step.
var benchTexts = []string{
	"What does this print?",
	"Which of these is **true** about `range(3)`?\n\nPick one.",
	"`0 1 2`", "`1 2 3`", "Nothing", "[1, 2, 3]",
	"`range(3)` counts 0, 1, 2 — the stop value is *excluded*.",
	"2 4 6 -> Option B",
}

func BenchmarkShort(b *testing.B) {
	for b.Loop() {
		for _, s := range benchTexts {
			Short(s)
		}
	}
}

func BenchmarkBlock(b *testing.B) {
	for b.Loop() {
		for _, s := range benchTexts {
			Block(s)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	for b.Loop() {
		for _, s := range benchTexts {
			Check(s)
		}
	}
}
