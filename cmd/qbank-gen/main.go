// Command qbank-gen writes large synthetic question banks for benchmarks:
//
//	qbank-gen -files 100 -questions 100 -o /tmp/banks
//	qbank-gen -snippets -files 10 -questions 100 -o /tmp/snippets
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qbank-dev/qbank/internal/synth"
)

func main() {
	files := flag.Int("files", 100, "number of bank files")
	questions := flag.Int("questions", 100, "questions per file")
	out := flag.String("o", "synthetic", "output directory")
	snippets := flag.Bool("snippets", false, "every question is a trivial \"what does this print?\" snippet")
	flag.Parse()
	gen := synth.Bank
	if *snippets {
		gen = synth.SnippetBank
	}
	if err := run(gen, *files, *questions, *out); err != nil {
		fmt.Fprintln(os.Stderr, "qbank-gen:", err)
		os.Exit(1)
	}
}

func run(gen func(b, n int) []byte, files, questions int, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for b := 0; b < files; b++ {
		path := filepath.Join(out, fmt.Sprintf("bank-%04d.toml", b))
		if err := os.WriteFile(path, gen(b, questions), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
