package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStdlibSmoke: ordinary standard-library use keeps working under the
// seccomp stages exactly as under `python -I -S -c` (want ""), and what the
// sandbox refuses is refused cleanly with the exception a program can catch.
func TestStdlibSmoke(t *testing.T) {
	t.Parallel()
	p := ownPool(t, "", 1)
	cases := []struct{ name, src, want string }{
		{"asyncio", "import asyncio\nasync def f(x):\n    await asyncio.sleep(0.01)\n    return x * 2\nasync def main():\n    print(await asyncio.gather(*(f(i) for i in range(5))))\nasyncio.run(main())", ""},
		{"asyncio subprocess refused", "import asyncio\nasync def main():\n    try:\n        await asyncio.create_subprocess_exec('true')\n    except PermissionError as e:\n        print('PermissionError')\nasyncio.run(main())", "PermissionError\n"},
		{"threading", "import threading\nout = []\nts = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(sorted(out))", ""},
		{"thread pool", "from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor(4) as ex:\n    print(list(ex.map(lambda x: x * x, range(10))))", ""},
		{"tempfile", "import tempfile, os\nwith tempfile.TemporaryDirectory() as d:\n    p = os.path.join(d, 'x')\n    with open(p, 'w') as f: f.write('hi')\n    print(open(p).read(), os.listdir(d))\nwith tempfile.TemporaryFile() as f:\n    f.write(b'abc'); f.seek(0); print(f.read())", ""},
		{"socketpair and selectors", "import socket, selectors\na, b = socket.socketpair()\ns = selectors.DefaultSelector()\ns.register(b, selectors.EVENT_READ)\na.sendall(b'ping')\nprint(len(s.select(1)), b.recv(4))", ""},
		{"signals and timers", "import signal, time\nsignal.signal(signal.SIGALRM, lambda *a: print('alarm'))\nsignal.setitimer(signal.ITIMER_REAL, 0.01)\ntime.sleep(0.2)\nprint('done')", ""},
		{"mmap, ctypes, own rlimits and priority", "import mmap, ctypes, resource, os\nm = mmap.mmap(-1, 1 << 20)\nm[:3] = b'abc'\nprint(m[:3], ctypes.CDLL(None).getpid() == os.getpid())\nresource.setrlimit(resource.RLIMIT_CORE, (0, 0))\nos.nice(1)\nprint('ok')", ""},
		{"json, re, datetime, random", "import json, re, datetime, random\nrandom.seed(4)\nprint(json.dumps({'a': [1, 2]}), re.findall(r'\\d+', 'a1b22'), datetime.date(2024, 2, 29) + datetime.timedelta(1), random.random())", ""},
		{"subprocess refused", "import subprocess\ntry:\n    subprocess.run(['echo', 'hi'])\nexcept PermissionError as e:\n    print('PermissionError', e.errno)", "PermissionError 1\n"},
		{"os.system refused", "import os\nprint(os.system('echo hi') != 0)", "True\n"},
		{"socket AF_INET refused", "import socket\ntry:\n    socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nexcept PermissionError as e:\n    print('PermissionError', e.errno)", "PermissionError 1\n"},
		{"fork and wait", "import os\npid = os.fork()\nif pid == 0:\n    print('child')\n    os._exit(3)\n_, st = os.waitpid(pid, 0)\nprint('parent', os.waitstatus_to_exitcode(st))", ""},
	}
	for _, c := range cases {
		res := run(t, p, Job{Mode: Exec, Source: c.src})
		if res.Tampered != "" {
			t.Errorf("%s: tampered %q", c.name, res.Tampered)
		}
		if c.want != "" {
			if string(res.Stdout) != c.want || res.ExitCode != 0 {
				t.Errorf("%s: stdout %q exit %d stderr %q, want %q", c.name, res.Stdout, res.ExitCode, res.Stderr, c.want)
			}
			continue
		}
		checkParity(t, c.name, res, p.Interpreter().Path, c.src, t.TempDir())
	}
	// multiprocessing's pools and locks need POSIX semaphores in /dev/shm:
	// a small private tmpfs at full; the host's, not writable, at basic
	// (documented in the README).
	src := "from multiprocessing import Pool\ntry:\n    with Pool(2) as pool:\n        print(pool.map(abs, [-1, 2, -3]))\nexcept PermissionError:\n    print('PermissionError')"
	want := "[1, 2, 3]\n"
	if p.Level() == LevelBasic {
		want = "PermissionError\n"
	}
	if res := run(t, p, Job{Mode: Exec, Source: src}); string(res.Stdout) != want || res.Tampered != "" {
		t.Errorf("multiprocessing at %s: stdout %q stderr %q tampered %q, want %q", p.Level(), res.Stdout, res.Stderr, res.Tampered, want)
	}
}

// TestTamperedRerun changes its zygote where nothing stops it (level none
// has no seccomp stage 2): the zygote notices, the pool reruns the job once
// on a fresh zygote, and the result says what was changed. The next job runs
// on an intact zygote.
func TestTamperedRerun(t *testing.T) {
	t.Parallel()
	p, err := Open(Options{Python: sharedInterp(t).Path, Mode: "none", Limits: testLimits(), Workers: 1, ignoreEnvRequire: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	counter := filepath.Join(t.TempDir(), "runs")
	src := fmt.Sprintf("import os, resource\nwith open(%q, 'a') as f: f.write('run\\n')\n"+
		"resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (40, 40))\nos.setpriority(os.PRIO_PROCESS, os.getppid(), 7)\nprint('done')", counter)
	res := run(t, p, Job{Mode: Exec, Source: src})
	if !strings.Contains(res.Tampered, "RLIMIT_NOFILE") || !strings.Contains(res.Tampered, "-> 7") {
		t.Errorf("Tampered %q", res.Tampered)
	}
	if b, _ := os.ReadFile(counter); string(b) != "run\nrun\n" {
		t.Errorf("runs %q: want the job rerun once", b)
	}
	res = run(t, p, Job{Mode: Exec, Source: "import os, resource\nprint(resource.getrlimit(resource.RLIMIT_NOFILE)[1] > 40, os.getpriority(os.PRIO_PROCESS, 0) != 7)"})
	if string(res.Stdout) != "True True\n" || res.Tampered != "" {
		t.Errorf("after recycling: stdout %q tampered %q", res.Stdout, res.Tampered)
	}
}
