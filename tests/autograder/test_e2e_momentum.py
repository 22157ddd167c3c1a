"""End to end, with the real nbgrader pipeline (release → collect an LMS zip → grade), on the sample
submissions in autograder/examples/momentum/: exact scores, statuses and diagnostic texts."""

import pytest

from pipeline import run_answered_release, run_pipeline, verdicts

pytestmark = pytest.mark.e2e

# student: (score, status, manual review); 7 points: momentum_step 4 (5 cases), minimize 3 (4 cases).
# minimize calls the student's momentum_step, so a wrong step also costs minimize's cases.
EXPECTED = {
    "correct": (7, "ok", False),                    # the source notebook as submitted
    "blank": (0, "ok", False),                      # the release, untouched
    "tampering": (0, "tampered", True),             # the release + patched numpy, no asserts, forged probes
    "other-convention": (2.25, "ok", False),        # step 0/4; minimize 3 of 4 (same points at a constant
                                                    # lr: only the Nesterov case differs)
    "mixed-convention": (0, "ok", False),           # lecture 004's velocity with torch's step: climbs
    "dampening": (0.8, "ok", False),                # step 1 of 5 (momentum = 0); minimize 0/3
    "lr-twice": (0, "ok", False),
    "sign-error": (0, "ok", False),
    "mutates-input": (3, "ok", False),              # every step case mutates the state; minimize is right
    "nesterov-old-velocity": (4.65, "ok", False),   # step 3 of 5 (the two Nesterov cases wrong), minimize 3 of 4
    "off-by-one": (4, "ok", False),                 # minimize 0/3
    "cells-tampered": (3, "tampered", True),        # the deleted momentum_step cell stays 0; the rest restored
    "renamed": (0, "missing notebook", True),
    "invalid-json": (0, "invalid notebook", True),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return run_pipeline(tmp_path_factory.mktemp("momentum"), "momentum")


def test_released_notebook_runs_with_only_numpy(course, tmp_path):
    """The release has no solutions, and answered, runs in a Python whose path holds numpy and nothing else."""
    _, stubs, lines = run_answered_release(course, tmp_path)
    assert stubs == 2
    assert lines == ["momentum_step: visible tests passed", "minimize: visible tests passed"]



def test_every_submission_gets_its_exact_score_and_status(course):
    rows = course["rows"]
    got = {s: (rows[s]["score"], rows[s]["status"], rows[s]["manual_review"]) for s in rows}
    assert got == EXPECTED
    assert rows["correct"]["tests"] == {"momentum_step_hidden": 4, "minimize_hidden": 3}


def test_diagnostics_name_the_mistakes(course):
    assert verdicts(course, "correct").strip() == ""
    text = verdicts(course, "other-convention")
    assert "momentum_step: 5 of 5 cases wrong." in text
    assert "likely mistake: the other momentum convention: you used the lecture's form v ← μv − lr·g" in text
    assert "Partial credit: 2.25 of 3 points (3 of 4 cases right)." in text  # minimize: only Nesterov differs
    text = verdicts(course, "mixed-convention")
    assert "likely mistake: the other momentum convention: you mixed the two forms" in text
    text = verdicts(course, "dampening")
    assert "Partial credit: 0.8 of 4 points (1 of 5 cases right)." in text
    assert "likely mistake: momentum with dampening" in text
    assert "likely mistake: learning rate applied twice: you put α into the velocity" in verdicts(course, "lr-twice")
    assert "likely mistake: sign error: you moved uphill" in verdicts(course, "sign-error")
    text = verdicts(course, "mutates-input")
    assert "momentum_step: 5 of 5 cases wrong." in text and "correct value, but mutated an input: state" in text
    text = verdicts(course, "nesterov-old-velocity")
    assert "Partial credit: 2.4 of 4 points (3 of 5 cases right)." in text
    assert "likely mistake: Nesterov with the old velocity" in text
    assert "likely mistake: off by one in n_steps" in verdicts(course, "off-by-one")
    assert "shape (12, 2) instead of (13, 2)" in verdicts(course, "off-by-one")
    assert verdicts(course, "tampering").count("probe records in one cell") == 2
    assert verdicts(course, "blank").count("raised NotImplementedError") == 6  # 3 cases shown per probe


def test_summary_notes(course):
    notes = " ".join(course["rows"]["cells-tampered"]["notes"])
    for text in ("locked cell momentum_step_hidden deleted", "locked cell momentum_step_visible edited",
                 "locked cell minimize_visible duplicated",
                 "locked cell minimize_hidden changed from code to markdown"):
        assert text in notes
