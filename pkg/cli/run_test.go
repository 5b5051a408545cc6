package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/cli"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/schema"
)

// validateRun checks `qbank run --format json` output against
// schema/run.schema.json.
func validateRun(t *testing.T, out string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	if err := c.AddResource("run.schema.json", bytes.NewReader(schema.RunJSON)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("run.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := s.Validate(v); err != nil {
		t.Fatalf("qbank run --format json does not match schema/run.schema.json: %v\n%s", err, out)
	}
}

var addressRe = regexp.MustCompile(`0x[0-9a-f]+`)

// verdicts are the snippet findings of a report, one line each, with their
// messages: QB511 names the limit that stopped the snippet, which the
// sandbox decides by what the snippet used, not by the machine's load.
func verdicts(ds []lint.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		if !strings.HasPrefix(d.Code, "QB5") {
			continue
		}
		// An object's address differs from run to run: that is QB509's point.
		msg := addressRe.ReplaceAllString(d.Message, "0x…")
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s %s %s", d.File, d.Line, d.Column, d.Severity, d.Code, d.Question, msg))
	}
	slices.Sort(out)
	return out
}

// TestRunAgreesWithLint holds qbank run to the verdict qbank lint gives,
// on every snippet fixture: the same findings on the same questions.
func TestRunAgreesWithLint(t *testing.T) {
	testtool.Require(t, "python3")
	dir := filepath.Join(pkgDir, "..", "..", "testdata", "snippets")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Chdir(dir)
			name := filepath.Base(path)
			l := qbank(t, nil, "lint", "--format", "json", name)
			if l.code == cli.ExitUsage {
				t.Fatalf("lint: %s", l.stderr)
			}
			var rep struct{ Diagnostics []lint.Diagnostic }
			if err := json.Unmarshal([]byte(l.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			r := qbank(t, nil, "run", "--format", "json", name)
			if r.code != l.code {
				t.Errorf("run exits %d, lint %d", r.code, l.code)
			}
			validateRun(t, r.stdout)
			var out cli.RunOutput
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Fatal(err)
			}
			var got []lint.Diagnostic
			for _, s := range out.Snippets {
				got = append(got, s.Findings...)
			}
			want := verdicts(rep.Diagnostics)
			if len(want) == 0 {
				t.Fatal("the fixture has no snippet findings")
			}
			if g := verdicts(got); !slices.Equal(g, want) {
				t.Errorf("qbank run's verdicts differ from qbank lint's:\nrun:\n  %s\nlint:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// TestRunHonoursConfig: qbank run reads qbank.toml like lint: a severity
// turned off there is off for run, and [difficulty.minimum] (QB610)
// applies.
func TestRunHonoursConfig(t *testing.T) {
	testtool.Require(t, "python3")
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, filepath.Join(dir, "qbank.toml"), "[rules]\nwrong-key = \"off\"\n\n[difficulty.minimum]\nhard = 1\n")
	writeFile(t, filepath.Join(dir, "bank.toml"), `[bank]
id = "cfg"
title = "Config"

[[question]]
id = "wrong"
difficulty = "easy"
prompt = "What does this print?"
options = ["0 1 2", "1 2 3"]
answer = "B"
[question.code]
source = "for i in range(3): print(i)"
expect = "output"
`)
	r := qbank(t, nil, "run", "--format", "json", "bank.toml#wrong")
	validateRun(t, r.stdout)
	var out cli.RunOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Snippets) != 1 || len(out.Snippets[0].Findings) != 0 {
		t.Errorf("wrong-key is off in qbank.toml, yet: %+v", out.Snippets)
	}
	if len(out.Findings) != 1 || out.Findings[0].Code != "QB610" || r.code != cli.ExitFindings {
		t.Errorf("want QB610 and exit 1, got exit %d, %+v", r.code, out.Findings)
	}
}
