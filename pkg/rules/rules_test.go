package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
)

// A fixture line's expectations: `# want QB101@5 `regexp“ …`, in the
// manner of analysistest's `// want` comments. The column is optional.
// "# want(-2) …" expects the findings two lines above the comment, for
// lines that cannot hold a comment (inside a multi-line string).
var (
	wantRe       = regexp.MustCompile("(QB\\d{3})(?:@(\\d+))? `([^`]*)`")
	wantOffsetRe = regexp.MustCompile(`^\(([+-]\d+)\) `)
)

type want struct {
	file, code string
	line, col  int
	re         *regexp.Regexp
	raw        string
}

func parseWants(t *testing.T, path string) []want {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ws []want
	for i, line := range strings.Split(string(src), "\n") {
		_, spec, ok := strings.Cut(line, "# want")
		if !ok {
			continue
		}
		at := i + 1
		if m := wantOffsetRe.FindStringSubmatch(spec); m != nil {
			off, _ := strconv.Atoi(m[1])
			at += off
			spec = spec[len(m[0]):]
		} else if !strings.HasPrefix(spec, " ") {
			continue
		}
		for _, m := range wantRe.FindAllStringSubmatch(spec, -1) {
			col, _ := strconv.Atoi(m[2])
			ws = append(ws, want{file: filepath.ToSlash(path), code: m[1], line: at, col: col, re: regexp.MustCompile(m[3]), raw: m[0]})
		}
	}
	return ws
}

func lintPaths(t *testing.T, paths ...string) *lint.Result {
	t.Helper()
	files := load.Banks(paths)
	for _, f := range files {
		if f.ReadErr != nil {
			t.Fatalf("load: %v", f.ReadErr)
		}
	}
	return lint.Run(files, rules.All(), lint.DefaultConfig())
}

// matchWants pairs every diagnostic with a want on its file and line that
// has its code, its column (when given) and a pattern its message matches;
// a diagnostic without a want and a want without a diagnostic both fail.
func matchWants(t *testing.T, ds []lint.Diagnostic, ws []want) {
	t.Helper()
	matched := make([]bool, len(ws))
	for _, d := range ds {
		found := false
		for i, w := range ws {
			if matched[i] || w.file != d.File || w.line != d.Line || w.code != d.Code || !w.re.MatchString(d.Message) {
				continue
			}
			if w.col != 0 && w.col != d.Column {
				continue
			}
			matched[i], found = true, true
			break
		}
		if !found {
			t.Errorf("unexpected finding %s:%d:%d: %s %s", d.File, d.Line, d.Column, d.Code, d.Message)
		}
	}
	for i, w := range ws {
		if !matched[i] {
			t.Errorf("%s:%d: no finding matched %s", w.file, w.line, w.raw)
		}
	}
}

// TestRules lints every fixture under testdata/rules (a file, or a
// directory linted as one run) and matches findings against its wants.
func TestRules(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "rules")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			var ws []want
			if e.IsDir() {
				files, _ := filepath.Glob(filepath.Join(path, "*.toml"))
				for _, f := range files {
					ws = append(ws, parseWants(t, f)...)
				}
			} else {
				ws = parseWants(t, path)
			}
			if len(ws) == 0 {
				t.Fatal("fixture has no # want comments")
			}
			res := lintPaths(t, path)
			for _, d := range res.Diagnostics {
				covered[d.Code] = true
			}
			matchWants(t, res.Diagnostics, ws)
		})
	}
	// Every rule that can be triggered by a fixture file must have one.
	for _, r := range rules.All() {
		if r.Code == rules.ReadError.Code || strings.HasPrefix(r.Code, "QB5") || strings.HasPrefix(r.Code, "QB6") {
			continue // read errors need a broken file system; snippets and policy rules have their own tests
		}
		if !covered[r.Code] {
			t.Errorf("rule %s has no fixture in testdata/rules", r)
		}
	}
}

// TestClean lints the clean fixtures and the project's own banks: no
// finding at all.
func TestClean(t *testing.T) {
	for _, dir := range []string{"../../testdata/clean", "../../questions"} {
		res := lintPaths(t, dir)
		if len(res.Files) == 0 || res.Questions == 0 {
			t.Fatalf("%s: nothing linted", dir)
		}
		for _, d := range res.Diagnostics {
			t.Errorf("%s:%d:%d: %s %s", d.File, d.Line, d.Column, d.Code, d.Message)
		}
	}
}

// TestReadError checks that unreadable paths are findings and the run goes
// on with the other files.
func TestReadError(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	src, _ := os.ReadFile("../../testdata/rules/qb304-too-few-options.toml")
	os.WriteFile(good, src, 0o644)
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "dangling.toml")); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "loop"), 0o755)
	os.Symlink("..", filepath.Join(dir, "loop", "up"))
	files := load.Banks([]string{dir})
	res := lint.Run(files, rules.All(), nil)
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, fmt.Sprintf("%s %s", filepath.Base(d.File), d.Code))
	}
	for _, w := range []string{"dangling.toml QB001", "up QB001", "good.toml QB304"} {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q in %v", w, got)
		}
	}
}

// TestRegistry checks every rule's metadata.
func TestRegistry(t *testing.T) {
	codeRe := regexp.MustCompile(`^QB\d{3}$`)
	nameRe := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if !codeRe.MatchString(r.Code) || !nameRe.MatchString(r.Name) {
			t.Errorf("%s: bad code or name", r)
		}
		if seen[r.Code] || seen[r.Name] {
			t.Errorf("%s: code or name used twice", r)
		}
		seen[r.Code], seen[r.Name] = true, true
		if r.Summary == "" || r.Doc == "" || r.Severity == lint.Off {
			t.Errorf("%s: summary, doc and severity are required", r)
		}
		if strings.HasSuffix(r.Summary, ".") || r.Summary != strings.ToLower(r.Summary[:1])+r.Summary[1:] {
			t.Errorf("%s: summary must be lower-case without a trailing period: %q", r, r.Summary)
		}
		if rules.Lookup(r.Name) != r || rules.Lookup(strings.ToLower(r.Code)) != r {
			t.Errorf("%s: Lookup does not find it", r)
		}
	}
}

func TestNamedLetters(t *testing.T) {
	tests := []struct {
		step string
		want []string
	}{
		{"0 1 2 -> Option A", []string{"A"}},
		{"so -> Options A and C", []string{"A", "C"}},
		{"list; str -> Option A and Option C", []string{"A", "C"}},
		{"Final answer: Options A and B", []string{"A", "B"}},
		{"=> (C).", []string{"C"}},
		{"→ Option B is correct", []string{"B"}},
		{"-> 42", nil},
		{"-> I think so", nil},
		{"No arrow here", nil},
	}
	for _, tt := range tests {
		got := rules.NamedLetters(tt.step)
		if !slices.Equal(got, tt.want) {
			t.Errorf("NamedLetters(%q) = %v, want %v", tt.step, got, tt.want)
		}
	}
}
