package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
)

func runExport(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, dir, append([]string{"export"}, args...)...)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// project returns a temporary directory holding a copy of questions/.
func project(t *testing.T) string {
	t.Helper()
	root := testtool.RepoRoot(t)
	dir := t.TempDir()
	files, _ := filepath.Glob(filepath.Join(root, "questions", "*.toml"))
	for _, f := range files {
		copyFile(t, f, filepath.Join(dir, "questions", filepath.Base(f)))
	}
	return dir
}

func TestExportFormats(t *testing.T) {
	dir := project(t)
	for _, f := range []string{"json", "qti21", "moodle", "gift"} {
		t.Run(f, func(t *testing.T) {
			out := filepath.Join(dir, "pack."+f)
			code, _, stderr := runExport(t, dir, "--format", f, "-o", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, "exported 36 questions from 3 banks") {
				t.Errorf("stderr: %s", stderr)
			}
			if st, err := os.Stat(out); err != nil || st.Size() == 0 {
				t.Fatalf("no output: %v", err)
			}
			if f != "json" && !strings.Contains(stderr, "qbank: warning: "+f+" cannot carry mistakes (36 questions)") {
				t.Errorf("no drop warning: %s", stderr)
			}
			if strings.Count(stderr, "cannot carry mistakes") > 1 {
				t.Errorf("more than one warning per kind: %s", stderr)
			}
			// The same banks again: refused without --force, replaced with it.
			code, _, stderr = runExport(t, dir, "--format", f, "-o", out)
			if code != ExitUsage || !strings.Contains(stderr, "already exists; use --force") {
				t.Errorf("existing output: exit %d: %s", code, stderr)
			}
			before, _ := os.ReadFile(out)
			code, _, stderr = runExport(t, dir, "--format", f, "-o", out, "--force")
			after, _ := os.ReadFile(out)
			if code != 0 || !bytes.Equal(before, after) {
				t.Errorf("--force: exit %d, same bytes %v: %s", code, bytes.Equal(before, after), stderr)
			}
		})
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestExportErrors(t *testing.T) {
	dir := project(t)
	nasty := filepath.Join(testtool.RepoRoot(t), "testdata", "export", "nasty.toml")
	copyFile(t, nasty, filepath.Join(dir, "broken", "nasty.toml"))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no format", []string{"-o", "x.json"}, ExitUsage, "--format is required"},
		{"bad format", []string{"--format", "pdf", "-o", "x"}, ExitUsage, `unknown export format "pdf"`},
		{"no output", []string{"--format", "json"}, ExitUsage, "exactly one of -o FILE and --split DIR"},
		{"both outputs", []string{"--format", "json", "-o", "a", "--split", "d"}, ExitUsage, "exactly one of"},
		{"bad glob", []string{"--format", "json", "-o", "a", "--id", "[x"}, ExitUsage, "bad --id pattern"},
		{"nothing selected", []string{"--format", "json", "-o", "a", "--bank", "nope"}, ExitUsage, "no question matches"},
		{"unwritable dir", []string{"--format", "json", "-o", filepath.Join(dir, "missing", "sub", "a.json")}, ExitUsage, "cannot write"},
		{"output is a dir", []string{"--format", "json", "-o", dir, "--force"}, ExitUsage, "is a directory"},
		{"lint errors", []string{"--format", "json", "-o", "e.json", "questions", "broken"}, ExitFindings, "broken/nasty.toml: 1 error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runExport(t, dir, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d; stderr %q lacks %q", code, tt.code, stderr, tt.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "e.json")); err == nil {
		t.Error("a bank with lint errors was exported without --force")
	}
	// --force exports it anyway, with a warning.
	code, _, stderr := runExport(t, dir, "--format", "json", "-o", "e.json", "--force", "questions", "broken")
	if code != 0 || !strings.Contains(stderr, "broken/nasty.toml has 1 lint error; exported anyway") ||
		!strings.Contains(stderr, "exported 38 questions from 4 banks") {
		t.Errorf("--force: exit %d: %s", code, stderr)
	}
	// Selecting only clean banks needs no --force.
	code, _, stderr = runExport(t, dir, "--format", "json", "-o", "g.json", "--bank", "git-basics", "questions", "broken")
	if code != 0 || !strings.Contains(stderr, "exported 12 questions from 1 banks") {
		t.Errorf("--bank: exit %d: %s", code, stderr)
	}
}

func TestExportUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write to read-only directories")
	}
	dir := project(t)
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	code, _, stderr := runExport(t, dir, "--format", "json", "-o", filepath.Join(ro, "a.json"))
	if code != ExitUsage || !strings.Contains(stderr, "cannot write") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestExportSplitAndSelect(t *testing.T) {
	dir := project(t)
	code, _, stderr := runExport(t, dir, "--format", "gift", "--split", "packs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, id := range []string{"git-basics", "python-exceptions", "python-loops"} {
		if _, err := os.Stat(filepath.Join(dir, "packs", id+".gift")); err != nil {
			t.Error(err)
		}
	}
	code, _, stderr = runExport(t, dir, "--format", "gift", "--split", "packs")
	if code != ExitUsage || !strings.Contains(stderr, "already exists") {
		t.Errorf("split again: exit %d: %s", code, stderr)
	}

	code, stdout, stderr := runExport(t, dir, "--format", "json", "-o", "-", "--difficulty", "hard", "--tag", "loops,git", "--id", "*/*")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `"format": "qbank-bundle"`) || strings.Contains(stdout, `"difficulty": "easy"`) {
		t.Errorf("selection to stdout: %.300s", stdout)
	}
}

// TestExportVerified checks that the JSON bundle records what snippets
// really did when they ran, leaves it out with --no-run, and that the
// content hashes do not depend on it.
func TestExportVerified(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("QBANK_CACHE_DIR", filepath.Join(dir, "cache"))
	os.WriteFile(filepath.Join(dir, "bank.toml"), []byte(`[bank]
id = "verified"
title = "Verified"

[[question]]
id = "loop"
difficulty = "easy"
prompt = "What does this print?"
options = ["0 1 2", "1 2 3"]
answer = "A"
[question.code]
source = "for i in range(3):\n    print(i)"
expect = "output"

[[question]]
id = "boom"
difficulty = "easy"
prompt = "What happens?"
options = ["ZeroDivisionError", "0"]
answer = "A"
[question.code]
source = "1 / 0"
expect = "error"
error = "ZeroDivisionError"

[[question]]
id = "repr"
difficulty = "easy"
prompt = "What does this print?"
options = ["'abc'", "abc"]
answer = "A"
[question.code]
source = "print('abc')"
expect = "output"
`), 0o644)
	type bundle struct {
		Hash  string `json:"hash"`
		Banks []struct {
			Questions []struct {
				Hash string `json:"hash"`
				Code struct {
					Verified *struct {
						Output string `json:"output"`
						Error  string `json:"error"`
						Match  string `json:"match"`
					} `json:"verified"`
				} `json:"code"`
			} `json:"questions"`
		} `json:"banks"`
	}
	read := func(args ...string) bundle {
		t.Helper()
		code, _, stderr := runExport(t, dir, append([]string{"--format", "json", "--force", "-o", "out.json"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var b bundle
		data, _ := os.ReadFile(filepath.Join(dir, "out.json"))
		if err := json.Unmarshal(data, &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	ran := read("bank.toml")
	qs := ran.Banks[0].Questions
	if v := qs[0].Code.Verified; v == nil || v.Output != "0\n1\n2\n" || v.Error != "" || v.Match != "normal" {
		t.Errorf("loop verified = %+v", v)
	}
	if v := qs[1].Code.Verified; v == nil || v.Error != "ZeroDivisionError" || v.Match != "" {
		t.Errorf("boom verified = %+v", v)
	}
	if v := qs[2].Code.Verified; v == nil || v.Output != "abc\n" || v.Match != "none" {
		t.Errorf("repr verified = %+v", v) // B matches exactly: the key A does not count
	}
	skipped := read("--no-run", "bank.toml")
	for _, q := range skipped.Banks[0].Questions {
		if q.Code.Verified != nil {
			t.Errorf("--no-run: verified = %+v", q.Code.Verified)
		}
	}
	if ran.Hash != skipped.Hash || qs[0].Hash != skipped.Banks[0].Questions[0].Hash {
		t.Errorf("hashes depend on running snippets: %s vs %s", ran.Hash, skipped.Hash)
	}
}
