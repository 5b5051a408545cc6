package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/rules"
)

var update = flag.Bool("update", false, "rewrite README.md's rule table")

// TestREADME keeps the README's rule table equal to the rules' metadata.
func TestREADME(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Update(src, rules.All())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(src, want) {
		return
	}
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's rule table is stale: run go run ./internal/gendocs (or go test ./internal/gendocs -update)")
}

func TestTable(t *testing.T) {
	rs := []*lint.Rule{{Code: "QB999", Name: "pipe-rule", Severity: lint.Warning, Summary: "a | b"}}
	got := Table(rs)
	if !strings.Contains(got, "| <a id=\"qb999\"></a>`QB999` | `pipe-rule` | warning | a \\| b |\n") {
		t.Errorf("unexpected table:\n%s", got)
	}
	out, err := Update([]byte("a\n"+Begin+"\nold\n"+End+"\nz\n"), rs)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "old") || !strings.HasPrefix(string(out), "a\n"+Begin+"\n") || !strings.HasSuffix(string(out), End+"\nz\n") {
		t.Errorf("Update:\n%s", out)
	}
	if _, err := Update([]byte("no markers"), rs); err == nil {
		t.Error("Update without markers: no error")
	}
}
