#!/usr/bin/env python3
"""The course's tasks, runnable on a fresh machine with only Python 3.11.

    python3 tasks.py book     # make .venv, install requirements.txt if needed, build the book (args: jupyter-book)
    python3 tasks.py test     # the same, plus Debian's chromium, bubblewrap, postgresql; every test (args: pytest)
    python3 tasks.py bench    # the benchmarks in bench/ (figures and ratios; not pass/fail)
    python3 tasks.py grade-demo  # release, collect autograder/examples/*, grade, feedback, export in artifacts/course
    python3 tasks.py clean    # remove the built book, the execution cache and test artifacts

The virtual environment is reinstalled only when requirements.txt (with binder/requirements.txt, which it
includes) or pyproject.toml change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".requirements.sha256"
REQUIREMENT_FILES = ("requirements.txt", "binder/requirements.txt", "pyproject.toml")


def run(*cmd: str | Path) -> int:
    """Run a command as if the venv were activated (nbgrader, for one, calls `alembic` from PATH)."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    env = dict(os.environ, VIRTUAL_ENV=str(VENV), PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def ensure_venv() -> None:
    """Create .venv and install the pinned requirements (and the course itself) when they changed."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}: run it with python3.11")
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in REQUIREMENT_FILES))
    if (BIN / "python").exists() and STAMP.exists() and STAMP.read_text() == digest.hexdigest():
        install_data_files()
        return
    if not (BIN / "python").exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    for cmd in ([BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip"],
                [BIN / "python", "-m", "pip", "install", "-q", "-r", "requirements.txt"]):
        if run(*cmd) != 0:
            sys.exit("Installing the requirements failed; see pip's message above.")
    STAMP.write_text(digest.hexdigest())
    install_data_files()


def install_data_files() -> None:
    """Copy the course's Jupyter configuration (pyproject's ``[tool.setuptools.data-files]``) into .venv.

    An editable install (``-e .``, as requirements.txt has it) installs no data files (PEP 660 makes only
    the packages editable); a normal install (Binder, a hub, a wheel) does. So this copies them, every
    time, so that an edited file is in place at the next ``jupyter lab``.
    """
    import tomllib

    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    for target, sources in data_files.items():
        (VENV / target).mkdir(parents=True, exist_ok=True)
        for source in sources:
            shutil.copy2(ROOT / source, VENV / target / Path(source).name)


# Debian packages the tests need: the browser tests drive Chromium, the grading sandbox is bubblewrap.
# PostgreSQL's server is for the test of grading into a PostgreSQL gradebook (initdb is not on PATH on Debian).
SYSTEM_PACKAGES = {"chromium": "chromium", "bwrap": "bubblewrap", "initdb": "postgresql"}


def _installed(command: str) -> bool:
    return shutil.which(command) is not None or (
        command == "initdb" and bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))))


def ensure_system_packages() -> None:
    """Install the missing Debian packages with apt-get when we are root; otherwise say what to install."""
    missing = [pkg for command, pkg in SYSTEM_PACKAGES.items() if not _installed(command)]
    if not missing:
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
            print("+", " ".join(cmd), flush=True)
            if subprocess.call(cmd, env=env) != 0:
                sys.exit(f"Installing {' '.join(missing)} failed; see apt-get's message above.")
        return
    sys.exit(f"The tests need {' and '.join(missing)}: run `sudo apt-get install -y {' '.join(missing)}` "
             "(Debian or Ubuntu), then run this command again.")


def book(args: list[str]) -> int:
    ensure_venv()
    # tools/build_book.py executes the chapters in parallel into the execution cache (cleared when
    # solutions/ or book/demos/ change), then runs `jupyter-book build . -W -n --keep-going` (args added).
    code = run(BIN / "python", ROOT / "tools" / "build_book.py", *args)
    if code == 0:
        print(f"\nThe book is built: open {ROOT / '_build' / 'html' / 'index.html'}")
    return code


def test(args: list[str]) -> int:
    ensure_system_packages()
    ensure_venv()
    return run(BIN / "python", "-m", "pytest", *args)


def bench(args: list[str]) -> int:
    ensure_venv()
    code = 0
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        code |= run(BIN / "python", script, *args)
    return code


def grade_demo(args: list[str]) -> int:
    """The instructor's workflow on the sample submissions, in artifacts/course (args go to `grade`)."""
    ensure_venv()
    course = ROOT / "artifacts" / "course"
    shutil.rmtree(course, ignore_errors=True)
    grader = [BIN / "python", "-m", "autograder", "--course-dir", course]
    steps = [[*grader, "release"]]
    for folder in sorted(p for p in (ROOT / "autograder" / "examples").iterdir() if p.is_dir()):
        steps.append([*grader, "collect", folder, "--assignment", folder.name])
    steps += [[*grader, "grade", "--report", course / "export" / "report.json", *args],
              [*grader, "feedback"], [*grader, "export"]]
    (course / "export").mkdir(parents=True, exist_ok=True)
    for step in steps:
        if run(*step) != 0:
            return 1
    print(f"\nGrades: {course / 'export' / 'grades.csv'} (summary rows: {course / 'export' / 'report.json'})")
    print(f"Plots: {', '.join(str(p) for p in sorted((course / 'export').glob('*.png')))}")
    print(f"Feedback: {course / 'feedback'}/<student>/<assignment>/<assignment>.html")
    return 0


def clean(args: list[str]) -> int:
    for path in ("_build", "artifacts", ".pytest_cache"):
        shutil.rmtree(ROOT / path, ignore_errors=True)
    return 0


TASKS = {"book": book, "test": test, "bench": bench, "grade-demo": grade_demo, "clean": clean}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{','.join(TASKS)}}} [args...]")
    sys.exit(TASKS[sys.argv[1]](sys.argv[2:]))
