// Package exporttest loads banks for the exporters' tests: the project's
// own questions/ and synthetic sets.
package exporttest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank-dev/qbank/internal/synth"
	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/discover"
	"github.com/qbank-dev/qbank/pkg/lint"
)

// ProjectBanks loads the project's questions/ banks, with paths relative to
// the repository root so golden files do not depend on the machine.
func ProjectBanks(t testing.TB) []*bank.Bank {
	t.Helper()
	root := testtool.RepoRoot(t)
	found, problems := discover.Files([]string{filepath.Join(root, "questions")})
	if len(problems) > 0 {
		t.Fatalf("discover questions/: %v", problems)
	}
	var out []*bank.Bank
	for _, c := range found {
		p := c.Path
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, Parse(t, filepath.ToSlash(rel), src))
	}
	if len(out) == 0 {
		t.Fatal("no banks in questions/")
	}
	return out
}

// Parse parses one bank source.
func Parse(t testing.TB, path string, src []byte) *bank.Bank {
	t.Helper()
	f := lint.NewFile(path, src)
	if f.Bank == nil {
		t.Fatalf("%s: %v", path, f.SyntaxErr)
	}
	return f.Bank
}

// Synth returns a synthetic set of total questions in banks of perBank.
func Synth(t testing.TB, total, perBank int) []*bank.Bank {
	t.Helper()
	var out []*bank.Bank
	for name, src := range synth.RichSet(total, perBank) {
		out = append(out, Parse(t, name, []byte(src)))
	}
	return out
}

// WriteSynth writes a synthetic set into dir and returns dir.
func WriteSynth(t testing.TB, dir string, total, perBank int) string {
	t.Helper()
	for name, src := range synth.RichSet(total, perBank) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Nasty loads testdata/export/nasty.toml, the escaping torture bank.
func Nasty(t testing.TB) *bank.Bank {
	t.Helper()
	p := filepath.Join(testtool.RepoRoot(t), "testdata", "export", "nasty.toml")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(t, "testdata/export/nasty.toml", src)
}
