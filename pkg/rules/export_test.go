package rules

import "github.com/qbank-dev/qbank/pkg/bank"

// NamedLetters exposes namedLetters (for an explanation that names a
// letter, not an option's text) to the tests.
func NamedLetters(step string) []string { return namedLetters(step, &bank.Question{}) }

// SuggestExpect exposes suggestExpect to the tests: the keys QB518 would
// ask for, or "" when it stays quiet.
func SuggestExpect(q *bank.Question) string {
	s, ok := suggestExpect(q)
	if !ok {
		return ""
	}
	return s.keys()
}

// Assigns exposes assigns to the tests.
var Assigns = assigns
