r"""Status is data: what went wrong while a notebook was graded, as the grader's own process saw it.

The preprocessors that run a submission (:mod:`autograder.execute`: timeouts, limits, a dead kernel, output cut
short, processes left behind) and judge it (:mod:`autograder.verdicts`: forged probe records, a probe whose
case ran out of time) :func:`report` an :class:`Outcome` for the (assignment, student) they are working on;
the CLI :func:`take`\ s them once nbgrader's ``autograde`` returns in the same process. Nothing here is read
back from a notebook's text: no output, error name or message that a student's code could print changes a
status; what the kernel recorded (a probe's own time limit) is a note, not a status.
"""

from __future__ import annotations

from dataclasses import dataclass

# What the grader's process observed makes a row's status or flags it: a dead kernel, a cell or the notebook
# over its time (its own clock), the jail's CPU limit (its exit status). "tampered" is the verdicts' judgement
# of the probe records themselves (a notebook can bring it on itself, never take it away); "grader-error"
# asks for a manual look. The other kinds ("probe-timeout", as the probe in the kernel recorded it;
# "memory", as the kernel reported it; output cut, strays, foreign cells) are notes only.
DIED, TIMEOUT_KINDS, TAMPERED, GRADER_ERROR = "died", ("timeout", "wall", "cpu"), "tampered", "grader-error"


@dataclass(frozen=True)
class Outcome:
    """One thing that went wrong while a notebook was graded, as the grader's summary row shows it."""

    kind: str  # memory | cpu | wall | timeout | probe-timeout | died | processes | output | stray | unsandboxed
    #            | tampered | foreign | grader-error
    message: str
    cell: int | None = None  # 1-based position of the cell in the notebook

    def __str__(self) -> str:
        return self.message


_OUTCOMES: dict[tuple[str, str], list[Outcome]] = {}


def _key(resources: dict | None) -> tuple[str, str]:
    info = (resources or {}).get("nbgrader", {})
    return str(info.get("assignment", "")), str(info.get("student", ""))


def report(resources: dict | None, outcome: Outcome) -> None:
    """Record ``outcome`` for the submission that ``resources`` (nbgrader's) describe, once."""
    found = _OUTCOMES.setdefault(_key(resources), [])
    if outcome not in found:
        found.append(outcome)


def take(assignment: str, student: str) -> list[Outcome]:
    """The outcomes recorded for one submission, in order, and forget them."""
    return _OUTCOMES.pop((assignment, student), [])
