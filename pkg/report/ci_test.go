package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
)

// updating reports whether -update was given. The flag is registered by
// report_test.go; looking it up keeps the two files from defining it twice.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// fixtureInput lints the CI fixture banks (testdata/ci/repo) from inside
// that directory, so paths are relative as in a real run.
func fixtureInput(t *testing.T) *report.Input {
	t.Helper()
	t.Chdir(filepath.Join("..", "..", "testdata", "ci", "repo"))
	files := load.Banks([]string{"questions"})
	if len(files) == 0 {
		t.Fatal("no banks in the fixture")
	}
	cfg := &lint.Config{Labels: lint.DefaultLabels, Severity: map[string]lint.Severity{"QB306": lint.Warning},
		Minimum: map[string]int{"hard": 2}}
	res := lint.Run(files, rules.All(), cfg)
	rules.Suppress(res, cfg)
	if len(res.Diagnostics) == 0 {
		t.Fatal("the fixture has no findings")
	}
	return &report.Input{Diagnostics: res.Diagnostics, Files: res.Files, Questions: res.Questions,
		Tool: report.Tool{Name: "qbank", Version: "test"}, Rules: rules.All(), Notes: []string{"a note"}}
}

func render(t *testing.T, f *report.Format, in *report.Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf, in, report.Options{}); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return buf.Bytes()
}

// ciGolden compares got with testdata/name, or rewrites it with -update.
// dir is the package directory (tests may have changed the working
// directory).
func ciGolden(t *testing.T, dir, name string, got []byte) {
	t.Helper()
	path := filepath.Join(dir, "testdata", name)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./pkg/report -update rewrites it):\n--- got\n%s", name, got)
	}
}

func pkgDir(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
