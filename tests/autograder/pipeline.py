"""The real nbgrader pipeline on an assignment's sample submissions, for the end-to-end tests: release →
collect an LMS zip → grade (→ feedback → export in the tests)."""

import atexit
import functools
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile

import nbformat

from autograder import authoring, cli


@functools.cache
def graded(name: str) -> dict:
    """The samples of assignment ``name`` released, collected as one LMS zip and graded (two workers) by
    the real pipeline, once per test session (:func:`autograder.authoring.run_pipeline`)."""
    root = tempfile.mkdtemp(prefix=f"e2e-{name}-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return authoring.run_pipeline(root, name)


def run_answered_release(course: dict, tmp_path) -> tuple[str, int, list[str]]:
    """The released notebook with the source's answers filled in, run as a script in an isolated Python
    (``-I -S``) whose path holds numpy and nothing else (no solutions, autograder or IPython).

    Returns the release's text, its number of ``raise NotImplementedError()`` stubs, and the lines the answered
    script printed. The release must not contain the solutions or the hidden tests.
    """
    a = course["assignment"]
    path = os.path.join(course["dir"], "release", a, f"{a}.ipynb")
    text = open(path).read()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "solutions" not in text
    release = nbformat.reads(text, as_version=4)
    stubs = sum("raise NotImplementedError()" in c.source for c in release.cells if c.cell_type == "code")
    source = nbformat.read(os.path.join(cli.SOURCE, a, f"{a}.ipynb"), as_version=4)
    answers = {c.metadata.nbgrader["grade_id"]: c.source for c in source.cells if c.metadata.nbgrader["solution"]}
    code = "\n\n".join(answers.get(c.metadata.nbgrader["grade_id"], c.source)
                       for c in release.cells if c.cell_type == "code")
    site = sysconfig.get_paths()["purelib"]
    only_numpy = tmp_path / "path"
    only_numpy.mkdir()
    for name in os.listdir(site):
        if name == "numpy" or name.startswith("numpy.libs") or name.startswith("numpy-"):
            os.symlink(os.path.join(site, name), only_numpy / name)
    script = tmp_path / "release.py"
    script.write_text(f"import sys\nsys.path.insert(0, {str(only_numpy)!r})\n"
                      "for hidden in ('solutions', 'autograder', 'IPython'):\n"
                      "    try:\n        __import__(hidden)\n"
                      "    except ImportError:\n        pass\n"
                      "    else:\n        raise SystemExit(hidden + ' is importable')\n" + code)
    proc = subprocess.run([sys.executable, "-I", "-S", str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return text, stubs, proc.stdout.splitlines()
