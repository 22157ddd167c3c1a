"""End to end, with the real nbgrader pipeline (release → collect an LMS zip → grade), on the sample
submissions in autograder/examples/sgd/: exact scores, statuses and diagnostic texts."""

import pytest

from pipeline import run_answered_release, run_pipeline, verdicts

pytestmark = pytest.mark.e2e

# student: (score, status, manual review); 8 points: batches 2, sgd_epoch 3, run_epochs 3. A mistake in
# batches or sgd_epoch also reaches run_epochs, which calls them.
EXPECTED = {
    "correct": (8, "ok", False),                 # the source notebook as submitted
    "blank": (0, "ok", False),                   # the release, untouched
    "tampering": (0, "tampered", True),          # the release + patched numpy, no asserts, forged probes
    "sum-instead-of-mean": (3.35, "ok", False),  # sgd_epoch 1 of 5 (batch size 1), run_epochs 1 of 4
    "not-shuffled": (4.1, "ok", False),          # batches 2/5, sgd_epoch 3/5, run_epochs 2/4 (the unshuffled cases)
    "shuffled-once": (6.5, "ok", False),         # run_epochs 2 of 4 (the shuffled cases with more than one batch)
    "off-by-one": (5, "ok", False),              # run_epochs 0/3
    "drops-last-batch": (5.25, "ok", False),     # batches 3/5, sgd_epoch 3/5, run_epochs 3/4
    "sign-error": (2, "ok", False),              # sgd_epoch and run_epochs 0
    "mutates-input": (2, "ok", False),           # sgd_epoch mutates theta; run_epochs's trajectory aliases it
    "cells-tampered": (6, "tampered", True),     # the deleted batches cell stays 0; the rest restored
    "renamed": (0, "missing notebook", True),
    "invalid-json": (0, "invalid notebook", True),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return run_pipeline(tmp_path_factory.mktemp("sgd"), "sgd")


def test_released_notebook_runs_with_only_numpy(course, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    _, stubs, lines = run_answered_release(course, tmp_path)
    assert stubs == 3
    assert lines == [f"{name}: visible tests passed" for name in ("batches", "sgd_epoch", "run_epochs")]



def test_every_submission_gets_its_exact_score_and_status(course):
    rows = course["rows"]
    got = {s: (rows[s]["score"], rows[s]["status"], rows[s]["manual_review"]) for s in rows}
    assert got == EXPECTED
    assert rows["correct"]["tests"] == {"batches_hidden": 2, "sgd_epoch_hidden": 3, "run_epochs_hidden": 3}


def test_diagnostics_name_the_mistakes(course):
    assert verdicts(course, "correct").strip() == ""
    text = verdicts(course, "sum-instead-of-mean")
    assert "Partial credit: 0.6 of 3 points (1 of 5 cases right)." in text
    assert text.count("likely mistake: sum instead of mean over the batch (missing 1/|B|)") == 4
    text = verdicts(course, "not-shuffled")
    assert "likely mistake: not shuffled: your result matches the samples taken in order: when `rng` is given" in text
    assert "when `seed` is given" in text
    text = verdicts(course, "shuffled-once")
    assert "Partial credit: 1.5 of 3 points (2 of 4 cases right)." in text
    assert text.count("likely mistake: same shuffle every epoch") == 2
    assert "likely mistake: off by one in epochs" in verdicts(course, "off-by-one")
    assert "likely mistake: last batch dropped" in verdicts(course, "drops-last-batch")
    text = verdicts(course, "sign-error")
    assert text.count("likely mistake: sign error: you moved along the gradient (θ + lr·g)") == 6
    text = verdicts(course, "mutates-input")
    assert text.count("correct value, but mutated an input: theta") == 3
    assert verdicts(course, "tampering").count("probe records in one cell") == 3
    blank = verdicts(course, "blank")
    assert blank.count("raised NotImplementedError") == 9  # 3 cases shown for each of the 3 probes


def test_summary_notes(course):
    notes = " ".join(course["rows"]["cells-tampered"]["notes"])
    for text in ("locked cell batches_hidden deleted", "locked cell batches_visible edited",
                 "locked cell sgd_epoch_visible duplicated",
                 "locked cell run_epochs_hidden changed from code to markdown"):
        assert text in notes
