package cli_test

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/rules"
)

type jsonReport struct {
	Summary struct {
		Files, Questions, Errors, Warnings, Infos int
	} `json:"summary"`
	Notes       []string `json:"notes"`
	Diagnostics []struct {
		File     string `json:"file"`
		Line     int    `json:"line"`
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Message  string `json:"message"`
	} `json:"diagnostics"`
}

func decodeJSON(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, s)
	}
	return r
}

// findings lists "file:line code" of a JSON report.
func (r jsonReport) findings() []string {
	var out []string
	for _, d := range r.Diagnostics {
		out = append(out, d.File+":"+itoa(d.Line)+" "+d.Code)
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// The fixture's known findings with its qbank.toml (QB306 a warning,
// at least 2 hard questions per bank) and its suppressions.
var fixtureFindings = []string{
	"questions/dup.toml:4 QB203",
	"questions/findings.toml:5 QB610",
	"questions/findings.toml:14 QB301",
	"questions/findings.toml:20 QB306",
	"questions/findings.toml:25 QB401",
	"questions/suppressed.toml:29 QB601",
	"questions/suppressed.toml:33 QB401",
	"questions/suppressed.toml:33 QB602",
	"questions/suppressed.toml:42 QB602",
}

// TestLintFormats runs `qbank lint --format F` in the fixture repository
// for every format and compares the output with a golden file.
func TestLintFormats(t *testing.T) {
	for _, format := range []string{"text", "concise", "json", "sarif", "github", "junit"} {
		t.Run(format, func(t *testing.T) {
			fixtureRepo(t)
			r := qbank(t, nil, "lint", "--format", format)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
			}
			if r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
			golden(t, "lint."+format, []byte(r.stdout))
			switch format {
			case "json":
				rep := decodeJSON(t, r.stdout)
				if got := rep.findings(); !slices.Equal(got, fixtureFindings) {
					t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(fixtureFindings, "\n"))
				}
				if rep.Summary.Errors != 7 || rep.Summary.Warnings != 2 || rep.Summary.Files != 4 || rep.Summary.Questions != 13 {
					t.Errorf("summary %+v", rep.Summary)
				}
				if !slices.Contains(rep.Notes, "5 findings suppressed by qbank:ignore comments") {
					t.Errorf("notes %q lack the suppressed count", rep.Notes)
				}
			case "sarif":
				ajvValidate(t, r.stdout)
			case "junit":
				var v any
				if err := xml.Unmarshal([]byte(r.stdout), &v); err != nil {
					t.Errorf("junit is not XML: %v", err)
				}
			}
		})
	}
}

// ajvValidate checks a SARIF log with ajv-cli against the official schema
// (pkg/report's tests also use a second validator).
func ajvValidate(t *testing.T, log string) {
	t.Helper()
	ajv := testtool.Require(t, "ajv")
	schema := filepath.Join(testtool.RepoRoot(t), "testdata", "schemas", "sarif-schema-2.1.0.json")
	if _, err := os.Stat(schema); err != nil {
		testtool.Missing(t, "the SARIF schema "+schema)
	}
	tmp := filepath.Join(t.TempDir(), "out.sarif.json") // ajv parses by extension
	writeFile(t, tmp, log)
	if out, err := exec.Command(ajv, "validate", "--spec=draft7", "-c", "ajv-formats", "--errors=text", "-s", schema, "-d", tmp).CombinedOutput(); err != nil {
		t.Errorf("ajv: %v\n%s", err, out)
	}
}

// TestOutputs writes several reports in one run besides the terminal one.
func TestOutputs(t *testing.T) {
	dir := fixtureRepo(t)
	r := qbank(t, nil, "lint", "--format", "json", "--output", "sarif=out/qbank.sarif", "--output", "junit=qbank.xml", "--output", "concise=-")
	if r.code != 2 { // out/ does not exist
		t.Fatalf("exit %d, want 2 for a missing directory; stderr %s", r.code, r.stderr)
	}
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	r = qbank(t, nil, "lint", "--format", "json", "--output", "sarif=out/qbank.sarif", "--output", "junit=qbank.xml")
	if r.code != 1 {
		t.Fatalf("exit %d; stderr %s", r.code, r.stderr)
	}
	decodeJSON(t, r.stdout)
	for file, name := range map[string]string{"out/qbank.sarif": "lint.sarif", "qbank.xml": "lint.junit"} {
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, name, got)
	}

	for _, bad := range [][]string{
		{"--output", "sarif"},
		{"--output", "=x"},
		{"--output", "sarf=x.sarif"},
		{"--format", "nope"},
	} {
		r := qbank(t, nil, append([]string{"lint"}, bad...)...)
		if r.code != 2 || !strings.Contains(r.stderr, "qbank: error:") {
			t.Errorf("%v: exit %d, stderr %q; want 2", bad, r.code, r.stderr)
		}
	}
	if r := qbank(t, nil, "lint", "--output", "sarf=x.sarif"); !strings.Contains(r.stderr, "sarif") {
		t.Errorf("unknown format error does not list the formats: %s", r.stderr)
	}
}

// TestFailOn checks the exit status against --fail-on, fail-on in
// qbank.toml, and their precedence.
func TestFailOn(t *testing.T) {
	// findings.toml with only its QB306 warning left.
	onlyWarning := []string{"--severity", "QB301=off", "--severity", "answer-letter=off", "--severity", "QB401=off", "--severity", "difficulty-minimum=off", "questions/findings.toml"}
	for _, tc := range []struct {
		name   string
		config string // appended to the fixture's qbank.toml
		args   []string
		want   int
	}{
		{"clean", "", []string{"questions/clean.toml"}, 0},
		{"errors", "", nil, 1},
		{"warning does not fail by default", "", onlyWarning, 0},
		{"--fail-on warning", "", append([]string{"--fail-on", "warning"}, onlyWarning...), 1},
		{"config fail-on warning", "fail-on = \"warning\"\n", onlyWarning, 1},
		{"flag beats config", "fail-on = \"warning\"\n", append([]string{"--fail-on", "error"}, onlyWarning...), 0},
		{"--fail-on never", "", []string{"--fail-on", "never"}, 0},
		{"--fail-on info", "", append([]string{"--fail-on", "info"}, onlyWarning...), 1},
		{"bad --fail-on", "", []string{"--fail-on", "warnings"}, 2},
		{"bad --severity", "", []string{"--severity", "QB31=off"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixtureRepo(t)
			if tc.config != "" {
				// Top-level keys must come before the tables.
				cfg, _ := os.ReadFile(filepath.Join(dir, "qbank.toml"))
				writeFile(t, filepath.Join(dir, "qbank.toml"), tc.config+string(cfg))
			}
			r := qbank(t, nil, append([]string{"lint", "--format", "concise"}, tc.args...)...)
			if r.code != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestStatistics(t *testing.T) {
	fixtureRepo(t)
	r := qbank(t, nil, "lint", "--format", "concise", "--statistics")
	want := `Statistics:
  2  QB401  difficulty-label
  2  QB602  invalid-suppression
  1  QB203  duplicate-bank-id
  1  QB301  answer-letter
  1  QB306  duplicate-option
  1  QB601  unused-suppression
  1  QB610  difficulty-minimum
  (5 suppressed)
`
	if !strings.HasSuffix(r.stdout, want) {
		t.Errorf("statistics:\n%s\nwant suffix:\n%s", r.stdout, want)
	}
	// With a machine format they go to stderr and stdout stays parseable.
	r = qbank(t, nil, "lint", "--format", "json", "--statistics")
	decodeJSON(t, r.stdout)
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// TestGitHubAuto: under GitHub Actions the text report gets annotations
// next to it, unless a format was chosen explicitly.
func TestGitHubAuto(t *testing.T) {
	fixtureRepo(t)
	gha := map[string]string{"GITHUB_ACTIONS": "true"}
	r := qbank(t, gha, "lint")
	annotation := "::error file=questions/findings.toml,line=14,endLine=14,col=10,endColumn=13,title=QB301 answer-letter::answer \"D\" names no option: the options are A to C%0Ahint: key one of the options, or add the missing option\n"
	if !strings.Contains(r.stdout, annotation) || !strings.Contains(r.stdout, "7 errors, 2 warnings in 4 files") {
		t.Errorf("want the text report and annotations:\n%s", r.stdout)
	}
	if n := strings.Count(r.stdout, "\n::"); n != len(fixtureFindings) {
		t.Errorf("%d annotations, want %d", n, len(fixtureFindings))
	}
	for _, args := range [][]string{{"lint", "--format", "text"}, {"lint", "--format", "json"}} {
		if r := qbank(t, gha, args...); strings.Contains(r.stdout, "::error") {
			t.Errorf("%v: annotations although a format was chosen", args)
		}
	}
	if r := qbank(t, nil, "lint"); strings.Contains(r.stdout, "::error") {
		t.Error("annotations outside GitHub Actions")
	}
}

// TestSuppressions checks the fixture's suppressions end to end: what is
// silenced, what is reported about the comments themselves.
func TestSuppressions(t *testing.T) {
	fixtureRepo(t)
	r := qbank(t, nil, "lint", "--format", "json", "questions/suppressed.toml")
	rep := decodeJSON(t, r.stdout)
	want := []string{
		"questions/suppressed.toml:29 QB601", // stale suppression
		"questions/suppressed.toml:33 QB401", // not silenced: no reason
		"questions/suppressed.toml:33 QB602", // no reason
		"questions/suppressed.toml:42 QB602", // unknown rule QB999
	}
	if got := rep.findings(); !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if !slices.Contains(rep.Notes, "5 findings suppressed by qbank:ignore comments") {
		t.Errorf("notes %q", rep.Notes)
	}
	// Turning QB601 off in the configuration silences the stale report.
	r = qbank(t, nil, "lint", "--format", "json", "--severity", "unused-suppression=off", "questions/suppressed.toml")
	if got := decodeJSON(t, r.stdout).findings(); slices.Contains(got, want[0]) {
		t.Errorf("QB601 reported although off: %v", got)
	}
}

// TestChangedSince lints only the banks changed since a git ref, while the
// duplicate-bank-id check still sees every bank.
func TestChangedSince(t *testing.T) {
	testtool.Require(t, "git")
	dir := fixtureRepo(t)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "banks")
	git("checkout", "-q", "-b", "topic")

	// Nothing changed: nothing linted.
	r := qbank(t, nil, "lint", "--format", "json", "--changed-since", "main")
	if rep := decodeJSON(t, r.stdout); r.code != 0 || len(rep.Diagnostics) != 0 || rep.Summary.Files != 0 {
		t.Errorf("no change: exit %d, %+v", r.code, rep)
	}

	// A committed edit of clean.toml (whose id dup.toml repeats) and an
	// untracked new bank with a finding.
	cleanPath := filepath.Join(dir, "questions", "clean.toml")
	src, _ := os.ReadFile(cleanPath)
	writeFile(t, cleanPath, string(src)+"\n# edited\n")
	git("commit", "-q", "-am", "edit")
	writeFile(t, filepath.Join(dir, "questions", "new.toml"), `[bank]
id = "ci-new"
title = "New"

[[question]]
id = "q"
difficulty = "hard"
prompt = "Pick."
options = ["a", "b"]
answer = "C"

[[question]]
id = "r"
difficulty = "hard"
prompt = "Pick."
options = ["a", "b"]
answer = "A"
`)
	r = qbank(t, nil, "lint", "--format", "json", "--changed-since", "main")
	rep := decodeJSON(t, r.stdout)
	want := []string{
		"questions/clean.toml:4 QB203", // on the changed bank, pointing at the unchanged dup.toml
		"questions/new.toml:10 QB301",
	}
	if got := rep.findings(); !slices.Equal(got, want) || r.code != 1 {
		t.Errorf("exit %d, findings %v, want %v; stderr %s", r.code, got, want, r.stderr)
	}
	if rep.Summary.Files != 2 || !slices.Contains(rep.Notes, "--changed-since main: linted 2 of 5 banks") {
		t.Errorf("summary %+v, notes %q", rep.Summary, rep.Notes)
	}

	r = qbank(t, nil, "lint", "--changed-since", "no-such-ref")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown git ref "no-such-ref"`) {
		t.Errorf("unknown ref: exit %d, %s", r.code, r.stderr)
	}
}

// TestShard: the shards of a matrix together report exactly what one run
// reports, each finding once.
func TestShard(t *testing.T) {
	fixtureRepo(t)
	full := decodeJSON(t, qbank(t, nil, "lint", "--format", "json").stdout).findings()
	slices.Sort(full)
	for _, n := range []int{1, 2, 3, 5} {
		var union []string
		files := 0
		for i := 1; i <= n; i++ {
			r := qbank(t, nil, "lint", "--format", "json", "--shard", itoa(i)+"/"+itoa(n))
			rep := decodeJSON(t, r.stdout)
			union = append(union, rep.findings()...)
			files += rep.Summary.Files
		}
		slices.Sort(union)
		if !slices.Equal(union, full) || files != 4 {
			t.Errorf("%d shards: %d files, findings\n%v\nwant\n%v", n, files, union, full)
		}
	}
	// Deterministic.
	a := qbank(t, nil, "lint", "--format", "json", "--shard", "2/3").stdout
	if b := qbank(t, nil, "lint", "--format", "json", "--shard", "2/3").stdout; a != b {
		t.Error("--shard 2/3 differs between runs")
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "x", "1-3"} {
		if r := qbank(t, nil, "lint", "--shard", bad); r.code != 2 {
			t.Errorf("--shard %s: exit %d, want 2", bad, r.code)
		}
	}
}

// TestConfigDiscovery: the nearest qbank.toml from the working directory
// upward; --config; paths relative to the file; no file = defaults.
func TestConfigDiscovery(t *testing.T) {
	dir := fixtureRepo(t)

	// From a subdirectory: the repository's qbank.toml, its paths.
	t.Chdir(filepath.Join(dir, "questions"))
	r := qbank(t, nil, "config", "--path")
	if got := strings.TrimSpace(r.stdout); got != "../qbank.toml" {
		t.Errorf("config --path = %q, want ../qbank.toml", got)
	}
	r = qbank(t, nil, "lint", "--format", "json")
	rep := decodeJSON(t, r.stdout)
	if rep.Summary.Files != 4 || !slices.Contains(rep.findings(), "findings.toml:20 QB306") {
		t.Errorf("from questions/: %+v %v", rep.Summary, rep.findings())
	}
	if !slices.Contains(rep.findings(), "findings.toml:5 QB610") {
		t.Error("qbank.toml's difficulty.minimum was not applied")
	}

	// .qbank.toml is found too; --config names another file.
	t.Chdir(dir)
	os.Rename(filepath.Join(dir, "qbank.toml"), filepath.Join(dir, ".qbank.toml"))
	if r := qbank(t, nil, "config", "--path"); !strings.HasSuffix(strings.TrimSpace(r.stdout), ".qbank.toml") {
		t.Errorf(".qbank.toml not found: %q", r.stdout)
	}
	writeFile(t, filepath.Join(dir, "ci", "strict.toml"), "paths = [\"../questions/clean.toml\"]\n")
	r = qbank(t, nil, "lint", "--format", "json", "--config", "ci/strict.toml")
	if rep := decodeJSON(t, r.stdout); r.code != 0 || rep.Summary.Files != 1 {
		t.Errorf("--config ci/strict.toml: exit %d %+v %s", r.code, rep.Summary, r.stderr)
	}
	if r := qbank(t, nil, "lint", "--config", "missing.toml"); r.code != 2 {
		t.Errorf("--config missing.toml: exit %d", r.code)
	}

	// No configuration anywhere: defaults, and ./questions.
	empty := t.TempDir()
	t.Chdir(empty)
	if r := qbank(t, nil, "lint"); r.code != 2 || !strings.Contains(r.stderr, "no PATH given") {
		t.Errorf("no config, no questions/: exit %d %s", r.code, r.stderr)
	}
	r = qbank(t, nil, "config")
	if !strings.Contains(r.stdout, "Configuration file: none found") || !strings.Contains(r.stdout, `QB306 = "error"`) {
		t.Errorf("default config:\n%s", r.stdout)
	}
}

// TestConfigPrecedence: flags > qbank.toml > defaults, and `qbank config`
// says where each setting came from.
func TestConfigPrecedence(t *testing.T) {
	fixtureRepo(t)
	sev := func(args ...string) string {
		r := qbank(t, nil, append([]string{"lint", "--format", "json"}, args...)...)
		for _, d := range decodeJSON(t, r.stdout).Diagnostics {
			if d.Code == "QB306" {
				return d.Severity
			}
		}
		return "none"
	}
	if got := sev(); got != "warning" {
		t.Errorf("qbank.toml says warning, got %s", got)
	}
	if got := sev("--severity", "QB306=info"); got != "info" {
		t.Errorf("--severity says info, got %s", got)
	}
	if got := sev("--severity", "duplicate-option=off"); got != "none" {
		t.Errorf("--severity says off, got %s", got)
	}
	r := qbank(t, nil, "config")
	for _, want := range []string{
		`paths = ["questions"]`,
		`# qbank.toml:4`,
		`QB306 = "warning"                            # duplicate-option; qbank.toml:13`,
		`QB301 = "error"                              # answer-letter; default`,
		"[difficulty.minimum]\nhard = 2",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("qbank config lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ config, want string }{
		{"pahts = [\"q\"]\n", `qbank.toml:1:1: unknown key "pahts"; did you mean "paths"?`},
		{"[sandbox]\nwal = \"1s\"\n", `qbank.toml:2:1: unknown key "sandbox.wal"; did you mean "wall"?`},
		{"[rules]\nQB31 = \"off\"\n", `qbank.toml:2:1: unknown rule "QB31"; did you mean "QB301"?`},
		{"[rules]\nQB301 = \"of\"\n", `did you mean "off"?`},
		{"[sandbox]\ncpu = 2\n", `qbank.toml:2:7: invalid duration "2"`},
		{"[difficulty.minimum]\nhrad = 1\n", `"hrad" is not a difficulty label (labels: easy, medium, hard); did you mean "hard"?`},
		{"paths = \n", `qbank.toml:1:`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			writeFile(t, filepath.Join(dir, "qbank.toml"), tc.config)
			for _, cmd := range [][]string{{"lint", "."}, {"config"}} {
				r := qbank(t, nil, cmd...)
				if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
					t.Errorf("%v: exit %d, stderr %q; want 2 and %q", cmd, r.code, r.stderr, tc.want)
				}
			}
		})
	}
}

func TestRulesCommand(t *testing.T) {
	r := qbank(t, nil, "rules")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "CODE") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
	for _, rule := range rules.All() {
		if !strings.Contains(r.stdout, rule.Code+"  "+rule.Name) {
			t.Errorf("%s missing from qbank rules", rule)
		}
	}
	r = qbank(t, nil, "rules", "--format", "json")
	var infos []struct{ Code, Name, Severity, Summary, Doc string }
	if err := json.Unmarshal([]byte(r.stdout), &infos); err != nil {
		t.Fatal(err)
	}
	if len(infos) != len(rules.All()) || infos[0].Code != "QB001" || infos[0].Severity != "error" || infos[0].Doc == "" {
		t.Errorf("json: %+v", infos[:1])
	}
	if r := qbank(t, nil, "rules", "--format", "xml"); r.code != 2 {
		t.Errorf("--format xml: exit %d", r.code)
	}
}

func TestExplainCommand(t *testing.T) {
	for _, arg := range []string{"QB301", "qb301", "answer-letter"} {
		r := qbank(t, nil, "explain", arg)
		if r.code != 0 {
			t.Fatalf("explain %s: exit %d %s", arg, r.code, r.stderr)
		}
		golden(t, "explain.QB301", []byte(r.stdout))
	}
	// Every rule has the full doc: what, why, failing and passing example.
	for _, rule := range rules.All() {
		r := qbank(t, nil, "explain", rule.Code)
		if !strings.Contains(r.stdout, rule.Code+" "+rule.Name) || !strings.Contains(r.stdout, "Default severity: "+rule.Severity.String()) {
			t.Errorf("%s: header missing", rule)
		}
		if rule.Bad != "" && (!strings.Contains(r.stdout, "Fails:") || !strings.Contains(r.stdout, "Passes:")) {
			t.Errorf("%s: examples missing", rule)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"explain", "QB31"}, `unknown rule "QB31"; did you mean "QB301"?`},
		{[]string{"explain", "answer-leter"}, `did you mean "answer-letter"?`},
		{[]string{"explain", "zzzzzz"}, `unknown rule "zzzzzz" ('qbank rules' lists every rule)`},
		{[]string{"explain"}, "explain takes one rule code or name"},
	} {
		r := qbank(t, nil, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
