package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/safetext"
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

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// checkSafe fails when out holds a character a terminal or CI runner would
// interpret, or a line that starts a workflow command (github annotations,
// which the github format writes itself, are allowed when allowAnnotations).
func checkSafe(t *testing.T, what, out string, allowAnnotations bool) {
	t.Helper()
	out = sgr.ReplaceAllString(out, "") // qbank's own colours (--color always)
	for _, r := range out {
		if r != '\n' && r != '\t' && safetext.Unsafe(r) {
			t.Errorf("%s: raw %U in output:\n%q", what, r, out)
			return
		}
	}
	if strings.Contains(out, "##vso[") || strings.Contains(out, "##[") {
		t.Errorf("%s: an Azure logging command reaches the output:\n%s", what, out)
	}
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, "::") {
			continue
		}
		if allowAnnotations && (strings.HasPrefix(trimmed, "::error ") || strings.HasPrefix(trimmed, "::warning ") || strings.HasPrefix(trimmed, "::notice ")) {
			// The annotation's properties must not have been extended by
			// the file name: exactly file, line, col, endLine, endColumn, title.
			props := strings.SplitN(strings.SplitN(trimmed, " ", 2)[1], "::", 2)[0]
			for _, p := range strings.Split(props, ",") {
				k, _, _ := strings.Cut(p, "=")
				switch k {
				case "file", "line", "col", "endLine", "endColumn", "title":
				default:
					t.Errorf("%s: annotation has an injected property %q: %s", what, k, trimmed)
				}
			}
			continue
		}
		t.Errorf("%s: output line starts a workflow command: %q", what, line)
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
			checkSafe(t, "stdout", out, tc.annotations)
			checkSafe(t, "stderr", errOut, false)
		})
	}
}
