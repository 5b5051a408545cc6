package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/iostreams"
)

const goodBank = `[bank]
id = "good"
title = "Good"
[[question]]
id = "q"
difficulty = "easy"
prompt = "Pick."
options = ["a", "b"]
answer = "A"
`

// runIn runs qbank with args in dir (or the current directory, for "")
// and returns the exit code and output.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	ios, _, out, errOut := iostreams.Test()
	code := Run(&Factory{IO: ios, Version: "test"}, args)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.toml"), []byte(goodBank), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.toml"), []byte(strings.Replace(goodBank, `"easy"`, `"hrad"`, 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "code.toml"), []byte(goodBank+"[question.code]\nsource = \"print(1)\"\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"lint", "good.toml"}, ExitOK},
		{"errors", []string{"lint", "good.toml", "bad.toml"}, ExitFindings},
		{"unknown format", []string{"lint", "--format", "xml", "good.toml"}, ExitUsage},
		{"unknown flag", []string{"lint", "--bogus"}, ExitUsage},
		{"bad colour", []string{"lint", "--color", "pink", "good.toml"}, ExitUsage},
		{"no default dir", []string{"lint"}, ExitUsage},
		{"missing file", []string{"lint", "nope.toml"}, ExitFindings},
		{"bad sandbox level", []string{"lint", "--require-sandbox", "strong", "good.toml"}, ExitUsage},
		{"bad sandbox mode", []string{"lint", "--sandbox", "jail", "good.toml"}, ExitUsage},
		{"no python", []string{"lint", "--python", "/nonexistent/python3", "code.toml"}, ExitUsage},
		{"no python needed", []string{"lint", "--python", "/nonexistent/python3", "good.toml"}, ExitOK},
		{"no python, no run", []string{"lint", "--no-run", "--python", "/nonexistent/python3", "code.toml"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runIn(t, dir, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if tt.code == ExitUsage && (errOut == "" || out != "") {
				t.Errorf("usage errors go to stderr only; stdout %q stderr %q", out, errOut)
			}
		})
	}
}

// TestBadInput feeds files no editor would write; each gets a finding at
// its position and the other files are still checked.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	huge := strings.Repeat("x", 10<<20)
	files := map[string]string{
		"good.toml":    goodBank,
		"empty.toml":   "",
		"garbage.toml": "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		"latin1.toml":  "[bank]\nid = \"latin\"\ntitle = \"caf\xe9\"\n",
		"bom.toml":     "\ufeff" + strings.Replace(goodBank, `"easy"`, `"Easy"`, 1),
		"crlf.toml":    strings.ReplaceAll(strings.Replace(goodBank, `"easy"`, `"eazy"`, 1), "\n", "\r\n"),
		"deep.toml":    "[bank]\nid = \"deep\"\ntitle = \"Deep\"\ntags = " + deep + "\n",
		"huge.toml":    strings.Replace(goodBank, `prompt = "Pick."`, `prompt = "`+huge+`"`+"\nbogus = 1", 1),
		"binary.toml":  string([]byte{0x00, 0x01, 0xff, 0xfe, '[', 'b', ']'}),
	}
	for name, src := range files {
		src = strings.Replace(src, `id = "good"`, `id = "`+strings.TrimSuffix(name, ".toml")+`"`, 1)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"lint", "--format", "concise"}
	for name := range files {
		args = append(args, name)
	}
	code, out, errOut := runIn(t, dir, args...)
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	wants := []string{
		"empty.toml:1:1: error QB103 missing-key: missing required key \"bank\"",
		"garbage.toml:1:8: error QB002 toml-syntax: file contains a NUL byte",
		"latin1.toml:3:13: error QB002 toml-syntax: file is not valid UTF-8",
		"bom.toml:6:14: error QB401 difficulty-label: difficulty \"Easy\"",
		"crlf.toml:6:14: error QB401 difficulty-label: difficulty \"eazy\"",
		"deep.toml:4:10008: error QB002 toml-syntax: arrays and inline tables are nested more than",
		"huge.toml:8:1: error QB101 unknown-key: unknown key \"bogus\"",
		"binary.toml:1:3: error QB002 toml-syntax: file is not valid UTF-8",
	}
	for _, w := range wants {
		if !strings.Contains(out, "\n"+w) && !strings.HasPrefix(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
	if strings.Contains(out, "good.toml") {
		t.Errorf("good.toml has no finding but appears:\n%s", out)
	}
	if strings.Contains(out, "QB203") {
		t.Errorf("unexpected duplicate ids:\n%s", out)
	}
}

// TestDeterministicOrder runs the same files in two argument orders.
func TestDeterministicOrder(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"c.toml", "a.toml", "b.toml"} {
		src := strings.Replace(goodBank, `"good"`, `"bank-`+string(rune('a'+i))+`"`, 1)
		src = strings.Replace(src, `"easy"`, `"Hard"`, 1)
		os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
	}
	_, out1, _ := runIn(t, dir, "lint", "--format", "json", "c.toml", "a.toml", "b.toml")
	_, out2, _ := runIn(t, dir, "lint", "--format", "json", "b.toml", ".", "a.toml")
	if !bytes.Equal([]byte(out1), []byte(out2)) {
		t.Fatalf("outputs differ:\n%s\n---\n%s", out1, out2)
	}
}

// TestPositionDeepInFile puts a typo in the 57th question, after
// multi-line strings that hold TOML-looking text, and inside an inline
// table, and checks the exact line and column of each finding.
func TestPositionDeepInFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("[bank]\nid = \"deep\"\ntitle = \"Deep\"\n")
	line := 3 // the lines written so far
	want := map[string]string{}
	for i := 1; i <= 60; i++ {
		q := fmt.Sprintf("\n[[question]]\nid = \"q%d\"\ndifficulty = \"easy\"\nprompt = \"\"\"\n[[question]]\nid = \"fake\"\n\"\"\"\n", i)
		line += strings.Count(q, "\n")
		opts := `options = ["a", { text = "b", feedback = "ok" }]`
		if i == 57 {
			opts = `options = ["a", { text = "b", feedbak = "typo" }]`
			want["QB101"] = fmt.Sprintf("deep.toml:%d:31:", line+1)
		}
		b.WriteString(q + opts + "\nanswer = \"A\"\n")
		line += 2
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "deep.toml"), []byte(b.String()), 0o644)
	code, out, errOut := runIn(t, dir, "lint", "--format", "concise", "deep.toml")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, want["QB101"]+" error QB101 unknown-key: unknown key \"feedbak\" in option B") || strings.Count(out, "\n") != 1 {
		t.Fatalf("want one finding at %s, got:\n%s", want["QB101"], out)
	}
}
