// Package testtool finds the external programs some tests check qbank's
// output with (xmllint, ajv, taplo, node, python3). Outside CI a missing
// tool skips the test with a reason; in CI (CI=true) it fails the test, so
// a green CI run means every check really ran. .ci/run installs them.
package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// InCI reports whether the tests run in CI.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing skips the test, or fails it in CI.
func Missing(t testing.TB, what string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s is required in CI (CI=true) but missing: .ci/run should install it", what)
	}
	t.Skipf("%s not installed; .ci/run installs it (skipped outside CI only)", what)
}

// Require returns the path of a program, looking on PATH and in the
// repository's .ci/tools/node_modules/.bin, or skips/fails the test.
func Require(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	p := filepath.Join(RepoRoot(t), ".ci", "tools", "node_modules", ".bin", name)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	Missing(t, name)
	return ""
}

// NodeModules returns the node_modules directory .ci/run installs npm
// packages into, after checking that pkg is in it.
func NodeModules(t testing.TB, pkg string) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), ".ci", "tools", "node_modules")
	if _, err := os.Stat(filepath.Join(dir, pkg)); err != nil {
		Missing(t, "npm package "+pkg)
	}
	return dir
}

// RepoRoot is the directory that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}
