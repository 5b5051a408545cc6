// Package report renders the diagnostics of a run: the human text report
// with code frames, and the machine formats. Every format is a Format value
// in one registry, looked up by name.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
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

// Format is one output format.
type Format struct {
	Name    string
	Summary string
	Write   func(w io.Writer, in *Input, opts Options) error
}

var formats []*Format

// Register adds a format to the registry.
func Register(f *Format) { formats = append(formats, f) }

// Lookup finds a format by name.
func Lookup(name string) (*Format, error) {
	for _, f := range formats {
		if f.Name == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the registered formats, sorted.
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
func Summary(in *Input) string {
	c := lint.Count(in.Diagnostics)
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
	return fmt.Sprintf("%s in %s, %s", head, plural(len(in.Files), "file"), plural(in.Questions, "question"))
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
