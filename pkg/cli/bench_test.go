package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank-dev/qbank/internal/synth"
	"github.com/qbank-dev/qbank/pkg/linter"
)

// writeSynthetic writes files banks of n questions each into a temp dir.
func writeSynthetic(b *testing.B, files, n int) string {
	b.Helper()
	dir := b.TempDir()
	for i := 0; i < files; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("bank-%04d.toml", i)), synth.Bank(i, n), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLint10k lints 10,000 questions in 100 files: everything of
// `qbank lint` except running snippets, with a new Linter each time (a
// kept-open one would reuse the results of the unchanged files).
func BenchmarkLint10k(b *testing.B) {
	dir := writeSynthetic(b, 100, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := linter.Open(linter.Options{NoRun: true})
		if err != nil {
			b.Fatal(err)
		}
		res, err := l.Lint(context.Background(), linter.Paths([]string{dir}))
		l.Close()
		if err != nil {
			b.Fatal(err)
		}
		if res.Counts.Questions != 10000 || len(res.Diagnostics) != 0 {
			b.Fatalf("questions %d, diagnostics %d", res.Counts.Questions, len(res.Diagnostics))
		}
	}
}
