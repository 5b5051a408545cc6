// Package report renders the diagnostics of a run: the human text report
// with code frames, and the machine formats. Every format is a Format value
// in one list (formats), looked up by name.
//
// # Escaping contract
//
// Every string of a report that comes from a bank, a file name or a snippet
// (file paths, question and bank ids, rule names, messages and hints, which
// embed exception types, modules and messages, error and requires values;
// related locations' messages; notes; skip reasons) is escaped by one
// function, pkg/safetext, before any writer sees it: Format.Write turns the
// Input into a View whose strings are all escaped for the format's Kind, and
// a writer is only ever given the View. A writer added later (a diff, stats,
// an HTML page, an editor hover) is made with NewFormat and added to the
// formats list; it inherits the escaping, and FuzzWriters drives it.
//
// Terminal formats (text, concise, github) escape with safetext.Line: the
// output has no C0 control but the format's own newlines (and, with colour,
// the text format's own SGR sequences), no DEL, no C1 control (U+0080–U+009F,
// NEL included), no bidirectional control, no U+2028/U+2029 and no invalid
// UTF-8: each becomes visible text (`\x1b`, `\r`, `\n`, `\u0085`, `\u202e`,
// `\xff`). A newline inside a message shows as `\n`, so one finding stays one
// line. "##vso[" and "##[" (commands the Azure agent, and GitHub's runner in
// its legacy syntax, find anywhere in a line) never appear: their '[' is
// written `\x5b`. No output line starts, after blanks, with "::" (a GitHub
// workflow command such as ::stop-commands::, ::add-mask:: or ::error)
// other than the github format's own annotations: a field that would start
// one is prefixed with safetext.LinePrefix ("| "), and Format.Write guards
// every output line of a terminal format again, whatever its writer
// composed (a file name starts a headline). The github format then applies
// GitHub's own escaping on top (data: % CR LF; properties: % CR LF : ,), so
// a file name cannot add properties and a message cannot end its annotation.
//
// Data formats (json, sarif, junit) escape with safetext.EscapeString: the
// same rewriting, except that newlines and tabs are kept (the encoder writes
// them as \n or &#xA;, so no value starts a line of the document). Nothing
// is dropped: a hostile character is kept as visible text (the escape is
// meant for people and is not reversible: a backslash is not escaped), so
// every decoded value is itself safe to print, even line by line (`jq -r`
// in a CI step), and the documents are valid JSON and well-formed XML 1.0
// (which forbids most controls and U+FFFE/U+FFFF). Two values keep the raw data, in an encoding
// that is safe by itself: SARIF's artifactLocation.uri percent-encodes the
// file's real path, and its partialFingerprints hash the raw values.
// Rules' own metadata (codes, names, docs, examples) is qbank's text and is
// not escaped.
package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/safetext"
)

// Input is everything a report may show.
type Input struct {
	Diagnostics []lint.Diagnostic
	// Files are the files of the run, for code frames and counts.
	Files     []*lint.File
	Questions int
	Tool      Tool
	// Notes are lines about the run itself, e.g. the sandbox level.
	Notes []string
	// Rules are the rules that ran, for formats that describe them.
	Rules []*lint.Rule
	// Skipped maps the full id of each question whose check did not run
	// (a snippet under --no-run) to the reason, so that formats with a
	// notion of skipping (JUnit) never report it as passed.
	Skipped map[string]string
	// Snippets says how far the code snippets were checked; nil when the
	// run had none.
	Snippets *SnippetCounts
}

// SnippetCounts say how far the snippets of a run were checked: Verified
// ran and their key was compared with what they did; Compiled were only
// compiled (expect = "compiles"); the others were not checked.
type SnippetCounts struct {
	Total    int `json:"total"`
	Verified int `json:"verified"`
	Compiled int `json:"compiled"`
	NotRun   int `json:"not_run"`
	Stopped  int `json:"stopped"`
	Failed   int `json:"failed"`
	Tampered int `json:"tampered"`
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	URI     string `json:"uri,omitempty"`
}

// Options tune a format.
type Options struct {
	Color bool
}

// Kind says how a format escapes user-derived text (see the package doc).
type Kind int

const (
	// Terminal formats are read by people and CI runners, line by line:
	// every string is escaped onto one line (safetext.Line).
	Terminal Kind = iota
	// Data formats are read by programs (JSON, XML): strings keep their
	// newlines and tabs (safetext.EscapeString), the encoder does the rest.
	Data
)

// Format is one output format. Make one with NewFormat.
type Format struct {
	Name    string
	Summary string
	Kind    Kind
	write   func(w io.Writer, v *View, opts Options) error
	// commands accepts the output lines that are the format's own CI
	// workflow commands (the github format's annotations); every other
	// line a runner could read as a command is guarded.
	commands func(line string) bool
}

// NewFormat makes a format whose write function is given only the escaped
// View of a report's input.
func NewFormat(name, summary string, kind Kind, write func(w io.Writer, v *View, opts Options) error) *Format {
	return &Format{Name: name, Summary: summary, Kind: kind, write: write}
}

// Write renders in in the format. It escapes every user-derived string of
// in for the format's Kind (NewView) and runs the format's writer on that
// View. For a Terminal format it then guards, as a last net, every output
// line a CI runner could read as a command (safetext.GuardLines), before
// writing anything to w. A Data format needs no net (its encoder writes
// newlines in values as escapes, so no value starts a line) and must not
// get one (it would rewrite inside JSON strings).
func (f *Format) Write(w io.Writer, in *Input, opts Options) error {
	var buf bytes.Buffer
	if err := f.write(&buf, NewView(in, f.Kind), opts); err != nil {
		return err
	}
	out := buf.String()
	if f.Kind == Terminal {
		out = safetext.GuardLines(out, f.commands)
	}
	_, err := io.WriteString(w, out)
	return err
}

// formats lists every report format: the one place a format is added.
var formats = []*Format{Text, Concise, JSON, SARIF, GitHub, JUnit}

// Lookup finds a format by name.
func Lookup(name string) (*Format, error) {
	for _, f := range formats {
		if f.Name == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the formats, sorted.
func Names() []string {
	var ns []string
	for _, f := range formats {
		ns = append(ns, f.Name)
	}
	slices.Sort(ns)
	return ns
}

// Summary is the closing line of a text report:
// "3 errors, 1 warning in 2 files, 14 questions".
func Summary(in *Input) string { return summary(in.Diagnostics, len(in.Files), in.Questions) }

func summary(diags []lint.Diagnostic, files, questions int) string {
	c := lint.Count(diags)
	var parts []string
	add := func(n int, word string) {
		if n > 0 {
			parts = append(parts, plural(n, word))
		}
	}
	add(c.Errors, "error")
	add(c.Warnings, "warning")
	add(c.Infos, "info")
	head := "no problems"
	if len(parts) > 0 {
		head = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s in %s, %s", head, plural(files, "file"), plural(questions, "question"))
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
