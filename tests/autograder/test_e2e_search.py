"""End to end, with the real nbgrader pipeline: release → collect (an LMS zip) → grade → feedback → export,
in a temporary course dir, on the sample submissions in autograder/examples/search/."""

import csv
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

from pipeline import run_answered_release, run_pipeline, verdicts

pytestmark = pytest.mark.e2e

# student: (score, status, manual review)
EXPECTED = {
    "correct": (8, "ok", False),                 # the source notebook as submitted
    "blank": (0, "ok", False),                   # the release, untouched
    "tampering": (0, "tampered", True),          # the release + patched numpy, no asserts, forged probes
    "sum-instead-of-mean": (6, "ok", False),
    "sign-error": (5, "ok", False),
    "off-by-one": (5, "ok", False),
    "mutates-input": (7.5, "ok", False),         # 3 of 4 cost cases: partial credit
    "raises": (6, "ok", False),
    "infinite-loop": (5, "timeout", False),
    "kernel-exit": (5, "kernel died", True),     # the cells before the death keep their points
    "cells-tampered": (6, "tampered", True),     # deleted graded cell stays 0; the rest restored
    "renamed": (0, "missing notebook", True),
    "invalid-json": (0, "invalid notebook", True),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return run_pipeline(tmp_path_factory.mktemp("search"), "search")


def test_release_has_no_solutions_and_zips(course):
    folder = os.path.join(course["dir"], "release", "search")
    text = open(os.path.join(folder, "search.ipynb")).read()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "solutions" not in text
    assert "raise NotImplementedError()" in text
    with zipfile.ZipFile(os.path.join(course["dir"], "release", "search.zip")) as archive:
        assert archive.namelist() == ["search/search.ipynb"]


def test_released_notebook_runs_with_only_numpy(course, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    _, stubs, lines = run_answered_release(course, tmp_path)
    assert stubs == 3
    assert lines == ["cost: visible tests passed", "grid_search: visible tests passed",
                     "coarse_to_fine: visible tests passed"]



def test_collect_reports_names_it_cannot_read(course):
    collected = course["collected"]
    assert [os.path.basename(p) for p in collected["unrecognized"]] == ["search.ipynb"]
    assert collected["renamed"] == ["search-Copy1.ipynb"]
    assert sorted(collected["students"]) == sorted(EXPECTED)


def test_every_submission_gets_its_exact_score_and_status(course):
    rows = course["rows"]
    assert set(rows) == set(EXPECTED)
    got = {s: (rows[s]["score"], rows[s]["status"], rows[s]["manual_review"]) for s in rows}
    assert got == EXPECTED
    for student, row in rows.items():
        assert row["max_score"] == 8 or row["status"] in ("invalid notebook", "missing notebook"), student


def test_diagnostics_name_the_mistakes(course):
    assert verdicts(course, "correct").strip() == ""
    assert "likely mistake: sum instead of mean (missing 1/N)" in verdicts(course, "sum-instead-of-mean")
    assert "likely mistake: sign error (maximizes)" in verdicts(course, "sign-error")
    assert "likely mistake: off by one in levels" in verdicts(course, "off-by-one")
    mutated = verdicts(course, "mutates-input")
    assert "Partial credit: 1.5 of 2 points (3 of 4 cases right)." in mutated
    assert "correct value, but mutated an input: y" in mutated
    assert "raised NameError: name 'N' is not defined" in verdicts(course, "raises")
    loop = verdicts(course, "infinite-loop")
    assert "timeout: the call took longer than 2 s" in loop and "skipped after an earlier case timed out" in loop
    assert "The cell stopped with KernelDied" in verdicts(course, "kernel-exit")
    tampering = verdicts(course, "tampering")
    assert tampering.count("probe records in one cell") == 3
    blank = verdicts(course, "blank")
    assert blank.count("raised NotImplementedError") == 9  # 3 cases shown per probe
    assert "... and 1 more" in blank


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


def test_feedback_and_export(course):
    assert cli.main(["--course-dir", course["dir"], "feedback", "search"]) == 0
    page = open(os.path.join(course["dir"], "feedback", "sum-instead-of-mean", "search", "search.html")).read()
    assert "sum instead of mean" in page and "expected: 4.66667" in page
    assert cli.main(["--course-dir", course["dir"], "export"]) == 0
    with open(os.path.join(course["dir"], "export", "grades.csv")) as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle)}
    assert set(rows) == set(EXPECTED)  # every student has a row, with a status
    scores = {s: float(r["final score"]) for s, r in rows.items() if r["final score"]}
    assert scores == {s: float(v[0]) for s, v in EXPECTED.items() if s in scores}
    assert {"correct", "blank", "tampering", "sum-instead-of-mean"} <= set(scores)
    assert (rows["renamed"]["status"], rows["invalid-json"]["status"]) == ("missing notebook", "invalid notebook")
    png = os.path.join(course["dir"], "export", "search.png")
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    rates = cli.pass_rates(course["dir"])["search"]["pass_rates"]
    assert list(rates) == ["cost_hidden", "grid_search_hidden", "coarse_to_fine_hidden"]  # notebook order
    assert all(0 < r < 1 for r in rates.values())


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
