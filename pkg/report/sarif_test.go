package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/report"
)

// schemasDir holds the official SARIF schemas (copied into testdata).
func schemasDir(t *testing.T) string {
	return filepath.Join(testtool.RepoRoot(t), "testdata", "schemas")
}

// ValidateSARIF checks a SARIF log against the official 2.1.0 schema with
// two independent validators: ajv-cli (draft-07 file, formats checked) and
// santhosh-tekuri/jsonschema (the draft-04 errata01 file, which also needs
// a startLine in every region).
func validateSARIF(t *testing.T, log []byte) {
	t.Helper()
	dir := schemasDir(t)
	if _, err := os.Stat(filepath.Join(dir, "sarif-schema-2.1.0-errata01.json")); err != nil {
		testtool.Missing(t, "the SARIF schemas ("+dir+")")
	}

	// jsonschema/v5, errata01 (draft-04).
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	src, err := os.ReadFile(filepath.Join(dir, "sarif-schema-2.1.0-errata01.json"))
	if err != nil {
		t.Fatal(err)
	}
	const url = "file:///sarif-schema-2.1.0-errata01.json"
	if err := c.AddResource(url, bytes.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile errata01 schema: %v", err)
	}
	var v any
	if err := json.Unmarshal(log, &v); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("errata01 schema (jsonschema/v5): %#v", err)
	}

	// ajv-cli, the draft-07 file.
	ajv := testtool.Require(t, "ajv")
	// ajv-cli picks its parser by extension: "out.sarif" fails to load
	// ("Unexpected token ':'"), "out.sarif.json" is read as JSON.
	tmp := filepath.Join(t.TempDir(), "out.sarif.json")
	if err := os.WriteFile(tmp, log, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ajv, "validate", "--spec=draft7", "-c", "ajv-formats", "--all-errors", "--errors=text",
		"-s", filepath.Join(dir, "sarif-schema-2.1.0.json"), "-d", tmp).CombinedOutput()
	if err != nil {
		t.Errorf("ajv validate: %v\n%s", err, out)
	}
}

func TestSARIFValid(t *testing.T) {
	dir := pkgDir(t)
	in := fixtureInput(t)
	log := render(t, report.SARIF, in)
	validateSARIF(t, log)
	ciGolden(t, dir, "fixture.sarif", log)

	// No findings, no files: still a valid log.
	validateSARIF(t, render(t, report.SARIF, &report.Input{Tool: report.Tool{Name: "qbank"}, Rules: in.Rules}))
}

type sarifDoc struct {
	Runs []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Help struct {
						Text, Markdown string
					} `json:"help"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine, StartColumn, EndLine, EndColumn int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, b []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs", len(d.Runs))
	}
	return d
}

func TestSARIFContent(t *testing.T) {
	in := fixtureInput(t)
	d := decodeSARIF(t, render(t, report.SARIF, in))
	run := d.Runs[0]
	if run.ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if len(run.Tool.Driver.Rules) != len(in.Rules) {
		t.Errorf("%d rules described, want %d", len(run.Tool.Driver.Rules), len(in.Rules))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Help.Markdown == "" || !strings.Contains(r.Help.Text, "qbank:ignore "+r.ID) {
			t.Errorf("%s: help incomplete", r.ID)
		}
	}
	if len(run.Results) != len(in.Diagnostics) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(in.Diagnostics))
	}
	for i, r := range run.Results {
		dg := in.Diagnostics[i]
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID || r.RuleID != dg.Code {
			t.Errorf("result %d: ruleId %s, ruleIndex %d, finding %s", i, r.RuleID, r.RuleIndex, dg.Code)
		}
		if r.Level != report.SARIFLevel(dg.Severity) {
			t.Errorf("result %d: level %s", i, r.Level)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != dg.File || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: artifact %+v", i, loc.ArtifactLocation)
		}
		if loc.Region.StartLine != dg.Line {
			t.Errorf("result %d: startLine %d, want %d", i, loc.Region.StartLine, dg.Line)
		}
		// The duplicate snake option: two astral characters (two UTF-16
		// units each) precede it on its line.
		if dg.Code == "QB306" {
			if loc.Region.StartColumn != dg.Column+2 || loc.Region.EndColumn != dg.EndColumn+3 {
				t.Errorf("QB306 columns %d-%d, want UTF-16 %d-%d", loc.Region.StartColumn, loc.Region.EndColumn, dg.Column+2, dg.EndColumn+3)
			}
		} else if loc.Region.StartColumn != dg.Column {
			t.Errorf("result %d (%s): startColumn %d, want %d (ASCII line)", i, dg.Code, loc.Region.StartColumn, dg.Column)
		}
		if len(r.PartialFingerprints[report.SARIFFingerprint]) == 0 {
			t.Errorf("result %d: no fingerprint", i)
		}
	}
}

// Fingerprints survive lines moving: a finding keeps its identity when
// lines are inserted above it, and two equal findings get distinct ones.
func TestSARIFFingerprintsStable(t *testing.T) {
	base := []lint.Diagnostic{
		{File: "q/a.toml", Line: 3, Column: 1, EndLine: 3, EndColumn: 4, Severity: lint.Error, Code: "QB301", Rule: "answer-letter", Message: "m", Question: "a/x"},
		{File: "q/a.toml", Line: 9, Column: 1, EndLine: 9, EndColumn: 4, Severity: lint.Error, Code: "QB301", Rule: "answer-letter", Message: "m", Question: "a/x"},
	}
	moved := []lint.Diagnostic{base[0], base[1]}
	moved[0].Line, moved[0].EndLine = 5, 5
	moved[1].Line, moved[1].EndLine = 11, 11
	fps := func(ds []lint.Diagnostic) []string {
		d := decodeSARIF(t, render(t, report.SARIF, &report.Input{Diagnostics: ds}))
		var out []string
		for _, r := range d.Runs[0].Results {
			out = append(out, r.PartialFingerprints[report.SARIFFingerprint])
		}
		return out
	}
	a, b := fps(base), fps(moved)
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("fingerprints changed when lines moved: %v vs %v", a, b)
	}
	if a[0] == a[1] {
		t.Errorf("two findings share a fingerprint: %v", a)
	}
}

func TestSARIFURI(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		rel      bool
	}{
		{"questions/a.toml", "questions/a.toml", true},
		{"./q/a b.toml", "q/a%20b.toml", true},
		{"q/100%.toml", "q/100%25.toml", true},
		{"/abs/q.toml", "file:///abs/q.toml", false},
	} {
		got, rel := report.SARIFURI(tc.in)
		if got != tc.want || rel != tc.rel {
			t.Errorf("SARIFURI(%q) = %q, %v; want %q, %v", tc.in, got, rel, tc.want, tc.rel)
		}
	}
}
