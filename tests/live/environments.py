"""Fresh Python environments for the tests of the live face (imported by them; not a conftest.py, see
tests/book/book_build.py). Each is made once per test session, from PyPI through pip's shared cache.

* :func:`student_env`: Binder's steps on a copy of the repository: a new venv, ``pip install -r
  binder/requirements.txt``, then ``binder/postBuild`` (installs the course, runs every chapter and writes
  it as its live notebook). What a student gets from the launch buttons.
* :func:`bare_jupyter`: a new venv with only a kernel and a notebook runner (ipykernel, nbclient): a fresh
  Jupyter where a downloaded chapter must install what it needs itself.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _workdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def snapshot(dest: Path) -> Path:
    """Copy the repository's files (tracked and untracked, minus .gitignore'd ones) to ``dest``."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def new_venv(path: Path) -> Path:
    """A new venv at ``path`` (with pip); returns its bin folder."""
    venv.create(path, with_pip=True)
    return path / "bin"


def run(cmd: list, cwd: Path, bin_dir: Path, timeout: int = 1200) -> subprocess.CompletedProcess:
    """Run ``cmd`` as if the venv of ``bin_dir`` were activated (and nothing of this test's own venv)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DEMOS_STATIC")}
    env.update(VIRTUAL_ENV=str(bin_dir.parent), PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "")]),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@dataclass(frozen=True)
class StudentEnv:
    repo: Path  # the copy of the repository, after postBuild
    bin: Path  # the venv's bin folder
    install: subprocess.CompletedProcess
    post_build: subprocess.CompletedProcess
    post_build_seconds: float

    def packages(self) -> set[str]:
        out = run([self.bin / "python", "-m", "pip", "list", "--format=freeze"], self.repo, self.bin).stdout
        return {line.split("==")[0].lower().replace("_", "-") for line in out.splitlines() if "==" in line}


@functools.cache
def student_env() -> StudentEnv:
    work = _workdir("gdh-student-")
    repo = snapshot(work / "repo")
    bin_dir = new_venv(work / "venv")
    install = run([bin_dir / "python", "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"],
                  repo, bin_dir)
    if install.returncode != 0:
        return StudentEnv(repo, bin_dir, install, install, 0.0)
    t0 = time.perf_counter()
    post_build = run(["bash", "binder/postBuild"], repo, bin_dir)
    return StudentEnv(repo, bin_dir, install, post_build, time.perf_counter() - t0)


@functools.cache
def course_wheel() -> Path:
    """The course built as a wheel (what ``pip install "gradient-descent-hands-on @ git+..."`` builds)."""
    work = _workdir("gdh-wheel-")
    src = snapshot(work / "src")  # setuptools writes build/ and *.egg-info beside the sources
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "dist"), str(src)], check=True, capture_output=True, text=True)
    return next((work / "dist").glob("*.whl"))


@functools.cache
def bare_jupyter() -> Path:
    """A fresh Jupyter: a venv with ipykernel and nbclient only (the versions this venv has); its bin."""
    bin_dir = new_venv(_workdir("gdh-bare-") / "venv")
    pins = [f"{name}=={metadata.version(name)}" for name in ("ipykernel", "nbclient")]
    done = run([bin_dir / "python", "-m", "pip", "install", "-q", *pins], ROOT, bin_dir)
    assert done.returncode == 0, done.stderr
    return bin_dir
