package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"testing"
)

// TestParityWithPythonC compares stdout, stderr and exit status with a real
// `python -I -S -c` for snippets whose output does not depend on the process.
func TestParityWithPythonC(t *testing.T) {
	t.Parallel()
	p := pool(t)
	snippets := []string{
		"print('hello')",
		"print(__name__, __doc__, __package__, __spec__)",
		"import sys\nprint(sys.argv)",
		"x = 1\ny = x / 0",
		"def f(n):\n    return g(n)\ndef g(n):\n    return [][n]\nf(3)",
		"try:\n    1/0\nexcept Exception as e:\n    raise ValueError('wrapped') from e",
		"try:\n    {}['k']\nexcept KeyError:\n    raise TypeError('during')",
		"print('before')\nprint(",
		"if True:\n        x = 1\n\ty = 2\n",
		"def f():\nreturn 1",
		"import sys\nsys.exit('bye')",
		"raise SystemExit",
		"raise SystemExit(3)",
		"import sys\nsys.excepthook = lambda *a: print('hooked', a[0].__name__)\n1/0",
		"def f():\n    f()\nf()",
		"import sys\nprint(sys.getrecursionlimit())\nn = 0\ndef f():\n    global n\n    n += 1\n    f()\ntry:\n    f()\nexcept RecursionError:\n    print(n)",
		"import sys\nsys.setrecursionlimit(50)\nprint(sys.getrecursionlimit())\ndef f(n):\n    return f(n + 1) if n < 60 else n\nprint(f(0))",
		"print(input())",
		"import json\njson.loads('{bad')",
		"class E(Exception):\n    def __str__(self):\n        raise RuntimeError\nraise E()",
		"import sys\nsys.stdout.write('no newline')",
		"import atexit\natexit.register(print, 'bye')\nprint('hi')",
		"import warnings\nwarnings.warn('careful')",
		"print('é ü 世界')",
	}
	for _, src := range snippets {
		checkParity(t, fmt.Sprintf("%q", src), run(t, p, Job{Mode: Exec, Source: src}), p.Interpreter().Path, src, "")
	}
}

// checkParity compares a snippet's result in the sandbox with what
// `python -I -S -c src` does in dir ("" for the current directory): the
// same stdout, stderr and exit status, byte for byte.
func checkParity(t *testing.T, name string, res Result, python, src, dir string) {
	t.Helper()
	cmd := exec.Command(python, "-I", "-S", "-c", src)
	cmd.Env = []string{"LANG=C.UTF-8", "PATH=/usr/bin:/bin"}
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		code = ee.ExitCode()
	}
	if !bytes.Equal(res.Stdout, stdout.Bytes()) || !bytes.Equal(res.Stderr, stderr.Bytes()) || res.ExitCode != code {
		t.Errorf("%s:\n sandbox: exit %d stdout %q stderr %q\n python: exit %d stdout %q stderr %q",
			name, res.ExitCode, res.Stdout, res.Stderr, code, stdout.Bytes(), stderr.Bytes())
	}
}
