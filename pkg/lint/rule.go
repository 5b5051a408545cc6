// Package lint is qbank's checking engine: rules as values, the pass a rule
// runs in, the diagnostics it reports and the run that puts them in order.
//
// A rule is modelled on golang.org/x/tools/go/analysis: a value with a
// stable code (QB101), a kebab-case name (unknown-key), a default severity,
// a one-line summary, a longer doc with a failing and a passing example, and
// a run function that reports findings through its Pass. Rules live in
// package rules; this package knows none of them.
//
// What several rules share reaches them as typed values, never through a
// map or a step a caller could forget: a File computes its JSON Schema
// check itself, once, on first use (File.Schema); snippet outcomes are on
// File.Snippets (set by package linter, which runs them); the user's
// configuration — labels, severities, difficulty minimums — is the Config
// of the Pass. Package linter is the pipeline around this engine.
//
// The engine does not depend on the sandbox: an outcome holds the plain
// results of package snippetio, and only package linter opens a sandbox.
// So configuration, which builds a Config, stays free of it too
// (internal/layering pins this).
package lint

import (
	"fmt"
	"strings"
)

// Severity is how serious a finding is. Off disables a rule.
type Severity int

// The severities, weakest first.
const (
	Off Severity = iota
	Info
	Warning
	Error
)

var severityNames = [...]string{Off: "off", Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning", "info" or "off".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return Off, fmt.Errorf("unknown severity %q (want error, warning, info or off)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Scope says what a rule looks at.
type Scope int

// The scopes.
const (
	// ScopeBank rules run once per bank that parsed.
	ScopeBank Scope = iota
	// ScopeFile rules run once per file, parsed or not (Pass.Bank may be nil).
	ScopeFile
	// ScopeRun rules run once per run over every bank (Pass.Bank is nil).
	ScopeRun
)

// Rule is one check.
type Rule struct {
	Code     string   // stable code, e.g. "QB301"; never reused
	Name     string   // kebab-case name, e.g. "answer-letter"
	Severity Severity // default severity
	Summary  string   // one line, lower-case, no trailing period
	// Doc explains what the rule checks and why it matters (Markdown).
	Doc string
	// Bad and Good are TOML examples that fail and pass the rule.
	Bad, Good string
	Scope     Scope
	Run       func(*Pass)
}

func (r *Rule) String() string { return r.Code + " " + r.Name }
