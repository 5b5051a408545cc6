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
// Job, Result, Exception, Limits and the modes are plain data defined in
// package snippetio and named here by aliases, so code that only builds
// jobs or reads results (packages snippet and snippetrun, the lint engine, the rules) does
// not import the sandbox. Their field names are a format: the snippet
// cache stores results as JSON with them.
//
// # Architecture
//
// A Pool has Workers slots. Each slot lazily starts one zygote per hash seed:
// a long-lived Python process (zygote.py, embedded) that forks a fresh child
// per job. The child calls setsid, sets PR_SET_PDEATHSIG, names itself
// "qbank-snippet", points stdin at /dev/null (or a memfd holding Job.Stdin)
// and stdout/stderr/report at pipes, closes every other fd, chdirs to a
// scratch dir, enters a nested Landlock domain (its ruleset built once by
// the zygote) scoped for signals and abstract sockets (so a snippet cannot
// signal its zygote even with kill(-1)) and, at basic, reading only the
// system, interpreter and scratch trees (not the host's /proc), sets the
// rlimits (CORE 0, CPU soft/hard, FSIZE = Disk, NOFILE, NPROC, then AS last)
// and only then compiles and runs the code (under seccomp stage 2, which the
// zygote installed on itself before serving jobs).
// The zygote is non-dumpable (PR_SET_DUMPABLE 0), so /proc/<zygote>/mem and
// friends are closed to snippets. Rlimits are set in Python, in the
// last process before the snippet: the Go runtime cannot live under
// RLIMIT_AS, and Go restores NOFILE in children.
//
// The zygote (the parent) polls the output pipes with per-stream caps, a
// pidfd and the wall deadline; on overflow or timeout it SIGKILLs the process
// group. After every job it kills and reaps every remaining descendant — as
// PID 1 of its pid namespace with kill(-1), otherwise as a child subreaper by
// walking /proc/self/task/*/children until none is left — then wipes the
// scratch directories. If wiping fails, after 500 jobs, or when the run was
// tampered with (below), it asks to be recycled. The Go side talks to zygotes with length-prefixed JSON frames
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
//   - seccomp stage 1 (see "Seccomp" below).
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
// AppArmor userns restriction): the same helper drops every capability (as
// root: uid 0 with empty effective, permitted, bounding and ambient sets,
// securebits locked), applies Landlock (required: read-only system and
// interpreter trees and /proc, read-write only a per-zygote scratch
// directory under os.TempDir, execute only the interpreter), seccomp stage 1
// plus socket(AF_UNIX) (Landlock below ABI 9 does not cover connect() to
// socket files), and the zygote is a child subreaper. Stage 2 at basic also
// refuses every file metadata change (chmod, chown, utime, xattr families,
// fd variants included): Landlock does not cover metadata and, without a
// mount namespace, host files and the scratch dir cannot be told apart.
// Weaker than full: the host file system is visible read-only where allowed
// (/usr, /etc files, the interpreter tree; the zygote also reads /proc, but
// the snippet's nested domain does not allow it); there is no fresh
// tmpfs, so Disk is only enforced per file (RLIMIT_FSIZE) and inodes not at
// all; NPROC counts all processes of the user (and is ignored for root);
// the snippet shares the host network namespace (seccomp refuses INET, UNIX
// and the other families; Landlock TCP) and IPC namespace (SysV refused);
// and if qbank is SIGKILLed, a daemonised grandchild can survive (the zygote
// and its direct children do die). As root, Open refuses basic unless Mode
// is "basic" explicitly (auto fails with ErrNoIsolation and says why).
// Under CI=true or GITHUB_ACTIONS=true, Mode "auto" without Require (and
// without QBANK_REQUIRE_SANDBOX) requires full, and that failure does not
// wrap ErrNoIsolation, so callers do not fall back to not running.
//
// none — explicit opt-in only (trusted content, or macOS): the zygote runs as
// a plain subprocess with the allow-listed environment, rlimits, subreaper,
// output caps and kill-after-run. No file, network or process isolation. On
// non-Linux systems Open fails unless Mode is "none".
//
// # Seccomp
//
// Both stages are assembled with go-seccomp-bpf and prefixed with an
// architecture check of our own: a call whose seccomp_data.arch is not the
// native one (i386 int 0x80 on amd64, AArch32 on arm64) and, on amd64, any
// x32 call (nr >= 0x40000000) fails with ENOSYS. (go-seccomp-bpf alone jumps
// a foreign arch to the default action, ALLOW.)
//
// Stage 1 (helper, TSYNC, before exec'ing the zygote; zygote and snippets
// share it), EPERM: ptrace, process_vm_*, kcmp, pidfd_getfd, keyrings, bpf,
// perf_event_open, userfaultfd, io_uring, the mount family, unshare, setns,
// chroot, module/kexec/reboot/swap/clock/hostname calls, process_madvise,
// fanotify_init, socket() for INET/INET6/NETLINK/PACKET/VSOCK/… (and UNIX at
// basic), ioctl TIOCSTI/TIOCLINUX, clone(CLONE_NEWUSER); clone3 gets ENOSYS
// so glibc falls back to clone(2) (EPERM would break threading).
//
// Stage 2 (compiled in Go, passed to the zygote as sock_filter bytes and
// installed by the zygote with prctl(PR_SET_SECCOMP) before its ready frame,
// so every snippet inherits it through fork at no per-run cost; the helper
// cannot install it because exec'ing the interpreter needs execve), EPERM:
// execve/execveat; SysV shm/msg/sem, POSIX mqueues, memfd_create/memfd_secret
// (no state outlives a snippet, no memory pinned outside RLIMIT_AS: /tmp and
// /dev/shm are bounded tmpfs at full, and scratch files are bounded by
// RLIMIT_FSIZE at basic); prlimit64, sched_setaffinity/setscheduler/
// setparam/setattr, migrate_pages, move_pages unless the pid is 0 (the
// caller; a filter shared by zygote and snippets cannot encode each
// snippet's own pid, so an explicit own pid is refused too); setpriority and
// ioprio_set unless PRIO_PROCESS / IOPRIO_WHO_PROCESS of 0 (PRIO_PGRP and
// PRIO_USER refused). At basic the zygote's wipe then cannot chmod a
// directory a snippet made unreadable; it recycles itself instead. A fresh
// IPC namespace per snippet would need CAP_SYS_ADMIN, which is dropped, so
// SysV is denied instead. Every refusal is EPERM, so Python raises
// PermissionError; subprocess, os.system and os.exec* therefore fail inside
// a snippet — questions that need a subprocess are not supported.
//
// # Tampered results
//
// After every run the zygote compares its own rlimits, nice value, CPU
// affinity, scheduler policy and priority, I/O priority, oom_score_adj,
// timerslack and comm with what it had at start. The child's report frames
// (on a pipe at fd 3) each carry a token the child draws after the fork and
// announces in its first frame, written before any snippet code runs; the
// zygote accepts, in order, one "compiled", at most one "done" and one
// "exit" frame with that token and nothing else, requires an "exit" frame
// from a child that exited normally (os._exit is wrapped to send it; a
// process the snippet forks never reports), checks that the exit code in it
// matches the real exit status, that an uncaught exception comes with exit
// code 1 and, when the default excepthook printed it to the original
// stderr, that stderr ends with its traceback. Any mismatch or any change to
// the zygote sets the response's "tampered" reason and recycles the zygote;
// Pool.Run then reruns the job once on a fresh zygote and, if that is
// tampered too, returns it with Result.Tampered set (callers must not cache
// it and should report it). A snippet that itself closes, replaces or
// writes to fd 3 is therefore reported as tampered, never judged.
//
// Residual risk: the token and the reporting code live in the snippet's own
// process, so snippet code (shown or hidden) that walks frames, gc objects
// or raw memory (ctypes) can read the token and write a consistent forged
// frame for its own question. The checks bound what it can claim (the exit
// status and stderr must agree), and it cannot reach other questions' runs:
// those run in fresh children of a zygote that is verified after every run.
// All such code is written by the question's author, who could equally make
// the hidden code change the snippet's behaviour; review hidden code.
//
// # Limit verdicts
//
// Result.Killed depends on what the snippet used, in a fixed order: more
// output than the cap → "output"; an uncaught builtins.MemoryError →
// "memory"; stopped with CPU time (rusage) ≥ the CPU limit → "cpu"; stopped
// otherwise at the wall deadline → "wall"; else "signal: NAME". At the wall
// deadline a snippet whose main thread is runnable, or that used ≥ 5 % of a
// CPU since the last check, is still computing and runs on (checked every
// 0.25 s) until its CPU limit stops it, at most 4 × (CPU + 1) s past the
// wall limit: the same infinite loop is "cpu" on an idle and on a loaded
// machine, and a sleeper is "wall" on both.
//
// # Host facts
//
// At full the fresh /proc has /dev/null bound over cmdline, the boot id,
// kallsyms, modules, keys, key-users, timer_list, sched_debug and similar
// host-wide files (maskedProcFiles). The interpreter is bound at its host
// path, so sys.executable and sys.prefix show it (e.g. under /root/.pyenv);
// mapping it elsewhere would break interpreters that find their libraries
// by RPATH. /proc/self/mountinfo likewise names the bound host paths.
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
// it separately, keeping line numbers. Any other ValueOf is a Python
// expression compiled before the run and evaluated in the snippet's
// namespace after it (never after an uncaught exception), in the same
// child under the same limits; what it raises, or a syntax error in it, is
// Result.OfError, never the snippet's exception. When it reads the name
// stdout, fd 1 is an unnamed file in the scratch directory while Source
// runs (stdout is flushed before and after), whose bytes are then copied
// to the stdout pipe: the run's stdout is unchanged, and stdout in the
// expression is exactly what Source printed (unless the snippet defines
// stdout). Only such jobs differ from `python -c` in when buffered output
// reaches the pipe, and a Source stopped by a limit loses what it printed.
// The recursion limit is raised by the
// number of zygote frames below the snippet (and sys.get/setrecursionlimit
// hide the shift), so RecursionError happens at the same depth as under
// `python -c`. Tracebacks and compile errors are formatted by the
// interpreter's own printer, so stderr is byte-identical to `python -I -S -c`
// (TestParityWithPythonC). Remaining differences: modules the zygote
// preloaded are in sys.modules, sys.get/setrecursionlimit are Python
// functions, exit/quit exist although site is off, sys.flags shows
// -s -S -B instead of -I -S, and os._exit is a Python wrapper (it reports
// the exit code to the zygote first).
package sandbox
