r"""Status is data: what went wrong while a notebook was graded, as the grader's own process saw it.

The preprocessors that run a submission (:mod:`autograder.execute`: timeouts, limits, a dead kernel, output cut
short, processes left behind) and judge it (:mod:`autograder.verdicts`: forged probe records, a probe whose
case ran out of time) :func:`report` an :class:`Outcome` for the (assignment, student) they are working on;
the CLI :func:`take`\ s them once nbgrader's ``autograde`` returns in the same process. Nothing here is read
back from a notebook: no output, error name or text that a student's code could print changes a status.
"""

from __future__ import annotations

from dataclasses import dataclass

# kinds that make a row's status, and those that only flag it
DIED, TIMEOUT_KINDS, TAMPERED = "died", ("timeout", "wall", "cpu", "probe-timeout"), "tampered"


@dataclass(frozen=True)
class Outcome:
    """One thing that went wrong while a notebook was graded, as the grader's summary row shows it."""

    kind: str  # memory | cpu | wall | timeout | probe-timeout | died | processes | output | stray | unsandboxed
    #            | tampered | foreign
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


def clear() -> None:
    _OUTCOMES.clear()
