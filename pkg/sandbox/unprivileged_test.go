//go:build linux

package sandbox

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestAsUnprivilegedUser re-executes this test binary as an unprivileged
// user when the tests run as root, once at level full and once with mode
// basic forced, so that one CI run covers the battery as root and as an
// unprivileged user. Run as a user, the suite already is the unprivileged run.
//
// The uid is one no account uses (testUID), not nobody: at basic
// RLIMIT_NPROC counts every process of the user machine-wide, and root's
// full sandboxes (this suite's included) run snippets as host nobody. It
// depends on the test process, so two test runs side by side (a developer's
// and a CI job's) do not share one process limit.
func TestAsUnprivilegedUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Logf("running as uid %d: this run is the unprivileged one", os.Geteuid())
		return
	}
	if os.Getenv("QBANK_SANDBOX_TEST_INNER") != "" {
		t.Fatal("re-executed test still runs as root")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The user needs a binary and a working directory it can reach.
	dir, err := os.MkdirTemp("", "qbank-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	bin := filepath.Join(dir, "sandbox.test")
	copyFile(t, self, bin)
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o1777)
	os.Chmod(tmp, 0o1777)
	uid := testUID()
	for _, mode := range []string{"", "basic"} {
		name := mode
		if name == "" {
			name = "auto"
		}
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(bin, "-test.run", "^(TestBattery|TestStdlibSmoke|TestParityWithPythonC|TestTamperedRerun|TestLevelPolicy)$", "-test.count=1")
			cmd.Dir = dir
			// An interpreter outside /root: the user cannot enter a 0700 home.
			cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + tmp, "TMPDIR=" + tmp, "LANG=C.UTF-8",
				"QBANK_SANDBOX_TEST_INNER=1", "QBANK_SANDBOX_TEST_MODE=" + mode}
			if inCI() {
				cmd.Env = append(cmd.Env, "CI=true")
				if mode == "" {
					cmd.Env = append(cmd.Env, "QBANK_REQUIRE_SANDBOX=full")
				}
			}
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid, Groups: []uint32{}}}
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			t.Logf("as uid %d, mode %q:\n%s", uid, name, tail(out.String(), 40))
			if err != nil {
				t.Fatalf("unprivileged run failed: %v", err)
			}
			if !strings.Contains(out.String(), "PASS") {
				t.Fatalf("unprivileged run did not pass")
			}
		})
	}
}

// testUID is the unprivileged uid (and gid) of TestAsUnprivilegedUser: one
// of 61000–62999, chosen by the test process's pid.
func testUID() uint32 { return 61000 + uint32(os.Getpid()%2000) }

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
