"""The registry of probes: one module ``autograder.cases.<assignment>`` per assignment.

Each module defines ``PROBES``, a list of :class:`Probe`. A probe names

* ``name``: ``"<assignment>.<function>"``, what the hidden test passes to :func:`autograder.probe.probe`;
* ``grade_id``: the nbgrader id of the hidden test cell whose points it decides (several probes may share
  one cell; the cell then passes only if all of them do, or scores by case when ``partial``);
* ``cases``: a function returning the input cases, built deterministically (fixed numbers or a seeded
  generator) and fresh on every call, so the student's function can never see a previously mutated input;
* ``reference``: ``"module:attribute"`` of the reference implementation, resolved only in the grader's
  process (``"solutions:cost"``); this package never imports :mod:`solutions` itself;
* ``rtol``/``atol``: the comparison tolerance; ``fields``: names of the parts of a tuple result;
* ``mistakes``: the :class:`autograder.diagnostics.Mistake` recognizers that apply;
* ``points`` (the cell's points, checked against the notebook by the tests), ``partial`` (credit by case),
  ``time_limit`` (seconds per case).

Case inputs are visible to the student's kernel (they are in this package); reference outputs never are.
"""

from __future__ import annotations

import copy
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Case:
    """One call: positional ``args`` (named by ``names``), keyword ``kwargs`` and a short ``label``."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    names: tuple = ()
    label: str = ""

    def fresh(self) -> tuple[list, dict]:
        return list(copy.deepcopy(self.args)), copy.deepcopy(self.kwargs)

    def arg_names(self) -> tuple:
        return self.names

    def bound(self) -> dict[str, Any]:
        """Fresh copies of the inputs by name (positional names first, then keywords)."""
        args, kwargs = self.fresh()
        out = {name: value for name, value in zip(self.names, args)}
        out.update(kwargs)
        return out

    def call(self, fn: Callable, **overrides):
        """``fn`` on fresh copies of the inputs, with some of them replaced by name."""
        args, kwargs = self.fresh()
        for key, value in overrides.items():
            if key in self.names[: len(args)]:
                args[self.names.index(key)] = value
            else:
                kwargs[key] = value
        return fn(*args, **kwargs)


@dataclass
class Probe:
    name: str
    grade_id: str
    cases: Callable[[], list]
    reference: str
    points: float
    rtol: float = 1e-6
    atol: float = 1e-9
    fields: tuple = ()
    mistakes: tuple = ()
    partial: bool = True
    time_limit: float = 2.0

    @property
    def function(self) -> str:
        return self.name.split(".", 1)[1]

    def resolve_reference(self) -> Callable:
        module, _, attribute = self.reference.partition(":")
        return getattr(importlib.import_module(module), attribute)


def assignment_module(assignment: str):
    if not assignment.isidentifier():
        raise KeyError(f"not a valid assignment name: {assignment!r}")
    try:
        return importlib.import_module(f"autograder.cases.{assignment}")
    except ModuleNotFoundError as exc:
        if exc.name == f"autograder.cases.{assignment}":
            raise KeyError(f"no cases registered for assignment {assignment!r} "
                           f"(expected a module autograder/cases/{assignment}.py)") from None
        raise


def probes_for(assignment: str) -> list[Probe]:
    return list(assignment_module(assignment).PROBES)


def get_probe(name: str) -> Probe:
    assignment, _, _ = name.partition(".")
    for spec in probes_for(assignment):
        if spec.name == name:
            return spec
    raise KeyError(f"no probe named {name!r} in autograder/cases/{assignment}.py")


def by_grade_id(assignment: str) -> dict[str, list[Probe]]:
    out: dict[str, list[Probe]] = {}
    for spec in probes_for(assignment):
        out.setdefault(spec.grade_id, []).append(spec)
    return out
