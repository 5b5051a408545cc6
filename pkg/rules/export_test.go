package rules

import "github.com/qbank-dev/qbank/pkg/bank"

// NamedLetters exposes namedLetters (for an explanation that names a
// letter, not an option's text) to the tests.
func NamedLetters(step string) []string { return namedLetters(step, &bank.Question{}) }
