package schema

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
)

// TestTaploInterop proves editors can use the schema: taplo (the engine of
// Even Better TOML) validates the project's banks through their #:schema
// directive and through --schema, and rejects a broken bank.
func TestTaploInterop(t *testing.T) {
	taplo := testtool.Require(t, "taplo")
	root := testtool.RepoRoot(t)
	banks, _ := filepath.Glob(filepath.Join(root, "questions", "*.toml"))
	if len(banks) == 0 {
		t.Fatal("no banks in questions/")
	}
	schemaURL := "file://" + filepath.Join(root, "schema", "qbank.schema.json")
	run := func(args ...string) (string, error) {
		cmd := exec.Command(taplo, args...)
		cmd.Dir = root
		cmd.Env = append(cmd.Environ(), "RUST_LOG=warn", "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(append([]string{"check"}, banks...)...); err != nil {
		t.Fatalf("taplo check (via #:schema) rejected questions/: %v\n%s", err, out)
	}
	if out, err := run(append([]string{"check", "--schema", schemaURL}, banks...)...); err != nil {
		t.Fatalf("taplo check --schema rejected questions/: %v\n%s", err, out)
	}
	broken := filepath.Join(root, "testdata", "taplo", "broken.toml")
	out, err := run("check", "--schema", schemaURL, broken)
	if err == nil {
		t.Fatalf("taplo accepted the broken fixture:\n%s", out)
	}
	if !strings.Contains(out, "optoins") && !strings.Contains(out, "Not Kebab") {
		t.Errorf("taplo's complaint does not name the problems:\n%s", out)
	}
	if out, err := run("check", broken); err == nil {
		t.Fatalf("taplo (via #:schema) accepted the broken fixture:\n%s", out)
	}
}
