"""The real nbgrader pipeline on an assignment's sample submissions, for the end-to-end tests
(``test_e2e_<assignment>.py``): release → collect an LMS zip → grade (→ feedback → export in the tests)."""

import json
import os
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
