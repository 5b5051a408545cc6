package load

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestNearMiss(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"bank", ""}, {"question", ""},
		{"Bank", "bank"}, {"BANK", "bank"}, {"banks", "bank"}, {"bnak", "bank"},
		{"Question", "question"}, {"questions", "question"}, {"qestion", "question"}, {"Questoins", "question"},
		{"project", ""}, {"server", ""}, {"tool", ""}, {"bank_info", ""}, {"quest", ""},
	} {
		if got := NearMiss(tc.key); got != tc.want {
			t.Errorf("NearMiss(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

func TestExcluded(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	for _, tc := range []struct {
		path    string
		pattern string
		want    bool
	}{
		{"questions/drafts/a.toml", "drafts", true},            // a directory name at any depth
		{"questions/a.toml", "drafts", false},                  //
		{"questions/x.wip.toml", "*.wip.toml", true},           // a file name at any depth
		{"questions/old/a.toml", "questions/old", true},        // a path from the base
		{"other/questions/old/a.toml", "questions/old", false}, // anchored at the base
		{"questions/scratch-1.toml", "*/scratch-*.toml", true},
		{"questions/deep/scratch-1.toml", "*/scratch-*.toml", false},
		{"questions/a.toml", "./questions/", true},
	} {
		got := excluded(tc.path, Options{Exclude: []string{tc.pattern}, Base: base})
		if got != tc.want {
			t.Errorf("excluded(%q, %q) = %v, want %v", tc.path, tc.pattern, got, tc.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name, src string) {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("q/bank.toml", "[bank]\nid = \"b\"\n")
	write("q/near.toml", "[[Question]]\nid = \"x\"\n")
	write("q/other.toml", "[server]\n")
	write("q/drafts/wip.toml", "[bank]\nid = \"wip\"\n")
	write("empty/tool.toml", "[tool]\n")
	set := Load([]string{"q", "empty", "missing"}, Options{Exclude: []string{"drafts"}, Base: dir})
	var got []string
	for _, f := range set.Files {
		s := f.Path
		if f.NotBank != "" {
			s += " (near miss)"
		}
		if f.ReadErr != nil {
			s += " (unreadable)"
		}
		got = append(got, s)
	}
	want := []string{"q/bank.toml", "q/near.toml (near miss)", "missing (unreadable)"}
	if !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	if set.Excluded != 1 || len(set.Empty) != 1 || set.Empty[0].String() != "empty (1 .toml file searched)" {
		t.Errorf("excluded %d, empty %v", set.Excluded, set.Empty)
	}
}
