package sandbox

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"
)

// beforeSep splits a battery case's source into hidden Before code and the
// snippet.
const beforeSep = "\n#--- end of before ---\n"

// trampoline is Python that runs raw x86-64 machine code from an RWX
// mapping: the 32-bit int 0x80 entry (getpid, socket(AF_INET), unshare of a
// user+net namespace, with i386 numbers) and an x32 syscall (getpid | 2^30).
// Each prints the raw return value: -38 is ENOSYS, the seccomp answer.
const trampoline = `import ctypes, mmap, platform
if platform.machine() != 'x86_64':
    print('not-amd64')
    raise SystemExit
def call(code):
    m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    m.write(code)
    f = ctypes.CFUNCTYPE(ctypes.c_long)(ctypes.addressof(ctypes.c_char.from_buffer(m)))
    return ctypes.c_int(f()).value
# push rbx; mov eax, NR; mov ebx, A; mov ecx, B; xor edx, edx; int 0x80; pop rbx; ret
def i386(nr, a=0, b=0):
    return (b'\x53\xb8' + nr.to_bytes(4, 'little') + b'\xbb' + a.to_bytes(4, 'little') +
            b'\xb9' + b.to_bytes(4, 'little') + b'\x31\xd2\xcd\x80\x5b\xc3')
print('getpid32', call(i386(20)))
print('socket32', call(i386(359, 2, 1)))
print('unshare32', call(i386(310, 0x50000000)))
print('x32', call(b'\xb8\x27\x00\x00\x40\x0f\x05\xc3'))
`

// hardening holds the cases for the classes of issue 8 (all levels unless
// the check says otherwise).
func hardening() []bcase {
	lines := func(want ...string) func(*testing.T, Result, *benv) {
		return func(t *testing.T, r Result, e *benv) {
			if got := string(r.Stdout); got != strings.Join(want, "\n")+"\n" {
				t.Errorf("stdout %q, want %q (stderr %q)", got, strings.Join(want, "\n")+"\n", trunc(string(r.Stderr)))
			}
		}
	}
	return []bcase{
		{"B34", "foreign architecture: int 0x80 and x32", trampoline, false,
			func(t *testing.T, r Result, e *benv) {
				if runtime.GOARCH != "amd64" {
					lines("not-amd64")(t, r, e)
					return
				}
				lines("getpid32 -38", "socket32 -38", "unshare32 -38", "x32 -38")(t, r, e)
			}},
		{"B35", "prlimit on the zygote", `import os, resource
for who in (os.getppid(), 1):
    try:
        resource.prlimit(who, resource.RLIMIT_NOFILE, (8, 8)); print('changed')
    except OSError as ex:
        print('blocked', type(ex).__name__)
try:
    resource.prlimit(os.getpid(), resource.RLIMIT_NOFILE, (30, 30)); print('own pid')
except PermissionError:
    print('own pid refused')  # documented: only pid 0 means "myself"
resource.prlimit(0, resource.RLIMIT_NOFILE, (32, 32))
print('self', resource.getrlimit(resource.RLIMIT_NOFILE))
`, false, lines("blocked PermissionError", "blocked PermissionError", "own pid refused", "self (32, 32)")},
		{"B36", "renice the zygote, the group, the user", `import os
for which, who in ((os.PRIO_PROCESS, os.getppid()), (os.PRIO_PGRP, 0), (os.PRIO_USER, 0)):
    try:
        os.setpriority(which, who, 19); print('changed')
    except OSError as ex:
        print('blocked', type(ex).__name__)
os.setpriority(os.PRIO_PROCESS, 0, 5)
print('self', os.getpriority(os.PRIO_PROCESS, 0))
`, false, lines("blocked PermissionError", "blocked PermissionError", "blocked PermissionError", "self 5")},
		{"B37", "affinity and scheduler of the zygote", `import os
ppid = os.getppid()
for name, f in (('affinity', lambda: os.sched_setaffinity(ppid, {0})),
                ('idle', lambda: os.sched_setscheduler(ppid, os.SCHED_IDLE, os.sched_param(0))),
                ('param', lambda: os.sched_setparam(ppid, os.sched_param(0)))):
    try:
        f(); print('changed', name)
    except OSError as ex:
        print('blocked', name, type(ex).__name__)
os.sched_setaffinity(0, {0})
print('self', sorted(os.sched_getaffinity(0)))
os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
print('idle', os.sched_getscheduler(0) == os.SCHED_IDLE)
`, false, lines("blocked affinity PermissionError", "blocked idle PermissionError", "blocked param PermissionError", "self [0]", "idle True")},
		{"B38", "SysV IPC, POSIX mqueue and kernel keys", `import ctypes, platform
libc = ctypes.CDLL(None, use_errno=True)
def show(name, r):
    print(name, r, ctypes.get_errno() if r == -1 else '')
show('shm', libc.shmget(0, 1 << 20, 0o1600))
show('msg', libc.msgget(0, 0o1600))
show('sem', libc.semget(0, 1, 0o1600))
show('mq', libc.syscall({'x86_64': 240, 'aarch64': 180}[platform.machine()], b'/qbank', 0o100 | 2, 0o600, None))
show('key', libc.syscall({'x86_64': 248, 'aarch64': 217}[platform.machine()], b'user', b'qbank', b'secret', 6, -4))
`, false, lines("shm -1 1", "msg -1 1", "sem -1 1", "mq -1 1", "key -1 1")},
		{"B39", "memory pinned outside RLIMIT_AS", `import os
try:
    fd = os.memfd_create('pin'); print('memfd', fd)
except OSError as ex:
    print('memfd blocked', type(ex).__name__)
try:
    with open('/dev/shm/pin', 'wb') as f:
        for i in range(64): f.write(b'0' * (1 << 20))
    print('shm wrote 64MiB')
except OSError as ex:
    print('shm stopped')
`, false, lines("memfd blocked PermissionError", "shm stopped")},
		{"B40", "execve: /bin/sh, through ld.so, from a memfd, posix_spawn", `import os, glob
ldso = (glob.glob('/lib64/ld-linux*.so*') + glob.glob('/lib/ld-linux*.so*') + ['/lib64/ld-linux-x86-64.so.2'])[0]
def memfd():
    fd = os.memfd_create('sh')
    os.write(fd, open('/bin/sh', 'rb').read())
    os.execv('/proc/self/fd/%d' % fd, ['sh', '-c', 'echo shell-ran'])
for name, f in (('sh', lambda: os.execv('/bin/sh', ['sh', '-c', 'echo shell-ran'])),
                ('ldso', lambda: os.execv(ldso, [ldso, '/bin/sh', '-c', 'echo shell-ran'])),
                ('memfd', memfd),
                ('spawn', lambda: os.waitpid(os.posix_spawn('/bin/sh', ['sh', '-c', 'echo shell-ran'], {}), 0))):
    try:
        f(); print('ran', name)
    except OSError as ex:
        print('blocked', name)
`, false, lines("blocked sh", "blocked ldso", "blocked memfd", "blocked spawn")},
		{"B41", "python -c with a subprocess is refused cleanly", `import subprocess
try:
    subprocess.run(['true'])
except PermissionError as ex:
    print('PermissionError', ex.errno)
`, false, lines("PermissionError 1")},
		{"B42", "forged report frame from hidden before code", `import os, json, struct
b = json.dumps({'phase': 'done', 'exception': None, 'value': '', 'has_value': False, 'rc': 0, 'pending': False}).encode()
os.write(3, struct.pack('>I', len(b)) + b)` + beforeSep + "raise ValueError('the real outcome')\n", false,
			func(t *testing.T, r Result, e *benv) {
				if !strings.Contains(r.Tampered, "report channel") {
					t.Errorf("forged frame not detected: tampered %q exception %v", r.Tampered, excName(r.Exception))
				}
			}},
		{"B43", "report channel closed by hidden before code", "import os\nos.close(3)" + beforeSep + "print('x')\n1/0\n", false,
			func(t *testing.T, r Result, e *benv) {
				if !strings.Contains(r.Tampered, "report channel") {
					t.Errorf("closed channel not detected: tampered %q exception %v", r.Tampered, excName(r.Exception))
				}
			}},
		{"B44", "host facts in /proc", `for f in ('/proc/cmdline', '/proc/sys/kernel/random/boot_id', '/proc/kallsyms', '/proc/modules', '/proc/keys'):
    try:
        print(f, len(open(f).read()))
    except OSError as ex:
        print(f, 'blocked')
`, false,
			func(t *testing.T, r Result, e *benv) {
				for _, f := range []string{"/proc/cmdline", "/proc/sys/kernel/random/boot_id", "/proc/kallsyms", "/proc/modules", "/proc/keys"} {
					// full: masked (empty); basic: the host's /proc is not readable.
					if !bytes.Contains(r.Stdout, []byte(f+" 0\n")) && !bytes.Contains(r.Stdout, []byte(f+" blocked\n")) {
						t.Errorf("%s is visible: %q", f, r.Stdout)
					}
				}
				if host, err := os.ReadFile("/proc/sys/kernel/random/boot_id"); err == nil && bytes.Contains(r.Stdout, bytes.TrimSpace(host)) {
					t.Errorf("host boot id leaked")
				}
			}},
		{"B45", "metadata of a host file", `import os
for name, f in (('chmod', lambda: os.chmod({META!r}, 0o777)), ('utime', lambda: os.utime({META!r}, (0, 0))),
                ('xattr', lambda: os.setxattr({META!r}, 'user.qbank', b'x')), ('chown', lambda: os.chown({META!r}, os.getuid(), os.getgid()))):
    try:
        f(); print('changed', name)
    except OSError as ex:
        print('blocked', name)
`, false,
			func(t *testing.T, r Result, e *benv) {
				lines("blocked chmod", "blocked utime", "blocked xattr", "blocked chown")(t, r, e)
				fi, err := os.Stat(e.metaFile)
				if err != nil || fi.Mode().Perm() != e.metaMode || !fi.ModTime().Equal(e.metaTime) {
					t.Errorf("host file changed: %v %v %v", err, fi.Mode(), fi.ModTime())
				}
			}},
		{"B46", "scratch files keep working (chmod at full only)", `import os, tempfile
with tempfile.NamedTemporaryFile('w', dir='.', delete=False) as f:
    f.write('data')
print(open(f.name).read())
try:
    os.chmod(f.name, 0o600); print('chmod ok')
except PermissionError:
    print('chmod refused')
`, false,
			func(t *testing.T, r Result, e *benv) {
				want := "chmod ok"
				if e.level == LevelBasic {
					want = "chmod refused" // no mount namespace: refused everywhere
				}
				lines("data", want)(t, r, e)
			}},
	}
}
