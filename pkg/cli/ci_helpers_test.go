package cli_test

import (
	"flag"
	"github.com/qbank-dev/qbank/internal/testtool"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/qbank-dev/qbank/pkg/cli"
	"github.com/qbank-dev/qbank/pkg/iostreams"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// pkgDir is this package's directory, kept before tests change directory.
var pkgDir, _ = os.Getwd()

// fixtureRepo copies testdata/ci/repo (banks with known findings and a
// qbank.toml) to a temporary directory and makes it the working directory.
func fixtureRepo(t *testing.T) string {
	t.Helper()
	src := filepath.Join(pkgDir, "..", "..", "testdata", "ci", "repo")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dst)
	return dst
}

type result struct {
	code           int
	stdout, stderr string
}

// qbank runs the CLI in-process with test streams and the given
// environment.
func qbank(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.Getenv = func(k string) string { return env[k] }
	code := cli.Run(&cli.Factory{IO: ios, Version: "test"}, args)
	return result{code, out.String(), errOut.String()}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testtool.Golden(t, filepath.Join(pkgDir, "testdata", name), got, *update)
}
