//go:build linux

package sandbox

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestLevelPolicy: where user namespaces are unavailable (simulated), root
// runs snippets only with mode basic asked for explicitly, and CI requires
// full unless told otherwise; a writer's machine falls back to basic, saying
// why.
func TestLevelPolicy(t *testing.T) {
	py := sharedInterp(t).Path
	open := func(mode string, req Level) (*Pool, error) {
		return Open(Options{Python: py, Mode: mode, Require: req, Limits: testLimits(), Workers: 1, noFull: true})
	}
	root := os.Geteuid() == 0
	for _, k := range []string{"CI", "GITHUB_ACTIONS", "QBANK_REQUIRE_SANDBOX"} {
		t.Setenv(k, "")
	}

	t.Run("laptop", func(t *testing.T) {
		p, err := open("auto", "")
		if root {
			if err == nil || !errors.Is(err, ErrNoIsolation) || !strings.Contains(err.Error(), `mode "basic"`) {
				t.Fatalf("root without user namespaces: err %v, want a refusal that names mode basic", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		if p.Level() != LevelBasic || !strings.Contains(p.LevelReason(), "user namespaces unavailable") {
			t.Fatalf("level %s reason %q", p.Level(), p.LevelReason())
		}
	})
	t.Run("explicit basic", func(t *testing.T) {
		t.Setenv("CI", "true")
		p, err := open("basic", "")
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		if res := run(t, p, Job{Mode: Exec, Source: "print('ran')"}); string(res.Stdout) != "ran\n" || p.Level() != LevelBasic {
			t.Fatalf("level %s stdout %q", p.Level(), res.Stdout)
		}
	})
	for _, k := range []string{"CI", "GITHUB_ACTIONS"} {
		t.Run(k, func(t *testing.T) {
			t.Setenv(k, "true")
			p, err := open("auto", "")
			if err == nil {
				p.Close()
				t.Fatalf("%s=true fell back to %s", k, p.Level())
			}
			if errors.Is(err, ErrNoIsolation) || !strings.Contains(err.Error(), k+"=true requires level full") {
				t.Fatalf("err %v: want a required-full error naming %s (not ErrNoIsolation)", err, k)
			}
		})
	}
	t.Run("CI with QBANK_REQUIRE_SANDBOX=basic", func(t *testing.T) {
		t.Setenv("CI", "true")
		t.Setenv("QBANK_REQUIRE_SANDBOX", "basic")
		p, err := open("auto", "")
		if root {
			if err == nil || !errors.Is(err, ErrNoIsolation) {
				t.Fatalf("root: err %v, want the refusal", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Close()
	})
}
