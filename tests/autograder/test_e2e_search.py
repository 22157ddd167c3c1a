"""End to end on assignment search, beyond what tests/autograder/test_e2e.py checks for every assignment: the
release zip, the summary's notes, the CLI's messages, cells restored quietly, serial = parallel grading."""

import copy
import io
import json
import logging
import os
import re
import shutil
import zipfile

import nbformat
import pytest

from autograder import cli

from pipeline import graded

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def course():
    return graded("search")


def test_release_has_no_solutions_and_zips(course):
    folder = os.path.join(course["dir"], "release", "search")
    text = open(os.path.join(folder, "search.ipynb")).read()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "solutions" not in text
    assert "raise NotImplementedError()" in text
    with zipfile.ZipFile(os.path.join(course["dir"], "release", "search.zip")) as archive:
        assert archive.namelist() == ["search/search.ipynb"]


def test_summary_notes(course):
    rows = course["rows"]
    assert "found search-Copy1.ipynb" in rows["renamed"]["notes"][0]
    assert "NotJSONError" in rows["invalid-json"]["notes"][0]
    notes = " ".join(rows["cells-tampered"]["notes"])
    for text in ("locked cell cost_visible edited", "locked cell cost_hidden deleted",
                 "locked cell grid_search_visible duplicated",
                 "locked cell coarse_to_fine_hidden changed from code to markdown"):
        assert text in notes
    assert rows["infinite-loop"]["timeout"] and not rows["correct"]["timeout"]
    # the sandbox's reasons (the pipeline's cell timeout is 12 s)
    assert any(re.fullmatch(r"timeout: cell \d+ ran over 12 s", n) for n in rows["infinite-loop"]["notes"])
    assert any(re.fullmatch(r"kernel died \(exit code 1\) in cell \d+", n) for n in rows["kernel-exit"]["notes"]), \
        rows["kernel-exit"]["notes"]
    for student in ("correct", "blank"):  # untouched locked cells (hidden tests included) are no tampering
        assert rows[student]["notes"] == [] and not rows[student]["tampered"], student
    assert rows["correct"]["tests"] == {"cost_hidden": 2, "grid_search_hidden": 3, "coarse_to_fine_hidden": 3}


def test_wrong_inputs_get_clear_messages(course, tmp_path, capsys):
    assert cli.main(["--course-dir", course["dir"], "grade", "nope"]) == 2
    assert "no assignment 'nope'" in capsys.readouterr().err
    assert cli.main(["--course-dir", course["dir"], "collect", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert cli.main(["--course-dir", course["dir"], "grade", "search", "--student", "ghost"]) == 2
    assert "no submission of search for: ghost" in capsys.readouterr().err


def overwrite_cells_log(course, student):
    """What the course's OverwriteCells logs while sanitizing a student's example (no kernel)."""
    from nbgrader.preprocessors import DeduplicateIds

    from autograder.execute import DropEmptyNbgraderMetadata, ReleaseAwareOverwriteCells

    nbapi = cli.api(course["dir"])
    nb = nbformat.read(os.path.join(cli.HERE, "examples", "search", f"{student}_search.ipynb"), as_version=4)
    resources = {"nbgrader": {"notebook": "search", "assignment": "search", "student": student,
                              "db_url": nbapi.coursedir.db_url}}
    for pp in (DeduplicateIds(parent=nbapi), DropEmptyNbgraderMetadata(parent=nbapi)):
        nb, resources = pp.preprocess(nb, resources)
    pp = ReleaseAwareOverwriteCells(parent=nbapi)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    pp.log.addHandler(handler)
    try:
        nb, _ = pp.preprocess(nb, resources)
    finally:
        pp.log.removeHandler(handler)
    return buffer.getvalue(), nb


def test_untouched_hidden_test_cells_are_not_reported_changed(course):
    """nbgrader strips hidden tests on release, so plain OverwriteCells calls every untouched hidden-test
    cell's checksum changed; the course's version is quiet about cells exactly as released, still puts
    the hidden tests back, and still reports real edits."""
    source = nbformat.read(os.path.join(cli.SOURCE, "search", "search.ipynb"), as_version=4)
    hidden = {c.metadata.nbgrader["grade_id"]: c.source for c in source.cells if "HIDDEN TESTS" in c.source}
    for student in ("blank", "correct"):
        log, nb = overwrite_cells_log(course, student)
        assert "has changed" not in log, (student, log)
        restored = {c.metadata.nbgrader["grade_id"]: c.source for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") in hidden}
        assert restored == hidden
    log, _ = overwrite_cells_log(course, "cells-tampered")
    assert "Attribute 'checksum' for cell cost_visible has changed!" in log
    assert "Attribute 'cell_type' for cell coarse_to_fine_hidden has changed!" in log


SERIAL = ["correct", "blank", "mutates-input", "kernel-exit", "cells-tampered", "tampering", "invalid-json"]


def test_serial_grading_gives_the_parallel_results(course, tmp_path, capfd):
    """The fixture graded with --workers 2; grading again one at a time gives the same rows, and the
    output carries no SQLAlchemy warnings and no exchange complaints."""
    copy = str(tmp_path / "course")
    shutil.copytree(course["dir"], copy)
    capfd.readouterr()
    argv = ["--course-dir", copy, "grade", "search", "--no-progress", "--workers", "1", "--timeout", "12"]
    for student in SERIAL:
        argv += ["--student", student]
    report = str(tmp_path / "serial.json")
    assert cli.main(argv + ["--report", report]) == 0
    out, err = capfd.readouterr()
    assert "SAWarning" not in out + err and "Unwritable directory" not in out + err and "CRITICAL" not in out + err
    serial = {row["student"]: row for row in json.load(open(report))}
    keys = ("score", "max_score", "status", "notes", "tests", "manual_review", "tampered", "timeout")
    for student in SERIAL:
        assert {k: serial[student][k] for k in keys} == {k: course["rows"][student][k] for k in keys}, student


def robustness_submissions() -> dict:
    """Correct answers plus one way of breaking the grading: a cell copied from another assignment, an extra
    graded cell, 40 MB of output, a result of megabytes, nbgrader's flags flipped on a locked and an answer
    cell."""
    source = nbformat.read(os.path.join(cli.HERE, "examples", "search", "correct_search.ipynb"), as_version=4)

    def with_cells(index, *cells):
        nb = copy.deepcopy(source)
        nb.cells[index:index] = list(cells)
        return nb

    copied = nbformat.read(os.path.join(cli.SOURCE, "gd", "gd.ipynb"), as_version=4)
    foreign = copy.deepcopy(next(c for c in copied.cells if c.metadata.nbgrader["grade_id"] == "gradient_hidden"))
    foreign.source, foreign["id"] = "print('copied from assignment 2')", "copied"
    bonus = nbformat.v4.new_code_cell("print('my bonus answer')", id="bonus", metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": False, "grade_id": "bonus", "points": 5, "schema_version": 3,
        "task": False}})
    chatty = [nbformat.v4.new_code_cell("print('x' * 1_000_000)", id=f"chatty-{i}") for i in range(40)]
    huge = copy.deepcopy(source)
    cell = next(c for c in huge.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "grid_search")
    cell.source = cell.source.replace("return points[best], float(values[best]), len(points)",
                                      "return points[best], float(values[best]), [0.123456789] * 90_000")
    flipped = copy.deepcopy(source)
    for cell in flipped.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "cost_visible":
            cell.metadata.nbgrader["solution"] = True
        if grade_id == "cost":
            cell.metadata.nbgrader.update(grade=True, points=5)
    return {"foreign-cell": with_cells(3, foreign), "bonus-cell": with_cells(len(source.cells), bonus),
            "huge-output": with_cells(2, *chatty), "huge-result": huge, "flags-flipped": flipped}


def test_a_broken_piece_costs_only_itself(course, tmp_path):
    """Each robustness case grades the rest of its notebook, with the reason in the row's notes."""
    work = str(tmp_path / "course")
    shutil.copytree(course["dir"], work)
    folder = tmp_path / "more"
    folder.mkdir()
    for student, nb in robustness_submissions().items():
        nbformat.write(nb, folder / f"{student}_search.ipynb")
    cli.collect(work, str(folder), "search")
    argv = ["--course-dir", work, "grade", "search", "--no-progress", "--timeout", "12"]
    for student in robustness_submissions():
        argv += ["--student", student]
    report = str(tmp_path / "report.json")
    assert cli.main(argv + ["--report", report]) == 0
    rows = {row["student"]: row for row in json.load(open(report))}
    assert {s: (r["score"], r["max_score"], r["status"]) for s, r in rows.items()} == {
        "foreign-cell": (8, 8, "ok"), "bonus-cell": (8, 8, "ok"), "huge-output": (8, 8, "ok"),
        "huge-result": (5, 8, "ok"), "flags-flipped": (8, 8, "tampered")}
    assert "cell cost_visible: nbgrader flags changed (solution); graded as the source's" in rows["flags-flipped"]["notes"]
    assert "cell gradient_hidden is not in the source; ignored" in rows["foreign-cell"]["notes"]
    assert "cell bonus is not in the source; ignored" in rows["bonus-cell"]["notes"]
    assert [n for n in rows["huge-output"]["notes"] if "8 MiB" in n] == [
        "output of the ungraded cells from cell 11 on dropped (the notebook printed more than 8 MiB in all)"]
    autograded = os.path.join(work, "autograded", "huge-output", "search", "search.ipynb")
    assert os.path.getsize(autograded) < 12 * (1 << 20)
    text = authoring_text(work, "huge-result")
    assert "your result is" in text and "the limit is 64 KiB per case" in text
    assert rows["huge-result"]["tests"] == {"cost_hidden": 2, "grid_search_hidden": 0, "coarse_to_fine_hidden": 3}
    assert cli.main(["--course-dir", work, "feedback", "search"]) == 0  # the foreign cells break no page
    for student in robustness_submissions():
        assert os.path.exists(os.path.join(work, "feedback", student, "search", "search.html")), student


def authoring_text(course_dir: str, student: str) -> str:
    from autograder import authoring

    return authoring.verdict_text({"dir": course_dir, "assignment": "search"}, student)
