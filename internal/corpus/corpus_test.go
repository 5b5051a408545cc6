package corpus

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/linter"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

var (
	report   = flag.Bool("report", false, "print the corpus table to stdout (scripts/corpus-report.sh)")
	useCache = flag.Bool("cache", false, "reuse the snippet cache ($QBANK_CACHE_DIR, else ~/.cache/qbank) instead of a fresh one")
)

func TestMain(m *testing.M) {
	sandbox.Init() // the test binary is re-executed as the sandbox helper
	flag.Parse()
	dir := ""
	if !*useCache {
		var err error
		if dir, err = os.MkdirTemp("", "qbank-corpus-cache-"); err != nil {
			panic(err)
		}
		os.Setenv("QBANK_CACHE_DIR", dir)
	}
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// TestCorpus lints testdata/corpus in the sandbox and compares every
// question's findings with its recorded truth: no error on a right key, the
// recorded code on every wrong one.
func TestCorpus(t *testing.T) {
	root := testtool.RepoRoot(t)
	paths, err := filepath.Glob(filepath.Join(root, "testdata", "corpus", "*.toml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	t.Chdir(root)
	var qs []*Question
	for i, p := range paths {
		rel, _ := filepath.Rel(root, p)
		paths[i] = filepath.ToSlash(rel)
		fq, err := Parse(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, fq...)
	}
	if len(qs) < 150 {
		t.Errorf("the corpus has %d questions; it must keep at least 150", len(qs))
	}

	l, err := linter.Open(linter.Options{Version: "corpus-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	res, err := l.Lint(context.Background(), linter.Paths(paths))
	var sbErr *linter.SandboxError
	if errors.As(err, &sbErr) {
		testtool.Missing(t, "a sandbox ("+err.Error()+")")
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) > 0 {
		t.Errorf("%d snippets did not run, so their keys are unchecked: %v", len(res.Skipped), res.Skipped)
	}
	if res.Counts.Questions != len(qs) {
		t.Errorf("qbank counted %d questions, the truth comments %d", res.Counts.Questions, len(qs))
	}

	r := Classify(qs, res.Diagnostics)
	table := r.Table()
	if *report {
		fmt.Printf("%s\n%s", strings.Join(res.Notes, "\n"), table)
	} else {
		t.Logf("\n%s", table)
	}
	for _, d := range r.Stray {
		t.Errorf("%s:%d: finding outside any question: %s %s", d.File, d.Line, d.Code, d.Message)
	}
	for _, v := range r.Verdicts {
		switch {
		case v.FalseError:
			t.Errorf("%s: false error on the right key of %s: %s", v.Q.Where(), v.Q.ID, errorsOf(v))
		case v.Missed:
			t.Errorf("%s: missed: %s is wrong (%s) but got %s", v.Q.Where(), v.Q.ID, strings.Join(v.Q.Codes, " or "), codesOf(v))
		}
	}
}

func errorsOf(v *Verdict) string {
	var s []string
	for _, d := range v.Findings {
		if d.Severity >= lint.Error {
			s = append(s, fmt.Sprintf("%d:%d %s %s", d.Line, d.Column, d.Code, d.Message))
		}
	}
	return strings.Join(s, "; ")
}

func codesOf(v *Verdict) string {
	if len(v.Findings) == 0 {
		return "no finding"
	}
	var s []string
	for _, d := range v.Findings {
		s = append(s, d.Code+" "+d.Severity.String())
	}
	return strings.Join(s, ", ")
}
