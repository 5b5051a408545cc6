package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// JUnit is a JUnit XML report for CI dashboards: one <testsuite> per bank
// file, one <testcase> per question (classname the bank id, name the
// question id), and one more case per file, named "(file)", for findings
// that belong to no question (syntax errors, the bank table, duplicate
// bank ids). A finding belongs to the question whose table holds it. A case with an error or warning fails: its <failure> lists
// all its findings. Info findings alone do not fail a case; they are in its
// <system-out>. Its strings are escaped with safetext.EscapeString (see the
// package doc), so the document is well-formed XML 1.0.
var JUnit = NewFormat("junit", "JUnit XML, one test case per question", Data, writeJUnit)

// FileCase names the per-file test case.
const FileCase = "(file)"

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	File     string      `xml:"file,attr,omitempty"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skip      *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`

	diags []lint.Diagnostic
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, v *View, _ Options) error {
	// Group by raw path: two paths may escape alike.
	byFile := map[string][]lint.Diagnostic{}
	for i, d := range v.Diagnostics {
		byFile[v.raw[i].File] = append(byFile[v.raw[i].File], d)
	}
	out := junitSuites{Name: orDefault(v.Tool.Name, "qbank")}
	known := map[string]bool{}
	for i := range v.Files {
		raw := v.Files[i].src.Path
		known[raw] = true
		out.Suites = append(out.Suites, junitSuiteOf(&v.Files[i], byFile[raw]))
	}
	// Findings in files the input does not list (should not happen).
	for i, d := range v.Diagnostics {
		if raw := v.raw[i].File; !known[raw] {
			known[raw] = true
			out.Suites = append(out.Suites, junitSuiteOf(&ViewFile{Path: d.File}, byFile[raw]))
		}
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitSuiteOf(f *ViewFile, diags []lint.Diagnostic) junitSuite {
	class := orDefault(f.Bank, f.Path)
	s := junitSuite{Name: f.Path, File: f.Path, Time: "0"}
	fileCase := junitCase{Name: FileCase, Classname: class, File: f.Path, Time: "0"}
	var qcases []junitCase
	var starts []int
	for _, q := range f.Questions {
		name := q.ID
		if name == "" {
			name = fmt.Sprintf("question #%d", q.Index+1)
		}
		c := junitCase{Name: name, Classname: class, File: f.Path, Time: "0", Line: q.Line}
		if q.Skipped {
			c.Skip = &junitSkipped{Message: q.SkipReason}
		}
		starts = append(starts, q.Start)
		qcases = append(qcases, c)
	}
	for _, d := range diags {
		// The question whose table starts last at or before the finding
		// (a finding of a suppression comment inside a question's table
		// belongs to it too); before the first question, the file.
		i := -1
		for j, st := range starts {
			if st >= 0 && st <= d.Offset {
				i = j
			}
		}
		if i >= 0 {
			qcases[i].diags = append(qcases[i].diags, d)
		} else {
			fileCase.diags = append(fileCase.diags, d)
		}
	}
	cases := append([]junitCase{fileCase}, qcases...)
	for i := range cases {
		finish(&cases[i])
		switch {
		case cases[i].Failure != nil:
			s.Failures++
			cases[i].Skip = nil // a failure found without running wins
		case cases[i].Skip != nil:
			s.Skipped++
		}
	}
	s.Cases = cases
	s.Tests = len(cases)
	return s
}

// finish fills a case's failure or output from its findings.
func finish(c *junitCase) {
	if len(c.diags) == 0 {
		return
	}
	var text strings.Builder
	failing := 0
	var first lint.Diagnostic
	for _, d := range c.diags {
		fmt.Fprintln(&text, Headline(d))
		if d.Hint != "" {
			fmt.Fprintf(&text, "  hint: %s\n", d.Hint)
		}
		if d.Severity >= lint.Warning {
			if failing == 0 {
				first = d
			}
			failing++
		}
	}
	if failing == 0 {
		c.SystemOut = text.String()
		return
	}
	msg := fmt.Sprintf("%s %s: %s", first.Code, first.Rule, first.Message)
	if failing > 1 {
		msg += fmt.Sprintf(" (and %d more)", failing-1)
	}
	c.Failure = &junitFailure{Message: msg, Type: first.Severity.String(), Text: text.String()}
}
