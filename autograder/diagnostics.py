r"""Name the mistake behind a wrong answer, only when it really is that mistake.

Every known mistake is declared once, as an edit of a question's solution (:class:`autograder.assignment.Mistake`).
To recognise one, the grader runs the *edited* solutions in its own process
(:meth:`autograder.assignment.Assignment.namespace`) on every case of the failing probe and compares their
outputs with the student's: the mistake is named only if it reproduces the student's output on every case
(the same value within the question's tolerance, or an error where the student's function raised).
Otherwise the feedback says expected vs got and names nothing.

The question's own mistakes are tried first, then those of the other questions, since a function that calls
another (``train`` calls ``gradient``) inherits its mistakes. Nothing here re-implements a reference.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from autograder.assignment import Assignment, Mistake, Question
from autograder.compare import compare
from autograder.probe import to_jsonable

ERROR = object()  # what a function that raised produced
NO_RESULT = object()  # a case that gave nothing to compare (it ran out of time, or was skipped)

MUTATED_INPUT = ("mutated an input",
                 "your function changed its input {names} in place (e.g. `x -= ...` or `theta[...] = ...`); "
                 "work on a copy (`x = x - ...`) so the caller's arrays stay as they were")


def outcome(fn, case, raises: str | None):
    """What ``fn`` gives on ``case`` as recorded data: its value, ``{"raised": raises}`` when it raises an
    exception of that class (or a subclass), or :data:`ERROR` for any other exception."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return to_jsonable(case.call(fn))
    except Exception as exc:  # noqa: BLE001 - any error is an outcome
        if raises and raises in [cls.__name__ for cls in type(exc).__mro__]:
            return {"raised": raises}
        return ERROR


def candidates(a: Assignment, q: Question) -> list[tuple[Question, Mistake]]:
    """The mistakes to try for question ``q``: its own first, then the other questions'."""
    own = [(q, m) for m in q.mistakes]
    return own + [(owner, m) for owner, m in a.mistakes if owner is not q]


def diagnose(a: Assignment, q: Question, cases, got: list[Any]) -> list[tuple[Question, Mistake]]:
    """Every mistake (with the question that declares it) whose edited solutions give exactly ``got``: one
    entry per case, the student's recorded value, or :data:`ERROR` where their function raised, or
    :data:`NO_RESULT` where nothing can be compared (a timeout), in which case nothing is named. Several mistakes can give
    the same result on these cases; the feedback then names them all."""
    found: list[tuple[Question, Mistake]] = []
    if any(g is NO_RESULT for g in got):
        return found
    for owner, mistake in candidates(a, q):
        fn = a.namespace(mistake).get(q.function)
        if fn is None:
            continue
        for case, student in zip(cases, got):
            alt = outcome(fn, case, q.raises)
            if (alt is ERROR) != (student is ERROR):
                break
            try:
                if alt is not ERROR and compare(alt, student, q.rtol, q.atol, q.fields) is not None:
                    break
            except Exception:  # noqa: BLE001 - a value the comparison cannot take matches nothing
                break
        else:
            if all((mistake.name, mistake.explanation) != (m.name, m.explanation) for _, m in found):
                found.append((owner, mistake))
    return found
