//go:build linux

package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	helperArg0   = "qbank-sandbox-helper"
	helperEnvVar = "QBANK_SANDBOX_HELPER"
	helperCfgFD  = 5
	// sandboxUID is the uid inside the user namespace that snippets run as when
	// qbank runs as host root; it is mapped to host uid/gid 65534 (nobody), so
	// RLIMIT_NPROC applies (it is ignored for kuid 0).
	sandboxUID = 1000
)

// helperConfig is what the Go helper needs to build the sandbox before it
// execs the Python zygote. It arrives on fd 5.
type helperConfig struct {
	Level       Level
	Python      string
	Args        []string
	Env         []string
	Binds       []string // full: host paths bound read-only at the same path in the new root
	ROPaths     []string // Landlock read-only (dirs or files)
	RWPaths     []string // Landlock read-write dirs
	DevFiles    []string // Landlock read-write device files
	ExecPaths   []string // Landlock execute
	Disk        int64
	DropToUID   int // >0: setresuid/setresgid to this (namespace) id before exec
	BlockUnix   bool
	SymlinkDirs []string // full: top-level host symlinks to replicate (/bin, /lib, ...)
}

// IsHelper reports whether this process was started by the sandbox as its
// helper. Programs using the sandbox must call Init (or IsHelper/HelperMain)
// first thing in main.
func IsHelper() bool {
	return len(os.Args) > 0 && os.Args[0] == helperArg0 && os.Getenv(helperEnvVar) == "1"
}

// HelperMain builds the sandbox described on fd 5 and execs the Python
// zygote. It never returns.
func HelperMain() {
	runtime.LockOSThread()
	err := helperRun()
	fmt.Fprintf(os.Stderr, "qbank sandbox helper: %v\n", err)
	os.Exit(111)
}

func helperRun() error {
	f := os.NewFile(helperCfgFD, "config")
	data, err := io.ReadAll(io.LimitReader(f, 16<<20))
	f.Close()
	if err != nil {
		return fmt.Errorf("reading config: %w", err)
	}
	var cfg helperConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return fmt.Errorf("decoding config: %w", err)
	}
	if cfg.Level == LevelFull {
		if err := setupMounts(&cfg); err != nil {
			return fmt.Errorf("mounts: %w", err)
		}
		_ = unix.Sethostname([]byte("qbank-sandbox"))
	}
	if err := dropPrivileges(&cfg); err != nil {
		return fmt.Errorf("dropping privileges: %w", err)
	}
	// Credential changes clear the parent-death signal; set it again.
	_ = unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGKILL), 0, 0, 0)
	if err := applyLandlock(&cfg); err != nil {
		return fmt.Errorf("landlock: %w", err)
	}
	if err := applySeccomp(cfg.BlockUnix); err != nil {
		return fmt.Errorf("seccomp: %w", err)
	}
	return syscall.Exec(cfg.Python, cfg.Args, cfg.Env)
}

// setupMounts builds a fresh root: a small read-only tmpfs holding read-only
// bind mounts of the system and interpreter trees, a fresh tmpfs /tmp and
// /dev/shm, a fresh /proc for our pid namespace, then pivot_root into it. The
// rest of the host (home directories, the repository, /run sockets) is gone.
func setupMounts(cfg *helperConfig) error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("make / private: %w", err)
	}
	type source struct {
		path string
		fd   int
		dir  bool
	}
	var srcs []source
	paths := append([]string(nil), cfg.Binds...)
	sort.Strings(paths)
	var kept []string
	for _, p := range paths {
		covered := false
		for _, k := range kept {
			if p == k || strings.HasPrefix(p, k+"/") {
				covered = true
			}
		}
		if covered {
			continue
		}
		fd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			continue // optional path missing on this host
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			unix.Close(fd)
			continue
		}
		kept = append(kept, p)
		srcs = append(srcs, source{p, fd, st.Mode&unix.S_IFMT == unix.S_IFDIR})
	}
	const root = "/tmp"
	if err := unix.Mount("tmpfs", root, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755,size=4m,nr_inodes=4096"); err != nil {
		return fmt.Errorf("root tmpfs: %w", err)
	}
	for _, l := range cfg.SymlinkDirs {
		target, err := os.Readlink(l)
		if err != nil {
			continue
		}
		if err := os.Symlink(target, root+l); err != nil {
			return err
		}
	}
	for _, d := range []string{"/tmp", "/proc", "/dev", "/dev/shm", "/etc"} {
		if err := os.MkdirAll(root+d, 0o755); err != nil {
			return err
		}
	}
	for _, l := range [][2]string{{"/proc/self/fd", "/dev/fd"}, {"/proc/self/fd/0", "/dev/stdin"},
		{"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"}} {
		if err := os.Symlink(l[0], root+l[1]); err != nil {
			return err
		}
	}
	for _, s := range srcs {
		t := root + s.path
		if err := os.MkdirAll(filepath.Dir(t), 0o755); err != nil {
			return err
		}
		if s.dir {
			if err := os.Mkdir(t, 0o755); err != nil && !os.IsExist(err) {
				return err
			}
		} else {
			fh, err := os.OpenFile(t, os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			fh.Close()
		}
		if err := unix.Mount(fmt.Sprintf("/proc/self/fd/%d", s.fd), t, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("bind %s: %w", s.path, err)
		}
		unix.Close(s.fd)
	}
	if err := unix.MountSetattr(-1, root, unix.AT_RECURSIVE, &unix.MountAttr{
		Attr_set: unix.MOUNT_ATTR_RDONLY | unix.MOUNT_ATTR_NOSUID}); err != nil {
		return fmt.Errorf("read-only: %w", err)
	}
	if err := unix.Mount("tmpfs", root+"/tmp", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV,
		fmt.Sprintf("mode=1777,size=%d,nr_inodes=2048", cfg.Disk)); err != nil {
		return fmt.Errorf("tmpfs /tmp: %w", err)
	}
	if err := unix.Mount("tmpfs", root+"/dev/shm", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC,
		"mode=1777,size=1m,nr_inodes=64"); err != nil {
		return fmt.Errorf("tmpfs /dev/shm: %w", err)
	}
	if err := unix.Mount("proc", root+"/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("proc: %w", err)
	}
	// Host facts that a fresh procfs still shows: hide them behind /dev/null.
	for _, f := range maskedProcFiles {
		t := root + "/proc/" + f
		if _, err := os.Lstat(t); err != nil {
			continue // not on this kernel
		}
		if err := unix.Mount(root+"/dev/null", t, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("masking /proc/%s: %w", f, err)
		}
	}
	if err := unix.Chdir(root); err != nil {
		return err
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detach old root: %w", err)
	}
	return unix.Chdir("/")
}

// maskedProcFiles are read as empty at level full: they describe the host
// (its kernel command line and boot, loaded modules and symbols, every
// timer and key on the machine), not the sandbox.
var maskedProcFiles = []string{
	"cmdline", "sys/kernel/random/boot_id", "kallsyms", "modules", "keys", "key-users",
	"timer_list", "sched_debug", "latency_stats", "kcore", "config.gz", "sysrq-trigger",
	"partitions", "diskstats", "swaps", "iomem", "ioports", "vmallocinfo",
	"buddyinfo", "pagetypeinfo", "slabinfo", "zoneinfo", "interrupts", "softirqs",
	"bootconfig", "cmdline_override",
}

const (
	secbitNoroot            = 1 << 0
	secbitNorootLocked      = 1 << 1
	secbitNoSetuidFixup     = 1 << 2
	secbitNoSetuidFixupLock = 1 << 3
	secbitKeepCapsLocked    = 1 << 5
	secbitNoCapAmbientRaise = 1 << 6
	secbitNoCapAmbientLock  = 1 << 7
)

// dropPrivileges: no capabilities can survive the exec of Python, and none can
// be regained (securebits locked, bounding set empty, no_new_privs later).
// At level basic the process keeps its uid (as root: uid 0 without any
// capability); the securebits and bounding-set steps need CAP_SETPCAP and
// are skipped where it is absent (an unprivileged user has nothing to drop).
func dropPrivileges(cfg *helperConfig) error {
	privileged := cfg.Level == LevelFull || os.Geteuid() == 0
	if privileged {
		if err := unix.Prctl(unix.PR_SET_SECUREBITS, secbitNoroot|secbitNorootLocked|secbitNoSetuidFixup|
			secbitNoSetuidFixupLock|secbitKeepCapsLocked|secbitNoCapAmbientRaise|secbitNoCapAmbientLock, 0, 0, 0); err != nil {
			return fmt.Errorf("securebits: %w", err)
		}
		for c := 0; c <= unix.CAP_LAST_CAP; c++ {
			_ = unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
		}
	}
	_ = unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
	if cfg.DropToUID > 0 {
		id := cfg.DropToUID
		if err := syscall.Setgroups(nil); err != nil {
			return fmt.Errorf("setgroups: %w", err)
		}
		if err := syscall.Setresgid(id, id, id); err != nil {
			return fmt.Errorf("setresgid: %w", err)
		}
		if err := syscall.Setresuid(id, id, id); err != nil {
			return fmt.Errorf("setresuid: %w", err)
		}
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset: %w", err)
	}
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capget: %w", err)
	}
	if data[0].Effective|data[0].Permitted|data[1].Effective|data[1].Permitted != 0 {
		return fmt.Errorf("capabilities remain after capset")
	}
	return nil
}

// landlockABI returns the kernel's Landlock ABI version (0 if unavailable).
func landlockABI() int {
	v, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	if e != 0 {
		return 0
	}
	return int(v)
}

const (
	llExec     = unix.LANDLOCK_ACCESS_FS_EXECUTE
	llWrite    = unix.LANDLOCK_ACCESS_FS_WRITE_FILE
	llRead     = unix.LANDLOCK_ACCESS_FS_READ_FILE
	llReadDir  = unix.LANDLOCK_ACCESS_FS_READ_DIR
	llTruncate = unix.LANDLOCK_ACCESS_FS_TRUNCATE
	llIoctlDev = unix.LANDLOCK_ACCESS_FS_IOCTL_DEV
	llFileOnly = llExec | llWrite | llRead | llTruncate | llIoctlDev
	roAccess   = llRead | llReadDir
	rwAccess   = llRead | llReadDir | llWrite | llTruncate | unix.LANDLOCK_ACCESS_FS_REMOVE_DIR |
		unix.LANDLOCK_ACCESS_FS_REMOVE_FILE | unix.LANDLOCK_ACCESS_FS_MAKE_DIR | unix.LANDLOCK_ACCESS_FS_MAKE_REG |
		unix.LANDLOCK_ACCESS_FS_MAKE_SYM | unix.LANDLOCK_ACCESS_FS_MAKE_FIFO | unix.LANDLOCK_ACCESS_FS_MAKE_SOCK |
		unix.LANDLOCK_ACCESS_FS_REFER
	devAccess  = llRead | llWrite | llTruncate
	execAccess = llExec | llRead
)

// applyLandlock restricts the calling (locked) thread, which then execs the
// zygote: the domain is inherited across execve. It talks to the kernel
// directly (golang.org/x/sys/unix) rather than through go-landlock, whose
// all-threads code pulls in libcap/psx; one thread is all the helper needs.
// Handled rights follow the kernel's ABI: everything not granted below is
// denied, including every TCP bind/connect (ABI >= 4) and, with scopes
// (ABI >= 6), abstract unix sockets and signals leaving the domain.
func applyLandlock(cfg *helperConfig) error {
	abi := landlockABI()
	if abi < 1 {
		if cfg.Level == LevelBasic {
			return fmt.Errorf("landlock unavailable")
		}
		return nil // full: the namespaces already give the file view
	}
	var attr unix.LandlockRulesetAttr
	attr.Handled_access_fs = 0x1fff // ABI 1: EXECUTE .. MAKE_SYM
	size := uintptr(8)
	if abi >= 2 {
		attr.Handled_access_fs |= unix.LANDLOCK_ACCESS_FS_REFER
	}
	if abi >= 3 {
		attr.Handled_access_fs |= llTruncate
	}
	if abi >= 4 {
		attr.Handled_access_net = unix.LANDLOCK_ACCESS_NET_BIND_TCP | unix.LANDLOCK_ACCESS_NET_CONNECT_TCP
		size = 16
	}
	if abi >= 5 {
		attr.Handled_access_fs |= llIoctlDev
	}
	if abi >= 6 {
		attr.Scoped = unix.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | unix.LANDLOCK_SCOPE_SIGNAL
		size = 24
	}
	if abi >= 9 {
		attr.Handled_access_fs |= unix.LANDLOCK_ACCESS_FS_RESOLVE_UNIX
	}
	fd, _, e := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), size, 0)
	if e != 0 {
		return fmt.Errorf("create ruleset: %w", e)
	}
	defer unix.Close(int(fd))
	add := func(p string, access uint64) error {
		pfd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil // optional path absent on this host
		}
		defer unix.Close(pfd)
		var st unix.Stat_t
		if err := unix.Fstat(pfd, &st); err != nil {
			return nil
		}
		if st.Mode&unix.S_IFMT != unix.S_IFDIR {
			access &= llFileOnly
		}
		access &= attr.Handled_access_fs
		rule := unix.LandlockPathBeneathAttr{Allowed_access: access, Parent_fd: int32(pfd)}
		_, _, e := unix.Syscall6(unix.SYS_LANDLOCK_ADD_RULE, fd, unix.LANDLOCK_RULE_PATH_BENEATH,
			uintptr(unsafe.Pointer(&rule)), 0, 0, 0)
		if e != 0 {
			return fmt.Errorf("rule for %s: %w", p, e)
		}
		return nil
	}
	for _, group := range []struct {
		paths  []string
		access uint64
	}{{cfg.ROPaths, roAccess}, {cfg.RWPaths, rwAccess}, {cfg.DevFiles, devAccess}, {cfg.ExecPaths, execAccess}} {
		for _, p := range group.paths {
			if err := add(p, group.access); err != nil {
				return err
			}
		}
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	if _, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0); e != 0 {
		return fmt.Errorf("restrict self: %w", e)
	}
	return nil
}
