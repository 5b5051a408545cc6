package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPrintHello(t *testing.T) {
	t.Parallel()
	p := pool(t)
	res := run(t, p, Job{Mode: Exec, Source: "print('hello')"})
	if string(res.Stdout) != "hello\n" || len(res.Stderr) != 0 || res.Exception != nil || res.ExitCode != 0 || res.Killed != "" {
		t.Fatalf("unexpected result %+v", res)
	}
}

func TestPrintsNothing(t *testing.T) {
	t.Parallel()
	res := run(t, pool(t), Job{Mode: Exec, Source: "x = 1"})
	if len(res.Stdout) != 0 || len(res.Stderr) != 0 || res.ExitCode != 0 || res.Exception != nil {
		t.Fatalf("unexpected result %+v", res)
	}
}

func TestPythonCParity(t *testing.T) {
	t.Parallel()
	p := pool(t)
	res := run(t, p, Job{Mode: Exec, Source: "import sys\nprint(__name__, sys.argv, sys.flags.no_site, sys.path[0] != '')"})
	if string(res.Stdout) != "__main__ ['-c'] 1 True\n" {
		t.Fatalf("got %q %q", res.Stdout, res.Stderr)
	}
	// Uncaught exception: traceback like python -c, without zygote frames.
	res = run(t, p, Job{Mode: Exec, Source: "x = 1\ny = x / 0"})
	want := "Traceback (most recent call last):\n  File \"<string>\", line 2, in <module>\nZeroDivisionError: division by zero\n"
	if string(res.Stderr) != want || res.ExitCode != 1 {
		t.Fatalf("stderr %q exit %d", res.Stderr, res.ExitCode)
	}
	if res.Exception == nil || res.Exception.Traceback != want {
		t.Fatalf("exception %+v", res.Exception)
	}
	// Non-daemon threads are joined and atexit runs before exit.
	res = run(t, p, Job{Mode: Exec, Source: "import threading, time, atexit\natexit.register(lambda: print('atexit'))\n" +
		"def f():\n    time.sleep(0.1)\n    print('thread')\nthreading.Thread(target=f).start()\nprint('main')"})
	if string(res.Stdout) != "main\nthread\natexit\n" {
		t.Fatalf("got %q %q", res.Stdout, res.Stderr)
	}
}

func TestExceptions(t *testing.T) {
	t.Parallel()
	p := pool(t)
	before := "a = 1\nb = 2\nc = 3\n"
	res := run(t, p, Job{Mode: Exec, Before: before, Source: "print(a + b)\n{}['missing']\n"})
	e := res.Exception
	if e == nil || e.Type != "KeyError" || e.Module != "builtins" || e.Line != 2 || e.Where != "source" || e.CompileTime || e.Message != "'missing'" {
		t.Fatalf("exception %+v", e)
	}
	if string(res.Stdout) != "3\n" || res.ExitCode != 1 {
		t.Fatalf("stdout %q exit %d", res.Stdout, res.ExitCode)
	}
	// Error inside a function defined in Source, called from After.
	res = run(t, p, Job{Mode: Exec, Source: "def f():\n    return 1/0\n", After: "f()\n"})
	if e := res.Exception; e == nil || e.Type != "ZeroDivisionError" || e.Where != "after" || e.Line != 2 {
		t.Fatalf("exception %+v", res.Exception)
	}
	res = run(t, p, Job{Mode: Exec, Before: "a = 1\nraise ValueError('hidden')\n", Source: "print('never')\n"})
	if e := res.Exception; e == nil || e.Type != "ValueError" || e.Where != "before" || e.Line != 0 || len(res.Stdout) != 0 {
		t.Fatalf("exception %+v stdout %q", res.Exception, res.Stdout)
	}
	res = run(t, p, Job{Mode: Exec, Source: "import json\njson.loads('{')"})
	if e := res.Exception; e == nil || e.Type != "JSONDecodeError" || e.Module != "json.decoder" || e.Line != 2 {
		t.Fatalf("exception %+v", res.Exception)
	}
	res = run(t, p, Job{Mode: Exec, Source: "class A:\n    class Err(Exception): pass\nraise A.Err('x')"})
	if e := res.Exception; e == nil || e.Type != "A.Err" || e.Module != "__main__" || e.Line != 3 {
		t.Fatalf("exception %+v", res.Exception)
	}
	// A runtime SyntaxError is not a compile-time one.
	res = run(t, p, Job{Mode: Exec, Source: "x = 1\neval('(')"})
	if e := res.Exception; e == nil || e.Type != "SyntaxError" || e.CompileTime || e.Line != 2 {
		t.Fatalf("exception %+v", res.Exception)
	}
}

func TestSyntaxErrors(t *testing.T) {
	t.Parallel()
	p := pool(t)
	for _, mode := range []Mode{Compile, Exec} {
		res := run(t, p, Job{Mode: mode, Source: "print('side effect')\nx = (1,\n"})
		e := res.Exception
		if e == nil || e.Type != "SyntaxError" || !e.CompileTime || e.Line != 2 || e.Where != "source" {
			t.Fatalf("mode %d: exception %+v", mode, e)
		}
		if len(res.Stdout) != 0 || res.ExitCode != 1 || !bytes.Contains(res.Stderr, []byte("SyntaxError")) {
			t.Fatalf("mode %d: stdout %q stderr %q exit %d", mode, res.Stdout, res.Stderr, res.ExitCode)
		}
	}
	res := run(t, p, Job{Mode: Exec, Source: "if True:\n    x = 1\n      y = 2\n"})
	if e := res.Exception; e == nil || e.Type != "IndentationError" || !e.CompileTime || e.Line != 3 {
		t.Fatalf("exception %+v", res.Exception)
	}
	res = run(t, p, Job{Mode: Exec, Source: "if True:\n        x = 1\n\ty = 2\n"})
	if e := res.Exception; e == nil || e.Type != "TabError" || !e.CompileTime || e.Line != 3 {
		t.Fatalf("exception %+v", res.Exception)
	}
	res = run(t, p, Job{Mode: Exec, Source: "print(1)\nprint 2\n"})
	if e := res.Exception; e == nil || e.Type != "SyntaxError" || e.Line != 2 || e.Col == 0 || len(res.Stdout) != 0 {
		t.Fatalf("exception %+v", res.Exception)
	}
	// Compile mode never executes, even a valid snippet.
	res = run(t, p, Job{Mode: Compile, Source: "print('ran')\n"})
	if len(res.Stdout) != 0 || res.Exception != nil || res.ExitCode != 0 {
		t.Fatalf("compile mode executed: %+v", res)
	}
	// An error in hidden Before code is reported as such.
	res = run(t, p, Job{Mode: Exec, Before: "def (:\n", Source: "print(1)"})
	if e := res.Exception; e == nil || !e.CompileTime || e.Where != "before" || e.Line != 0 || len(res.Stdout) != 0 {
		t.Fatalf("exception %+v", res.Exception)
	}
}

func TestCompileModeSideEffect(t *testing.T) {
	t.Parallel()
	p := pool(t)
	// A file written by the snippet would appear in the scratch dir; compile
	// mode must not even get that far. Use stdout as the witness too.
	res := run(t, p, Job{Mode: Compile, Source: "open('/tmp/witness','w').write('x')\nprint('ran')\nif x:\n"})
	if res.Exception == nil || !res.Exception.CompileTime || len(res.Stdout) != 0 {
		t.Fatalf("%+v", res)
	}
	res = run(t, p, Job{Mode: Exec, Source: "import os\nprint(os.path.exists('/tmp/witness'))"})
	if string(res.Stdout) != "False\n" {
		t.Fatalf("%q %q", res.Stdout, res.Stderr)
	}
}

func TestExit(t *testing.T) {
	t.Parallel()
	p := pool(t)
	cases := []struct {
		src    string
		code   int
		stderr string
		stdout string
	}{
		{"print('a')\nexit()\nprint('b')", 0, "", "a\n"},
		{"exit(3)", 3, "", ""},
		{"quit(4)", 4, "", ""},
		{"import sys\nsys.exit('msg')", 1, "msg\n", ""},
		{"import sys\nsys.exit(None)", 0, "", ""},
		{"raise SystemExit(256 + 7)", 7, "", ""},
	}
	for _, c := range cases {
		res := run(t, p, Job{Mode: Exec, Source: c.src})
		if res.ExitCode != c.code || string(res.Stderr) != c.stderr || string(res.Stdout) != c.stdout || res.Exception != nil {
			t.Errorf("%q: exit %d stderr %q stdout %q exc %+v", c.src, res.ExitCode, res.Stderr, res.Stdout, res.Exception)
		}
	}
}

func TestInput(t *testing.T) {
	t.Parallel()
	p := pool(t)
	res := run(t, p, Job{Mode: Exec, Source: "s = input()\nprint(s.upper())", Stdin: "abc\n"})
	if string(res.Stdout) != "ABC\n" {
		t.Fatalf("%q %q", res.Stdout, res.Stderr)
	}
	res = run(t, p, Job{Mode: Exec, Source: "s = input()\nprint(s)"})
	if e := res.Exception; e == nil || e.Type != "EOFError" || e.Line != 1 {
		t.Fatalf("%+v", res)
	}
}

func TestValueOf(t *testing.T) {
	t.Parallel()
	p := pool(t)
	res := run(t, p, Job{Mode: Exec, Source: "x = [1, 2]\nprint('hi')\nx + [3]", ValueOf: "_"})
	if !res.HasValue || res.Value != "[1, 2, 3]" || string(res.Stdout) != "hi\n" {
		t.Fatalf("%+v", res)
	}
	res = run(t, p, Job{Mode: Exec, Source: "x = 1", ValueOf: "_"})
	if res.HasValue {
		t.Fatalf("no expression but value %q", res.Value)
	}
	res = run(t, p, Job{Mode: Exec, Source: "y = {'a': 1}\ny['b'] = 'x'", ValueOf: "y"})
	if !res.HasValue || res.Value != "{'a': 1, 'b': 'x'}" {
		t.Fatalf("%+v", res)
	}
	res = run(t, p, Job{Mode: Exec, Source: "z = 1", ValueOf: "nope"})
	if res.HasValue {
		t.Fatalf("%+v", res)
	}
	// Line numbers still refer to Source when the last expression is split off.
	res = run(t, p, Job{Mode: Exec, Source: "a = 1\n1 / 0", ValueOf: "_"})
	if res.Exception == nil || res.Exception.Line != 2 || res.HasValue {
		t.Fatalf("%+v", res)
	}
}

// TestValueOfExpression: of = "expr" is evaluated in the snippet's
// namespace after the run; stdout is what the shown source printed, not
// the hidden before/after code, unless the snippet defines stdout; an
// expression that raises is reported as OfError, never as the snippet's
// exception; nothing is evaluated after an exception escaped.
func TestValueOfExpression(t *testing.T) {
	t.Parallel()
	p := pool(t)
	hiding := Job{Mode: Exec, Before: "print('before')\nimport sys\nsys.stdout.write('b2 ')", Source: "for i in range(3):\n    print('hi', i)\nprint('end')\nresult = [1, 2, 3]",
		After: "print('after')"}
	for _, tc := range []struct {
		name    string
		job     Job
		value   string
		ofError string // type of OfError, "" for none
		stdout  string // when not "", the whole stdout of the run
	}{
		{"count", with(hiding, `stdout.count("hi")`), "3", "", "before\nb2 hi 0\nhi 1\nhi 2\nend\nafter\n"},
		{"lines", with(hiding, "len(stdout.splitlines())"), "4", "", ""},
		{"last line", with(hiding, "stdout.splitlines()[-1]"), "'end'", "", ""},
		{"whole", with(hiding, "stdout"), "'hi 0\\nhi 1\\nhi 2\\nend\\n'", "", ""},
		{"before leaves the scratch dir", Job{Mode: Exec, Before: "import os\nos.chdir('/')", Source: "print('a')", ValueOf: "stdout"}, "'a\\n'", "", "a\n"},
		{"raw writes", Job{Mode: Exec, Before: "import os", Source: "os.write(1, b'raw\\n')\nprint('p')", ValueOf: "sorted(stdout.split())"}, "['p', 'raw']", "", ""},
		{"comprehension", with(hiding, "[l for l in stdout.splitlines() if l.startswith('hi')][1]"), "'hi 1'", "", ""},
		{"len", with(hiding, "len(result)"), "3", "", ""},
		{"name", with(hiding, "result"), "[1, 2, 3]", "", ""},
		{"own stdout", Job{Mode: Exec, Source: "stdout = 'mine'\nprint('x')", ValueOf: "stdout.upper()"}, "'MINE'", "", "x\n"},
		{"own stdout name", Job{Mode: Exec, Source: "stdout = 'mine'\nprint('x')", ValueOf: "stdout"}, "'mine'", "", ""},
		{"name error", with(hiding, "len(reslt)"), "", "NameError", ""},
		{"index error", Job{Mode: Exec, Source: "x = 1", ValueOf: "stdout.splitlines()[-1]"}, "", "IndexError", ""},
		{"syntax error", Job{Mode: Exec, Source: "x = 1", ValueOf: "len(x"}, "", "SyntaxError", ""},
		{"not after an exception", Job{Mode: Exec, Source: "print('a')\n1 / 0", ValueOf: "stdout.count('a')"}, "", "", "a\n"},
		{"not after an exception in after", Job{Mode: Exec, Source: "x = 1", After: "1 / 0", ValueOf: "x + 1"}, "", "", ""},
		{"after sys.exit", Job{Mode: Exec, Source: "import sys\nprint('a')\nsys.exit(0)\nprint('b')", ValueOf: "stdout"}, "'a\\n'", "", "a\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, p, tc.job)
			if res.Tampered != "" {
				t.Fatalf("tampered: %s", res.Tampered)
			}
			if tc.stdout != "" && string(res.Stdout) != tc.stdout {
				t.Errorf("stdout %q, want %q", res.Stdout, tc.stdout)
			}
			if tc.ofError != "" {
				if res.OfError == nil || res.OfError.Type != tc.ofError || res.HasValue {
					t.Fatalf("want OfError %s, got %+v (value %q %v)", tc.ofError, res.OfError, res.Value, res.HasValue)
				}
				return
			}
			if res.OfError != nil {
				t.Fatalf("OfError %+v", res.OfError)
			}
			if tc.value == "" {
				if res.HasValue {
					t.Fatalf("evaluated to %q", res.Value)
				}
				return
			}
			if !res.HasValue || res.Value != tc.value {
				t.Fatalf("value %q (%v), want %q; stderr %q", res.Value, res.HasValue, tc.value, res.Stderr)
			}
		})
	}
}

// TestValueOfStdoutAtBasic: the source's stdout is captured at level
// basic too, where the scratch directory is a host temporary directory
// (where basic is available at all: as TestLevels).
func TestValueOfStdoutAtBasic(t *testing.T) {
	t.Parallel()
	p, err := Open(Options{Python: sharedInterp(t).Path, Mode: "basic", Limits: testLimits(), Workers: 1, ignoreEnvRequire: true})
	if err != nil {
		t.Skipf("level basic unavailable: %v", err)
	}
	defer p.Close()
	res := run(t, p, Job{Mode: Exec, Before: "print('setup')", Source: "print('hi')\nprint('hi')", ValueOf: "stdout.count('hi')"})
	if res.OfError != nil || !res.HasValue || res.Value != "2" || string(res.Stdout) != "setup\nhi\nhi\n" {
		t.Fatalf("level %s: %+v (of error %+v)", p.Level(), res, res.OfError)
	}
}

func with(j Job, of string) Job {
	j.ValueOf = of
	return j
}

func TestHashSeed(t *testing.T) {
	t.Parallel()
	p := pool(t)
	sets := []string{
		"print({'apple','banana','cherry','date','elderberry'})",
		"print({'a','b','c','d','e','f','g'})",
		"print(list({'red','green','blue','cyan','magenta','yellow'}))",
	}
	differ := false
	for _, s := range sets {
		r0 := run(t, p, Job{Mode: Exec, Source: s, HashSeed: 0})
		r0b := run(t, p, Job{Mode: Exec, Source: s, HashSeed: 0})
		r1 := run(t, p, Job{Mode: Exec, Source: s, HashSeed: 1})
		if !bytes.Equal(r0.Stdout, r0b.Stdout) {
			t.Fatalf("seed 0 not deterministic: %q vs %q", r0.Stdout, r0b.Stdout)
		}
		if !bytes.Equal(r0.Stdout, r1.Stdout) {
			differ = true
		}
	}
	if !differ {
		t.Fatal("hash seeds 0 and 1 gave the same order for every set")
	}
}

func TestRequires(t *testing.T) {
	t.Parallel()
	p := pool(t)
	res := run(t, p, Job{Mode: Exec, Source: "import json\nprint(json.dumps([1]))", Requires: []string{"json"}})
	if string(res.Stdout) != "[1]\n" || len(res.Missing) != 0 {
		t.Fatalf("%+v", res)
	}
	res = run(t, p, Job{Mode: Exec, Source: "print('ran')", Requires: []string{"json", "surely_not_a_module_xyz"}})
	if len(res.Missing) != 1 || res.Missing[0] != "surely_not_a_module_xyz" || len(res.Stdout) != 0 {
		t.Fatalf("%+v", res)
	}
	const probe = "import site, sys\nprint(any(p in sys.path for p in site.getsitepackages()))"
	res = run(t, p, Job{Mode: Exec, Source: probe, SitePackages: true})
	if string(res.Stdout) != "True\n" {
		t.Fatalf("site packages: %q %q", res.Stdout, res.Stderr)
	}
	res = run(t, p, Job{Mode: Exec, Source: probe})
	if string(res.Stdout) != "False\n" {
		t.Fatalf("isolated: %q %q", res.Stdout, res.Stderr)
	}
}

func TestHugeSource(t *testing.T) {
	t.Parallel()
	p := pool(t)
	var sb strings.Builder
	sb.WriteString("total = 0\n")
	for sb.Len() < 1<<20 {
		sb.WriteString("total += 1  # padding padding padding padding padding padding\n")
	}
	n := strings.Count(sb.String(), "\n") - 1
	sb.WriteString("print(total)\n")
	res := run(t, p, Job{Mode: Exec, Source: sb.String(), Limits: &Limits{Wall: 20 * time.Second, CPU: 10 * time.Second}})
	if string(res.Stdout) != fmt.Sprintf("%d\n", n) {
		t.Fatalf("got %q %q %q", res.Stdout, trunc(string(res.Stderr)), res.Killed)
	}
}

func TestConcurrentRuns(t *testing.T) {
	t.Parallel()
	p := pool(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8*4)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				want := fmt.Sprintf("%d-%d\n", g, i)
				res, err := p.Run(context.Background(), Job{Mode: Exec, Source: fmt.Sprintf("print('%d-%d')", g, i)})
				if err != nil {
					errs <- err
					return
				}
				if string(res.Stdout) != want {
					errs <- fmt.Errorf("got %q want %q (stderr %q)", res.Stdout, want, res.Stderr)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestContextCancel(t *testing.T) {
	t.Parallel()
	p := pool(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := p.Run(ctx, Job{Mode: Exec, Source: "import time\ntime.sleep(30)", Limits: &Limits{Wall: 20 * time.Second}})
	if err == nil {
		t.Fatal("expected context error")
	}
	res := run(t, p, Job{Mode: Exec, Source: "print(1)"})
	if string(res.Stdout) != "1\n" {
		t.Fatalf("%+v", res)
	}
}

// TestCloseLeavesNothing opens its own pool, starts zygotes and a sleeping
// daemon, closes the pool and checks that no process with its marker is left.
func TestCloseLeavesNothing(t *testing.T) {
	t.Parallel()
	p := ownPool(t, "", 2)
	res := run(t, p, Job{Mode: Exec, Source: "print(1)"})
	res2 := run(t, p, Job{Mode: Exec, Source: "print(2)", HashSeed: 1})
	if string(res.Stdout) != "1\n" || string(res2.Stdout) != "2\n" {
		t.Fatalf("%q %q", res.Stdout, res2.Stdout)
	}
	if len(markerPIDs(p.marker)) == 0 {
		t.Fatal("marker scan finds no zygote: the leftover check would be blind")
	}
	done := make(chan struct{})
	go func() {
		// Close while a job is running.
		p.Run(context.Background(), Job{Mode: Exec, Source: "import time\ntime.sleep(30)", Limits: &Limits{Wall: 20 * time.Second}})
		close(done)
	}()
	time.Sleep(200 * time.Millisecond)
	p.Close()
	p.Close() // idempotent
	<-done
	if left := markerPIDs(p.marker); len(left) != 0 {
		t.Fatalf("processes left after Close: %v", left)
	}
	if _, err := p.Run(context.Background(), Job{Mode: Exec, Source: "print(1)"}); err != ErrClosed {
		t.Fatalf("Run after Close: %v", err)
	}
}

// TestLevels runs a few jobs at each level this machine supports.
func TestLevels(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"full", "basic", "none"} {
		t.Run(mode, func(t *testing.T) {
			p, err := Open(Options{Python: sharedInterp(t).Path, Mode: mode, Limits: testLimits(), Workers: 1, ignoreEnvRequire: true})
			if err != nil {
				if inCI() && mode != "basic" {
					t.Fatal(err)
				}
				t.Skipf("level %s unavailable: %v", mode, err)
			}
			defer func() {
				p.Close()
				if left := markerPIDs(p.marker); len(left) != 0 {
					t.Errorf("left: %v", left)
				}
			}()
			if string(p.Level()) != mode {
				t.Fatalf("level %s", p.Level())
			}
			res := run(t, p, Job{Mode: Exec, Source: "import os\nprint('hi', os.environ.get('QBANK_CANARY_TOKEN'))"})
			if string(res.Stdout) != "hi None\n" {
				t.Fatalf("%q %q", res.Stdout, res.Stderr)
			}
			res = run(t, p, Job{Mode: Exec, Source: "while True: pass", Limits: &Limits{Wall: 10 * time.Second}})
			if res.Killed != "cpu" {
				t.Fatalf("killed %q", res.Killed)
			}
			res = run(t, p, Job{Mode: Exec, Source: "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\nprint('parent')"})
			if string(res.Stdout) != "parent\n" {
				t.Fatalf("%q %q", res.Stdout, res.Stderr)
			}
			if left := leftovers(p); len(left) != 0 {
				t.Fatalf("leftovers %v", left)
			}
			if mode != "none" {
				secret := filepath.Join(t.TempDir(), "secret")
				os.WriteFile(secret, []byte("canary"), 0o644)
				res = run(t, p, Job{Mode: Exec, Source: fmt.Sprintf("try:\n    print(open(%q).read())\nexcept OSError as e:\n    print('blocked', e.errno)", secret)})
				if !strings.HasPrefix(string(res.Stdout), "blocked") {
					t.Fatalf("secret read at level %s: %q", mode, res.Stdout)
				}
			}
		})
	}
}
