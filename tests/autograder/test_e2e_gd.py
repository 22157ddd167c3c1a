"""End to end, with the real nbgrader pipeline (release → collect an LMS zip → grade), on the sample
submissions in autograder/examples/gd/: exact scores, statuses and diagnostic texts."""

import pytest

from pipeline import run_answered_release, run_pipeline, verdicts

pytestmark = pytest.mark.e2e

# student: (score, status, manual review); 13 points: gradient 2, train 3, max_stable_lr 2, ema 2,
# numerical_gradient 2, last_layer_gradient 2
EXPECTED = {
    "correct": (13, "ok", False),                # the source notebook as submitted
    "blank": (0, "ok", False),                   # the release, untouched
    "tampering": (0, "tampered", True),          # the release + patched numpy, no asserts, forged probes
    "sum-instead-of-mean": (8, "ok", False),     # gradient 0/2, and train (which calls it) 0/3
    "off-by-one": (10, "ok", False),             # train 0/3
    "sign-error": (8, "ok", False),              # train 0/3, last_layer_gradient 0/2
    "ema-slide-typo": (11, "ok", False),         # ema 0/2
    "hessian-factor": (11, "ok", False),         # max_stable_lr 0/2
    "forward-difference": (11, "ok", False),     # numerical_gradient 0/2
    "mutates-input": (11.5, "ok", False),        # train: 2 of 4 cases (the two array w0 are mutated)
    "cells-tampered": (11, "tampered", True),    # the deleted gradient cell stays 0; the rest restored
    "renamed": (0, "missing notebook", True),
    "invalid-json": (0, "invalid notebook", True),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return run_pipeline(tmp_path_factory.mktemp("gd"), "gd")


def test_released_notebook_runs_with_only_numpy(course, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    _, stubs, lines = run_answered_release(course, tmp_path)
    assert stubs == 6
    assert lines == [f"{name}: visible tests passed" for name in (
        "gradient", "train", "max_stable_lr", "ema", "numerical_gradient", "last_layer_gradient")]



def test_every_submission_gets_its_exact_score_and_status(course):
    rows = course["rows"]
    got = {s: (rows[s]["score"], rows[s]["status"], rows[s]["manual_review"]) for s in rows}
    assert got == EXPECTED
    assert rows["correct"]["tests"] == {"gradient_hidden": 2, "train_hidden": 3, "max_stable_lr_hidden": 2,
                                        "ema_hidden": 2, "numerical_gradient_hidden": 2,
                                        "last_layer_gradient_hidden": 2}


def test_diagnostics_name_the_mistakes(course):
    assert verdicts(course, "correct").strip() == ""
    text = verdicts(course, "sum-instead-of-mean")
    assert "likely mistake: sum instead of mean (missing 1/N)" in text
    assert "likely mistake: steps N times too large" in text
    assert "expected: -9.33333\n    got:      -28" in text
    assert "likely mistake: off by one in n_steps" in verdicts(course, "off-by-one")
    text = verdicts(course, "sign-error")
    assert "likely mistake: sign error: you moved along the gradient (θ + lr·g)" in text
    assert "likely mistake: sign error: your result has the opposite sign" in text
    text = verdicts(course, "ema-slide-typo")
    assert "likely mistake: the slide's EMA recurrence" in text and "ema: 5 of 5 cases wrong." in text
    assert "likely mistake: the Hessian's factor 2 left out" in verdicts(course, "hessian-factor")
    assert "likely mistake: forward difference" in verdicts(course, "forward-difference")
    text = verdicts(course, "mutates-input")
    assert "Partial credit: 1.5 of 3 points (2 of 4 cases right)." in text
    assert "correct value, but mutated an input: w0" in text
    assert verdicts(course, "tampering").count("probe records in one cell") == 6
    blank = verdicts(course, "blank")
    assert blank.count("raised NotImplementedError") == 18  # 3 cases shown for each of the 6 probes


def test_summary_notes(course):
    notes = " ".join(course["rows"]["cells-tampered"]["notes"])
    for text in ("locked cell gradient_hidden deleted", "locked cell gradient_visible edited",
                 "locked cell train_visible duplicated",
                 "locked cell last_layer_gradient_hidden changed from code to markdown"):
        assert text in notes
