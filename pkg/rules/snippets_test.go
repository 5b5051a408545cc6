package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/sandbox"
	"github.com/qbank-dev/qbank/pkg/snippetrun"
)

func TestMain(m *testing.M) {
	sandbox.Init() // the test binary is re-executed as the sandbox helper
	os.Exit(m.Run())
}

// runSnippets runs the snippets of files and hands the outcomes to them,
// as package linter does.
func runSnippets(t *testing.T, files []*lint.File, opts snippetrun.Options) snippetrun.Summary {
	t.Helper()
	var banks []*bank.Bank
	for _, f := range files {
		banks = append(banks, f.Bank)
	}
	outs, sum, err := snippetrun.RunAll(context.Background(), banks, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		f.Snippets, f.OptionSnippets = outs[i].Source, outs[i].Options
	}
	return sum
}

func openPool(t *testing.T) *sandbox.Pool {
	t.Helper()
	limits := sandbox.DefaultLimits()
	limits.Wall = 5e9 // slack for a loaded machine; CPU stays at 2 s
	pool, err := sandbox.Open(sandbox.Options{Limits: limits})
	if err != nil {
		testtool.Missing(t, "a sandbox ("+err.Error()+")")
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

// TestSnippetRules runs the snippets of testdata/snippets in the sandbox
// and matches the QB5xx findings against the fixtures' want comments.
func TestSnippetRules(t *testing.T) {
	pool := openPool(t)
	dir := filepath.Join("..", "..", "testdata", "snippets")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	covered := map[string]bool{}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			files := load.Banks([]string{path})
			sum := runSnippets(t, files, snippetrun.Options{Runner: pool, Python: "Python " + pool.Interpreter().Version})
			if sum.Failed > 0 {
				t.Fatalf("sandbox failures: %+v", sum)
			}
			res := lint.Run(files, rules.All(), nil)
			rules.Suppress(res, nil) // as the linter does: fixtures may hold qbank:ignore
			for _, d := range res.Diagnostics {
				covered[d.Code] = true
			}
			matchWants(t, res.Diagnostics, parseWants(t, path))
		})
	}
	for _, r := range rules.All() {
		if strings.HasPrefix(r.Code, "QB5") && r != rules.SandboxFailure && !covered[r.Code] {
			t.Errorf("rule %s has no fixture in testdata/snippets", r)
		}
	}
}

// TestNoRunSkips checks that without a runner snippets are skipped, never
// passed: no QB5xx finding that needs a run (QB518 and QB520 read only the
// bank), and the summary counts them as skipped.
func TestNoRunSkips(t *testing.T) {
	files := load.Banks([]string{"../../testdata/snippets/output.toml"})
	sum := runSnippets(t, files, snippetrun.Options{})
	if sum.Skipped == 0 || sum.Executed != 0 {
		t.Fatalf("summary %+v", sum)
	}
	res := lint.Run(files, rules.All(), nil)
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.Code, "QB5") && d.Code != rules.RenderedOption.Code && d.Code != rules.ForgottenExpect.Code {
			t.Errorf("finding without a run: %s %s", d.Code, d.Message)
		}
	}
}

// TestLargeSnippet runs a 1 MB snippet.
func TestLargeSnippet(t *testing.T) {
	pool := openPool(t)
	var b strings.Builder
	b.WriteString("total = 0\n")
	for b.Len() < 1<<20 {
		b.WriteString("total += 1  # padding padding padding padding padding\n")
	}
	b.WriteString("print(total > 1000)\n")
	r, err := pool.Run(context.Background(), sandbox.Job{Mode: sandbox.Exec, Source: b.String()})
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Stdout) != "True\n" || r.Exception != nil {
		t.Fatalf("stdout %q exception %+v killed %q", r.Stdout, r.Exception, r.Killed)
	}
}

// TestCompileOnly is what runs where no sandbox is available: compile
// checks still report syntax errors; snippets that must run are skipped,
// never judged.
func TestCompileOnly(t *testing.T) {
	pool := openPool(t)
	files := load.Banks([]string{"../../testdata/snippets/compile.toml"})
	sum := runSnippets(t, files, snippetrun.Options{Runner: pool, CompileOnly: true})
	if sum.Skipped == 0 || sum.Executed == 0 {
		t.Fatalf("want some compiled and some skipped: %+v", sum)
	}
	res := lint.Run(files, rules.All(), nil)
	var codes []string
	for _, d := range res.Diagnostics {
		codes = append(codes, d.Code)
	}
	if strings.Join(codes, " ") != "QB501" {
		t.Fatalf("findings %v, want only the syntax error", codes)
	}
}
