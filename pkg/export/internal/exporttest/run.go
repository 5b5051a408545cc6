package exporttest

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/formats"
)

// Update rewrites golden files: go test ./pkg/export/... -update
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/export")

// Export writes banks in the named format with generator version "test".
func Export(t testing.TB, format string, banks []*bank.Bank) ([]byte, *export.Env) {
	t.Helper()
	f, err := formats.Lookup(format)
	if err != nil {
		t.Fatal(err)
	}
	env := export.NewEnv("test")
	var buf bytes.Buffer
	if err := export.Write(&buf, f, banks, env); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), env
}

// Golden compares got with testdata/export/name, or rewrites it with -update.
func Golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testtool.Golden(t, filepath.Join(testtool.RepoRoot(t), "testdata", "export", name), got, *Update)
}

// SchemasDir is the offline schema directory, testdata/schemas.
func SchemasDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(testtool.RepoRoot(t), "testdata", "schemas")
	if _, err := os.Stat(filepath.Join(dir, "qti21", "imsqti_v2p1.xsd")); err != nil {
		testtool.Missing(t, "the schemas directory testdata/schemas")
	}
	return dir
}

// XMLLint runs xmllint --nonet --noout with extra args on files and fails
// the test with its output unless it exits 0.
func XMLLint(t testing.TB, args []string, files ...string) {
	t.Helper()
	bin := testtool.Require(t, "xmllint")
	cmd := exec.Command(bin, append(append([]string{"--nonet", "--noout"}, args...), files...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// ParseGIFT runs the independent gift-pegjs parser on data and returns
// its JSON (testdata/export/gift-parse.js).
func ParseGIFT(t testing.TB, data []byte) []byte {
	t.Helper()
	node := testtool.Require(t, "node")
	modules := testtool.NodeModules(t, "gift-pegjs")
	file := filepath.Join(t.TempDir(), "out.gift")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(testtool.RepoRoot(t), "testdata", "export", "gift-parse.js")
	cmd := exec.Command(node, script, file)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gift-pegjs rejected the export: %v\n%s", err, stderr.String())
	}
	return out
}

// Whitespace loads testdata/export/whitespace.toml: options whose
// whitespace is the answer.
func Whitespace(t testing.TB) *bank.Bank {
	t.Helper()
	p := filepath.Join(testtool.RepoRoot(t), "testdata", "export", "whitespace.toml")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(t, "testdata/export/whitespace.toml", src)
}
