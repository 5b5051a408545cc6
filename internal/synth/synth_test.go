package synth_test

import (
	"testing"

	"github.com/qbank-dev/qbank/internal/synth"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/rules"
)

// TestBankIsClean checks that generated banks lint clean, so benchmarks
// measure the normal path and not error reporting.
func TestBankIsClean(t *testing.T) {
	files := []*lint.File{lint.NewFile("a.toml", synth.Bank(0, 60)), lint.NewFile("b.toml", synth.Bank(1, 60))}
	res := lint.Run(files, rules.All(), nil)
	if res.Questions != 120 {
		t.Fatalf("questions = %d", res.Questions)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s:%d:%d: %s %s", d.File, d.Line, d.Column, d.Code, d.Message)
	}
}

func TestSnippetBankIsClean(t *testing.T) {
	res := lint.Run([]*lint.File{lint.NewFile("s.toml", synth.SnippetBank(0, 30))}, rules.All(), nil)
	if res.Questions != 30 || len(res.Diagnostics) != 0 {
		t.Fatalf("questions %d, diagnostics %v", res.Questions, res.Diagnostics)
	}
}
