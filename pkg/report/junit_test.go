package report_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/report"
)

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	dir := pkgDir(t)
	in := fixtureInput(t)
	out := render(t, report.JUnit, in)
	ciGolden(t, dir, "fixture.junit.xml", out)

	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	// One case per question plus one per file.
	if want := in.Questions + len(in.Files); doc.Tests != want {
		t.Errorf("tests = %d, want %d", doc.Tests, want)
	}
	failed := map[string]string{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failed[s.Name+" "+c.Name] = c.Failure.Type + " " + c.Failure.Message
			}
		}
	}
	for _, want := range []string{
		"questions/findings.toml " + report.FileCase, // QB610 on [bank]
		"questions/findings.toml past-end",           // QB301
		"questions/findings.toml snakes",             // QB306, a warning
		"questions/findings.toml label-typo",         // QB401
		"questions/dup.toml " + report.FileCase,      // QB203
		"questions/suppressed.toml stale",            // QB601
		"questions/suppressed.toml no-reason",        // QB401, QB602
	} {
		if _, ok := failed[want]; !ok {
			t.Errorf("case %q did not fail; failures: %v", want, failed)
		}
	}
	for _, pass := range []string{"questions/clean.toml sum", "questions/suppressed.toml trailing", "questions/suppressed.toml above"} {
		if f, ok := failed[pass]; ok {
			t.Errorf("case %q failed: %s", pass, f)
		}
	}

	// Well-formed for an independent parser.
	xmllint := testtool.Require(t, "xmllint")
	tmp := filepath.Join(t.TempDir(), "junit.xml")
	os.WriteFile(tmp, out, 0o644)
	if b, err := exec.Command(xmllint, "--noout", "--nonet", tmp).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, b)
	}
}
