package linter

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/qbank-dev/qbank/internal/synth"
)

// BenchmarkRelintOneSource is an editor's keystroke: a kept-open Linter
// re-lints a 100-file tree (10,000 questions) in which one file is an
// in-memory buffer that changed, without snippets. Unchanged files are not
// read again. It reports the median time per re-lint.
func BenchmarkRelintOneSource(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < 100; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("bank-%04d.toml", i)), synth.Bank(i, 100), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	l, err := Open(Options{NoRun: true})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	name := filepath.Join(dir, "bank-0050.toml")
	base := synth.Bank(50, 100)
	if _, err := l.Lint(ctx, []Input{Path(dir)}); err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A different buffer every time: a comment typed at the end.
		src := append(slices.Clip(base), fmt.Sprintf("# edit %d\n", i)...)
		start := time.Now()
		res, err := l.Lint(ctx, []Input{Path(dir), Source(name, src)})
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if res.Counts.Questions != 10000 || len(res.Diagnostics) != 0 {
			b.Fatalf("questions %d, diagnostics %d", res.Counts.Questions, len(res.Diagnostics))
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}
