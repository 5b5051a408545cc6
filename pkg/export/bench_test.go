package export_test

import (
	"context"
	"io"
	"testing"

	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/formats"
	"github.com/qbank-dev/qbank/pkg/export/internal/exporttest"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/linter"
)

// lintDir lints dir without running snippets, through the pipeline that
// `qbank lint` and `qbank export` use.
func lintDir(tb testing.TB, dir string) *linter.Result {
	tb.Helper()
	l, err := linter.Open(linter.Options{NoRun: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	res, err := l.Lint(context.Background(), linter.Paths([]string{dir}))
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// The synthetic set: 10,000 questions in 100 banks of 100.
const (
	benchQuestions = 10000
	benchPerBank   = 100
)

// BenchmarkExport exports the synthetic set, already parsed, to each
// format. Compare with BenchmarkLint, which lints the same set from files.
func BenchmarkExport(b *testing.B) {
	banks := exporttest.Synth(b, benchQuestions, benchPerBank)
	if n := export.CountQuestions(banks); n != benchQuestions {
		b.Fatalf("%d questions", n)
	}
	for _, name := range []string{"json", "qti21", "moodle", "gift"} {
		f, err := formats.Lookup(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := export.Write(io.Discard, f, banks, export.NewEnv("bench")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLint lints the synthetic set written to a temporary directory
// through package linter, as `qbank lint` and `qbank export` do.
func BenchmarkLint(b *testing.B) {
	dir := exporttest.WriteSynth(b, b.TempDir(), benchQuestions, benchPerBank)
	for b.Loop() {
		res := lintDir(b, dir)
		if res.Counts.Questions != benchQuestions {
			b.Fatalf("%d questions", res.Counts.Questions)
		}
	}
}

// TestSynthLintsClean keeps the benchmark honest: the synthetic set is a
// valid set of banks, so the lint benchmark does the full work.
func TestSynthLintsClean(t *testing.T) {
	dir := exporttest.WriteSynth(t, t.TempDir(), 200, 100)
	res := lintDir(t, dir)
	for _, d := range res.Diagnostics {
		if d.Severity == lint.Error {
			t.Errorf("%s:%d: %s", d.File, d.Line, d.Message)
		}
	}
}
