"""End to end, with the real nbgrader pipeline (release → collect an LMS zip → grade → feedback → export), on
the sample submissions in autograder/examples/second_order/: exact scores, statuses and diagnostic texts."""

import csv
import os

import pytest

from autograder import cli

from pipeline import run_answered_release, run_pipeline, verdicts

pytestmark = pytest.mark.e2e

# student: (score, status, manual review). 8 points: newton_step 3 (4 value cases + 2 singular cases, one
# cell, 0.5 a case), newton 2 (4 cases), lbfgs_two_loop 3 (5 cases). newton calls the student's newton_step,
# so a wrong step also costs newton's cases.
EXPECTED = {
    "correct": (8, "ok", False),                  # the source notebook as submitted
    "blank": (0, "ok", False),                    # the release, untouched
    "tampering": (0, "tampered", True),           # the release + patched numpy, no asserts, forged probes
    "sign-error": (4, "ok", False),               # newton_step: only the 2 singular cases; newton 0; two-loop 3
    "hessian-not-inverted": (3, "ok", False),     # θ − Hg returns a step even for a singular H: 0 + 0 + 3
    "pinv": (7, "ok", False),                     # newton_step 4 of 6 (no error when H is singular)
    "off-by-one": (6, "ok", False),               # newton 0
    "reversed-loop": (6.2, "ok", False),          # two-loop 2 of 5 (no pairs, one pair: order cannot matter)
    "missing-gamma": (5.6, "ok", False),          # two-loop 1 of 5 (no pairs: no γ)
    "mutates-input": (6.2, "ok", False),          # two-loop: right values, lists reversed when 2+ pairs
    "cells-tampered": (5, "tampered", True),      # the deleted newton_step cell stays 0; the rest restored
    "renamed": (0, "missing notebook", True),
    "invalid-json": (0, "invalid notebook", True),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return run_pipeline(tmp_path_factory.mktemp("second_order"), "second_order")


def test_released_notebook_runs_with_only_numpy(course, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    text, stubs, lines = run_answered_release(course, tmp_path)
    assert "raises_or_returns" not in text and "autograder" not in text
    assert stubs == 3
    assert lines == ["newton_step: visible tests passed", "newton: visible tests passed",
                     "lbfgs_two_loop: visible tests passed"]



def test_collect_reports_names_it_cannot_read(course):
    """A bare `second_order.ipynb` has no student id; with an underscore in the assignment's name it must not
    be read as student `second` submitting `order.ipynb`."""
    collected = course["collected"]
    assert [os.path.basename(p) for p in collected["unrecognized"]] == ["second_order.ipynb"]
    assert collected["renamed"] == ["second_order-Copy1.ipynb"]
    assert sorted(collected["students"]) == sorted(EXPECTED)


def test_every_submission_gets_its_exact_score_and_status(course):
    rows = course["rows"]
    got = {s: (rows[s]["score"], rows[s]["status"], rows[s]["manual_review"]) for s in rows}
    assert got == EXPECTED
    assert rows["correct"]["tests"] == {"newton_step_hidden": 3, "newton_hidden": 2, "lbfgs_two_loop_hidden": 3}
    for student, row in rows.items():
        assert row["max_score"] == 8 or row["status"] in ("invalid notebook", "missing notebook"), student


def test_diagnostics_name_the_mistakes(course):
    assert verdicts(course, "correct").strip() == ""
    sign = verdicts(course, "sign-error")
    assert "Partial credit: 1 of 3 points (2 of 6 cases right)." in sign
    assert "likely mistake: sign error: you stepped to θ + H⁻¹g" in sign
    not_inverted = verdicts(course, "hessian-not-inverted")
    assert "likely mistake: H instead of H⁻¹: you multiplied the gradient by the Hessian (θ − Hg)" in not_inverted
    pinv = verdicts(course, "pinv")
    assert "Partial credit: 2 of 3 points (4 of 6 cases right)." in pinv
    assert "newton_step_singular: 2 of 2 cases wrong." in pinv
    assert "(H is singular: must raise a ValueError)" in pinv
    assert "expected: <str: 'raised ValueError'>" in pinv
    assert "likely mistake: no error on a singular Hessian" in pinv
    assert "likely mistake: off by one in n_steps" in verdicts(course, "off-by-one")
    reversed_loop = verdicts(course, "reversed-loop")
    assert "Partial credit: 1.2 of 3 points (2 of 5 cases right)." in reversed_loop
    assert "likely mistake: loop order reversed" in reversed_loop
    gamma = verdicts(course, "missing-gamma")
    assert "Partial credit: 0.6 of 3 points (1 of 5 cases right)." in gamma
    assert "likely mistake: missing γ scaling" in gamma
    mutated = verdicts(course, "mutates-input")
    assert "Partial credit: 1.2 of 3 points (2 of 5 cases right)." in mutated
    assert mutated.count("correct value, but mutated an input: s_history, y_history") == 3
    assert verdicts(course, "tampering").count("probe records in one cell") == 4
    blank = verdicts(course, "blank")
    assert blank.count("raised NotImplementedError") == 3 * 4 - 1  # 3 cases shown per probe; singular has 2


def test_summary_notes(course):
    notes = " ".join(course["rows"]["cells-tampered"]["notes"])
    for text in ("locked cell newton_step_visible edited", "locked cell newton_step_hidden deleted",
                 "locked cell newton_visible duplicated",
                 "locked cell lbfgs_two_loop_hidden changed from code to markdown"):
        assert text in notes


def test_feedback_and_export(course):
    assert cli.main(["--course-dir", course["dir"], "feedback", "second_order"]) == 0
    page = open(os.path.join(course["dir"], "feedback", "missing-gamma", "second_order", "second_order.html")).read()
    assert "missing γ scaling" in page
    assert cli.main(["--course-dir", course["dir"], "export"]) == 0
    with open(os.path.join(course["dir"], "export", "grades.csv")) as handle:
        scores = {r["student"]: float(r["final score"]) for r in csv.DictReader(handle) if r["final score"]}
    assert scores == {s: float(v[0]) for s, v in EXPECTED.items() if s in scores}
    assert {"correct", "blank", "tampering", "pinv"} <= set(scores)
