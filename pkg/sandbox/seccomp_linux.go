//go:build linux

package sandbox

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"unsafe"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/elastic/go-seccomp-bpf/arch"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Seccomp in two stages.
//
// Stage 1 (helper, before exec'ing the zygote): the deny-list of calls
// nothing in the sandbox ever needs. Stage 2 (installed by the zygote itself
// once it has started, before its ready frame, so every snippet inherits it
// through fork at no per-run cost): calls a snippet must not make (execve,
// process control on other pids, SysV IPC, POSIX mqueues, memfds) and, at
// level basic, file metadata changes. The Go helper cannot install stage 2:
// exec'ing the interpreter needs execve.
//
// Both programs start with an architecture check: a call whose
// seccomp_data.arch is not the native one (the 32-bit int 0x80 path on
// amd64, AArch32 compat on arm64) fails with ENOSYS, and so does an x32 call
// (nr >= 0x40000000) on amd64. go-seccomp-bpf alone would jump a foreign
// architecture straight to its default action, ALLOW.

const (
	secRetErrno  = 0x00050000 // SECCOMP_RET_ERRNO
	secDataArch  = 4          // offsetof(struct seccomp_data, arch)
	x32SyscallBt = 0x40000000
)

func errnoAction(e unix.Errno) seccomp.Action { return seccomp.ActionErrno | seccomp.Action(e) }

// assembleNative assembles policy and prepends the architecture check.
func assembleNative(policy seccomp.Policy) ([]bpf.RawInstruction, error) {
	info, err := arch.GetInfo("")
	if err != nil {
		return nil, err
	}
	insts, err := policy.Assemble()
	if err != nil {
		return nil, err
	}
	prefix := []bpf.Instruction{
		bpf.LoadAbsolute{Off: secDataArch, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(info.ID), SkipTrue: 1},
		bpf.RetConstant{Val: secRetErrno | uint32(unix.ENOSYS)},
	}
	if runtime.GOARCH == "amd64" {
		// go-seccomp-bpf answers x32 calls with ENOSYS too; checked here as
		// well so that the guarantee does not depend on its version.
		prefix = append(prefix,
			bpf.LoadAbsolute{Off: 0, Size: 4},
			bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: x32SyscallBt, SkipFalse: 1},
			bpf.RetConstant{Val: secRetErrno | uint32(unix.ENOSYS)},
		)
	}
	return bpf.Assemble(append(prefix, insts...))
}

// known keeps the names this architecture has (go-seccomp-bpf rejects
// unknown ones; e.g. arm64 has no chmod, only fchmodat).
func known(names ...string) []string {
	info, err := arch.GetInfo("")
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range names {
		if _, ok := info.SyscallNames[n]; ok {
			out = append(out, n)
		}
	}
	return out
}

func knownCond(in []seccomp.NameWithConditions) []seccomp.NameWithConditions {
	info, err := arch.GetInfo("")
	if err != nil {
		return nil
	}
	var out []seccomp.NameWithConditions
	for _, c := range in {
		if _, ok := info.SyscallNames[c.Name]; ok {
			out = append(out, c)
		}
	}
	return out
}

// stage1Policy is the deny-list shared by the zygote and the snippets.
func stage1Policy(blockUnix bool) seccomp.Policy {
	deny := known(
		"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
		"keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd",
		"io_uring_setup", "io_uring_enter", "io_uring_register",
		"mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsmount", "fspick",
		"fsconfig", "mount_setattr", "open_tree_attr", "unshare", "setns", "chroot",
		"kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
		"swapon", "swapoff", "acct", "iopl", "ioperm", "syslog", "quotactl", "quotactl_fd",
		"name_to_handle_at", "open_by_handle_at", "vhangup", "settimeofday", "clock_settime",
		"adjtimex", "clock_adjtime", "lookup_dcookie", "process_madvise", "process_mrelease",
		"sethostname", "setdomainname", "fanotify_init",
	)
	var cond []seccomp.NameWithConditions
	domains := []uint64{unix.AF_INET, unix.AF_INET6, unix.AF_NETLINK, unix.AF_PACKET, unix.AF_VSOCK,
		unix.AF_BLUETOOTH, unix.AF_CAN, unix.AF_TIPC, unix.AF_XDP, unix.AF_ALG}
	if blockUnix {
		domains = append(domains, unix.AF_UNIX)
	}
	for _, d := range domains {
		cond = append(cond, seccomp.NameWithConditions{Name: "socket",
			Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.Equal, Value: d}}})
	}
	for _, req := range []uint64{unix.TIOCSTI, unix.TIOCLINUX} {
		cond = append(cond, seccomp.NameWithConditions{Name: "ioctl",
			Conditions: []seccomp.Condition{{Argument: 1, Operation: seccomp.Equal, Value: req}}})
	}
	cond = append(cond, seccomp.NameWithConditions{Name: "clone",
		Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.BitsSet, Value: unix.CLONE_NEWUSER}}})
	return seccomp.Policy{
		DefaultAction: seccomp.ActionAllow,
		Syscalls: []seccomp.SyscallGroup{
			{Action: errnoAction(unix.EPERM), Names: deny, NamesWithCondtions: cond},
			// ENOSYS, not EPERM: glibc then falls back to clone(2).
			{Action: errnoAction(unix.ENOSYS), Names: known("clone3")},
		},
	}
}

// notSelf matches a pid argument other than 0 (the caller). The filter is
// installed once in the zygote and inherited by every snippet, so the
// caller's own pid number cannot be encoded: process control by explicit
// pid is refused even for oneself (use 0, as glibc and Python do).
func notSelf(arg uint32) []seccomp.Condition {
	return []seccomp.Condition{{Argument: arg, Operation: seccomp.NotEqual, Value: 0}}
}

// stage2Policy is installed by the zygote before it serves any job.
func stage2Policy(level Level) seccomp.Policy {
	deny := known(
		// No new programs: not /bin/sh, not through ld.so, not from a memfd.
		"execve", "execveat",
		// State that would outlive the snippet or pin memory outside RLIMIT_AS.
		"shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl",
		"semget", "semop", "semtimedop", "semctl",
		"mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
		"memfd_create", "memfd_secret",
	)
	var cond []seccomp.NameWithConditions
	// Process control only on the caller itself.
	for _, name := range []string{"prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam",
		"sched_setattr", "migrate_pages", "move_pages"} {
		cond = append(cond, seccomp.NameWithConditions{Name: name, Conditions: notSelf(0)})
	}
	for _, name := range []string{"setpriority", "ioprio_set"} {
		// which must be PRIO_PROCESS (0) / IOPRIO_WHO_PROCESS (1); who must be self.
		which := uint64(0)
		if name == "ioprio_set" {
			which = 1
		}
		cond = append(cond,
			seccomp.NameWithConditions{Name: name, Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.NotEqual, Value: which}}},
			seccomp.NameWithConditions{Name: name, Conditions: notSelf(1)})
	}
	if level == LevelBasic {
		// Landlock does not cover metadata: host files' modes, owners, times
		// and extended attributes. There is no mount namespace at basic, so
		// these are refused everywhere (also in the scratch dir).
		deny = append(deny, known(
			"chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
			"utime", "utimes", "futimesat", "utimensat",
			"setxattr", "lsetxattr", "fsetxattr", "setxattrat", "removexattr", "lremovexattr",
			"fremovexattr", "removexattrat",
		)...)
	}
	return seccomp.Policy{
		DefaultAction: seccomp.ActionAllow,
		Syscalls: []seccomp.SyscallGroup{
			{Action: errnoAction(unix.EPERM), Names: deny, NamesWithCondtions: knownCond(cond)},
		},
	}
}

// stage2Program is the stage-2 filter as struct sock_filter bytes (native
// byte order), ready for prctl(PR_SET_SECCOMP) in the zygote.
func stage2Program(level Level) ([]byte, error) {
	raw, err := assembleNative(stage2Policy(level))
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, 8*len(raw))
	for _, r := range raw {
		var b [8]byte
		binary.NativeEndian.PutUint16(b[0:], r.Op)
		b[2], b[3] = r.Jt, r.Jf
		binary.NativeEndian.PutUint32(b[4:], r.K)
		out = append(out, b[:]...)
	}
	return out, nil
}

// applySeccomp installs stage 1 on every thread of the helper (which then
// execs the zygote; the filter is inherited).
func applySeccomp(blockUnix bool) error {
	raw, err := assembleNative(stage1Policy(blockUnix))
	if err != nil {
		return fmt.Errorf("assembling: %w", err)
	}
	filter := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		filter[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("no_new_privs: %w", err)
	}
	if _, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&prog))); e != 0 {
		return fmt.Errorf("seccomp(SET_MODE_FILTER): %w", e)
	}
	runtime.KeepAlive(filter)
	return nil
}
