package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
)

// hostileName is a bank file name that tries to drive a terminal (ESC, OSC
// with BEL, CR, NEL, a bidi override) and a CI log (a newline that starts a
// workflow command, GitHub property separators, an Azure command).
const hostileName = "q\x1b[2J\x1b]8;;x\x07\r\u0085\u202e,line=9::\n::stop-commands::t\n##vso[task.setvariable]y.toml"

// hostileBankSrc has a lint error (a difficulty label that is not
// configured) and a snippet, so lint, fmt, run and export all print the
// file's name.
const hostileBankSrc = `[bank]
id = "hostile"
title = "Hostile"

[[question]]
id = "q1"
difficulty = "hrad"
prompt = "What does this print?"
options = ["1", "2"]
answer = "A"
  [question.code]
  source = "print(1)"
  expect = "output"
`

// checkAnnotations fails when a github annotation carries a property the
// file name added: only file, line, col, endLine, endColumn and title, each
// once.
func checkAnnotations(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "::") {
			continue
		}
		cmd, rest, _ := strings.Cut(line[2:], " ")
		if cmd != "error" && cmd != "warning" && cmd != "notice" {
			t.Errorf("unexpected workflow command: %q", line)
			continue
		}
		props, _, _ := strings.Cut(rest, "::")
		seen := map[string]bool{}
		for _, p := range strings.Split(props, ",") {
			k, _, _ := strings.Cut(p, "=")
			switch {
			case seen[k]:
				t.Errorf("annotation has an injected property %q (twice): %s", k, line)
			case !slices.Contains([]string{"file", "line", "col", "endLine", "endColumn", "title"}, k):
				t.Errorf("annotation has an injected property %q: %s", k, line)
			}
			seen[k] = true
		}
	}
}

// TestHostileFileName runs every command that prints bank paths on a bank
// whose file name is hostile and checks stdout and stderr of each.
func TestHostileFileName(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, hostileName), []byte(hostileBankSrc), 0o644); err != nil {
		t.Fatalf("writing the hostile file name: %v", err)
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		args        []string
		annotations bool
	}{
		{[]string{"lint", "--no-run", "."}, false},
		{[]string{"lint", "--no-run", "--format", "concise", "."}, false},
		{[]string{"lint", "--no-run", "--format", "github", "."}, true},
		{[]string{"lint", "--no-run", "--color", "always", "."}, false},
		{[]string{"fmt", "--check", "."}, false},
		{[]string{"run", "--sandbox", "none", "."}, false},
		{[]string{"run", "--sandbox", "none", hostileName + "#nope"}, false},
		{[]string{"export", "--format", "json", "-o", "-", "."}, false},
	} {
		t.Run(strings.Join(tc.args[:2], " "), func(t *testing.T) {
			code, out, errOut := runIn(t, "", tc.args...)
			if code == 0 && tc.args[0] == "lint" {
				t.Errorf("lint should fail on the bad difficulty label")
			}
			if tc.args[1] != "--sandbox" && !strings.Contains(out+errOut, "q\\x1b") {
				t.Errorf("the file name should appear, escaped; got:\n%s\n%s", out, errOut)
			}
			color := slices.Contains(tc.args, "always")
			if why := testtool.LogUnsafe(out, color, tc.annotations); why != "" {
				t.Errorf("stdout: %s", why)
			}
			if why := testtool.LogUnsafe(errOut, false, false); why != "" {
				t.Errorf("stderr: %s", why)
			}
			if tc.annotations {
				checkAnnotations(t, out)
			}
		})
	}
}
