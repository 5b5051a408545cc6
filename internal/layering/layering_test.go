package layering

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
)

const module = "github.com/qbank-dev/qbank/"

// deps lists the qbank packages pkg depends on (pkg itself included), as
// the build sees them: test files and other platforms' files do not count.
//
// It reads the sources with go/build rather than asking `go list -deps` in
// a subprocess: the test cache sees the files a test reads itself, not the
// ones a child process reads, so a cached pass would survive a new import.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	root := testtool.RepoRoot(t)
	seen := map[string]bool{}
	var visit func(p string)
	visit = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		bp, err := build.Default.ImportDir(filepath.Join(root, filepath.FromSlash(p)), 0)
		if err != nil {
			t.Fatalf("reading package %s: %v", p, err)
		}
		for _, imp := range bp.Imports {
			if rest, ok := strings.CutPrefix(imp, module); ok {
				visit(rest)
			}
		}
	}
	visit(pkg)
	got := make([]string, 0, len(seen))
	for p := range seen {
		got = append(got, p)
	}
	slices.Sort(got)
	return got
}

func TestLayering(t *testing.T) {
	tests := []struct {
		pkg       string
		forbidden []string // qbank packages pkg must not depend on
		only      []string // if set, the only qbank packages pkg may depend on
		// required: packages it must depend on, so that the check
		// cannot pass because nothing was read.
		required []string
	}{
		{pkg: "pkg/config", forbidden: []string{"pkg/sandbox", "pkg/rules", "pkg/linter"}, required: []string{"pkg/lint"}},
		{pkg: "pkg/lint", forbidden: []string{"pkg/sandbox"}, required: []string{"pkg/snippet"}},
		{pkg: "pkg/rules", forbidden: []string{"pkg/sandbox"}, required: []string{"pkg/snippetio"}},
		{pkg: "pkg/snippet", only: []string{"pkg/snippet", "pkg/snippetio", "pkg/markdown"}},
		{pkg: "pkg/snippetrun", forbidden: []string{"pkg/sandbox"}, required: []string{"pkg/snippet", "pkg/markdown"}},
		{pkg: "pkg/snippetio", only: []string{"pkg/snippetio"}},
		// The sandbox itself needs only its data, and the linter is
		// where it meets the snippet runner.
		{pkg: "pkg/sandbox", only: []string{"pkg/sandbox", "pkg/snippetio"}},
		// Markdown reading and rendering is a leaf that the matcher, the
		// snippet runner, the rules (QB520) and the exporters share.
		{pkg: "pkg/markdown", only: []string{"pkg/markdown"}},
		{pkg: "pkg/export", required: []string{"pkg/markdown"}},
		{pkg: "pkg/linter", required: []string{"pkg/sandbox", "pkg/snippetrun"}},
	}
	for _, tc := range tests {
		t.Run(strings.ReplaceAll(tc.pkg, "/", "_"), func(t *testing.T) {
			got := deps(t, tc.pkg)
			for _, f := range tc.forbidden {
				if slices.Contains(got, f) {
					t.Errorf("%s depends on %s; its dependencies: %q", tc.pkg, f, got)
				}
			}
			for _, r := range tc.required {
				if !slices.Contains(got, r) {
					t.Errorf("%s no longer depends on %s (update this table if that is on purpose); its dependencies: %q", tc.pkg, r, got)
				}
			}
			if tc.only != nil {
				for _, g := range got {
					if !slices.Contains(tc.only, g) {
						t.Errorf("%s depends on %s; it may depend only on %q", tc.pkg, g, tc.only)
					}
				}
			}
		})
	}
}
