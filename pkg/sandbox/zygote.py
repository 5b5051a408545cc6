# qbank sandbox zygote (trusted code; embedded in the Go binary).
#
# Started once per (worker, hash seed) as `python -s -S -B -c <this> REQFD RESPFD CONFIG`.
# Protocol: frames of a 4-byte big-endian length followed by a UTF-8 JSON object,
# requests on REQFD, responses on RESPFD. First response is {"ready": ...}.
# Per request it forks a child (never PID 1) that sets rlimits, compiles and runs
# the snippet with `python -c` semantics, and reports on a private pipe. The
# parent enforces the wall limit and the output caps, then kills and reaps every
# leftover process and wipes the scratch directories.
import os, sys, json, base64, signal, time, select, errno, struct, io
import builtins, ast, atexit, traceback, types, gc, resource, shutil, stat
import importlib.util, importlib.machinery, _sitebuiltins, linecache

try:
    import ctypes
    _libc = ctypes.CDLL(None, use_errno=True)
except Exception:  # pragma: no cover
    ctypes = None
    _libc = None

LINUX = sys.platform.startswith('linux')
PR_SET_PDEATHSIG, PR_SET_NAME, PR_SET_DUMPABLE = 1, 15, 4
PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 38, 36
MAX_REQ = 64 << 20

REQFD = int(sys.argv[1])
RESPFD = int(sys.argv[2])
CONF = json.loads(sys.argv[3])
SCRATCH = CONF.get('scratch') or ['/tmp']
RUNROOT = SCRATCH[0]
LANDLOCK_SCOPE = int(CONF.get('landlock_scope') or 0)
MAX_RUNS = int(CONF.get('max_runs') or 500)
# Seccomp stage 2 (struct sock_filter bytes from the Go side), installed by
# the zygote before its ready frame and inherited by every child (installing
# it per child would cost a BPF compile and free per run).
FILTER = base64.b64decode(CONF.get('filter') or '')
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
IS_PID1 = os.getpid() == 1


def prctl(opt, arg):
    if _libc is None or not LINUX:
        return -1
    return _libc.prctl(opt, arg, 0, 0, 0)


def read_exact(fd, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def recv():
    head = read_exact(REQFD, 4)
    if head is None:
        return None
    (n,) = struct.unpack('>I', head)
    if n > MAX_REQ:
        raise ValueError('request too large')
    body = read_exact(REQFD, n)
    if body is None:
        return None
    return json.loads(body.decode('utf-8'))


def send_to(fd, obj):
    data = json.dumps(obj, separators=(',', ':')).encode('utf-8')
    data = struct.pack('>I', len(data)) + data
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def b64(b):
    return base64.b64encode(bytes(b)).decode('ascii')


# ---------------------------------------------------------------- child side

def code_objects(code, acc):
    acc.add(code)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            code_objects(c, acc)
    return acc


def safe_str(e):
    try:
        return str(e)
    except BaseException:
        return '<exception str() failed>'


def describe(e, where, src_codes, compile_time, tb=None):
    t = type(e)
    line = 0
    col = 0
    if compile_time:
        tb = None
        if where == 'source' and isinstance(e, SyntaxError):
            line = e.lineno or 0
            col = e.offset or 0
    else:
        t2 = tb
        while t2 is not None:
            if t2.tb_frame.f_code in src_codes:
                line = t2.tb_lineno
            t2 = t2.tb_next
    text = c_format(e, tb)
    if len(text) > 65536:
        text = text[:32768] + '\n[... traceback truncated ...]\n' + text[-32768:]
    return {
        'type': getattr(t, '__qualname__', t.__name__),
        'module': getattr(t, '__module__', 'builtins') or '',
        'message': safe_str(e)[:65536],
        'line': int(line or 0),
        'col': int(col or 0),
        'where': where,
        'compile_time': bool(compile_time),
        'traceback': text,
    }


def c_format(e, tb):
    # The interpreter's own printer (PyErr_Display) writes to sys.stderr; point
    # that at a buffer so the text is byte-identical to what `python -c` prints.
    buf = io.StringIO()
    old = sys.stderr
    try:
        e.__traceback__ = tb
    except BaseException:
        pass
    try:
        sys.stderr = buf
        sys.__excepthook__(type(e), e, tb)
    except BaseException:
        pass
    finally:
        sys.stderr = old
    text = buf.getvalue()
    if not text:
        try:
            text = ''.join(traceback.format_exception(type(e), e, tb))
        except BaseException:
            text = '%s: %s\n' % (type(e).__name__, safe_str(e))
    return text


def strip_tb(tb, ours):
    # Drop the zygote's own frames (the zygote is itself "<string>" under -c,
    # so match code objects, not file names).
    while tb is not None and tb.tb_frame.f_code not in ours:
        tb = tb.tb_next
    return tb


def print_exception(e, tb):
    try:
        e.__traceback__ = tb
    except BaseException:
        pass
    try:
        sys.excepthook(type(e), e, tb)
    except BaseException:
        try:
            sys.__excepthook__(type(e), e, tb)
        except BaseException:
            pass


def exit_code_of(e):
    # Like Py_HandleSystemExit.
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xff
    try:
        sys.stderr.write(str(code) + '\n')
    except BaseException:
        pass
    return 1


def importable(name):
    try:
        return importlib.util.find_spec(name) is not None
    except BaseException:
        return False


LL_READ_FILE, LL_READ_DIR = 1 << 2, 1 << 3
# basic: what the snippet may read (the helper's read-only and scratch paths
# without /proc, which the zygote itself still needs).
LANDLOCK_READ = [str(p) for p in CONF.get('landlock_read') or []]


def nested_ruleset():
    """Build, once in the zygote, the nested Landlock ruleset every child
    enters: scoped for signals and abstract sockets (so that a snippet cannot
    signal the zygote or anything outside its run, ABI >= 6) and, at basic,
    reading only LANDLOCK_READ (not the host's /proc). Returns its fd or -1.
    Raises when read restrictions were asked for and cannot be built."""
    if _libc is None or not (LANDLOCK_SCOPE or LANDLOCK_READ):
        if LANDLOCK_READ:
            raise OSError('ctypes unavailable')
        return -1
    fs = (LL_READ_FILE | LL_READ_DIR) if LANDLOCK_READ else 0
    attr = (ctypes.c_uint64 * 3)(fs, 0, 3 if LANDLOCK_SCOPE else 0)
    fd = _libc.syscall(444, ctypes.byref(attr), 24 if LANDLOCK_SCOPE else 8, 0)
    if fd < 0:
        if LANDLOCK_READ:
            raise OSError(ctypes.get_errno(), 'landlock_create_ruleset')
        return -1
    for p in LANDLOCK_READ:
        try:
            pfd = os.open(p, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue  # optional path absent on this host
        try:
            access = fs if stat.S_ISDIR(os.fstat(pfd).st_mode) else LL_READ_FILE
            rule = ctypes.create_string_buffer(struct.pack('=Qi', access, pfd), 12)
            if _libc.syscall(445, fd, 1, rule, 0) != 0:
                raise OSError(ctypes.get_errno(), 'landlock_add_rule %s' % p)
        finally:
            os.close(pfd)
    return fd


NESTED_RULESET = nested_ruleset()


def enter_nested_landlock():
    """In the child: enter the nested domain. False if that was required and failed."""
    if NESTED_RULESET < 0:
        return True
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    return _libc.syscall(446, NESTED_RULESET, 0) == 0 or not LANDLOCK_READ


def install_filter():
    """Install seccomp stage 2 on this process (the zygote: single-threaded,
    and it stays so). Raises on failure."""
    if not FILTER:
        return
    if _libc is None:
        raise OSError('ctypes unavailable')

    class SockFprog(ctypes.Structure):
        _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]

    buf = ctypes.create_string_buffer(FILTER, len(FILTER))
    fprog = SockFprog(len(FILTER) // 8, ctypes.addressof(buf))
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), 'seccomp stage 2')


def code_names(code):
    names = set(code.co_names) | set(code.co_varnames) | set(code.co_freevars)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= code_names(c)
    return names


class capture_source:
    """While the shown source runs, fd 1 is a private unnamed file in the
    run's scratch directory (memfd_create is refused to snippets) instead of
    the stdout pipe; afterwards its bytes are written on to the pipe (so the
    run's stdout is unchanged) and kept as the text `stdout` of an `of`
    expression: what the source printed, without the hidden before/after
    code's output. When no such file can be made, nothing is redirected and
    text() is None."""

    def __init__(self, rundir):
        self.rundir = rundir
        self.data = None
        self.saved = -1

    def __enter__(self):
        flush_stdout()
        fd = -1
        try:
            fd = os.open(self.rundir, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o600)
        except (AttributeError, OSError):
            try:
                import tempfile
                fd, path = tempfile.mkstemp(dir=self.rundir)
                os.unlink(path)
            except BaseException:
                fd = -1
        if fd < 0:
            return self
        try:
            self.saved = os.dup(1)
            os.dup2(fd, 1)
        except OSError:
            self.saved = -1
        finally:
            os.close(fd)
        return self

    def __exit__(self, *exc):
        if self.saved < 0:
            return False
        flush_stdout()
        chunks = []
        try:
            os.lseek(1, 0, os.SEEK_SET)
            while True:
                b = os.read(1, 1 << 16)
                if not b:
                    break
                chunks.append(b)
        except OSError:
            chunks = None
        self.data = b''.join(chunks) if chunks is not None else None
        os.dup2(self.saved, 1)
        os.close(self.saved)
        view = memoryview(self.data or b'')
        while view:
            try:
                n = os.write(1, view)
            except OSError:
                break
            view = view[n:]
        return False

    def text(self):
        return None if self.data is None else self.data.decode('utf-8', 'replace')


def flush_stdout():
    for f in {id(x): x for x in (sys.stdout, sys.__stdout__)}.values():
        try:
            if f is not None:
                f.flush()
        except BaseException:
            pass


def child(req, stdin_fd, out_w, err_w, rep_w, rundir):
    # The zygote ignores polite signals; give the snippet what `python -c` has.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    os.setsid()
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    prctl(PR_SET_NAME, b'qbank-snippet')
    os.dup2(stdin_fd, 0)
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    os.dup2(rep_w, 3)
    os.set_inheritable(3, False)
    if not enter_nested_landlock():
        send_to(3, {'phase': 'fatal', 'error': 'landlock_restrict_self: errno %d' % ctypes.get_errno()})
        os._exit(71)
    os.closerange(4, 1 << 16)
    os.chdir(rundir)
    lim = req['limits']
    cpu = max(1, int(lim['cpu']))

    def setlim(res, soft, hard=None):
        if hard is None:
            hard = soft
        try:
            resource.setrlimit(res, (soft, hard))
        except (ValueError, OSError):
            try:
                resource.setrlimit(res, (soft, resource.getrlimit(res)[1]))
            except (ValueError, OSError):
                pass

    setlim(resource.RLIMIT_CORE, 0)
    setlim(resource.RLIMIT_CPU, cpu, cpu + 1)
    setlim(resource.RLIMIT_FSIZE, int(lim['disk']))
    setlim(resource.RLIMIT_NOFILE, int(lim['files']))
    if hasattr(resource, 'RLIMIT_NPROC'):
        setlim(resource.RLIMIT_NPROC, int(lim['procs']))
    setlim(resource.RLIMIT_AS, int(lim['memory']))

    # Every frame carries a token made here, after the fork, and announced
    # in the first frame, which is written before any snippet code runs; the
    # zygote rejects frames without it (see check_report).
    def make_report(tok, send=send_to):
        def report(obj):
            obj['token'] = tok
            try:
                send(3, obj)
            except BaseException:
                pass
        return report
    report = make_report(os.urandom(16).hex())
    me = os.getpid()
    real_exit, real_getpid = os._exit, os.getpid

    def finish(rc):
        # Every normal end of the run says so (a process that exits without
        # this frame after 'compiled' ended outside the runner: tampered).
        if real_getpid() == me:
            report({'phase': 'exit', 'rc': rc})
        real_exit(rc)

    def _exit(status):
        if isinstance(status, int) and not isinstance(status, bool) and real_getpid() == me:
            report({'phase': 'exit', 'rc': status & 0xff})
        real_exit(status)
    _exit.__doc__ = real_exit.__doc__
    try:
        err_ino = os.fstat(2).st_ino
    except OSError:
        err_ino = None

    sys.argv = ['-c']
    if req.get('site'):
        try:
            import site
            site.main()
        except BaseException:
            pass
    if not hasattr(builtins, 'exit'):
        builtins.exit = _sitebuiltins.Quitter('exit', 'Ctrl-D (i.e. EOF)')
        builtins.quit = _sitebuiltins.Quitter('quit', 'Ctrl-D (i.e. EOF)')

    missing = [m for m in req.get('requires') or [] if not importable(m)]
    if missing:
        report({'phase': 'compiled', 'missing': missing})
        finish(0)

    exec_mode = req['mode'] == 'exec'
    stages = [('source', req['source'], '<string>')]
    if exec_mode:
        stages = [('before', req.get('before') or '', '<before>'), stages[0],
                  ('after', req.get('after') or '', '<after>')]
    codes = {}
    for where, src, fname in stages:
        try:
            codes[where] = compile(src, fname, 'exec', dont_inherit=True)
        except BaseException as e:  # SyntaxError, ValueError (NUL), MemoryError, RecursionError...
            info = describe(e, where, set(), True)
            report({'phase': 'compiled', 'exception': info})
            try:
                sys.stderr.write(info['traceback'])
                sys.stderr.flush()
            except BaseException:
                pass
            finish(1)
    report({'phase': 'compiled'})
    if not exec_mode:
        finish(0)
    # os._exit from snippet code reports the exit code first (see finish).
    import posix
    os._exit = posix._exit = _exit

    value_of = req.get('value_of') or ''
    src_code = codes['source']
    last_code = None
    if value_of == '_':
        try:
            tree = ast.parse(req['source'], '<string>', 'exec')
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = tree.body.pop()
                src_code = compile(tree, '<string>', 'exec', dont_inherit=True)
                last_code = compile(ast.Expression(last.value), '<string>', 'eval', dont_inherit=True)
        except BaseException:
            src_code, last_code = codes['source'], None
    # of = "expr" (anything but "_"): compiled here, evaluated in the
    # snippet's namespace after the run, unless an exception escaped. When
    # it reads the name stdout, the shown source's stdout is captured on its
    # own (see capture_source) so that stdout means what the source printed.
    of_code, of_error, wants_stdout, captured = None, None, False, None
    if value_of and value_of != '_':
        try:
            of_code = compile(value_of, '<of>', 'eval', dont_inherit=True)
            wants_stdout = 'stdout' in code_names(of_code)
        except BaseException as e:
            of_error = {'type': type(e).__name__, 'module': getattr(type(e), '__module__', 'builtins') or '',
                        'message': safe_str(e)[:4096]}
    src_codes = code_objects(src_code, set())
    if last_code is not None:
        code_objects(last_code, src_codes)
    else:
        code_objects(codes['source'], src_codes)
    ours = set(src_codes)
    for k in ('before', 'after'):
        code_objects(codes[k], ours)

    main = types.ModuleType('__main__')
    main.__loader__ = importlib.machinery.BuiltinImporter
    main.__annotations__ = {}
    main.__builtins__ = builtins
    sys.modules['__main__'] = main
    ns = main.__dict__

    # The snippet runs below a few zygote frames; shift the recursion limit so
    # that it hits RecursionError at the same depth as `python -c`, and hide
    # the shift from sys.getrecursionlimit/setrecursionlimit.
    depth = 1  # the exec() builtin call counts too
    f = sys._getframe()
    while f is not None:
        depth += 1
        f = f.f_back
    _get, _set = sys.getrecursionlimit, sys.setrecursionlimit

    def getrecursionlimit():
        return _get() - depth

    def setrecursionlimit(limit):
        if not isinstance(limit, int) or limit < 1:
            return _set(limit)
        return _set(limit + depth)

    getrecursionlimit.__doc__ = _get.__doc__
    setrecursionlimit.__doc__ = _set.__doc__
    _set(_get() + depth)
    sys.getrecursionlimit, sys.setrecursionlimit = getrecursionlimit, setrecursionlimit

    rc = 0
    exc_info = None
    value = None
    has_value = False
    where = 'before'
    try:
        if req.get('before'):
            exec(codes['before'], ns)
        where = 'source'
        if wants_stdout:
            with capture_source(rundir) as captured:
                exec(src_code, ns)
        else:
            exec(src_code, ns)
        if last_code is not None:
            value = eval(last_code, ns)
            has_value = True
        where = 'after'
        if req.get('after'):
            exec(codes['after'], ns)
    except SystemExit as e:
        rc = exit_code_of(e)
    except BaseException as e:
        tb = strip_tb(e.__traceback__, ours)
        exc_info = describe(e, where, src_codes, False, tb)
        try:
            tb_on_stderr = (sys.excepthook is sys.__excepthook__ and sys.stderr is sys.__stderr__
                            and err_ino is not None and os.fstat(2).st_ino == err_ino)
        except BaseException:
            tb_on_stderr = False
        exc_info['on_stderr'] = bool(tb_on_stderr)
        print_exception(e, tb)
        rc = 1
        del e
    if of_code is not None and exc_info is None:
        if value_of.isidentifier() and not (value_of == 'stdout' and wants_stdout):
            if value_of in ns:  # a plain name: its value, or none (QB512)
                value = ns[value_of]
                has_value = True
        else:
            try:
                if wants_stdout and 'stdout' not in ns:
                    text = captured.text() if captured is not None else ''
                    if text is None:
                        raise OSError('the sandbox could not capture what the source printed')
                    ns['stdout'] = text
                value = eval(of_code, ns)
                has_value = True
            except BaseException as e:
                of_error = {'type': getattr(type(e), '__qualname__', type(e).__name__),
                            'module': getattr(type(e), '__module__', 'builtins') or '',
                            'message': safe_str(e)[:4096]}
                del e
    vrepr = ''
    if has_value:
        try:
            vrepr = repr(value)
            if len(vrepr) > int(lim['output']):
                vrepr = vrepr[:int(lim['output'])]
        except BaseException:
            has_value = False
            vrepr = ''
    pending = False
    try:
        pending = atexit._ncallbacks() > 0 or (
            'threading' in sys.modules and sys.modules['threading'].active_count() > 1)
    except BaseException:
        pending = True
    if real_getpid() == me:  # not in a process the snippet forked
        report({'phase': 'done', 'exception': exc_info, 'value': vrepr, 'has_value': has_value,
                'of_error': of_error, 'rc': rc, 'pending': bool(pending)})
    # Finalization like Py_FinalizeEx: join non-daemon threads, atexit, flush.
    try:
        if 'threading' in sys.modules:
            sys.modules['threading']._shutdown()
    except BaseException:
        pass
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for f in (sys.stdout, sys.stderr):
        try:
            if f is not None:
                f.flush()
        except BaseException:
            if rc == 0:
                rc = 120
    finish(rc)


# ---------------------------------------------------------------- zygote side

def children():
    try:
        with open('/proc/self/task/%d/children' % os.getpid()) as f:
            return [int(x) for x in f.read().split()]
    except (OSError, ValueError):
        return []


def kill_all(pgid):
    """SIGKILL and reap every descendant. Returns when we have no child left."""
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    while True:
        if IS_PID1:
            try:
                os.kill(-1, signal.SIGKILL)  # everything in our pid namespace but us
            except OSError:
                pass
        else:
            for pid in children():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            pass


def wipe(root):
    ok = True
    try:
        names = os.listdir(root)
    except OSError:
        return False
    for name in names:
        p = os.path.join(root, name)
        try:
            st = os.lstat(p)
            if stat.S_ISDIR(st.st_mode):
                def fix(func, path, exc):
                    try:
                        os.chmod(os.path.dirname(path), 0o700)
                        os.chmod(path, 0o700)
                        func(path)
                    except OSError:
                        pass
                try:
                    os.chmod(p, 0o700)
                except OSError:
                    pass
                shutil.rmtree(p, onerror=fix)
            else:
                os.unlink(p)
        except OSError:
            pass
        if os.path.lexists(p):
            ok = False
    return ok


DEVNULL = os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)


def make_stdin(data):
    if not data:
        return DEVNULL, False
    raw = data.encode('utf-8', 'surrogateescape')
    fd = -1
    if hasattr(os, 'memfd_create'):
        try:
            fd = os.memfd_create('stdin', os.MFD_CLOEXEC)
        except OSError:
            fd = -1
    if fd < 0:
        import tempfile
        fd, path = tempfile.mkstemp(dir=RUNROOT)
        os.unlink(path)
    view = memoryview(raw)
    while view:
        n = os.write(fd, view)
        view = view[n:]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd, True


BUSY_RATE = 0.05    # CPU seconds per wall second that count as "still computing"
EXTEND_STEP = 0.25  # seconds between checks after the wall deadline
CPU_SLACK = 0.05    # rusage granularity
CLK_TCK = os.sysconf('SC_CLK_TCK') if hasattr(os, 'sysconf') else 100


def cpu_time(pid, state=False):
    """CPU seconds used so far by the (live) process pid, all threads (None if
    unknown); with state=True also whether its main thread is runnable (R)."""
    try:
        with open('/proc/%d/stat' % pid, 'rb') as f:
            data = f.read()
        fields = data[data.rindex(b')') + 2:].split()
        used = (int(fields[11]) + int(fields[12])) / CLK_TCK
        runnable = fields[0] == b'R'
    except (OSError, ValueError, IndexError):
        used, runnable = None, False
    return (used, runnable) if state else used


def parse_frames(buf):
    """Frames in buf, and whether every byte belonged to a well-formed frame."""
    frames = []
    i = 0
    while i + 4 <= len(buf):
        (n,) = struct.unpack('>I', bytes(buf[i:i + 4]))
        if i + 4 + n > len(buf):
            break
        try:
            obj = json.loads(bytes(buf[i + 4:i + 4 + n]).decode('utf-8'))
        except Exception:
            break
        if not isinstance(obj, dict):
            break
        frames.append(obj)
        i += 4 + n
    return frames, i == len(buf)


def check_report(frames, whole, status, stderr, stderr_trunc):
    """Validate the child's frames against each other and against what the
    zygote saw from outside. Returns (compiled, done, why): why is '' when
    consistent, else what was wrong (the result is then tampered)."""
    if not frames:
        return None, None, ('' if whole else 'report channel: garbage before the first frame')
    first = frames[0]
    tok = first.get('token')
    if first.get('phase') != 'compiled' or not isinstance(tok, str) or len(tok) != 32:
        return None, None, 'report channel: the first frame is not the runner\'s'
    compiled, done, exitf = first, None, None
    for fr in frames[1:]:
        if fr.get('token') != tok:
            return compiled, None, 'report channel: a frame without the run\'s token'
        ph = fr.get('phase')
        if ph == 'done' and done is None and exitf is None:
            done = fr
        elif ph == 'exit' and exitf is None:
            exitf = fr
        else:
            return compiled, None, 'report channel: unexpected or repeated %r frame' % (ph,)
    if not whole:
        return compiled, None, 'report channel: trailing bytes after the frames'
    if exitf is None and status is not None and os.WIFEXITED(status):
        return compiled, None, 'report channel: the run ended (exit %d) without its report' % os.WEXITSTATUS(status)
    if done is not None:
        exc = done.get('exception')
        rc = done.get('rc')
        if isinstance(exc, dict) and rc != 1:
            return compiled, None, 'report channel: an uncaught exception with exit code %r' % (rc,)
        if exc is not None and not isinstance(exc, dict):
            return compiled, None, 'report channel: malformed exception'
        exited = status is not None and os.WIFEXITED(status)
        if exitf is not None and exited and exitf.get('rc') != os.WEXITSTATUS(status):
            return compiled, None, 'report channel: reported exit code %r, process exited with %d' % (
                exitf.get('rc'), os.WEXITSTATUS(status))
        if (isinstance(exc, dict) and exc.get('on_stderr') and exitf is not None and exited
                and not done.get('pending') and not stderr_trunc):
            text = str(exc.get('traceback') or '').encode('utf-8', 'backslashreplace')
            if len(text) < 65536 and not bytes(stderr).endswith(text):
                return compiled, None, 'report channel: the reported exception was not printed on stderr'
    return compiled, done, ''


def run(req):
    lim = req['limits']
    cap = int(lim['output'])
    wall = float(lim['wall'])
    t0 = time.monotonic()
    rundir = os.path.join(RUNROOT, 'run-%d' % os.getpid())
    try:
        os.mkdir(rundir, 0o700)
    except FileExistsError:
        pass
    stdin_fd, close_stdin = make_stdin(req.get('stdin') or '')
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    rep_r, rep_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            child(req, stdin_fd, out_w, err_w, rep_w, rundir)
        except BaseException:
            pass
        os._exit(71)
    for fd in (out_w, err_w, rep_w):
        os.close(fd)
    if close_stdin:
        os.close(stdin_fd)
    pidfd = -1
    if hasattr(os, 'pidfd_open'):
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            pidfd = -1
    caps = {out_r: cap, err_r: cap, rep_r: 4 * cap + (8 << 20)}
    bufs = {out_r: bytearray(), err_r: bytearray(), rep_r: bytearray()}
    trunc = {out_r: False, err_r: False, rep_r: False}
    for fd in bufs:
        os.set_blocking(fd, False)
    poller = select.poll()
    for fd in bufs:
        poller.register(fd, select.POLLIN)
    if pidfd >= 0:
        poller.register(pidfd, select.POLLIN)
    poller.register(REQFD, select.POLLIN)
    open_fds = set(bufs)
    killed = ''
    status = None
    rusage = None
    cancel = False
    deadline = t0 + wall

    def consume(fd):
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                return True
            except OSError:
                data = b''
            if not data:
                return False
            room = caps[fd] - len(bufs[fd])
            if len(data) > room:
                bufs[fd] += data[:max(room, 0)]
                trunc[fd] = True
                return True
            bufs[fd] += data

    def try_wait(block):
        nonlocal status, rusage
        try:
            wpid, st, ru = os.wait4(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return True
        if wpid == 0:
            return False
        status, rusage = st, ru
        return True

    cpu_limit = max(1, int(lim['cpu']))
    # A snippet that is still computing at the wall deadline was slowed by the
    # machine's load, not waiting: let it run on (checking every EXTEND_STEP
    # that it keeps using CPU) until its CPU limit stops it, up to a hard
    # bound, so that the same loop gets the same verdict on a busy machine.
    hard_deadline = t0 + wall + 4 * (cpu_limit + 1)
    last_cpu = None
    while True:
        now = time.monotonic()
        if now >= deadline:
            used, runnable = cpu_time(pid, state=True)
            ref = last_cpu if last_cpu is not None else (0.0, t0)
            rate = 0.0 if used is None else (used - ref[0]) / max(now - ref[1], 1e-3)
            if (runnable or rate >= BUSY_RATE) and now < hard_deadline:
                last_cpu = (used, now)
                deadline = min(now + EXTEND_STEP, hard_deadline)
                continue
            killed = 'wall'
            break
        timeout = deadline - now
        if pidfd < 0:
            timeout = min(timeout, 0.01)
        try:
            events = poller.poll(max(1, int(timeout * 1000)))
        except InterruptedError:
            continue
        exited = False
        for fd, ev in events:
            if fd == pidfd:
                exited = True
            elif fd == REQFD:
                cancel = True
            elif fd in open_fds:
                if not consume(fd):
                    poller.unregister(fd)
                    open_fds.discard(fd)
        if cancel:
            killed = 'wall'
            break
        if trunc[out_r] or trunc[err_r]:
            killed = 'output'
            break
        if exited or pidfd < 0:
            if try_wait(False):
                break
    if status is None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try_wait(True)
    duration = time.monotonic() - t0
    kill_all(pid)
    for fd in list(open_fds):
        consume(fd)
    for fd in bufs:
        os.close(fd)
    if pidfd >= 0:
        os.close(pidfd)
    clean = True
    for root in SCRATCH:
        if not wipe(root):
            clean = False
    if children():
        clean = False

    frames, whole = parse_frames(bufs[rep_r])
    if frames and frames[0].get('phase') == 'fatal':  # written before any snippet code ran
        return {'error': 'snippet setup failed: %s' % frames[0].get('error'), 'recycle': True}
    compiled, done, forged = check_report(frames, whole, status, bufs[err_r], trunc[err_r])
    resp = {
        'stdout': b64(bufs[out_r]), 'stderr': b64(bufs[err_r]),
        'stdout_trunc': trunc[out_r], 'stderr_trunc': trunc[err_r],
        'exception': None, 'exit': 0, 'killed': killed, 'value': '', 'has_value': False, 'of_error': None,
        'missing': [], 'duration': duration, 'recycle': not clean, 'cancelled': cancel,
        'tampered': forged,
    }
    exc = None
    if compiled is not None:
        resp['missing'] = [str(m) for m in (compiled.get('missing') or [])][:1000]
        if compiled.get('exception'):
            exc = compiled['exception']
            exc['compile_time'] = True
    if exc is None and done is not None and isinstance(done.get('exception'), dict):
        exc = done['exception']
        exc['compile_time'] = False
    if done is not None:
        resp['value'] = str(done.get('value') or '')
        resp['has_value'] = bool(done.get('has_value'))
        oe = done.get('of_error')
        if isinstance(oe, dict):
            resp['of_error'] = {k: str(oe.get(k) or '')[:4096] for k in ('type', 'module', 'message')}
    resp['exception'] = exc
    cpu_used = (rusage.ru_utime + rusage.ru_stime) if rusage is not None else (cpu_time(pid) or 0.0)
    if status is not None:
        if os.WIFSIGNALED(status):
            resp['exit'] = -os.WTERMSIG(status)
        elif os.WIFEXITED(status):
            resp['exit'] = os.WEXITSTATUS(status)
    # Classify by what the snippet used, in a fixed order, never by which
    # timer happened to fire first: output cap > memory > CPU > wall.
    memory_error = isinstance(exc, dict) and exc.get('type') == 'MemoryError' and exc.get('module') == 'builtins'
    stopped = bool(killed) or (status is not None and os.WIFSIGNALED(status))
    if trunc[out_r] or trunc[err_r]:
        killed = 'output'  # more than the cap was written, whenever it was noticed
    elif memory_error and not killed:
        killed = 'memory'
    elif stopped and cpu_used >= cpu_limit - CPU_SLACK:
        killed = 'cpu'
    elif killed:
        pass  # 'wall' (or cancelled)
    elif stopped:
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            killed = 'cpu'
        else:
            try:
                killed = 'signal: ' + signal.Signals(sig).name
            except ValueError:
                killed = 'signal: %d' % sig
    resp['killed'] = killed
    return resp


IOPRIO_GET = {'x86_64': 252, 'aarch64': 31}.get(os.uname().machine)


RLIMITS = [(n, getattr(resource, n)) for n in sorted(dir(resource)) if n.startswith('RLIMIT_')]


def own_state():
    """What a snippet could try to change on its zygote from outside (the
    zygote compares it after every run; see the stage-2 seccomp filter)."""
    st = {}
    for name, r in RLIMITS:
        try:
            st[name] = resource.getrlimit(r)
        except (ValueError, OSError):
            pass
    try:
        st['nice'] = os.getpriority(os.PRIO_PROCESS, 0)
        st['affinity'] = os.sched_getaffinity(0)
        st['scheduler'] = os.sched_getscheduler(0)
        st['sched_priority'] = os.sched_getparam(0).sched_priority
    except (AttributeError, OSError):
        pass
    if _libc is not None and IOPRIO_GET is not None:
        st['ioprio'] = _libc.syscall(IOPRIO_GET, 1, 0)
    for name, fd in PROC_SELF_FDS:
        try:
            st[name] = os.pread(fd, 256, 0)
        except OSError:
            pass
    return st


def _open_proc_self():
    fds = []
    for name in ('oom_score_adj', 'timerslack_ns', 'comm'):
        try:
            fds.append((name, os.open('/proc/self/' + name, os.O_RDONLY | os.O_CLOEXEC)))
        except OSError:
            pass
    return fds


PROC_SELF_FDS = _open_proc_self()


def state_diff(before, after):
    out = []
    for k in sorted(set(before) | set(after)):
        if before.get(k) != after.get(k):
            out.append('%s %s -> %s' % (k, before.get(k), after.get(k)))
    return ', '.join(out)


def main():
    os.set_inheritable(REQFD, False)
    os.set_inheritable(RESPFD, False)
    if sys.path and sys.path[0] in ('', '.'):
        del sys.path[0]
    if LINUX:
        prctl(PR_SET_DUMPABLE, 0)
        if not IS_PID1:
            prctl(PR_SET_CHILD_SUBREAPER, 1)
    # Ignore polite signals in the zygote itself; the run loop uses SIGKILL.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    gc.collect()
    if hasattr(gc, 'freeze'):
        gc.freeze()
    install_filter()  # failure: no ready frame, the Go side reports stderr
    base = own_state()
    info = {'ready': True, 'pid': os.getpid(), 'pid1': IS_PID1,
            'version': '%d.%d.%d' % sys.version_info[:3], 'uid': os.getuid()}
    send_to(RESPFD, info)
    runs = 0
    while True:
        try:
            req = recv()
        except Exception as e:
            send_to(RESPFD, {'error': 'bad request: %s' % e})
            return
        if req is None:
            kill_all(0)
            return
        try:
            resp = run(req)
        except Exception as e:
            kill_all(0)
            resp = {'error': 'zygote: %s: %s' % (type(e).__name__, e), 'recycle': True}
        runs += 1
        if runs >= MAX_RUNS:
            resp['recycle'] = True
        changed = state_diff(base, own_state())
        if changed:
            why = 'the zygote was changed: ' + changed
            resp['tampered'] = (resp['tampered'] + '; ' + why) if resp.get('tampered') else why
        if resp.get('tampered'):
            resp['recycle'] = True
        send_to(RESPFD, resp)
        if resp.get('cancelled'):
            return


main()
