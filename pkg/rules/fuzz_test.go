package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/rules"
)

// FuzzLint loads arbitrary bytes as a bank and runs every rule: no panic,
// and every diagnostic has a position inside the file.
func FuzzLint(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/rules/*.toml")
	clean, _ := filepath.Glob("../../testdata/clean/*.toml")
	for _, p := range append(seeds, clean...) {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := lint.NewFile("fuzz.toml", src)
		res := lint.Run([]*lint.File{file}, rules.All(), nil)
		lines := 1
		for _, c := range src {
			if c == '\n' {
				lines++
			}
		}
		for _, d := range res.Diagnostics {
			if d.Line < 1 || d.Line > lines || d.Column < 1 || d.EndLine < d.Line {
				t.Fatalf("diagnostic out of range (file has %d lines): %+v", lines, d)
			}
		}
	})
}
