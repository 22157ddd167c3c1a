"""The grading sandbox (autograder/sandbox.py), with real kernels in bubblewrap.

Each test runs a notebook of the hostile corpus (``hostile/*.ipynb``, rebuilt by ``hostile/make_corpus.py``)
through the course's ``SandboxedExecute``, from the working copy of a throw-away course directory that
holds a gradebook, sources, another student's submission and feedback, all planted with secrets. The course
directory must be byte-for-byte the same afterwards. Limits are small so the file stays fast.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from autograder import sandbox, status
from autograder.execute import DIED, SandboxedExecute
from autograder.sandbox import ENV_ALLOW_UNSANDBOXED, SandboxUnavailable, death_outcome, require_sandbox

HOSTILE = Path(__file__).parent / "hostile"
REPO = Path(__file__).resolve().parents[2]
MiB = 1 << 20
LIMITS = {"memory_limit": 512 * MiB, "cpu_time_limit": 20, "wall_time_limit": 60, "max_processes": 32,
          "max_output_bytes": 1 * MiB, "tmp_size": 64 * MiB, "scratch_size": 64 * MiB, "file_size_limit": 100 * MiB}
# What the kernel may see of the environment: the sandbox's allowlist plus what ipykernel sets itself.
ALLOWED_ENV = {"PATH", "HOME", "TMPDIR", "USER", "LANG", "LC_ALL", "PYTHONDONTWRITEBYTECODE", "PYTHONNOUSERSITE",
               "PYDEVD_DISABLE_FILE_VALIDATION", "IPYTHONDIR", "MPLCONFIGDIR", "MPLBACKEND", "OMP_NUM_THREADS",
               "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "MALLOC_ARENA_MAX",
               "NBGRADER_EXECUTION", "AUTOGRADER_CELL_TIMEOUT", "PWD",
               # set by ipykernel inside the kernel
               "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR", "GIT_PAGER", "PAGER", "TERM", "PYDEVD_USE_FRAME_EVAL"}


def make_course(root: Path, name: str) -> tuple[Path, Path]:
    """A course directory with planted secrets, and alice's working copy of notebook ``name`` in it."""
    course = root / "course"
    for rel, text in {"gradebook.db": "SQLite format 3\0SECRET-GRADEBOOK",
                      f"source/{name}/{name}.ipynb": "SECRET-SOURCE",
                      f"release/{name}/{name}.ipynb": "released",
                      f"submitted/bob/{name}/{name}.ipynb": "SECRET-BOB",
                      f"feedback/bob/{name}/{name}.html": "SECRET-FEEDBACK"}.items():
        path = course / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    work = course / "autograded" / "alice" / name
    work.mkdir(parents=True)
    shutil.copy(HOSTILE / f"{name}.ipynb", work / f"{name}.ipynb")
    return course, work


def digest(root: Path) -> dict[str, str]:
    """Every entry under ``root``: file contents hash, symlink target, or 'dir', with its mode."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if os.path.islink(path):
                what = "link:" + os.readlink(path)
            elif os.path.isdir(path):
                what = "dir"
            else:
                with open(path, "rb") as handle:
                    what = hashlib.sha256(handle.read()).hexdigest()
            seen[os.path.relpath(path, root)] = f"{what} {oct(st.st_mode)}"
    return seen


def executor(timeout: int = 20, **limits):
    config = Config()
    for key, value in {**LIMITS, **limits}.items():
        setattr(config.SandboxedKernelManager, key, value)
    return SandboxedExecute(config=config, timeout=timeout)


def run(ep, work: Path, name: str):
    """Run the notebook; return it with the outcomes the grader's process recorded for it."""
    nb = nbformat.read(work / f"{name}.ipynb", as_version=4)
    resources = {"metadata": {"path": str(work)}, "nbgrader": {"assignment": name, "student": "alice"}}
    ep.preprocess(nb, resources)
    return nb, [str(o) for o in status.take(name, "alice")]


def text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def errors(cell) -> list[tuple[str, str]]:
    return [(o["ename"], o["evalue"]) for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def host_processes(marker: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if marker.encode() in handle.read().replace(b"\0", b" "):
                    found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.fixture
def grade(tmp_path):
    """Run one corpus notebook sandboxed; check that the course directory did not change."""
    checks = []

    def _grade(name, ep=None, **kw):
        course, work = make_course(tmp_path / f"{len(checks)}-{name}", name)
        before = digest(course)
        checks.append((course, before))
        nb, reasons = run(ep or executor(**kw), work, name)
        return nb, reasons, course, work

    yield _grade
    for course, before in checks:
        assert digest(course) == before, "the course directory changed"


def test_escape_attempts_are_blocked(tmp_path, monkeypatch):
    monkeypatch.setenv("GD_GRADER_SECRET", "hunter2")
    listener = socket.create_server(("127.0.0.1", 0))
    course, work = make_course(tmp_path, "escape")
    import autograder.probe as probe

    (work / "targets.json").write_text(json.dumps({
        "course": str(course), "gradebook": str(course / "gradebook.db"),
        "source": str(course / "source/escape/escape.ipynb"), "other": str(course / "submitted/bob/escape/escape.ipynb"),
        "feedback": str(course / "feedback/bob/escape/escape.html"), "repo": str(REPO),
        "solutions_dir": str(REPO / "solutions"), "autograder_dir": str(REPO / "autograder"),
        "site_packages": next(p for p in sys.path if p.endswith("site-packages")), "probe": probe.__file__,
        "port": listener.getsockname()[1], "secret_name": "GD_GRADER_SECRET", "grader_pid": os.getpid()}))
    os.symlink(course / "gradebook.db", work / "planted-link")
    before = digest(course)
    try:
        nb, reasons = run(executor(), work, "escape")
    finally:
        listener.close()
    out = "".join(text(c) for c in nb.cells)
    assert not [errors(c) for c in nb.cells if errors(c)], out
    assert "ESCAPED" not in out, out
    blocked = set(re.findall(r"^BLOCKED ([^:]+):", out, re.M))
    assert blocked == {
        "read gradebook", "read source", "read other submission", "read feedback", "list course",
        "import solutions", "read solutions", "list repo", "read autograder source",
        "write course", "write repo", "write venv .pth", "write probe", "write root", "write usr", "write dev",
        "fill tmp", "fill dev shm", "fill scratch", "one big file",
        "connect grader port", "connect outside", "resolve name",
        "secret env", "signal grader", "grader environ",
        "proc root", "proc fd", "new symlink", "planted symlink", "hard link", "nested user namespace"}, out
    env = set(json.loads(re.search(r"^ENV (.*)$", out, re.M).group(1)))
    assert env <= ALLOWED_ENV, env - ALLOWED_ENV
    allowed = re.search(r"^ALLOWED (\S+) (.*)$", out, re.M)
    assert allowed and allowed.group(1) == sandbox.JAIL_CWD and "scratch.txt" in allowed.group(2)
    assert reasons == []
    assert digest(course) == before  # scratch.txt, the links and pwned.txt went to the throw-away copy


def test_memory_bomb_is_a_memory_limit_and_the_kernel_lives_on(grade):
    nb, reasons, *_ = grade("memory_bomb")
    assert reasons == ["MemoryError in cell 3 (the memory limit is 512 MiB)"]
    assert errors(nb.cells[2])[0][0] == "MemoryError"
    assert "alive after the memory bomb" in text(nb.cells[3])


def test_fork_bomb_is_contained(grade):
    t0 = time.monotonic()
    nb, reasons, *_ = grade("fork_bomb", timeout=5)
    assert "process limit 32 reached in cell 3" in reasons, reasons
    procs = int(re.search(r"PROCS (\d+)", text(nb.cells[3])).group(1))
    assert procs <= 32
    assert subprocess.run(["true"]).returncode == 0  # the host still forks
    assert time.monotonic() - t0 < 60


def test_os_exit_is_a_dead_kernel_and_the_next_notebook_grades(grade):
    ep = executor()
    nb, reasons, *_ = grade("os_exit", ep=ep)
    assert reasons == ["kernel died (exit code 1) in cell 3"]
    assert errors(nb.cells[2]) == [(DIED, "the kernel died while running this cell: "
                                                  "kernel died (exit code 1) in cell 3")]
    assert errors(nb.cells[3]) == [(DIED, "not run: the kernel died in cell 3")]
    nb, reasons, *_ = grade("benign", ep=ep)
    assert reasons == [] and "sum 45" in text(nb.cells[1])


def notebook(*sources: str):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in sources])


LEAVE = """import os, subprocess
for path in ("left.txt", "/tmp/left.txt", "/dev/shm/left"):
    open(path, "w").write("left by the previous notebook")
subprocess.Popen(["sleep", "985"], start_new_session=True)"""
LOOK = """import os
print("CWD", os.getcwd())
print("HERE", sorted(os.listdir(".")))
print("TMP", sorted(os.listdir("/tmp")), os.listdir("/dev/shm"))
print("DATA", open("sub/data.txt").read(), os.readlink("link"))
print("PROCS", sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))"""


def test_the_next_notebook_runs_in_the_kernel_started_ahead_and_sees_nothing_of_the_last(tmp_path):
    """While a notebook runs, the jail for the next one boots; the next notebook runs there, in a copy of
    its own folder, with nothing of what the last one left in its folder, /tmp, /dev/shm or processes."""
    sandbox.discard_spare()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    (second / "sub").mkdir(parents=True)
    (second / "sub" / "data.txt").write_text("second's data")
    os.symlink("/etc/hostname", second / "link")
    ep = executor()
    ep.preprocess(notebook(LEAVE), {"metadata": {"path": str(first)}})
    assert sorted(os.listdir(first)) == []  # "left.txt" went to the jail's copy
    (_, ahead), = sandbox._SPARE
    assert ahead.exit_code() is None and ahead.source_dir is None
    nb, _ = ep.preprocess(notebook(LOOK), {"metadata": {"path": str(second)}})
    assert ep._sb_km is ahead and ahead.source_dir == str(second)
    out = text(nb.cells[0])
    assert f"CWD {sandbox.JAIL_CWD}\n" in out and "HERE ['link', 'sub']" in out, out
    assert "left" not in out.split("TMP", 1)[1].split("DATA")[0], out
    assert "DATA second's data /etc/hostname" in out and "PROCS [1, 2]" in out, out
    assert host_processes("sleep 985") == []
    (_, next_one), = sandbox._SPARE
    sandbox.discard_spare()
    assert sandbox._SPARE == [] and next_one.exit_code() is not None and next_one._sb_dir is None


def test_a_folder_too_big_for_the_kernel_started_ahead_gets_a_jail_of_its_own(tmp_path):
    sandbox.discard_spare()
    ep = executor(scratch_size=1 * MiB)
    ep.preprocess(notebook("pass"), {"metadata": {"path": str(tmp_path)}})
    (_, ahead), = sandbox._SPARE
    big = tmp_path / "big"
    (big / "sub").mkdir(parents=True)
    (big / "sub" / "data.txt").write_text("x" * (600 * 1024))
    os.symlink("nowhere", big / "link")
    nb, _ = ep.preprocess(notebook(LOOK), {"metadata": {"path": str(big)}})
    assert ep._sb_km is not ahead and ahead.exit_code() is not None  # the spare did not fit: ended
    assert "DATA " + "x" * 10 in text(nb.cells[0])
    sandbox.discard_spare()


def test_a_kernel_that_cannot_be_started_ahead_costs_the_notebook_nothing(tmp_path, monkeypatch, caplog):
    sandbox.discard_spare()
    start = sandbox.SandboxedKernelManager._async_start_kernel
    dirs = []

    async def start_kernel(self, **kw):
        if "cwd" not in kw:  # the kernel started ahead
            await self._async_pre_start_kernel(**kw)
            dirs.append(self._sb_dir)
            raise OSError("no more user namespaces")
        return await start(self, **kw)

    monkeypatch.setattr(sandbox.SandboxedKernelManager, "start_kernel", start_kernel)
    with caplog.at_level(logging.WARNING):
        nb, _ = executor().preprocess(notebook("print(6 * 7)"), {"metadata": {"path": str(tmp_path)}})
    assert text(nb.cells[0]) == "42\n" and sandbox._SPARE == []
    assert "could not start the next notebook's kernel ahead: no more user namespaces" in caplog.text
    assert dirs and not os.path.exists(dirs[0])


def test_infinite_loop_is_a_cell_timeout_and_the_kernel_lives_on(grade):
    nb, reasons, *_ = grade("infinite_loop", timeout=3)
    assert reasons == ["timeout: cell 3 ran over 3 s"]
    assert "alive after the loop" in text(nb.cells[3])


def test_cpu_limit_kills_a_loop_that_ignores_interrupts(grade):
    nb, reasons, *_ = grade("cpu_burn", timeout=120, cpu_time_limit=2)
    assert reasons == ["CPU time limit 2 s exceeded in cell 3"]
    assert errors(nb.cells[3])[0][1] == "not run: the kernel died in cell 3"


def test_wall_time_limit_per_notebook(grade):
    t0 = time.monotonic()
    nb, reasons, *_ = grade("sleeper", timeout=120, wall_time_limit=10)
    assert reasons == ["wall time limit 10 s per notebook exceeded in cell 3"]
    assert time.monotonic() - t0 < 40


def test_detached_processes_die_with_the_kernel(grade):
    nb, reasons, *_ = grade("detached")
    assert "spawned" in text(nb.cells[2]) and "done" in text(nb.cells[3])
    assert reasons == ["2 processes still running after the last cell (detached or background); "
                       "killed with the kernel"]
    deadline = time.monotonic() + 10
    while (host_processes("sleep 987") or host_processes("sleep 986")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert host_processes("sleep 987") == [] and host_processes("sleep 986") == []


def test_huge_output_is_truncated(grade):
    nb, reasons, *_ = grade("huge_output", timeout=60)
    assert reasons == ["output of cell 3 truncated (this cell printed more than 1 MiB)",
                       "output of cell 4 truncated (this cell printed more than 1 MiB)"]
    for cell in nb.cells[2:4]:
        assert len(text(cell)) < 1 * MiB + 1000
        assert "[output truncated by the grader: this cell printed more than 1 MiB]" in text(cell)
    assert "done" in text(nb.cells[4])


def test_refuses_to_grade_without_a_sandbox_unless_allowed(grade, monkeypatch, caplog):
    monkeypatch.delenv(ENV_ALLOW_UNSANDBOXED, raising=False)
    with pytest.raises(SandboxUnavailable, match="not found"):
        require_sandbox("/nonexistent/bwrap")
    with pytest.raises(SandboxUnavailable, match="refusing"):
        grade("benign", bwrap="/nonexistent/bwrap")
    monkeypatch.setenv(ENV_ALLOW_UNSANDBOXED, "1")
    with pytest.warns(RuntimeWarning, match="without a sandbox"):
        assert require_sandbox("/nonexistent/bwrap") is False
    with caplog.at_level(logging.WARNING), pytest.warns(RuntimeWarning, match="without a sandbox"):
        nb, reasons, *_ = grade("benign", bwrap="/nonexistent/bwrap")
    assert "sum 45" in text(nb.cells[1])
    assert len(reasons) == 1 and reasons[0].startswith("graded WITHOUT a sandbox")
    assert "GRADING WITHOUT A SANDBOX" in caplog.text


def test_sandbox_is_available_here():
    assert require_sandbox() is True  # CI: apt-get install -y bubblewrap


@pytest.mark.parametrize("code, kw, reason", [
    (1, {}, "kernel died (exit code 1) in cell 2"),
    (137, {}, "kernel died (SIGKILL) in cell 2"),
    (139, {}, "kernel died (SIGSEGV) in cell 2"),
    (152, {"cpu_time_limit": 30}, "CPU time limit 30 s exceeded in cell 2"),
    (137, {"wall_hit": True, "wall_time_limit": 900}, "wall time limit 900 s per notebook exceeded in cell 2"),
    (134, {}, "kernel died (SIGABRT) in cell 2"),
    (None, {}, "kernel died (unknown exit code) in cell 2"),
])
def test_death_reasons(code, kw, reason):
    assert str(death_outcome(code, cell=2, **kw)) == reason


ESCAPE_CELL = '''\
import os
def attempt(name, fn):
    try:
        detail = fn()
    except BaseException as exc:
        print(f"BLOCKED {name}: {type(exc).__name__}")
    else:
        print(f"ESCAPED {name}: {detail!r}"[:200])
attempt("read gradebook", lambda: open(COURSE + "/gradebook.db", "rb").read(16))
attempt("read source", lambda: open(REPO + "/autograder/source/search/search.ipynb").read(16))
attempt("write course", lambda: open(COURSE + "/pwned.txt", "w").write("pwned"))
attempt("import solutions", lambda: __import__("solutions"))
attempt("secret env", lambda: os.environ["GD_GRADER_SECRET"])
'''


@pytest.mark.e2e
def test_nbgrader_autograde_runs_in_the_sandbox(tmp_path, monkeypatch):
    """The course's own nbgrader_config.py grades in the jail: a submission with full marks that also
    tries to escape and then kills its kernel keeps its 8 points, escapes nothing, and its reason is
    recorded by the grader's process."""
    from nbgrader.api import Gradebook

    from autograder import cli

    monkeypatch.setenv("AUTOGRADER_CELL_TIMEOUT", "20")
    monkeypatch.setenv("GD_GRADER_SECRET", "hunter2")
    course_dir = str(tmp_path / "course")
    assert cli.main(["--course-dir", course_dir, "release", "search"]) == 0
    nb = nbformat.read(os.path.join(cli.HERE, "examples", "search", "correct_search.ipynb"), as_version=4)
    code = f"COURSE = {course_dir!r}\nREPO = {str(REPO)!r}\n" + ESCAPE_CELL
    nb.cells.insert(2, nbformat.v4.new_code_cell(code))
    nb.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(3)"))
    for cell in nb.cells:
        cell.pop("id", None)
    submitted = os.path.join(course_dir, "submitted", "mallory", "search")
    os.makedirs(submitted)
    nbformat.write(nb, os.path.join(submitted, "search.ipynb"))

    result = cli.api(course_dir).autograde("search", "mallory", force=True, create=True)
    assert result["success"], result.get("error")
    assert [str(o) for o in status.take("search", "mallory")] == [f"kernel died (exit code 3) in cell {len(nb.cells)}"]
    graded = nbformat.read(os.path.join(course_dir, "autograded", "mallory", "search", "search.ipynb"), 4)
    out = text(graded.cells[2])
    assert out.count("BLOCKED") == 5 and "ESCAPED" not in out, out
    assert not os.path.exists(os.path.join(course_dir, "pwned.txt"))
    with Gradebook(f"sqlite:///{os.path.join(course_dir, 'gradebook.db')}") as gb:
        assert gb.find_submission("search", "mallory").score == 8


def test_display_updates_count_towards_the_output_cap(grade):
    """One update of a display id rewrites every output sharing it: 300 × 200 KB would be 60 MB."""
    nb, reasons, *_ = grade("display_updates", timeout=60)
    assert reasons == ["output of cell 3 truncated (this cell printed more than 1 MiB)"]
    assert len(nbformat.writes(nb)) < 1 << 20 and "alive" in text(nb.cells[4])


def test_widget_messages_are_ignored_and_break_nothing(grade):
    nb, reasons, *_ = grade("comm_crash", timeout=60)
    assert reasons == [] and not errors(nb.cells[2]) and "alive after the comm" in text(nb.cells[3])
