r"""How an assignment is declared: one file per assignment in :mod:`autograder.assignments`.

An :class:`Assignment` is an introduction, a setup cell and a list of :class:`Question`. A question holds
everything about one graded function: its text, its solution (with nbgrader's ``### BEGIN/END SOLUTION``
markers), its visible tests, its points, the reference in :mod:`solutions` that grades it, its input cases
(:func:`case`), its known mistakes (:class:`Mistake`), and correct answers written differently
(:func:`alternative`), which must get full marks. From this the author's tools generate the source
notebook, the probe's case file and the sample submissions (:mod:`autograder.authoring`), and the grader
takes the points, tolerances and mistakes (:mod:`autograder.verdicts`).

A mistake is an edit of the solution ("eps inside the square root": replace ``np.sqrt(v_hat) + eps`` by
``np.sqrt(v_hat + eps)``). The same edit writes the mistake's sample submission, and the grader recognises
the mistake by running the edited solutions in its own process (:meth:`Assignment.namespace`) and comparing
their output with the student's. Nothing re-implements a reference by hand.

This is grader-side and author-side code: it holds solution text and is never visible to student code.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from autograder.compare import ATOL, RTOL
from autograder.probe.inputs import Case, ProbeInputs, describe

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass(frozen=True)
class Call:
    """The arguments of one case, as the author writes them (:func:`case`)."""

    args: tuple
    kwargs: dict
    note: str = ""


def case(*args, note: str = "", **kwargs) -> Call:
    """One input case: the graded function's arguments (test problems from :mod:`autograder.probe.objects`,
    arrays, numbers...) and an optional ``note`` shown after the arguments in the feedback."""
    return Call(args, kwargs, note)


@dataclass(frozen=True)
class Mistake:
    """A known mistake: ``edits`` are ``(old, new)`` replacements in the question's solution. ``slug`` names
    its sample submission (``examples/<assignment>/<slug>_<assignment>.ipynb``; mistakes of several questions
    that share a slug share one submission); ``name`` and ``explanation`` are what the feedback says."""

    slug: str
    name: str
    explanation: str
    edits: tuple[tuple[str, str], ...]


def mistake(slug: str, name: str, explanation: str, *edits: tuple[str, str]) -> Mistake:
    return Mistake(slug, name, explanation, tuple(edits))


def one_step_short(*edits: tuple[str, str], holds: str = "theta0 and the n_steps points after it") -> Mistake:
    """A driver's loop run ``n_steps - 1`` times (the ``edits`` make it so); ``holds`` says what the
    trajectory should hold."""
    return mistake("off-by-one", "off by one in n_steps", "your trajectory is one step short: `range(n_steps)` "
                   f"runs exactly n_steps times, and the trajectory holds {holds}", *edits)


@dataclass(frozen=True)
class Variant:
    """A sample submission that is not a named mistake (an error, a loop, a mutated input): ``edits`` as for
    :class:`Mistake`, or ``code`` that replaces the whole answer. The grader never runs it."""

    slug: str
    edits: tuple[tuple[str, str], ...] = ()
    code: str | None = None


def variant(slug: str, *edits: tuple[str, str], code: str | None = None) -> Variant:
    return Variant(slug, tuple(edits), code)


def alternative(slug: str, *edits: tuple[str, str], code: str | None = None) -> Variant:
    """A correct answer written differently (loops, lists, float32, ``solve`` for ``inv``, the student's own
    NamedTuple...): as :func:`variant`, but its sample submission must get full marks. Alternatives of several
    questions that share a slug make one sample submission."""
    return Variant(slug, tuple(edits), code)


@dataclass
class Question:
    """One graded function (see the module docstring). ``id`` is the solution cell's grade id; ``function``
    (default: ``id``) is what the hidden test probes. ``raises`` names the exception the function must raise
    where the reference raises it (e.g. ``"ValueError"`` for a singular Hessian)."""

    id: str
    text: str
    solution: str
    visible: str
    points: float
    reference: str
    cases: list[Call]
    function: str = ""
    mistakes: tuple[Mistake, ...] = ()
    variants: tuple[Variant, ...] = ()
    alternatives: tuple[Variant, ...] = ()
    fields: tuple[str, ...] = ()
    rtol: float = RTOL
    atol: float = ATOL
    partial: bool = True
    time_limit: float = 2.0
    raises: str | None = None
    md_id: str = ""
    visible_id: str = ""
    hidden_id: str = ""

    def __post_init__(self):
        self.function = self.function or self.id
        self.md_id = self.md_id or f"{self.id}_md"
        self.visible_id = self.visible_id or f"{self.id}_visible"
        self.hidden_id = self.hidden_id or f"{self.function}_hidden"

    @property
    def answer(self) -> str:
        """The solution without nbgrader's markers: the correct answer, as a student would write it."""
        return "\n".join(line for line in self.solution.strip().splitlines()
                         if line.strip() not in (BEGIN, END))

    def resolve_reference(self) -> Callable:
        module, _, attribute = self.reference.partition(":")
        return getattr(importlib.import_module(module), attribute)


def apply_edits(code: str, edits, where: str = "") -> str:
    """``code`` with each ``(old, new)`` replaced; an ``old`` that does not occur is an error."""
    for old, new in edits:
        if old not in code:
            raise ValueError(f"edit {old!r} does not apply to {where or 'the code'}")
        code = code.replace(old, new)
    return code


@dataclass
class Assignment:
    name: str
    intro: str
    setup: str
    questions: list[Question]
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def question(self, hidden_id: str) -> Question | None:
        """The question graded by the hidden test cell ``hidden_id``."""
        return next((q for q in self.questions if q.hidden_id == hidden_id), None)

    @property
    def mistakes(self) -> list[tuple[Question, Mistake]]:
        return [(q, m) for q in self.questions for m in q.mistakes]

    def code(self, answers: dict[str, str] | None = None) -> str:
        """The setup and every answer (``answers`` by question id replace the correct ones), as one program."""
        answers = answers or {}
        return "\n\n".join([self.setup.strip()] + [answers.get(q.id, q.answer) for q in self.questions]) + "\n"

    def namespace(self, mistake: Mistake | None = None) -> dict[str, Any]:
        """The functions the solutions define (cached), or the ones they define with ``mistake``'s edits:
        a later question that calls an earlier one (``train`` calls ``gradient``) inherits its mistake, as a
        student's would."""
        owner = next(q for q in self.questions if mistake in q.mistakes) if mistake else None
        key = (owner.id, mistake) if mistake else None
        if key not in self._cache:
            answers = {}
            if mistake is not None:
                answers[owner.id] = apply_edits(owner.answer, mistake.edits, f"{self.name}.{owner.id}")
            namespace: dict[str, Any] = {"__name__": f"{self.name}_solutions"}
            exec(compile(self.code(answers), f"<{self.name} solutions>", "exec"), namespace)  # noqa: S102
            self._cache[key] = namespace
        return self._cache[key]

    def probe_inputs(self, question: Question) -> ProbeInputs:
        """The cases of ``question`` with their labels, named after the parameters of its function."""
        params = list(inspect.signature(self.namespace()[question.function]).parameters)
        cases = []
        for call in question.cases:
            names = tuple(params[: len(call.args)])
            shown = [f"{n}={describe(v)}" for n, v in zip(names, call.args)]
            shown += [f"{k}={describe(v)}" for k, v in call.kwargs.items()]
            label = f"{question.function}({', '.join(shown)})" + (f"  ({call.note})" if call.note else "")
            cases.append(Case(tuple(call.args), dict(call.kwargs), names, label))
        return ProbeInputs(f"{self.name}.{question.function}", question.time_limit, cases)


@functools.lru_cache(maxsize=None)
def load(name: str) -> Assignment:
    """The assignment declared in ``autograder/assignments/<name>.py``."""
    if not name.isidentifier():
        raise KeyError(f"not an assignment name: {name!r}")
    try:
        module = importlib.import_module(f"autograder.assignments.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"autograder.assignments.{name}":
            raise KeyError(f"no assignment {name!r} (expected autograder/assignments/{name}.py)") from None
        raise
    return module.ASSIGNMENT
