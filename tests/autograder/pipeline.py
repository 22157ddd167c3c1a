"""The real nbgrader pipeline on an assignment's sample submissions, for the end-to-end tests
(``test_e2e_<assignment>.py``): release → collect an LMS zip → grade (→ feedback → export in the tests)."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile

import nbformat

from autograder import cli


def run_pipeline(root, assignment: str, cell_timeout: int = 12, workers: int = 2) -> dict:
    """Release, collect the examples as one LMS zip (plus a file with no student id), grade (``workers``
    submissions at once).

    Returns ``{"dir", "collected", "rows"}``, rows by student as in ``grade --report``.
    """
    examples = os.path.join(cli.HERE, "examples", assignment)
    course_dir = str(root / "course")
    old = os.environ.get("AUTOGRADER_CELL_TIMEOUT")
    os.environ["AUTOGRADER_CELL_TIMEOUT"] = str(cell_timeout)
    try:
        lms = root / "lms-download.zip"
        with zipfile.ZipFile(lms, "w") as archive:
            for name in sorted(os.listdir(examples)):
                archive.write(os.path.join(examples, name), name)
            archive.writestr(f"{assignment}.ipynb", "{}")  # no student id in the name: reported, not guessed
        assert cli.main(["--course-dir", course_dir, "release", assignment]) == 0
        collected = cli.collect(course_dir, str(lms), assignment)
        report = str(root / "report.json")
        assert cli.main(["--course-dir", course_dir, "grade", assignment, "--no-progress", "--report", report,
                         "--workers", str(workers)]) == 0
    finally:
        if old is None:
            os.environ.pop("AUTOGRADER_CELL_TIMEOUT", None)
        else:
            os.environ["AUTOGRADER_CELL_TIMEOUT"] = old
    rows = {row["student"]: row for row in json.load(open(report))}
    return {"dir": course_dir, "collected": collected, "rows": rows, "assignment": assignment}


def verdicts(course: dict, student: str) -> str:
    """The text of every verdict in a student's autograded notebook."""
    a = course["assignment"]
    nb = nbformat.read(os.path.join(course["dir"], "autograded", student, a, f"{a}.ipynb"), as_version=4)
    text = []
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            for out in cell.outputs:
                text += out.get("traceback", []) + [out.get("text", "")]
    return "\n".join(text)


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
