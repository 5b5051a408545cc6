// Package sandbox runs untrusted Python quiz snippets ("what does this print /
// raise?") in an isolated, resource-limited fork server, fast enough to prove
// thousands of answer keys per run.
//
// # Use
//
// Programs that open a Pool at level full or basic re-execute their own binary
// as a small helper that builds the sandbox. main must therefore start with
//
//	func main() {
//		sandbox.Init() // if this process is the sandbox helper, never returns
//		...
//	}
//
// (Init is IsHelper()+HelperMain(). The helper is recognised by argv[0]
// "qbank-sandbox-helper" together with QBANK_SANDBOX_HELPER=1 in its otherwise
// empty environment; its configuration arrives on fd 5.) Tests of packages
// that open pools need the same call in TestMain.
//
//	p, err := sandbox.Open(sandbox.Options{Require: sandbox.LevelFull})
//	defer p.Close()
//	res, err := p.Run(ctx, sandbox.Job{Mode: sandbox.Exec, Source: "print(1/0)"})
//	// err: only infrastructure failures. res.Exception.Type == "ZeroDivisionError"
//
// Render snippet output with package safetext before showing it anywhere.
//
// # Architecture
//
// A Pool has Workers slots. Each slot lazily starts one zygote per hash seed:
// a long-lived Python process (zygote.py, embedded) that forks a fresh child
// per job. The child calls setsid, sets PR_SET_PDEATHSIG, names itself
// "qbank-snippet", points stdin at /dev/null (or a memfd holding Job.Stdin)
// and stdout/stderr/report at pipes, closes every other fd, chdirs to a
// scratch dir, enters a nested Landlock domain scoped for signals and abstract
// sockets (so a snippet cannot signal its zygote even with kill(-1)), sets the
// rlimits (CORE 0, CPU soft/hard, FSIZE = Disk, NOFILE, NPROC, then AS last)
// and only then compiles and runs the code. Rlimits are set in Python, in the
// last process before the snippet: the Go runtime cannot live under
// RLIMIT_AS, and Go restores NOFILE in children.
//
// The zygote (the parent) polls the output pipes with per-stream caps, a
// pidfd and the wall deadline; on overflow or timeout it SIGKILLs the process
// group. After every job it kills and reaps every remaining descendant — as
// PID 1 of its pid namespace with kill(-1), otherwise as a child subreaper by
// walking /proc/self/task/*/children until none is left — then wipes the
// scratch directories. If wiping fails, or after 500 jobs, it asks to be
// recycled. The Go side talks to zygotes with length-prefixed JSON frames
// (4-byte big-endian length; frame size bounded; FuzzReadFrame).
//
// # Levels and layers
//
// Open probes the kernel by running the helper in "probe" mode (it builds the
// complete sandbox and exits), so the level reported is one that really works.
// Mode "auto" picks the strongest of full and basic and never none; Require
// (or QBANK_REQUIRE_SANDBOX in the environment, for CI) makes Open fail
// instead of degrading.
//
// full — the helper is started in new user, mount, pid, net, ipc, uts and
// cgroup namespaces and, before exec'ing the zygote:
//   - builds a new root: a read-only tmpfs holding read-only bind mounts of
//     /usr, /lib*, /bin, /sbin (symlinks replicated), five /etc files, the
//     interpreter's prefix and site directories, and /dev/{null,zero,full,
//     random,urandom}; a fresh tmpfs /tmp (size Disk, 2048 inodes), a 1 MiB
//     /dev/shm and a fresh /proc; then pivot_root. Home directories, the
//     repository, /run sockets and the host's /tmp simply do not exist inside.
//     Sources are opened O_PATH first and bound via /proc/self/fd, so paths
//     under a 0700 /root (pyenv) work.
//   - as host root, the namespace maps 0→0 only while building, and 1000→65534
//     (nobody) for the zygote and snippets: RLIMIT_NPROC is ignored for kuid 0,
//     and a fork bomb must be bounded. As an unprivileged user the map is 0→uid
//     (NPROC is counted per user namespace since Linux 5.14).
//   - drops every capability (securebits NOROOT/NO_SETUID_FIXUP/KEEP_CAPS
//     locked, bounding set emptied, ambient cleared, capset 0).
//   - Landlock (best effort up to the kernel's ABI): read-only access to the
//     trees above, read-write to /tmp and /dev/shm, execute only for the
//     interpreter and its ELF loader (no shell, no dropped binaries), no TCP
//     bind/connect (ABI ≥ 4), abstract-socket and signal scopes (ABI ≥ 6).
//     Without Landlock the level is still full: the namespaces already provide
//     the file view; Landlock is defence in depth there.
//   - seccomp deny-list (EPERM): ptrace, process_vm_*, kcmp, pidfd_getfd,
//     keyrings, bpf, perf_event_open, userfaultfd, io_uring, the mount family,
//     unshare, setns, chroot, module/kexec/reboot/swap/clock-setting calls,
//     socket() for INET/INET6/NETLINK/PACKET/VSOCK/…, ioctl TIOCSTI/TIOCLINUX,
//     clone(CLONE_NEWUSER); clone3 gets ENOSYS so glibc falls back to clone(2)
//     (EPERM would break threading).
//   - re-arms PR_SET_PDEATHSIG after the credential change and execs the
//     zygote with the allow-listed environment only (PATH, LANG=C.UTF-8,
//     HOME=TMPDIR=/tmp, PYTHONHASHSEED, MALLOC_ARENA_MAX=2, and the pool
//     marker QBANK_SANDBOX=<random>).
//
// The zygote is PID 1 of its pid namespace. That is deliberate and safe: it is
// trusted code that needs no default signal actions, and snippets are always
// its children, never PID 1 themselves (so SIGXCPU, SIGTERM and abort behave
// normally for them). When qbank dies — even by SIGKILL — the helper/zygote
// gets SIGKILL (Pdeathsig; processes are started from one goroutine locked to
// its OS thread for the whole program, because Pdeathsig follows the forking
// thread) or sees EOF on its request pipe, and the death of PID 1 kills the
// whole namespace (TestQbankKilled).
//
// basic — no user namespaces (Docker's default seccomp profile, Ubuntu's
// AppArmor userns restriction): the same helper applies Landlock (required:
// read-only system and interpreter trees and /proc, read-write only a
// per-zygote scratch directory under os.TempDir, execute only the
// interpreter), seccomp (as above plus socket(AF_UNIX), because Landlock below
// ABI 9 does not cover connect() to socket files), and the zygote is a child
// subreaper. Weaker than full: the host file system is visible read-only
// where allowed (/usr, /etc files, the interpreter tree); there is no fresh
// tmpfs, so Disk is only enforced per file (RLIMIT_FSIZE) and inodes not at
// all; NPROC counts all processes of the user (and is ignored for root);
// the snippet shares the host network namespace (Landlock and seccomp block
// TCP, though) and IPC namespace; and if qbank is SIGKILLed, a daemonised
// grandchild can survive (the zygote and its direct children do die).
//
// none — explicit opt-in only (trusted content, or macOS): the zygote runs as
// a plain subprocess with the allow-listed environment, rlimits, subreaper,
// output caps and kill-after-run. No file, network or process isolation. On
// non-Linux systems Open fails unless Mode is "none".
//
// # Differences from the research note (§6) and why
//
//   - One helper+zygote per (worker, hash seed) instead of one per worker:
//     PYTHONHASHSEED is read once at interpreter start, so detecting
//     hash-order nondeterminism needs a zygote per seed.
//   - The interpreter runs with -s -S -B, not -I: -I implies -E, which
//     would ignore PYTHONHASHSEED. -E buys nothing since the environment is
//     ours; sys.path[0] ("" under -c) is removed, as -P/-I would do.
//   - Output goes through pipes the zygote reads with caps, not memfds capped
//     by RLIMIT_FSIZE: that gives an exact cap, the "output" kill class and
//     leaves FSIZE free to bound scratch files.
//   - Snippets get a nested, scope-only Landlock domain, so kill(-1) and
//     signals cannot reach the zygote at level basic either.
//   - Landlock is driven with raw syscalls (golang.org/x/sys/unix) on the
//     helper's locked thread, which then execs: the domain is inherited. The
//     go-landlock package was not used because its all-threads code imports
//     kernel.org/.../libcap/psx, which is not in go.sum.
//   - Job.Limits can override the pool's limits per job (Disk only downwards).
//
// # Python parity
//
// The child mimics `python -c`: a fresh __main__ module, sys.argv == ['-c'],
// exit()/quit() present (site is off, so they are added), SystemExit handled
// like the interpreter (None → 0, int → code & 0xff, other → str on stderr and
// 1), uncaught exceptions printed through sys.excepthook with the zygote's
// frames dropped, then non-daemon threads joined, atexit run, stdio flushed
// (failure → 120). Compile errors are decided by compile() in the child before
// anything runs and are reported as CompileTime; a snippet cannot forge them
// (it could only print fake text on stderr, which is never parsed). ValueOf "_"
// splits the last top-level expression statement off the AST and evaluates
// it separately, keeping line numbers. The recursion limit is raised by the
// number of zygote frames below the snippet (and sys.get/setrecursionlimit
// hide the shift), so RecursionError happens at the same depth as under
// `python -c`. Tracebacks and compile errors are formatted by the
// interpreter's own printer, so stderr is byte-identical to `python -I -S -c`
// (TestParityWithPythonC). Remaining differences: modules the zygote
// preloaded are in sys.modules, sys.get/setrecursionlimit are Python
// functions, exit/quit exist although site is off, and sys.flags shows
// -s -S -B instead of -I -S.
package sandbox
