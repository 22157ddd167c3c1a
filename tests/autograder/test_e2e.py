"""End to end, for every assignment, with the real nbgrader pipeline: release → collect an LMS zip → grade (two
workers, sandboxed) → feedback → export, on the sample submissions generated from the assignment's
declaration. Every sample must get exactly what autograder/examples/expected.json (generated, reviewed in
the diff) says."""

import csv
import json
import os

import pytest

from autograder import authoring, cli
from autograder.assignment import load

from pipeline import graded, run_answered_release

pytestmark = pytest.mark.e2e

NAMES = authoring.names()
EXPECTED = json.load(open(authoring.EXPECTED))


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_gets_exactly_its_expected_result(name):
    got = authoring.expected_rows(graded(name))
    assert got.keys() == EXPECTED[name].keys()
    for student, row in got.items():
        assert row == EXPECTED[name][student], student


@pytest.mark.parametrize("name", NAMES)
def test_samples_that_look_for_answers_find_none(name):
    """The sample that searches every importable module and every readable file for code defining the
    graded functions, and runs what it finds, scores nothing: no answer is readable by student code."""
    row = graded(name)["rows"]["steals-answers"]
    assert row["score"] == 0 and row["max_score"] == sum(q.points for q in load(name).questions), row
    assert "found nothing for" in authoring.verdict_text(graded(name), "steals-answers")


@pytest.mark.parametrize("name", NAMES)
def test_released_notebook_runs_with_only_numpy(name, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    text, stubs, lines = run_answered_release(graded(name), tmp_path)
    questions = load(name).questions
    assert "autograder" not in text and stubs == len(questions)
    assert len(lines) == len(questions) and all(line.endswith("visible tests passed") for line in lines), lines


@pytest.mark.parametrize("name", NAMES)
def test_collect_reports_names_it_cannot_read(name):
    """A bare `<assignment>.ipynb` has no student id (and `second_order.ipynb` is not student `second`); a
    renamed notebook is reported."""
    collected = graded(name)["collected"]
    assert [os.path.basename(p) for p in collected["unrecognized"]] == [f"{name}.ipynb"]
    assert collected["renamed"] == [f"{name}-Copy1.ipynb"]
    assert sorted(collected["students"]) == sorted(EXPECTED[name])


@pytest.mark.parametrize("name", NAMES)
def test_feedback_names_the_mistakes_and_export_has_the_scores(name):
    course = graded(name)
    assert cli.main(["--course-dir", course["dir"], "feedback", name]) == 0
    for _, mistake in load(name).mistakes:
        page = open(os.path.join(course["dir"], "feedback", mistake.slug, name, f"{name}.html")).read()
        assert mistake.name.replace("&", "&amp;") in page, (mistake.slug, mistake.name)
    assert cli.main(["--course-dir", course["dir"], "export"]) == 0
    with open(os.path.join(course["dir"], "export", "grades.csv")) as handle:
        rows = {r["student"]: r for r in csv.DictReader(handle) if r["assignment"] == name}
    assert set(rows) == set(EXPECTED[name])  # every student has a row, with a status
    scores = {s: float(r["final score"]) for s, r in rows.items() if r["final score"]}
    assert scores == {s: row["score"] for s, row in EXPECTED[name].items() if s in scores}
    assert {"correct", "blank", "tampering", "steals-answers"} <= set(scores)
    assert (rows["renamed"]["status"], rows["invalid-json"]["status"]) == ("missing notebook", "invalid notebook")
