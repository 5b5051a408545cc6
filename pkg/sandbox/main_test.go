package sandbox

import (
	"context"
	"flag"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	Init() // the test binary is re-exec'd as the sandbox helper
	if os.Getenv("QBANK_SANDBOX_TEST_ORPHAN") == "1" {
		orphanMain()
	}
	// The battery runs one private pool per case; allow 4 at a time even on 2 cores.
	if f := flag.Lookup("test.parallel"); f != nil && f.Value.String() == strconv.Itoa(runtime.GOMAXPROCS(0)) && runtime.GOMAXPROCS(0) < 4 {
		f.Value.Set("4")
	}
	os.Exit(m.Run())
}

// inCI reports whether nothing may be skipped (CI=true or QBANK_REQUIRE_SANDBOX=full).
func inCI() bool {
	return os.Getenv("CI") == "true" || os.Getenv("QBANK_REQUIRE_SANDBOX") == "full"
}

var (
	sharedOnce sync.Once
	sharedPool *Pool
	sharedErr  error
)

// testLimits are short so the battery stays fast.
func testLimits() Limits {
	l := DefaultLimits()
	l.CPU = time.Second
	l.Wall = 5 * time.Second // slack for loaded CI machines; battery cases that expect a wall kill use shortWall
	l.Disk = 8 << 20
	return l
}

// shortWall is the wall limit of battery cases whose expected outcome is a kill.
const shortWall = 1500 * time.Millisecond

// pool returns the shared auto-level pool used by most tests.
func pool(t testing.TB) *Pool {
	t.Helper()
	sharedOnce.Do(func() {
		sharedPool, sharedErr = Open(Options{Limits: testLimits(), Workers: 4})
	})
	if sharedErr != nil {
		if inCI() {
			t.Fatalf("sandbox unavailable in CI: %v", sharedErr)
		}
		t.Skipf("sandbox unavailable: %v", sharedErr)
	}
	if inCI() && sharedPool.Level() != LevelFull {
		t.Fatalf("CI requires level full, got %q: %s", sharedPool.Level(), sharedPool.LevelReason())
	}
	return sharedPool
}

func run(t testing.TB, p *Pool, job Job) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := p.Run(ctx, job)
	if err != nil {
		t.Fatalf("Run(%q): %v", trunc(job.Source), err)
	}
	return res
}

func trunc(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return strings.ReplaceAll(s, "\n", "⏎")
}

func TestSmoke(t *testing.T) {
	p := pool(t)
	t.Logf("level %s (%s), python %+v", p.Level(), p.LevelReason(), p.Interpreter())
	res := run(t, p, Job{Mode: Exec, Source: "print('hello')"})
	if string(res.Stdout) != "hello\n" {
		t.Fatalf("stdout %q stderr %q res %+v", res.Stdout, res.Stderr, res)
	}
}
