// Package rules holds qbank's checks, one lint.Rule value each, and the
// registry that lists them in code order. Codes are grouped by hundreds:
// QB0xx files, QB1xx structure (the JSON Schema), QB2xx ids, QB3xx answer
// keys, QB4xx difficulty, QB5xx code snippets, QB6xx suppressions and
// bank-wide policy.
package rules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// registry lists every rule, in code order: the one place a rule is added.
var registry = []*lint.Rule{
	ReadError, TOMLSyntax, NearMissBank,
	UnknownKey, WrongType, MissingKey, InvalidValue, IDFormat,
	DuplicateQuestionID, DuplicateBankID,
	AnswerLetter, AnswerCount, AnswerRepeated, TooFewOptions, EmptyOption, DuplicateOption, ExplanationAnswer,
	DifficultyLabel,
	SnippetSyntax, WrongKey, AmbiguousOptions, NoMatchingOption, UnexpectedException,
	ErrorNotRaised, WrongException, LooseMatch, Nondeterministic, MissingModule, SnippetLimit,
	NoValue, SandboxFailure, SandboxTampering,
	CodeOptionKey, CodeOptionRun, CodeOptionsSetup, ForgottenExpect, RenderedOption,
	UnusedSuppression, InvalidSuppression, DifficultyMinimum,
}

// All returns every rule, sorted by code.
func All() []*lint.Rule {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b *lint.Rule) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// Lookup finds a rule by code or name, ignoring case.
func Lookup(codeOrName string) *lint.Rule {
	for _, r := range registry {
		if strings.EqualFold(r.Code, codeOrName) || strings.EqualFold(r.Name, codeOrName) {
			return r
		}
	}
	return nil
}
