r"""Name the likely mistake behind a wrong answer.

A :class:`Mistake` knows how to compute the *wrong* answer a particular mistake would give: it mutates the
reference (rescales its output, calls it with a changed argument, or runs a small variant of the update
rule written out here). The verdict compares the student's output with each applicable alternative; the
first that agrees names the mistake. All of this runs in the grader's process; the reference function is
passed in, so this module imports nothing from :mod:`solutions` and the recognizers can be tested on
small local references.

Recognizers (factories return a :class:`Mistake`):

==========================  =====================================================================
``sum_instead_of_mean``     Σ instead of (1/N) Σ: the output is N times too large (missing 1/N)
``negated``                 a sign error in a derivative: the output is −(expected)
``step_sign_error``         θ + lr·g instead of θ − lr·g (the gradient argument negated)
``search_maximizes``        a sign error in a search: argmax instead of argmin
``missing_bias_correction`` Adam without m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)
``eps_inside_sqrt``         lr·g/√(s + eps) instead of lr·g/(√s + eps) (AdaGrad, RMSProp, Adam)
``lr_applied_twice``        θ − lr·(lr·g): the learning rate multiplied in twice
``momentum_lecture_form``   v ← μv − lr·g; θ ← θ + v, the lecture's form, instead of torch's v ← μv + g
``momentum_dampening``      v ← μv + (1−μ)·g (dampening = μ) instead of v ← μv + g
``off_by_one``              a count argument (steps, levels, points) used as n − 1 or n + 1
==========================  =====================================================================

A mutated input is not recognized by value: the probe records it (see :data:`MUTATED_INPUT`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

MUTATED_INPUT = ("mutated an input",
                 "your function changed its input {names} in place (e.g. `x -= ...` or `theta[...] = ...`); "
                 "work on a copy (`x = x - ...`) so the caller's arrays stay as they were")


@dataclass(frozen=True)
class Mistake:
    """``alternatives(reference, case, expected)`` yields the outputs the mistake would produce."""

    name: str
    explanation: str
    alternatives: Callable[[Callable, Any, Any], list]


def _scaled(value, factor):
    if isinstance(value, tuple):
        return tuple(_scaled(v, factor) for v in value)
    return np.asarray(value) * factor


def sum_instead_of_mean(data: str = "x") -> Mistake:
    """The output is N = len(``data``) times the expected one."""
    return Mistake(
        "sum instead of mean (missing 1/N)",
        "your result is exactly N times the expected one: you summed over the N samples where the cost "
        "is their mean; divide by N (or use `np.mean`)",
        lambda ref, case, expected: [_scaled(expected, len(np.atleast_1d(case.bound()[data])))],
    )


def negated() -> Mistake:
    return Mistake("sign error", "your result has the opposite sign of the expected one: check the sign "
                   "of each term of the derivative (d/dω (xω − y)² = 2x(xω − y))",
                   lambda ref, case, expected: [_scaled(expected, -1)])


def step_sign_error(grad: str = "grad") -> Mistake:
    return Mistake("sign error", "you moved along the gradient (θ + lr·g) instead of against it (θ − lr·g)",
                   lambda ref, case, expected: [case.call(ref, **{grad: -np.asarray(case.bound()[grad])})])


def search_maximizes(f: str = "f") -> Mistake:
    """Argmax instead of argmin: the reference run on −f, with the value flipped back."""

    def alternatives(ref, case, expected):
        func = case.bound()[f]
        theta, value, evaluations = case.call(ref, **{f: lambda p: -np.asarray(func(p))})
        return [(theta, -value, evaluations)]

    return Mistake("sign error (maximizes)", "you kept the largest value (argmax / max) where the search "
                   "must keep the smallest (argmin / min)", alternatives)


def missing_bias_correction() -> Mistake:
    return Mistake("missing bias correction", "your step matches Adam without bias correction: divide by "
                   "1 − β1ᵗ and 1 − β2ᵗ (m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ)), with t counted from 1",
                   lambda ref, case, expected: [case.call(ref, bias_correction=False)])


def _bound(ref, case) -> dict:
    """The case's inputs by name, with the reference's defaults filled in."""
    args, kwargs = case.fresh()
    try:
        bound = inspect.signature(ref).bind(*args, **kwargs)
    except (TypeError, ValueError):
        return case.bound()
    bound.apply_defaults()
    return dict(bound.arguments)


def eps_inside_sqrt(kind: str) -> Mistake:
    """``kind`` is ``"adagrad"``, ``"rmsprop"`` or ``"adam"``; the defaults follow torch.optim."""
    if kind not in ("adagrad", "rmsprop", "adam"):
        raise ValueError(f"unknown kind {kind!r}")

    def alternatives(ref, case, expected):
        b = _bound(ref, case)

        def _get(_, name, default):
            return b.get(name, default)

        theta = np.asarray(_get(case, "theta", None), dtype=float)
        g = np.asarray(_get(case, "grad", None), dtype=float)
        state = _get(case, "state", None)
        if kind == "adagrad":
            lr, eps = _get(case, "lr", 0.01), _get(case, "eps", 1e-10)
            s = state.s + g**2
            return [(theta - lr * g / np.sqrt(s + eps), type(state)(s))]
        if kind == "rmsprop":
            lr, alpha, eps = _get(case, "lr", 0.01), _get(case, "alpha", 0.99), _get(case, "eps", 1e-8)
            s = alpha * state.s + (1 - alpha) * g**2
            return [(theta - lr * g / np.sqrt(s + eps), type(state)(s))]
        lr, b1, b2 = _get(case, "lr", 1e-3), _get(case, "beta1", 0.9), _get(case, "beta2", 0.999)
        eps, correct = _get(case, "eps", 1e-8), _get(case, "bias_correction", True)
        t = state.t + 1
        m = b1 * state.m + (1 - b1) * g
        v = b2 * state.v + (1 - b2) * g**2
        m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if correct else (m, v)
        return [(theta - lr * m_hat / np.sqrt(v_hat + eps), type(state)(m, v, t))]

    return Mistake("eps inside the square root", "you added eps inside the square root, √(s + eps); "
                   "torch.optim (and this course) adds it outside: √s + eps", alternatives)


def lr_applied_twice(lr: str = "lr") -> Mistake:
    return Mistake("learning rate applied twice", "your step is lr times too small: the learning rate is "
                   "multiplied in twice (θ − lr·(lr·g)); apply it once",
                   lambda ref, case, expected: [case.call(ref, **{lr: _bound(ref, case)[lr] ** 2})])


def momentum_lecture_form() -> Mistake:
    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        theta, g, state = np.asarray(b["theta"], float), np.asarray(b["grad"], float), b["state"]
        lr, mu = b["lr"], b.get("momentum", 0.9)
        v = mu * state.v - lr * g
        return [(theta + v, type(state)(v))]

    return Mistake("the other momentum convention", "you used the lecture's form v ← μv − lr·g, θ ← θ + v; "
                   "this assignment pins torch.optim.SGD's form v ← μv + g, θ ← θ − lr·v (the two agree only "
                   "when lr is constant and v is rescaled by −lr)", alternatives)


def momentum_dampening() -> Mistake:
    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        theta, g, state = np.asarray(b["theta"], float), np.asarray(b["grad"], float), b["state"]
        lr, mu = b["lr"], b.get("momentum", 0.9)
        v = mu * state.v + (1 - mu) * g
        return [(theta - lr * v, type(state)(v))]

    return Mistake("momentum with dampening", "you averaged the gradient into v (v ← μv + (1 − μ)g, an "
                   "EMA); torch.optim.SGD's default has no dampening: v ← μv + g", alternatives)


def off_by_one(count: str) -> Mistake:
    def alternatives(ref, case, expected):
        n = _bound(ref, case)[count]
        out = []
        for m in (n - 1, n + 1):
            if m >= 1:
                try:
                    out.append(case.call(ref, **{count: m}))
                except Exception:  # noqa: BLE001 - an impossible variant recognizes nothing
                    pass
        return out

    return Mistake(f"off by one in {count}", f"your result matches {count} − 1 or {count} + 1: check where "
                   f"your loop or range starts and stops (`range({count})` runs exactly {count} times; "
                   f"`np.linspace(lo, hi, {count})` includes both ends)", alternatives)


def recognize(mistakes, reference, case, expected, got, agree: Callable[[Any, Any], bool]):
    """The first of ``mistakes`` whose alternative output ``agree``\\ s with ``got`` (or None)."""
    for mistake in mistakes:
        try:
            alternatives = mistake.alternatives(reference, case, expected)
        except Exception:  # noqa: BLE001 - a recognizer that does not apply to this case
            continue
        for alternative in alternatives:
            if agree(alternative, got):
                return mistake
    return None
