"""The grading sandbox: student code runs in a bubblewrap jail with resource limits.

:class:`SandboxedKernelManager`, a ``jupyter_client`` ``AsyncKernelManager`` that starts the
kernel as ``bwrap ... -- python -c <set rlimits; exec> python -m ipykernel_launcher -f <conn>``:

* a fresh user, pid, network, IPC and UTS namespace (``--unshare-user --unshare-pid --unshare-net ...``):
  no network at all (the kernel talks to the grader over ZMQ ``ipc`` sockets in a private directory that
  is bound into the jail), every process the notebook starts dies with the kernel (``--die-with-parent``;
  when the jail's pid 1 exits the kernel kills the whole namespace), and ``RLIMIT_NPROC`` counts only the
  jail's processes because it is set inside the new user namespace;
* a root file system built from scratch: read-only ``/usr`` (and the ``/lib*``, ``/bin`` links), the
  Python installation and the venv read-only, and of the course's code only the kernel-side package
  (``packages``, default :mod:`autograder.probe`: the probe, the input cases and ``hide``, with the empty
  ``autograder/__init__.py`` it needs to import) read-only at its own path; the rest of ``autograder``
  (verdicts, assignments with their solutions, sources, examples, any course state) is not there; a
  read-only ``/dev`` with a size-capped ``/dev/shm``, a size-capped
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
execution preprocessor (:class:`autograder.execute.SandboxedExecute`) also launches the jail for the *next* notebook of the same
configuration, which boots while this one runs and is taken over instead of a cold start. A jail started
ahead has run no student code; it gets the next notebook's folder copied into its empty working
directory only when it is taken, so nothing of one submission can reach another. One spare per process
at most; :func:`discard_spare` ends it (the CLI does after a batch; it also ends with the process).

When bwrap is missing or cannot create namespaces, the kernel manager refuses to start a kernel
(:class:`SandboxUnavailable`), unless ``allow_unsandboxed`` is set (config
``c.SandboxedKernelManager.allow_unsandboxed = True`` or environment ``AUTOGRADER_ALLOW_UNSANDBOXED=1``);
then it warns loudly and runs the kernel with rlimits and a scrubbed environment only.

:class:`autograder.execute.SandboxedExecute` runs notebooks with this kernel manager and turns what it sees
of the jail (:func:`death_outcome`, stray processes) into :class:`autograder.status.Outcome` records.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import warnings

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Integer, List, Unicode, default

from autograder.status import Outcome

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
ENV_ALLOW_UNSANDBOXED = "AUTOGRADER_ALLOW_UNSANDBOXED"

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

def _in_cell(cell: int | None) -> str:
    return f" in cell {cell}" if cell else ""


def death_outcome(exit_code: int | None, *, cell: int | None = None, wall_hit: bool = False,
                  wall_time_limit: float = 0, cpu_time_limit: float = 0) -> Outcome:
    """How the jail ended, from what the grader saw of it: its own wall-time clock, and the jail's exit
    status (bwrap returns the kernel's exit status, or 128 + the signal number that killed it)."""
    if wall_hit:
        return Outcome("wall", f"wall time limit {fmt_seconds(wall_time_limit)} per notebook exceeded"
                               f"{_in_cell(cell)}", cell)
    sig = exit_code - 128 if exit_code is not None and exit_code > 128 else (
        -exit_code if exit_code is not None and exit_code < 0 else None)
    if sig == signal.SIGXCPU:
        return Outcome("cpu", f"CPU time limit {fmt_seconds(cpu_time_limit)} exceeded{_in_cell(cell)}", cell)
    if sig:
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return Outcome("died", f"kernel died ({name}){_in_cell(cell)}", cell)
    code = "unknown exit code" if exit_code is None else f"exit code {exit_code}"
    return Outcome("died", f"kernel died ({code}){_in_cell(cell)}", cell)


# ----------------------------------------------------------------------------------------- kernel manager

@functools.lru_cache(maxsize=None)
def kernel_side_paths(packages: tuple[str, ...]) -> list[str]:
    """The folders of ``packages`` (dotted names) and the ``__init__.py`` files of their parent packages."""
    import importlib.util

    paths: list[str] = []
    for name in packages:
        parts = name.split(".")
        for i in range(1, len(parts)):
            parent = importlib.util.find_spec(".".join(parts[:i]))
            if parent is not None and parent.origin and parent.origin not in paths:
                paths.append(parent.origin)
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(f"{name} is not an installed package")
        paths += [p for p in spec.submodule_search_locations if p not in paths]
    return paths


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
    max_notebook_output_bytes = Integer(8 * MiB, help="output kept per notebook, all cells together; the rest "
                                        "is dropped with a note").tag(config=True)
    scratch_size = Integer(128 * MiB, help="size of the tmpfs that holds the copy of the notebook's folder "
                           "(raised to twice the folder's size if needed)").tag(config=True)
    prestart = Bool(True, help="start the jail for the next notebook while this one runs (see the module "
                    "docstring)").tag(config=True)
    writable_paths = List(Unicode(), help="extra host paths bound writable at the same path").tag(config=True)
    readable_paths = List(Unicode(), help="extra host paths bound read-only at the same path"
                          ).tag(config=True)
    packages = List(Unicode(), ["autograder.probe"],
                    help="the kernel-side packages the kernel may import, bound read-only with every file in "
                         "them (and the __init__.py of the packages above them)").tag(config=True)
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

    def death_outcome(self, cell: int | None = None) -> Outcome:
        return death_outcome(self.exit_code(), cell=cell, wall_hit=self._sb_wall_hit,
                             wall_time_limit=self.wall_time_limit, cpu_time_limit=self.cpu_time_limit)

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

    def kernel_side_paths(self) -> list[str]:
        """What the jail binds of the course's code: each of :attr:`packages` as a folder, and the
        ``__init__.py`` of every package above it (``autograder/__init__.py`` for ``autograder.probe``)."""
        return kernel_side_paths(tuple(self.packages))

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
        binds += [("--ro-bind", path, path) for path in self.kernel_side_paths()]
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


def run_in_jail(command: list[str], *, stdin: str = "", timeout: float = 900,
                config=None) -> subprocess.CompletedProcess:
    """Run ``command`` (an absolute executable and its arguments) in the grading jail, with the binds and
    limits a grading kernel gets, and return what it printed: the way to check what student code can see."""
    km = SandboxedKernelManager(config=config)
    ok, bwrap = sandbox_status(km.bwrap)
    if not ok:
        raise SandboxUnavailable(bwrap)
    folder = tempfile.mkdtemp(prefix="gdsb-")
    run = os.path.join(folder, "run")
    os.mkdir(run, 0o700)
    km._sb_scratch_size = km.scratch_size
    userns_fd = _new_userns(km.jail_host_uid) if os.geteuid() == 0 else None
    try:
        argv = km._bwrap_argv(bwrap, command, run, userns_fd)
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=timeout, cwd=folder,
                              pass_fds=() if userns_fd is None else (userns_fd,))
    finally:
        if userns_fd is not None:
            os.close(userns_fd)
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------------------------------ spare kernel

_SPARE: list[tuple[str, SandboxedKernelManager]] = []  # at most one (key, kernel started ahead)
_SPARE_FINALIZER: list = []


def discard_spare() -> None:
    """End the kernel started ahead, if any (the next notebook then starts its own)."""
    while _SPARE:
        _, km = _SPARE.pop()
        km.discard()


def put_spare(key: str, km: SandboxedKernelManager) -> None:
    import multiprocessing.util

    discard_spare()
    if not _SPARE_FINALIZER:  # at interpreter exit, in multiprocessing workers too (they skip atexit)
        _SPARE_FINALIZER.append(multiprocessing.util.Finalize(None, discard_spare, exitpriority=10))
    _SPARE.append((key, km))


def take_spare(key: str, folder: str) -> SandboxedKernelManager | None:
    """The spare if it was started with configuration ``key``, is alive and ``folder`` fits in it."""
    if not _SPARE:
        return None
    spare_key, km = _SPARE.pop()
    if spare_key == key and km.exit_code() is None and km.fits(folder):
        return km
    km.discard()
    return None
