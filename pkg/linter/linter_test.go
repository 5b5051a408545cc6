package linter

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.Init() // the test binary is re-executed as the sandbox helper
	dir, err := os.MkdirTemp("", "qbank-linter-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("QBANK_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const good = `[bank]
id = "good"
title = "Good"

[[question]]
id = "q"
difficulty = "easy"
prompt = "Pick."
options = ["a", "b"]
answer = "A"
`

func snippetBank(id, source, expect, answer string) string {
	return `[bank]
id = "` + id + `"
title = "Snippets"

[[question]]
id = "q"
difficulty = "easy"
prompt = "What does this print?"
options = ["0 1 2", "1 2 3"]
answer = "` + answer + `"
[question.code]
source = "` + source + `"
expect = "` + expect + `"
`
}

func open(t *testing.T, opts Options) *Linter {
	t.Helper()
	l, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func codes(res *Result) string {
	var cs []string
	for _, d := range res.Diagnostics {
		cs = append(cs, d.File+" "+d.Code)
	}
	return strings.Join(cs, ", ")
}

// TestSources lints in-memory sources, alone and over a directory whose
// file of the same name they replace.
func TestSources(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.MkdirAll("banks", 0o755)
	os.WriteFile("banks/a.toml", []byte(strings.Replace(good, `answer = "A"`, `answer = "Z"`, 1)), 0o644)
	os.WriteFile("banks/b.toml", []byte(strings.Replace(good, `"good"`, `"b"`, 1)), 0o644)
	l := open(t, Options{NoRun: true})
	ctx := context.Background()

	res, err := l.Lint(ctx, []Input{Path("banks")})
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res); got != "banks/a.toml QB301" {
		t.Errorf("on disk: %s", got)
	}
	// The editor's buffer of a.toml, fixed: it replaces the file.
	res, err = l.Lint(ctx, []Input{Path("banks"), Source("./banks//a.toml", []byte(good))})
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res); got != "" || res.Counts.Files != 2 || res.Counts.Questions != 2 {
		t.Errorf("with the buffer: %q, counts %+v", got, res.Counts)
	}
	// A source alone, with a cross-bank rule against nothing else.
	res, err = l.Lint(ctx, []Input{Source("mem.toml", []byte("[bank]\nid = \"Bad_Id\"\n"))})
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res); !strings.Contains(got, "mem.toml QB201") || !strings.Contains(got, "mem.toml QB103") {
		t.Errorf("source alone: %s", got)
	}
}

// TestNoBanks: paths with no bank are a typed error that names them.
func TestNoBanks(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[project]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "settings.toml"), []byte("[server]\n"), 0o644)
	l := open(t, Options{NoRun: true})
	_, err := l.Lint(context.Background(), []Input{Path(dir)})
	var nb *NoBanksError
	if !errors.As(err, &nb) || len(nb.Paths) != 1 || nb.Paths[0].Candidates != 1 {
		t.Fatalf("err %v", err)
	}
}

// TestMinimumAndSeverities: configuration reaches the rules as typed
// values, with nothing for a caller to prepare.
func TestMinimumAndSeverities(t *testing.T) {
	cfg, err := config.Parse("qbank.toml", []byte("[difficulty.minimum]\nhard = 1\n[rules]\nQB610 = \"warning\"\n"), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	l := open(t, Options{NoRun: true, Config: cfg})
	res, err := l.Lint(context.Background(), []Input{Source("b.toml", []byte(good))})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "QB610" || res.Diagnostics[0].Severity.String() != "warning" {
		t.Errorf("diagnostics %+v", res.Diagnostics)
	}
}

// TestKeptOpen lints twice through one Linter: the sandbox is opened once
// and reused, and the second lint gets its snippet results from it (no
// cache).
func TestKeptOpen(t *testing.T) {
	testtool.Require(t, "python3")
	l := open(t, Options{NoCache: true})
	ctx := context.Background()
	src := []byte(snippetBank("kept", "for i in range(3): print(i)", "output", "B"))
	res, err := l.Lint(ctx, []Input{Source("a.toml", src)})
	if err != nil {
		t.Fatal(err)
	}
	pool := l.box.pool
	if pool == nil || codes(res) != "a.toml QB502" || res.Counts.Verified != 1 || res.Counts.Executed != 1 {
		t.Fatalf("first lint: %s %+v", codes(res), res.Counts)
	}
	res, err = l.Lint(ctx, []Input{Source("a.toml", []byte(snippetBank("kept", "for i in range(3): print(i)", "output", "A")))})
	if err != nil {
		t.Fatal(err)
	}
	if l.box.pool != pool || codes(res) != "" || res.Counts.Executed != 1 {
		t.Fatalf("second lint: %s %+v (same pool: %v)", codes(res), res.Counts, l.box.pool == pool)
	}
}

// TestCancel: cancelling the context stops the snippet work and the lint
// returns the context's error, not a verdict.
func TestCancel(t *testing.T) {
	testtool.Require(t, "python3")
	cfg := config.Default(rules.All())
	cfg.Sandbox.Wall = 120 * time.Second // only cancelling can end the snippet early
	l := open(t, Options{NoCache: true, Config: cfg})
	src := []byte(snippetBank("slow", "import time; time.sleep(100)", "output", "A"))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Lint(ctx, []Input{Source("a.toml", src)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := l.Lint(ctx, []Input{Source("a.toml", src)})
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during: %v", err)
	}
	// The Linter is still usable.
	res, err := l.Lint(context.Background(), []Input{Source("b.toml", []byte(good))})
	if err != nil || codes(res) != "" {
		t.Fatalf("after: %v %s", err, codes(res))
	}
}

// TestRelint: a kept-open Linter reuses the results of unchanged files and
// sees every change: a file edited on disk, an in-memory source, a file
// removed.
func TestRelint(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.MkdirAll("banks", 0o755)
	write := func(name, src string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(name, mtime, mtime)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	write("banks/a.toml", good, t0)
	write("banks/b.toml", strings.Replace(good, `"good"`, `"b"`, 1), t0)
	l := open(t, Options{NoRun: true})
	lintCodes := func(in ...Input) string {
		t.Helper()
		res, err := l.Lint(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return codes(res)
	}
	if got := lintCodes(Path("banks")); got != "" {
		t.Fatalf("first: %s", got)
	}
	if len(l.memo) != 2 {
		t.Fatalf("memo holds %d files", len(l.memo))
	}
	// Edited on disk (same size, new time): seen.
	write("banks/a.toml", strings.Replace(good, `answer = "A"`, `answer = "Z"`, 1), t0.Add(time.Second))
	if got := lintCodes(Path("banks")); got != "banks/a.toml QB301" {
		t.Errorf("after an edit: %s", got)
	}
	// A buffer over it, then the buffer gone again.
	if got := lintCodes(Path("banks"), Source("banks/b.toml", []byte(strings.Replace(good, `"good"`, `"Bad_Id"`, 1)))); got != "banks/a.toml QB301, banks/b.toml QB201" {
		t.Errorf("with a buffer: %s", got)
	}
	if got := lintCodes(Path("banks")); got != "banks/a.toml QB301" {
		t.Errorf("without the buffer: %s", got)
	}
	// A duplicate bank id appears when one file changes: the cross-bank rule
	// runs on every lint.
	write("banks/b.toml", good, t0.Add(2*time.Second))
	if got := lintCodes(Path("banks")); got != "banks/a.toml QB301, banks/b.toml QB203" {
		t.Errorf("duplicate: %s", got)
	}
	os.Remove("banks/b.toml")
	if got := lintCodes(Path("banks")); got != "banks/a.toml QB301" || len(l.memo) != 1 {
		t.Errorf("after removing b.toml: %s, memo %d", got, len(l.memo))
	}
}

// TestSnippetCounts checks that the counts and the report line tell keys
// verified by running from snippets only compiled: expect = "compiles" is
// never counted as checked against its key.
func TestSnippetCounts(t *testing.T) {
	testtool.Require(t, "python3")
	l := open(t, Options{NoCache: true})
	inputs := []Input{
		Source("a.toml", []byte(snippetBank("out", "for i in range(3): print(i)", "output", "A"))),
		Source("b.toml", []byte(snippetBank("err", "1 / 0", "error", "A"))),
		Source("c.toml", []byte(snippetBank("comp", "for i in range(3): print(i)", "compiles", "A"))),
		Source("d.toml", []byte(snippetBank("none", "for each x: show it", "none", "A"))),
	}
	res, err := l.Lint(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Counts
	if c.Snippets != 3 || c.Verified != 2 || c.Compiled != 1 || c.NotRun+c.Stopped+c.Failed+c.Tampered != 0 {
		t.Fatalf("counts %+v", c)
	}
	want := `snippets: 2 keys verified by running, 1 only compiled (expect = "compiles")`
	if !slices.Contains(res.Notes, want) {
		t.Errorf("notes %q lack %q", res.Notes, want)
	}
}

func TestSnippetLine(t *testing.T) {
	for _, tt := range []struct {
		c    Counts
		want string
	}{
		{Counts{Snippets: 24, Verified: 24}, `snippets: 24 keys verified by running, 0 only compiled (expect = "compiles")`},
		{Counts{Snippets: 5, Verified: 1, Compiled: 4}, `snippets: 1 key verified by running, 4 only compiled (expect = "compiles")`},
		{Counts{Snippets: 9, Verified: 3, Compiled: 1, Stopped: 2, Failed: 1, Tampered: 1, NotRun: 1},
			`snippets: 3 keys verified by running, 1 only compiled (expect = "compiles"), 2 stopped by a limit or a missing module, 1 not checked: sandbox failure, 1 tampered with the sandbox, 1 not run`},
	} {
		if got := SnippetLine(tt.c); got != tt.want {
			t.Errorf("SnippetLine(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}
