//go:build linux

package sandbox

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// launchEnv knows how to start a zygote at the chosen level.
type launchEnv struct {
	level       Level
	why         string // why a stronger level is not in use
	landlockABI int
	scratchBase string // basic/none: host directory holding per-zygote scratch dirs
	interp      Interpreter
	limits      Limits
}

func chooseLevel(mode string, interp Interpreter, limits Limits, noFull bool) (Level, *launchEnv, error) {
	env := &launchEnv{interp: interp, limits: limits}
	env.landlockABI = landlockABI()
	if mode == "none" {
		env.level = LevelNone
		env.why = "isolation disabled by explicit mode \"none\""
		return LevelNone, env, env.makeScratch()
	}
	var reasons []string
	if mode == "auto" || mode == "full" {
		var err error
		if noFull {
			err = fmt.Errorf("user namespaces unavailable (simulated by a test)")
		} else {
			err = env.probe(LevelFull)
		}
		if err == nil {
			env.level = LevelFull
			return LevelFull, env, nil
		}
		reasons = append(reasons, "full: "+err.Error())
		if mode == "full" {
			return "", nil, fmt.Errorf("sandbox: full isolation unavailable: %v%s", err, fullHint)
		}
	}
	if mode == "auto" && os.Geteuid() == 0 {
		// Basic keeps uid 0 (without capabilities): root-owned host files
		// and processes stay reachable where Landlock and seccomp do not
		// reach, and RLIMIT_NPROC does not apply to root.
		return "", nil, fmt.Errorf("%w (%s); running snippets as root without user namespaces needs an explicit "+
			"choice: mode \"basic\" (--sandbox=basic) accepts the weaker isolation, or run qbank as an unprivileged user%s",
			ErrNoIsolation, strings.Join(reasons, "; "), fullHint)
	}
	if err := env.makeScratch(); err != nil {
		return "", nil, err
	}
	err := env.probe(LevelBasic)
	if err == nil {
		env.level = LevelBasic
		env.why = strings.Join(reasons, "; ")
		return LevelBasic, env, nil
	}
	env.cleanup()
	reasons = append(reasons, "basic: "+err.Error())
	return "", nil, fmt.Errorf("%w (%s); Mode \"none\" runs snippets without isolation (trusted content only)%s",
		ErrNoIsolation, strings.Join(reasons, "; "), fullHint)
}

const fullHint = ` (full isolation needs unprivileged user namespaces: on Ubuntu >= 23.10 run ` +
	`"sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"; in Docker, namespaces are blocked by the default seccomp profile)`

func (e *launchEnv) makeScratch() error {
	if e.scratchBase != "" {
		return nil
	}
	d, err := os.MkdirTemp("", "qbank-sandbox-")
	if err != nil {
		return fmt.Errorf("sandbox: scratch dir: %w", err)
	}
	e.scratchBase = d
	return nil
}

// probe starts a helper at level that builds the whole sandbox and runs the
// interpreter inside it once, so the level reported is one that works.
func (e *launchEnv) probe(level Level) error {
	if level == LevelBasic && e.landlockABI < 1 {
		return errors.New("no Landlock here (it needs a kernel >= 5.13 with the landlock LSM enabled)")
	}
	scratch := e.scratchBase
	cfg := e.helperConfig(level, scratch)
	cfg.Args = []string{e.interp.Path, "-s", "-S", "-B", "-c", "import encodings, json, ctypes"}
	cfg.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	cmd, closeFiles, err := e.helperCmd(level, cfg)
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	onSpawnerThread(func() { err = cmd.Start() })
	closeFiles()
	if err != nil {
		return fmt.Errorf("cannot start helper: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		err = fmt.Errorf("timed out")
	}
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg != "" {
			return fmt.Errorf("%v: %s", err, msg)
		}
		return err
	}
	return nil
}

func (e *launchEnv) helperConfig(level Level, scratch string) helperConfig {
	it := e.interp
	cfg := helperConfig{
		Level:     level,
		Python:    it.Path,
		Disk:      e.limits.Disk,
		DevFiles:  []string{"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"},
		ExecPaths: []string{it.Path},
	}
	loader, libDirs := elfDeps(it.Path)
	if loader != "" {
		cfg.ExecPaths = append(cfg.ExecPaths, loader)
	}
	system := []string{"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin"}
	etc := []string{"/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf"}
	var real []string
	for _, p := range append(append(append([]string(nil), system...), it.dirs...), libDirs...) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			real = append(real, r)
		}
	}
	if level == LevelFull {
		for _, p := range system {
			if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
				cfg.SymlinkDirs = append(cfg.SymlinkDirs, p)
			}
		}
		cfg.Binds = append(append(append([]string(nil), real...), etc...), cfg.DevFiles...)
		cfg.Binds = append(cfg.Binds, cfg.ExecPaths...)
		cfg.ROPaths = append(append(append([]string(nil), real...), etc...), "/proc", "/etc")
		cfg.RWPaths = []string{"/tmp", "/dev/shm"}
		if os.Geteuid() == 0 {
			cfg.DropToUID = sandboxUID
		}
	} else {
		cfg.ROPaths = append(append(append([]string(nil), real...), etc...), "/proc")
		if scratch != "" {
			cfg.RWPaths = []string{scratch}
		}
		cfg.BlockUnix = true
	}
	return cfg
}

// elfDeps returns the resolved PT_INTERP (ld.so) of an executable and the
// directories of its DT_RPATH/DT_RUNPATH (with $ORIGIN expanded), which must
// be visible in the sandbox for its shared libraries (e.g. Linuxbrew).
func elfDeps(path string) (loader string, libDirs []string) {
	f, err := elf.Open(path)
	if err != nil {
		return "", nil
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b, err := io.ReadAll(p.Open())
			if err == nil {
				loader = strings.TrimRight(string(b), "\x00")
				if r, err := filepath.EvalSymlinks(loader); err == nil {
					loader = r
				}
			}
		}
	}
	origin := filepath.Dir(path)
	for _, tag := range []elf.DynTag{elf.DT_RPATH, elf.DT_RUNPATH} {
		vals, _ := f.DynString(tag)
		for _, v := range vals {
			for _, d := range strings.Split(v, ":") {
				d = strings.ReplaceAll(strings.ReplaceAll(d, "${ORIGIN}", origin), "$ORIGIN", origin)
				if filepath.IsAbs(d) {
					libDirs = append(libDirs, filepath.Clean(d))
				}
			}
		}
	}
	return loader, libDirs
}

// helperCmd prepares the re-exec of this binary as the helper, with the
// config on fd 5 (through a pipe; the caller closes the returned read end
// after Start with the returned func). The helper's environment is empty
// apart from the marker.
func (e *launchEnv) helperCmd(level Level, cfg helperConfig) (*exec.Cmd, func(), error) {
	data, err := json.Marshal(cfg)
	if err != nil {
		return nil, nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	go func() {
		w.Write(data)
		w.Close()
	}()
	cmd := &exec.Cmd{
		Path: "/proc/self/exe",
		Args: []string{helperArg0},
		Env:  []string{helperEnvVar + "=1"},
		Dir:  "/",
		SysProcAttr: &syscall.SysProcAttr{
			Setsid:    true,
			Pdeathsig: syscall.SIGKILL,
		},
	}
	// fds 3, 4 are the protocol pipes (filled in by the caller); 5 is the config.
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		r.Close()
		return nil, nil, err
	}
	cmd.ExtraFiles = []*os.File{devnull, devnull, r}
	if level == LevelFull {
		uid, gid := os.Getuid(), os.Getgid()
		sp := cmd.SysProcAttr
		sp.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS | syscall.CLONE_NEWPID |
			syscall.CLONE_NEWNET | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS | syscall.CLONE_NEWCGROUP
		sp.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}}
		sp.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}}
		if cfg.DropToUID > 0 {
			// As host root: ns root stays kuid 0 while building the sandbox, the
			// zygote and snippets run as ns uid 1000 = host nobody (65534).
			sp.UidMappings = append(sp.UidMappings, syscall.SysProcIDMap{ContainerID: cfg.DropToUID, HostID: 65534, Size: 1})
			sp.GidMappings = append(sp.GidMappings, syscall.SysProcIDMap{ContainerID: cfg.DropToUID, HostID: 65534, Size: 1})
			sp.GidMappingsEnableSetgroups = true
		}
	}
	return cmd, func() { r.Close(); devnull.Close() }, nil
}

// command builds the exec.Cmd for one zygote. reqR/respW become fds 3 and 4.
// afterStart is called once Start has returned; onExit after the process is gone.
func (e *launchEnv) command(p *Pool, seed int, reqR, respW *os.File, stderr io.Writer) (cmd *exec.Cmd, afterStart, onExit func(), err error) {
	if e.level == LevelFull {
		filter, err := stage2Program(LevelFull)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("seccomp stage 2: %w", err)
		}
		conf := map[string]any{"scratch": []string{"/tmp", "/dev/shm"}, "landlock_scope": e.landlockABI >= 6,
			"filter": filter}
		cfg := e.helperConfig(LevelFull, "")
		cfg.Args = p.zygoteArgs(conf)
		cfg.Env = p.zygoteEnv(seed, "/tmp")
		cmd, closeFiles, err := e.helperCmd(LevelFull, cfg)
		if err != nil {
			return nil, nil, nil, err
		}
		cmd.ExtraFiles[0], cmd.ExtraFiles[1] = reqR, respW
		cmd.Stderr = stderr
		cmd.WaitDelay = time.Second
		return cmd, closeFiles, func() {}, nil
	}
	scratch, err := os.MkdirTemp(e.scratchBase, "z")
	if err != nil {
		return nil, nil, nil, err
	}
	rm := func() { os.RemoveAll(scratch) }
	conf := map[string]any{"scratch": []string{scratch}, "landlock_scope": e.level == LevelBasic && e.landlockABI >= 6}
	if e.level == LevelBasic {
		filter, err := stage2Program(LevelBasic)
		if err != nil {
			rm()
			return nil, nil, nil, fmt.Errorf("seccomp stage 2: %w", err)
		}
		conf["filter"] = filter
		cfg := e.helperConfig(LevelBasic, scratch)
		// Snippets read what the zygote reads, less the host's /proc.
		var read []string
		for _, p := range append(append(append([]string(nil), cfg.ROPaths...), cfg.RWPaths...), cfg.DevFiles...) {
			if p != "/proc" {
				read = append(read, p)
			}
		}
		conf["landlock_read"] = read
		cfg.Args = p.zygoteArgs(conf)
		cfg.Env = p.zygoteEnv(seed, scratch)
		cmd, closeFiles, err := e.helperCmd(LevelBasic, cfg)
		if err != nil {
			rm()
			return nil, nil, nil, err
		}
		cmd.ExtraFiles[0], cmd.ExtraFiles[1] = reqR, respW
		cmd.Stderr = stderr
		cmd.WaitDelay = time.Second
		return cmd, closeFiles, rm, nil
	}
	args := p.zygoteArgs(conf)
	cmd = &exec.Cmd{
		Path:        args[0],
		Args:        args,
		Env:         p.zygoteEnv(seed, scratch),
		Dir:         scratch,
		ExtraFiles:  []*os.File{reqR, respW},
		Stderr:      stderr,
		WaitDelay:   time.Second,
		SysProcAttr: &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL},
	}
	return cmd, func() {}, rm, nil
}

func (z *zygote) kill() {
	if z.cmd != nil && z.cmd.Process != nil {
		z.cmd.Process.Kill()
	}
}
