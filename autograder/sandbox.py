"""The grading sandbox: student code runs in a bubblewrap jail with resource limits.

Two layers live here.

**Kernel side** (:mod:`autograder.hide`, standard library only, re-exported here): :func:`hide` removes
``solutions`` from the import system. nbgrader starts each grading kernel with
``--IPKernelApp.exec_lines`` running it before any student code (see ``nbgrader_config.py``). Inside the
sandbox the reference is not even on disk; ``hide`` stays as defence in depth for unsandboxed runs.

**Grader side**: :class:`SandboxedKernelManager`, a ``jupyter_client`` ``AsyncKernelManager`` that starts the
kernel as ``bwrap ... -- python -c <set rlimits; exec> python -m ipykernel_launcher -f <conn>``:

* a fresh user, pid, network, IPC and UTS namespace (``--unshare-user --unshare-pid --unshare-net ...``):
  no network at all (the kernel talks to the grader over ZMQ ``ipc`` sockets in a private directory that
  is bound into the jail), every process the notebook starts dies with the kernel (``--die-with-parent``;
  when the jail's pid 1 exits the kernel kills the whole namespace), and ``RLIMIT_NPROC`` counts only the
  jail's processes because it is set inside the new user namespace;
* a root file system built from scratch: read-only ``/usr`` (and the ``/lib*``, ``/bin`` links), the
  Python installation and the venv read-only, the ``autograder`` package's ``.py`` files read-only at
  their own paths (``autograder.probe`` imports; ``autograder/source``, ``examples`` and any course state
  next to them are not there), a read-only ``/dev`` with a size-capped ``/dev/shm``, a size-capped
  ``/tmp``, and the notebook's working directory :data:`JAIL_CWD`, a size-capped tmpfs that receives a
  *copy* of the notebook's folder (:meth:`SandboxedKernelManager.start_notebook`), writable and thrown
  away afterwards. Nothing else: not the course directory (gradebook, ``source/``, ``release/``, other
  submissions, ``feedback/``), not ``solutions/`` (so ``import solutions`` fails although the package is
  installed editable), not ``/root``, ``/home``, ``/work``;
* limits: address space (``memory_limit``, default 2 GiB; an idle kernel with numpy already takes about
  300 MiB of it), CPU seconds, file size and process count (threads included) as rlimits set inside the
  jail; wall time per notebook enforced by the grader (it kills the jail). Root is exempt from
  ``RLIMIT_NPROC`` in any namespace, so a grader running as root puts the kernel in a user namespace of
  its own that maps the jail's uid to the unprivileged host uid ``jail_host_uid``;
* a scrubbed environment: only a small allowlist (``PATH``, ``HOME=/tmp``, ``LANG``, thread counts, ...),
  never the grader's variables (tokens, database URLs).

**Kernels started ahead** (``prestart``, on by default): a kernel takes about 0.7 s to start, most of
it importing ipykernel, while grading a whole notebook takes about 1.4 s. So when a notebook starts, the
preprocessor of :func:`sandboxed` also launches the jail for the *next* notebook of the same
configuration, which boots while this one runs and is taken over instead of a cold start. A jail started
ahead has run no student code; it gets the next notebook's folder copied into its empty working
directory only when it is taken, so nothing of one submission can reach another. One spare per process
at most; :func:`discard_spare` ends it (the CLI does after a batch; it also ends with the process).

When bwrap is missing or cannot create namespaces, the kernel manager refuses to start a kernel
(:class:`SandboxUnavailable`), unless ``allow_unsandboxed`` is set (config
``c.SandboxedKernelManager.allow_unsandboxed = True`` or environment ``AUTOGRADER_ALLOW_UNSANDBOXED=1``);
then it warns loudly and runs the kernel with rlimits and a scrubbed environment only.

:func:`sandboxed` turns an nbgrader ``Execute`` preprocessor class (nbgrader's own, or the course's
``ResilientExecute``) into one that uses this kernel manager, caps the output a cell may produce, survives
a dying kernel, and turns every failure into a one-line reason (:class:`Outcome`) such as
``"memory limit 2 GiB exceeded in cell 3"``, ``"kernel died (exit code 1) in cell 2"`` or ``"timeout:
cell 4 ran over 30 s"``. Each reason is logged as ``sandbox: <reason>``, so the CLI finds them in the
log nbgrader returns (:func:`reasons_from_log`).
"""

from __future__ import annotations

from autograder.hide import HIDDEN, _Hide, hide  # noqa: F401 - the kernel side, re-exported

# ---------------------------------------------------------------------------------------------------------
# Grader side. The grading kernel imports only :mod:`autograder.hide` (standard library); nbgrader is
# imported only by :func:`sandboxed`.

import functools  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from traitlets import Bool, Dict, Enum, Integer, List, Unicode, default  # noqa: E402

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
ENV_ALLOW_UNSANDBOXED = "AUTOGRADER_ALLOW_UNSANDBOXED"
DIED = "KernelDied"  # the ename autograder.execute.ResilientExecute uses; the CLI looks for it
LOG_PREFIX = "sandbox: "

# Set inside the jail, after bwrap made the new user namespace, then exec the kernel. RLIMIT_NPROC must
# not be set on bwrap itself: the kernel would then compare the grader user's process count in the parent
# namespace against it.
_JAIL_EXEC = (
    "import json,os,resource as r,sys\n"
    "c=json.loads(sys.argv[1])\n"
    "for k,v in c['limits'].items():r.setrlimit(getattr(r,k),(v[0],v[1]))\n"
    "if c.get('uid') is not None:os.setgroups([]);os.setgid(c['gid']);os.setuid(c['uid'])\n"
    "os.execv(sys.argv[2],sys.argv[2:])"
)
JAIL_UID = 1000  # the student's uid inside the jail
JAIL_CWD = "/home/student/work"  # the notebook's working directory inside the jail
JAIL_HOST_UID = 100000  # default host uid of the jail when the grader is root


def _new_userns(outer_uid: int) -> int:
    """For a grader running as root: a user namespace mapping jail uid 0 to root (so bwrap can bind the
    Python installation wherever it is) and :data:`JAIL_UID` to ``outer_uid``, an unprivileged host uid
    that the kernel then runs as. Root is exempt from ``RLIMIT_NPROC`` even inside a user namespace, so
    the process limit only holds for a non-root uid. Returns an open ``/proc/<pid>/ns/user`` descriptor."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def unshare():
        if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER) failed")
        try:  # no nested user namespaces below this one (best effort)
            with open("/proc/sys/user/max_user_namespaces", "w") as handle:
                handle.write("0")
        except OSError:
            pass

    holder = subprocess.Popen(["sleep", "60"], preexec_fn=unshare, stdin=subprocess.DEVNULL,  # noqa: PLW1509
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for name in ("uid_map", "gid_map"):
            with open(f"/proc/{holder.pid}/{name}", "w") as handle:
                handle.write(f"0 0 1\n{JAIL_UID} {outer_uid} 1\n")
        return os.open(f"/proc/{holder.pid}/ns/user", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        holder.kill()
        holder.wait()


class SandboxUnavailable(RuntimeError):
    """bwrap is missing or cannot create namespaces here, and unsandboxed grading was not allowed."""


def fmt_bytes(n: int) -> str:
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"


def fmt_seconds(s: float) -> str:
    return f"{s:g} s"


@functools.lru_cache(maxsize=None)
def sandbox_status(bwrap: str = "bwrap") -> tuple[bool, str]:
    """Whether bwrap can build the jail here: ``(True, path)`` or ``(False, why)``. Cached per path."""
    path = shutil.which(bwrap)
    if not path:
        return False, (f"{bwrap} not found; install bubblewrap (Debian/Ubuntu: apt-get install -y "
                       "bubblewrap)")
    argv = [path, "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--die-with-parent",
            "--new-session", "--ro-bind", "/", "/", "--proc", "/proc", "true"]
    try:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"{path} failed to run: {exc}"
    if res.returncode != 0:
        why = (res.stderr or res.stdout).strip().splitlines()[-1:] or [f"exit code {res.returncode}"]
        return False, (f"{path} cannot create namespaces here ({why[0]}); allow unprivileged user "
                       "namespaces (sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu 24.04 "
                       "kernel.apparmor_restrict_unprivileged_userns=0) or run in a container that "
                       "permits them")
    if os.geteuid() == 0:  # a root grader runs the jail in a user namespace of its own making
        try:
            os.close(_new_userns(JAIL_HOST_UID))
        except OSError as exc:
            return False, f"cannot create the jail's user namespace as root ({exc})"
    return True, path


def require_sandbox(bwrap: str = "bwrap", allow_unsandboxed: bool | None = None) -> bool:
    """For the CLI: ``True`` if grading will be sandboxed; raise :class:`SandboxUnavailable` if it cannot
    be and it is not allowed; ``False`` (after a loud warning) if it cannot be but is allowed."""
    ok, detail = sandbox_status(bwrap)
    if ok:
        return True
    if allow_unsandboxed is None:
        allow_unsandboxed = _env_allows_unsandboxed()
    if not allow_unsandboxed:
        raise SandboxUnavailable(f"refusing to grade without a sandbox: {detail}. Set "
                                 f"{ENV_ALLOW_UNSANDBOXED}=1 to grade anyway (student code then runs as "
                                 "you).")
    _warn_unsandboxed(logging.getLogger("autograder.sandbox"), detail)
    return False


def _env_allows_unsandboxed() -> bool:
    return os.environ.get(ENV_ALLOW_UNSANDBOXED, "").strip().lower() in ("1", "true", "yes", "on")


def _warn_unsandboxed(log, detail: str) -> None:
    banner = "!" * 78
    msg = (f"\n{banner}\nGRADING WITHOUT A SANDBOX: {detail}.\nStudent code runs as this user, can read "
           f"the gradebook and the reference, and can use the network.\n{banner}")
    log.warning(msg)
    warnings.warn("grading without a sandbox: " + detail, RuntimeWarning, stacklevel=3)


# ----------------------------------------------------------------------------------------------- outcomes

@dataclass(frozen=True)
class Outcome:
    """One thing that went wrong while a notebook ran, as the grader's summary row shows it."""

    kind: str  # memory | cpu | wall | timeout | died | processes | output | stray | unsandboxed
    message: str
    cell: int | None = None  # 1-based position of the cell in the notebook

    def __str__(self) -> str:
        return self.message


def _in_cell(cell: int | None) -> str:
    return f" in cell {cell}" if cell else ""


def death_outcome(exit_code: int | None, *, cell: int | None = None, wall_hit: bool = False,
                  wall_time_limit: float = 0, cpu_time_limit: float = 0, memory_limit: int = 0,
                  log_tail: str = "") -> Outcome:
    """Map how the kernel process ended to a reason. ``exit_code`` is the jail's: bwrap returns the
    kernel's exit status, or 128 + the signal number that killed it."""
    if wall_hit:
        return Outcome("wall", f"wall time limit {fmt_seconds(wall_time_limit)} per notebook exceeded"
                               f"{_in_cell(cell)}", cell)
    sig = exit_code - 128 if exit_code is not None and exit_code > 128 else (
        -exit_code if exit_code is not None and exit_code < 0 else None)
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu_time_limit and "SIGXCPU" in log_tail):
        return Outcome("cpu", f"CPU time limit {fmt_seconds(cpu_time_limit)} exceeded{_in_cell(cell)}", cell)
    if memory_limit and re.search(r"MemoryError|Cannot allocate memory|out of memory|bad_alloc", log_tail):
        return Outcome("memory", f"memory limit {fmt_bytes(memory_limit)} exceeded{_in_cell(cell)}", cell)
    if sig:
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return Outcome("died", f"kernel died ({name}){_in_cell(cell)}", cell)
    code = "unknown exit code" if exit_code is None else f"exit code {exit_code}"
    return Outcome("died", f"kernel died ({code}){_in_cell(cell)}", cell)


def cell_outcomes(cell, index: int, *, timeout: float | None = None, memory_limit: int = 0,
                  max_processes: int = 0) -> list[Outcome]:
    """Reasons visible in one executed cell's error outputs (the kernel survived)."""
    n = index + 1
    found = []
    for out in cell.get("outputs", []):
        if out.get("output_type") != "error":
            continue
        ename, evalue = out.get("ename", ""), str(out.get("evalue", ""))
        if ename == "CellTimeoutError":
            found.append(Outcome("timeout", f"timeout: cell {n} ran over {fmt_seconds(timeout or 0)}", n))
        elif ename == "MemoryError" and memory_limit:
            found.append(Outcome("memory", f"memory limit {fmt_bytes(memory_limit)} exceeded in cell {n}", n))
        elif ename in ("BlockingIOError", "OSError") and "Resource temporarily unavailable" in evalue \
                and max_processes:
            found.append(Outcome("processes", f"process limit {max_processes} reached in cell {n}", n))
    return found


def errors_in(cell) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


def reasons_from_log(log: str) -> list[str]:
    """The reasons a sandboxed autograde logged (``sandbox: ...`` lines), in order, without repeats."""
    seen: list[str] = []
    for match in re.finditer(r"sandbox: (.+)", log or ""):
        reason = match.group(1).strip()
        if reason not in seen:
            seen.append(reason)
    return seen


# ----------------------------------------------------------------------------------------- kernel manager

def _package_files(package_dir: str) -> list[str]:
    """The ``.py`` files of a package and of its sub-packages (folders with ``__init__.py``): what
    ``import autograder.probe`` may need, and none of the course data that lives beside it."""
    files = []
    for root, dirs, names in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if os.path.exists(os.path.join(root, d, "__init__.py")))
        files += [os.path.join(root, n) for n in sorted(names) if n.endswith(".py")]
    return files


def _pids_in_namespace(ns: str) -> list[tuple[int, int, str]]:
    """(host pid, pid inside, state) of every process in pid namespace ``ns`` (a ``pid:[...]`` link)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.readlink(f"/proc/{entry}/ns/pid") != ns:
                continue
            with open(f"/proc/{entry}/status") as handle:
                status = handle.read()
        except OSError:
            continue
        state = re.search(r"^State:\s+(\S)", status, re.M)
        nspid = re.search(r"^NSpid:\s+(.+)$", status, re.M)
        inner = int(nspid.group(1).split()[-1]) if nspid else -1
        found.append((int(entry), inner, state.group(1) if state else "?"))
    return found


class SandboxedKernelManager(AsyncKernelManager):
    """Start the kernel inside bubblewrap with resource limits (see the module docstring)."""

    bwrap = Unicode("bwrap", help="bubblewrap executable").tag(config=True)
    allow_unsandboxed = Bool(
        help="Run kernels without the jail (warning loudly) when bwrap cannot build it, instead of refusing. "
             f"Default: the environment variable {ENV_ALLOW_UNSANDBOXED}.").tag(config=True)
    memory_limit = Integer(2 * GiB, help="address-space limit of every process in bytes (0: none)"
                           ).tag(config=True)
    cpu_time_limit = Integer(600, help="CPU seconds per process (0: none)").tag(config=True)
    wall_time_limit = Integer(900, help="seconds a kernel may live, i.e. per notebook (0: none)"
                              ).tag(config=True)
    max_processes = Integer(64, help="processes and threads in the jail, the kernel's included (0: none)"
                            ).tag(config=True)
    file_size_limit = Integer(64 * MiB, help="largest file the kernel may write, bytes (0: none)"
                              ).tag(config=True)
    tmp_size = Integer(64 * MiB, help="size of the jail's /tmp (a tmpfs) in bytes").tag(config=True)
    max_output_bytes = Integer(1 * MiB, help="output kept per cell; the rest is dropped with a note"
                               ).tag(config=True)
    scratch_size = Integer(128 * MiB, help="size of the tmpfs that holds the copy of the notebook's folder "
                           "(raised to twice the folder's size if needed)").tag(config=True)
    prestart = Bool(True, help="start the jail for the next notebook while this one runs (see the module "
                    "docstring)").tag(config=True)
    writable_paths = List(Unicode(), help="extra host paths bound writable at the same path").tag(config=True)
    readable_paths = List(Unicode(), help="extra host paths bound read-only at the same path"
                          ).tag(config=True)
    packages = List(Unicode(), ["autograder"],
                    help="installed packages whose .py files the kernel may import (read-only)"
                    ).tag(config=True)
    jail_host_uid = Integer(JAIL_HOST_UID, help="unprivileged host uid the kernel runs as when the grader "
                            "is root (it owns the throw-away copy; no host file should belong to it)"
                            ).tag(config=True)
    env_passthrough = List(Unicode(), ["NBGRADER_EXECUTION", "AUTOGRADER_CELL_TIMEOUT"],
                           help="grader environment variables passed on when set").tag(config=True)
    extra_env = Dict(help="extra environment variables for the kernel").tag(config=True)

    @default("allow_unsandboxed")
    def _allow_unsandboxed_default(self):
        return _env_allows_unsandboxed()

    # --- state
    _sb_dir: str | None = None
    _sb_timer: threading.Timer | None = None
    _sb_wall_hit = False
    _sb_sandboxed = False
    _sb_ns: str | None = None
    _sb_pid1: int | None = None
    _sb_log = None
    _sb_scratch_size = 0
    source_dir: str | None = None  # the host folder copied into the jail by start_notebook()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.notes: list[Outcome] = []  # things noticed outside any cell (stray processes, unsandboxed)

    # ---------------------------------------------------------------------------------------- helpers
    @property
    def sandboxed(self) -> bool:
        return self._sb_sandboxed

    def exit_code(self) -> int | None:
        """The jail's exit status once the kernel is gone, else ``None``."""
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        return process.poll() if process is not None else None

    def log_tail(self, size: int = 4000) -> str:
        if not self._sb_dir:
            return ""
        try:
            with open(os.path.join(self._sb_dir, "kernel.log"), "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - size))
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def death_outcome(self, cell: int | None = None) -> Outcome:
        return death_outcome(self.exit_code(), cell=cell, wall_hit=self._sb_wall_hit,
                             wall_time_limit=self.wall_time_limit, cpu_time_limit=self.cpu_time_limit,
                             memory_limit=self.memory_limit, log_tail=self.log_tail())

    def _rlimits(self, nproc: bool) -> dict[str, tuple[int, int]]:
        limits = {"RLIMIT_CORE": (0, 0)}
        if self.memory_limit:
            limits["RLIMIT_AS"] = (self.memory_limit, self.memory_limit)
        if self.cpu_time_limit:
            limits["RLIMIT_CPU"] = (self.cpu_time_limit, self.cpu_time_limit + 5)
        if self.file_size_limit:
            limits["RLIMIT_FSIZE"] = (self.file_size_limit, self.file_size_limit)
        if nproc and self.max_processes:
            limits["RLIMIT_NPROC"] = (self.max_processes, self.max_processes)
        return limits

    def _env(self, kernel_python: str) -> dict[str, str]:
        env = {
            "PATH": os.pathsep.join([os.path.dirname(kernel_python), "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": "/tmp", "TMPDIR": "/tmp", "USER": "student", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib", "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "NUMEXPR_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
        }
        if not self._sb_sandboxed:
            env["HOME"] = env["TMPDIR"] = os.path.join(self._sb_dir, "tmp")
            env["IPYTHONDIR"] = os.path.join(env["HOME"], ".ipython")
            env["MPLCONFIGDIR"] = os.path.join(env["HOME"], ".matplotlib")
        for name in self.env_passthrough:
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(self.extra_env)
        return env

    def _system_binds(self, kernel_cmd: list[str]) -> list[str]:
        args = ["--ro-bind", "/usr", "/usr"]
        for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "mime.types"):
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        return args

    @staticmethod
    def _python_roots(kernel_cmd: list[str]) -> list[str]:
        """The kernel's Python: the venv and the installation it was made from (and the real location of
        the interpreter if the kernel spec points somewhere else)."""
        roots = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix), os.path.abspath(sys.prefix)}
        exe = kernel_cmd[0] if kernel_cmd and os.path.isabs(kernel_cmd[0]) else sys.executable
        for path in (exe, os.path.realpath(exe)):
            roots.add(os.path.dirname(os.path.dirname(path)))
        return [root for root in sorted(roots, key=len)
                if root not in ("/", "/usr") and not root.startswith("/usr/")]

    def _package_files(self) -> list[str]:
        import importlib.util

        files = []
        for name in self.packages:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                continue
            for pkg_dir in spec.submodule_search_locations:
                files += _package_files(pkg_dir)
        return files

    def launch_key(self) -> str:
        """What a kernel started ahead must share with the one it stands in for: the kernel and every
        configured limit and path (not the connection, which is the kernel's own)."""
        own = {"connection_file", "ip", "transport", "cache_ports", "shell_port", "iopub_port", "stdin_port",
               "hb_port", "control_port"}  # (reading cache_ports before the start would fix it for tcp)
        traits = sorted((name, repr(getattr(self, name))) for name in self.trait_names(config=True)
                        if name not in own)
        return repr((self.kernel_name, traits))

    def _bwrap_argv(self, bwrap: str, kernel_cmd: list[str], run: str, userns_fd: int | None) -> list[str]:
        argv = [bwrap]
        if userns_fd is None:  # an unprivileged grader: bwrap maps the jail's uid to the grader's
            argv += ["--unshare-user", "--disable-userns", "--uid", str(JAIL_UID), "--gid", str(JAIL_UID)]
            switch = {}
        else:  # a root grader: our own user namespace, and the wrapper drops to JAIL_UID before the kernel
            argv += ["--userns", str(userns_fd), "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
            switch = {"uid": JAIL_UID, "gid": JAIL_UID}
        argv += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--hostname", "sandbox", "--proc", "/proc",
                 "--dev", "/dev", "--perms", "1777", "--size", str(self.tmp_size), "--tmpfs", "/dev/shm",
                 "--remount-ro", "/dev"]
        argv += self._system_binds(kernel_cmd)
        argv += ["--perms", "1777", "--size", str(self.tmp_size), "--tmpfs", "/tmp"]
        binds = [("--ro-bind", path, path) for path in self._python_roots(kernel_cmd) + self.readable_paths]
        binds += [("--tmpfs", str(self._sb_scratch_size), JAIL_CWD)]
        binds += [("--ro-bind", path, path) for path in self._package_files()]
        binds += [("--bind", path, path) for path in self.writable_paths]
        binds += [("--bind", run, run)]
        made = {"/", "/tmp", "/usr", "/proc", "/dev", "/etc"}
        for op, src, dest in binds:
            # bwrap would make the missing folders on the way 0700 (root's, when the grader is root):
            # make them 0755 so the jail's uid can walk to what is bound below them.
            parts = dest.strip("/").split("/")[:-1]
            for i in range(1, len(parts) + 1):
                folder = "/" + "/".join(parts[:i])
                if folder not in made:
                    made.add(folder)
                    argv += ["--perms", "0755", "--dir", folder]
            if op == "--tmpfs":
                argv += ["--perms", "1777", "--size", src, "--tmpfs", dest]
            else:
                argv += [op, src, dest]
            made.add(dest)
        argv += ["--remount-ro", "/", "--chdir", JAIL_CWD]
        python = os.path.realpath(sys.executable)
        setup = {"limits": self._rlimits(nproc=True), **switch}
        argv += ["--", python, "-S", "-c", _JAIL_EXEC, json.dumps(setup), *kernel_cmd]
        return argv

    @staticmethod
    def folder_bytes(folder: str) -> int:
        """Bytes of the regular files under ``folder`` (symbolic links not followed)."""
        total = 0
        for root, dirs, files in os.walk(folder):
            for name in files:
                try:
                    st = os.lstat(os.path.join(root, name))
                except OSError:
                    continue
                total += st.st_size if stat.S_ISREG(st.st_mode) else 0
        return total

    def fits(self, folder: str) -> bool:
        """Whether ``folder`` fits twice in this jail's working directory (a spare's is ``scratch_size``)."""
        return 2 * self.folder_bytes(folder) <= self._sb_scratch_size

    def _copy_in(self, src: str, dst_fd: int, owner: int | None) -> None:
        """Recreate folder ``src`` in the directory open as ``dst_fd`` (inside the jail): regular files,
        folders and symbolic links (as links, never followed), everything created relative to a directory
        descriptor with ``O_NOFOLLOW``, owned by ``owner`` (a host uid) when given."""
        flags = os.O_NOFOLLOW | os.O_CLOEXEC
        with os.scandir(src) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(st.st_mode):
                    os.symlink(os.readlink(entry.path), entry.name, dir_fd=dst_fd)
                elif stat.S_ISDIR(st.st_mode):
                    os.mkdir(entry.name, 0o700, dir_fd=dst_fd)
                    sub = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | flags, dir_fd=dst_fd)
                    try:
                        self._copy_in(entry.path, sub, owner)
                        os.fchmod(sub, (st.st_mode & 0o777) | 0o700)
                    finally:
                        os.close(sub)
                elif stat.S_ISREG(st.st_mode):
                    source = os.open(entry.path, os.O_RDONLY | flags)
                    try:
                        target = os.open(entry.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | flags,
                                         (st.st_mode & 0o777) | 0o600, dir_fd=dst_fd)
                        try:
                            while os.sendfile(target, source, None, 1 << 20):
                                pass
                            os.fchmod(target, (st.st_mode & 0o777) | 0o600)
                        finally:
                            os.close(target)
                    finally:
                        os.close(source)
                else:
                    continue  # sockets, fifos, devices: not part of a submission
                if owner is not None:
                    os.chown(entry.name, owner, owner, dir_fd=dst_fd, follow_symlinks=False)

    def start_notebook(self) -> None:
        """Called once the kernel answers, before the first cell: copy :attr:`source_dir` into the jail's
        working directory (through ``/proc/<jail pid 1>/root``, one ``O_NOFOLLOW`` step at a time; no
        student code has run in this jail yet) and start the wall-time clock."""
        if self._sb_sandboxed and self.source_dir:
            self._namespace()
            if self._sb_pid1 is None:
                raise RuntimeError("the jail is gone before its notebook could start")
            fd = os.open(f"/proc/{self._sb_pid1}/root", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                for part in JAIL_CWD.strip("/").split("/"):
                    step = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
                    os.close(fd)
                    fd = step
                self._copy_in(self.source_dir, fd, self.jail_host_uid if os.geteuid() == 0 else None)
            finally:
                os.close(fd)
        self._start_wall_timer()

    # ---------------------------------------------------------------------------------------- lifecycle
    async def _async_pre_start_kernel(self, **kw):
        ok, detail = sandbox_status(self.bwrap)
        if not ok and not self.allow_unsandboxed:
            raise SandboxUnavailable(
                f"refusing to start a grading kernel without a sandbox: {detail}. To grade anyway, set "
                f"{ENV_ALLOW_UNSANDBOXED}=1 or c.SandboxedKernelManager.allow_unsandboxed = True.")
        self._sb_sandboxed = ok
        self._sb_wall_hit = False
        self._sb_ns = self._sb_pid1 = None
        self._sb_dir = tempfile.mkdtemp(prefix="gdsb-")
        os.makedirs(os.path.join(self._sb_dir, "tmp"))
        run = os.path.join(self._sb_dir, "run")
        os.mkdir(run, 0o700)
        if ok:
            self.transport = "ipc"
            self.connection_file = os.path.join(run, "kernel.json")
            self.ip = os.path.join(run, "k")
        else:
            _warn_unsandboxed(self.log, detail)
            self.notes.append(Outcome("unsandboxed", f"graded WITHOUT a sandbox ({detail})"))
        try:
            return await super()._async_pre_start_kernel(**kw)
        except BaseException:
            self._sb_cleanup()
            raise

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        cwd = kw.pop("cwd", None)  # None for a kernel started ahead: its folder comes when it is taken
        self.source_dir = os.path.abspath(cwd) if cwd else None
        kw.pop("env", None)
        env = self._env(kernel_cmd[0] if kernel_cmd else sys.executable)
        self._sb_log = open(os.path.join(self._sb_dir, "kernel.log"), "wb")  # noqa: SIM115 - closed later
        kw.update(stdout=self._sb_log, stderr=self._sb_log, stdin=subprocess.DEVNULL, env=env)
        if not self._sb_sandboxed:
            limits = self._rlimits(nproc=False)

            def preexec():
                import resource

                for name, value in limits.items():
                    resource.setrlimit(getattr(resource, name), value)

            kw.update(cwd=self.source_dir or os.getcwd(), preexec_fn=preexec)
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        self._sb_scratch_size = max(self.scratch_size, 2 * self.folder_bytes(self.source_dir)
                                    if self.source_dir else 0)
        run = os.path.join(self._sb_dir, "run")
        userns_fd = None
        if os.geteuid() == 0:
            userns_fd = _new_userns(self.jail_host_uid)
            for path in [run] + [os.path.join(run, n) for n in os.listdir(run)]:  # kernel.json
                os.lchown(path, self.jail_host_uid, self.jail_host_uid)
        cmd = self._bwrap_argv(sandbox_status(self.bwrap)[1], kernel_cmd, run, userns_fd)
        # independent: no JPY_PARENT_PID, the jail's parent is its pid 1
        kw.update(cwd=self._sb_dir, independent=True, pass_fds=() if userns_fd is None else (userns_fd,))
        try:
            self.log.debug("Sandboxed kernel: %s", cmd)
            await super()._async_launch_kernel(cmd, **kw)
        finally:
            if userns_fd is not None:
                os.close(userns_fd)

    def _start_wall_timer(self):
        if self.wall_time_limit:
            self._sb_timer = threading.Timer(self.wall_time_limit, self._on_wall_time)
            self._sb_timer.daemon = True
            self._sb_timer.start()

    async def _async_interrupt_kernel(self):
        # With --new-session the kernel is not in bwrap's process group, and a SIGINT to bwrap would kill
        # the jail: ask the kernel over the control channel instead (ipykernel signals its own group).
        if self._sb_sandboxed and self.has_kernel:
            msg = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, msg)
            return
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel

    def _on_wall_time(self):
        if self.exit_code() is not None:
            return
        self._sb_wall_hit = True
        self.log.warning("wall time limit of %s s reached: killing the kernel", self.wall_time_limit)
        self._kill_jail()

    def _kill_jail(self):
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)  # bwrap leads its own session; the jail dies with it
        except OSError:
            try:
                process.kill()
            except OSError:
                pass

    def _namespace(self) -> str | None:
        """The jail's pid namespace (``pid:[inode]``), found through bwrap's child."""
        if self._sb_ns or not self._sb_sandboxed:
            return self._sb_ns
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        if process is None:
            return None
        try:
            try:
                with open(f"/proc/{process.pid}/task/{process.pid}/children") as handle:
                    children = handle.read().split()
            except OSError:  # a kernel without CONFIG_PROC_CHILDREN: look for bwrap's children by PPid
                children = []
                for entry in filter(str.isdigit, os.listdir("/proc")):
                    try:
                        with open(f"/proc/{entry}/status") as handle:
                            if re.search(rf"^PPid:\s+{process.pid}$", handle.read(), re.M):
                                children.append(entry)
                    except OSError:
                        pass
            for child in children:
                ns = os.readlink(f"/proc/{child}/ns/pid")
                if ns != os.readlink("/proc/self/ns/pid"):
                    self._sb_ns, self._sb_pid1 = ns, int(child)
        except OSError:
            return None
        return self._sb_ns

    def jail_tasks(self) -> int:
        """Processes and threads now in the jail (what ``RLIMIT_NPROC`` counts), bwrap's pid 1 excluded."""
        ns = self._namespace()
        if not ns:
            return 0
        total = 0
        for pid, inner, state in _pids_in_namespace(ns):
            if inner == 1 or state in "ZX":
                continue
            try:
                with open(f"/proc/{pid}/status") as handle:
                    total += int(re.search(r"^Threads:\s+(\d+)", handle.read(), re.M).group(1))
            except (OSError, AttributeError):
                total += 1
        return total

    def stray_processes(self) -> list[int]:
        """Host pids of live processes in the jail other than its pid 1 and the kernel (pid 2)."""
        ns = self._namespace()
        if not ns:
            return []
        return [pid for pid, inner, state in _pids_in_namespace(ns) if inner > 2 and state not in "ZX"]

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False):
        if self._sb_sandboxed and self.exit_code() is None:
            strays = self.stray_processes()
            if strays:
                self.notes.append(Outcome(
                    "stray", f"{len(strays)} process{'es' if len(strays) > 1 else ''} still running after "
                             "the last cell (detached or background); killed with the kernel"))
        await super()._async_shutdown_kernel(now=now, restart=restart)

    shutdown_kernel = _async_shutdown_kernel

    def _kill_and_reap(self):
        process = getattr(self.provisioner, "process", None) if self.provisioner else None
        self._kill_jail()
        if process is not None:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass

    async def _async_kill_kernel(self, restart: bool = False):
        # The jail is thrown away: kill it and reap bwrap at once, so that jupyter_client's 0.1 s polling
        # finds it gone on its first look.
        if self._sb_sandboxed:
            self._kill_and_reap()
        await super()._async_kill_kernel(restart=restart)

    def discard(self) -> None:
        """End a kernel that never ran a notebook (a spare), synchronously: kill the jail, reap it, close
        the sockets and remove its folder."""
        self._kill_and_reap()
        self._close_control_socket()
        if self._created_context:
            self.context.destroy(linger=0)
        self._sb_cleanup()

    async def _async_cleanup_resources(self, restart: bool = False):
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            if not restart:
                self._kill_jail()
                self._sb_cleanup()

    cleanup_resources = _async_cleanup_resources

    def _sb_cleanup(self):
        if self._sb_timer is not None:
            self._sb_timer.cancel()
            self._sb_timer = None
        if self._sb_log is not None:
            self._sb_log.close()
            self._sb_log = None
        if self._sb_dir:
            shutil.rmtree(self._sb_dir, ignore_errors=True)
            self._sb_dir = None


# ------------------------------------------------------------------------------------------ spare kernel

_SPARE: list[tuple[str, SandboxedKernelManager]] = []  # at most one (key, kernel started ahead)
_SPARE_FINALIZER: list = []


def discard_spare() -> None:
    """End the kernel started ahead, if any (the next notebook then starts its own)."""
    while _SPARE:
        _, km = _SPARE.pop()
        km.discard()


def _put_spare(key: str, km: SandboxedKernelManager) -> None:
    import multiprocessing.util

    discard_spare()
    if not _SPARE_FINALIZER:  # at interpreter exit, in multiprocessing workers too (they skip atexit)
        _SPARE_FINALIZER.append(multiprocessing.util.Finalize(None, discard_spare, exitpriority=10))
    _SPARE.append((key, km))


def _take_spare(key: str, folder: str) -> SandboxedKernelManager | None:
    """The spare if it was started with configuration ``key``, is alive and ``folder`` fits in it."""
    if not _SPARE:
        return None
    spare_key, km = _SPARE.pop()
    if spare_key == key and km.exit_code() is None and km.fits(folder):
        return km
    km.discard()
    return None


# ------------------------------------------------------------------------------------------ preprocessor

def _output_size(msg: dict) -> int:
    content = msg.get("content", {})
    size = 200
    if "text" in content:
        size += len(content["text"])
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    for line in content.get("traceback") or []:
        size += len(line)
    return size


@functools.lru_cache(maxsize=None)
def sandboxed(execute_class):
    """A subclass of the nbgrader ``Execute`` preprocessor ``execute_class`` that runs kernels with
    :class:`SandboxedKernelManager` (configure it as ``c.SandboxedKernelManager.*``), caps each cell's
    output at ``max_output_bytes``, survives a dying kernel (the cell gets a ``KernelDied`` error, later
    code cells a "not run" one, as ``autograder.execute.ResilientExecute`` does) and logs one
    ``sandbox: <reason>`` line per :class:`Outcome`; ``resources["sandbox"]`` holds them too."""
    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_output

    class Sandboxed(execute_class):
        shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                               help="the jail is thrown away: kill it rather than ask the kernel to exit"
                               ).tag(config=True)

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
            super().__init__(*args, **kwargs)

        def create_kernel_manager(self):
            km = super().create_kernel_manager()
            self._sb_km = km
            return km

        def _sb_key(self, km) -> str:
            return repr((km.launch_key(), list(self.extra_arguments)))

        async def async_start_new_kernel(self, **kwargs):
            folder = kwargs.get("cwd") or self.resources.get("metadata", {}).get("path") or None
            hist = "--HistoryManager.hist_file"  # nbclient adds it at the start; a spare needs it already
            if getattr(self.km, "ipykernel", False) and self.ipython_hist_file \
                    and not any(arg.startswith(hist) for arg in self.extra_arguments):
                self.extra_arguments += [f"{hist}={self.ipython_hist_file}"]
            spare = None
            if folder and isinstance(self.km, SandboxedKernelManager):
                spare = _take_spare(self._sb_key(self.km), os.path.abspath(folder))
            if spare is not None:
                spare.source_dir = os.path.abspath(folder)
                self.km = self._sb_km = spare
            else:
                await super().async_start_new_kernel(**kwargs)
            if getattr(self.km, "prestart", False) and self.km.sandboxed:
                ahead = self.kernel_manager_class(kernel_name=self.km.kernel_name, config=self.config)
                key = self._sb_key(ahead)
                try:
                    await ahead.start_kernel(extra_arguments=list(self.extra_arguments))
                except Exception as exc:  # noqa: BLE001 - the next notebook then starts its own kernel
                    self.log.warning("could not start the next notebook's kernel ahead: %s", exc)
                    ahead.discard()
                else:
                    _put_spare(key, ahead)

        start_new_kernel = run_sync(async_start_new_kernel)

        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            if isinstance(self.km, SandboxedKernelManager):
                self.km.start_notebook()
            return kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

        def preprocess(self, nb, resources=None, km=None):
            self._sb_km = km
            self._sb_outcomes: list[Outcome] = []
            self._sb_dead: int | None = None
            self._sb_sizes: dict[int, int] = {}
            self._sb_cut: set[int] = set()
            try:
                return super().preprocess(nb, resources, km)
            finally:
                for note in getattr(self._sb_km, "notes", []):
                    self._sb_add(note)
                if resources is not None:
                    resources["sandbox"] = [str(o) for o in self._sb_outcomes]

        def _sb_add(self, outcome: Outcome):
            if all(str(o) != str(outcome) for o in self._sb_outcomes):
                self._sb_outcomes.append(outcome)
                self.log.warning("%s%s", LOG_PREFIX, outcome)

        def _sb_limit(self, name: str, fallback=0):
            return getattr(self._sb_km, name, fallback) if self._sb_km is not None else fallback

        def _sb_died(self, cell, index, reason: Outcome | None = None):
            self._sb_dead = index
            reason = reason or (self._sb_km.death_outcome(index + 1) if hasattr(self._sb_km, "death_outcome")
                                else Outcome("died", f"kernel died in cell {index + 1}", index + 1))
            self._sb_add(reason)
            evalue = f"the kernel died while running this cell: {reason}"
            for out in cell.outputs:
                if out.get("output_type") == "error" and out.get("ename") == DIED:
                    out["evalue"] = evalue
                    break
            else:
                cell.outputs.append(new_output("error", ename=DIED, evalue=evalue, traceback=[]))

        def preprocess_cell(self, cell, resources, index):
            if self._sb_dead is not None:
                if cell.cell_type == "code":
                    cell.outputs = [new_output("error", ename=DIED, traceback=[],
                                               evalue=f"not run: the kernel died in cell "
                                                      f"{self._sb_dead + 1}")]
                return cell, resources
            try:
                cell, resources = super().preprocess_cell(cell, resources, index)
            except DeadKernelError:
                self._sb_died(cell, index)
                return cell, resources
            except CellTimeoutError as exc:
                # nbgrader raises this when the reply came but the output stream did not finish (e.g. the
                # forks of a fork bomb scribbling on the kernel's sockets): keep grading, as for a timeout.
                first = str(exc).splitlines()[0] if str(exc) else "timeout"
                cell.outputs.append(new_output("error", ename="CellTimeoutError", evalue=first, traceback=[]))
                self._sb_add(Outcome("timeout", f"timeout: cell {index + 1} did not finish its output "
                                                f"within {fmt_seconds(self.iopub_timeout)}", index + 1))
            if cell.cell_type != "code":
                return cell, resources
            km = self._sb_km
            if km is not None and hasattr(km, "exit_code") and km.exit_code() is not None:
                self._sb_died(cell, index)
                return cell, resources
            limit = self._sb_limit("max_processes")
            found = cell_outcomes(cell, index, timeout=self._get_timeout(cell),
                                  memory_limit=self._sb_limit("memory_limit"), max_processes=limit)
            if limit and errors_in(cell) and hasattr(km, "jail_tasks") and km.jail_tasks() >= limit - 1:
                found.insert(0, Outcome("processes", f"process limit {limit} reached in cell {index + 1}",
                                        index + 1))
            for outcome in found:
                self._sb_add(outcome)
            return cell, resources

        def output(self, outs, msg, display_id, cell_index):
            limit = self._sb_limit("max_output_bytes", 0)
            if limit:
                used = self._sb_sizes.get(cell_index, 0) + _output_size(msg)
                self._sb_sizes[cell_index] = used
                if used > limit:
                    if cell_index not in self._sb_cut:
                        self._sb_cut.add(cell_index)
                        outs.append(new_output("stream", name="stderr", text=(
                            f"\n[output truncated by the grader: this cell printed more than "
                            f"{fmt_bytes(limit)}]\n")))
                        self._sb_add(Outcome("output", f"output of cell {cell_index + 1} truncated at "
                                                       f"{fmt_bytes(limit)}", cell_index + 1))
                    return None
            return super().output(outs, msg, display_id, cell_index)

    Sandboxed.__name__ = Sandboxed.__qualname__ = f"Sandboxed{execute_class.__name__}"
    Sandboxed.__module__ = __name__
    return Sandboxed


def __getattr__(name):  # ``from autograder.sandbox import SandboxedExecute``, importing nbgrader only then
    if name == "SandboxedExecute":
        from nbgrader.preprocessors import Execute

        return sandboxed(Execute)
    raise AttributeError(name)
