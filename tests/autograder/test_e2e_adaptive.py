"""End to end, with the real nbgrader pipeline (release → collect an LMS zip → grade), on the sample
submissions in autograder/examples/adaptive/: exact scores, statuses and diagnostic texts."""

import pytest

from pipeline import run_answered_release, run_pipeline, verdicts

pytestmark = pytest.mark.e2e

# student: (score, status, manual review); 11 points: adagrad_step 2, rmsprop_step 2, adam_step 3 (4 cases
# each), schedules 4 (8 cases: two per schedule)
EXPECTED = {
    "correct": (11, "ok", False),                   # the source notebook as submitted
    "blank": (0, "ok", False),                      # the release, untouched
    "tampering": (0, "tampered", True),             # the release + patched numpy, no asserts, forged probes
    "eps-inside-sqrt": (9.5, "ok", False),          # adam 2 of 4: the tiny-gradient and eps = 1e-3 cases
    "missing-bias-correction": (8, "ok", False),    # adam 0/3
    "t-not-incremented": (8, "ok", False),          # adam 0/3 (NaN at t = 0, wrong t stored later)
    "lr-twice": (9, "ok", False),                   # rmsprop 0/2
    "sum-instead-of-mean": (9, "ok", False),        # rmsprop 0/2
    "mutates-input": (9, "ok", False),              # adagrad: right values, every case mutates the state
    "off-by-one": (10, "ok", False),                # schedules 6 of 8: the two exponential_decay cases
    "cells-tampered": (9, "tampered", True),        # the deleted adagrad cell stays 0; the rest restored
    "renamed": (0, "missing notebook", True),
    "invalid-json": (0, "invalid notebook", True),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return run_pipeline(tmp_path_factory.mktemp("adaptive"), "adaptive")


def test_released_notebook_runs_with_only_numpy(course, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    _, stubs, lines = run_answered_release(course, tmp_path)
    assert stubs == 4
    assert lines == [f"{name}: visible tests passed" for name in (
        "adagrad_step", "rmsprop_step", "adam_step", "schedules")]



def test_every_submission_gets_its_exact_score_and_status(course):
    rows = course["rows"]
    got = {s: (rows[s]["score"], rows[s]["status"], rows[s]["manual_review"]) for s in rows}
    assert got == EXPECTED
    assert rows["correct"]["tests"] == {"adagrad_step_hidden": 2, "rmsprop_step_hidden": 2, "adam_step_hidden": 3,
                                        "schedules_hidden": 4}


def test_diagnostics_name_the_mistakes(course):
    assert verdicts(course, "correct").strip() == ""
    text = verdicts(course, "eps-inside-sqrt")
    assert "Partial credit: 1.5 of 3 points (2 of 4 cases right)." in text
    assert "likely mistake: eps inside the square root" in text
    text = verdicts(course, "missing-bias-correction")
    assert "adam_step: 4 of 4 cases wrong." in text and "likely mistake: missing bias correction" in text
    text = verdicts(course, "t-not-incremented")
    assert "likely mistake: off by one in t: your step count is off by one" in text
    assert "got:      ([nan, nan]" in text  # the first step divides by 1 - beta**0 = 0
    assert "likely mistake: learning rate applied twice" in verdicts(course, "lr-twice")
    text = verdicts(course, "sum-instead-of-mean")
    assert "rmsprop_step: 4 of 4 cases wrong." in text and "likely mistake: sum instead of mean" in text
    text = verdicts(course, "mutates-input")
    assert "adagrad_step: 4 of 4 cases wrong." in text and "correct value, but mutated an input: state" in text
    text = verdicts(course, "off-by-one")
    assert "Partial credit: 3 of 4 points (6 of 8 cases right)." in text
    assert "likely mistake: off by one in t: your schedule is one step ahead" in text
    assert verdicts(course, "tampering").count("probe records in one cell") == 4
    assert verdicts(course, "blank").count("raised NotImplementedError") == 12  # 3 cases shown per probe


def test_summary_notes(course):
    notes = " ".join(course["rows"]["cells-tampered"]["notes"])
    for text in ("locked cell adagrad_step_hidden deleted", "locked cell adagrad_step_visible edited",
                 "locked cell rmsprop_step_visible duplicated",
                 "locked cell schedules_hidden changed from code to markdown"):
        assert text in notes
