package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/snippetio"
	"github.com/qbank-dev/qbank/pkg/snippetrun"
)

// hostileRunner answers every snippet with a hostile exception and
// missing modules, as a snippet that names its own exception class could.
type hostileRunner struct{}

func (hostileRunner) Run(_ context.Context, _ snippetio.Job) (snippetio.Result, error) {
	return snippetio.Result{
		Stdout: []byte("\x1b[2J\n::add-mask::x\n"),
		Exception: &snippetio.Exception{
			Type:    "Boom\x1b]8;;https://evil.example/\x07\u202e",
			Module:  "\n::stop-commands::tok",
			Message: "msg\u0085\n##vso[task.setvariable variable=X]y\r::error::z",
			Line:    1, Where: "source",
		},
		ExitCode: 1,
	}, nil
}

const hostileBank = `[bank]
id = "evil-bank"
title = "t"

[[question]]
id = "raises"
difficulty = "easy"
prompt = "What does this print?"
options = ["1", "2"]
answer = "A"
[question.code]
source = "print(1)"
expect = "output"

[[question]]
id = "wrong-error"
difficulty = "easy"
prompt = "What does this raise?"
options = ["ValueError", "KeyError"]
answer = "A"
[question.code]
source = "int('x')"
expect = "error"
error = "Value\u001b[2JError\u202e\n::add-mask::k"
`

// TestSnippetFindingsEscaped runs the snippet rules on a bank with a
// crafted file name, a hostile error value and a runner that reports a
// hostile exception, and checks every format: the QB5xx messages embed
// the exception's type, module and message and the error value.
func TestSnippetFindingsEscaped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a\x1b[31m,line=9::x\n::error::f.toml")
	if err := os.WriteFile(path, []byte(hostileBank), 0o644); err != nil {
		t.Skipf("this file system refuses the name: %v", err) // not a missing tool: the name is the test's choice
	}
	files := lint.ReadFiles([]string{path})
	banks := make([]*bank.Bank, len(files))
	for i, f := range files {
		banks[i] = f.Bank
	}
	outs, _, err := snippetrun.Run(context.Background(), banks, snippetrun.Options{Runner: hostileRunner{}, Python: "Python 3"})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		f.Snippets = outs[i]
	}
	res := lint.Run(files, rules.All(), nil)
	codes := map[string]bool{}
	raw := false
	for _, d := range res.Diagnostics {
		codes[d.Code] = true
		if strings.Contains(d.Message+d.Hint, "\x1b") || strings.Contains(d.Message+d.Hint, "::stop-commands::") {
			raw = true
		}
	}
	if !codes["QB505"] || !codes["QB507"] || !raw {
		t.Fatalf("the bank should give QB505 and QB507 findings with raw hostile text; got %v", res.Diagnostics)
	}
	in := &report.Input{Diagnostics: res.Diagnostics, Files: res.Files, Questions: res.Questions,
		Tool: report.Tool{Name: "qbank", Version: "test"}, Rules: rules.All()}
	eachFormat(t, func(f *report.Format, color bool) {
		t.Run(f.Name, func(t *testing.T) { checkFormat(t, f, color, in) })
	})
	// The SARIF log stays valid for the official schema.
	validateSARIF(t, render(t, report.SARIF, in))
}
