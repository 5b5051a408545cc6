//go:build !linux

package sandbox

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// IsHelper is always false outside Linux (there is no helper).
func IsHelper() bool { return false }

// HelperMain is never used outside Linux.
func HelperMain() { os.Exit(111) }

type launchEnv struct {
	level       Level
	why         string
	scratchBase string
}

func chooseLevel(mode string, interp Interpreter, limits Limits, noFull bool) (Level, *launchEnv, error) {
	if runtime.GOOS == "windows" {
		// The zygote forks, and Windows has no fork: use WSL, which is Linux.
		return "", nil, fmt.Errorf("sandbox: snippets cannot run on Windows; run qbank under WSL (a Linux system), or lint with --no-run")
	}
	if mode != "none" {
		return "", nil, fmt.Errorf("%w on %s; run qbank on Linux (or in a Linux VM/container), or use Mode \"none\" for trusted content only", ErrNoIsolation, runtime.GOOS)
	}
	d, err := os.MkdirTemp("", "qbank-sandbox-")
	if err != nil {
		return "", nil, err
	}
	return LevelNone, &launchEnv{level: LevelNone, why: "isolation disabled by explicit mode \"none\"", scratchBase: d}, nil
}

func (e *launchEnv) command(p *Pool, seed int, reqR, respW *os.File, stderr io.Writer) (cmd *exec.Cmd, afterStart, onExit func(), err error) {
	scratch, err := os.MkdirTemp(e.scratchBase, "z")
	if err != nil {
		return nil, nil, nil, err
	}
	args := p.zygoteArgs(map[string]any{"scratch": []string{scratch}})
	cmd = &exec.Cmd{
		Path:        args[0],
		Args:        args,
		Env:         p.zygoteEnv(seed, scratch),
		Dir:         scratch,
		ExtraFiles:  []*os.File{reqR, respW},
		Stderr:      stderr,
		WaitDelay:   time.Second,
		SysProcAttr: detached(),
	}
	return cmd, func() {}, func() { os.RemoveAll(scratch) }, nil
}

func (z *zygote) kill() {
	if z.cmd != nil && z.cmd.Process != nil {
		z.cmd.Process.Kill()
	}
}

// landlockABI is 0: Landlock is Linux-only.
func landlockABI() int { return 0 }
