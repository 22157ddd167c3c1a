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
``momentum_lecture_velocity`` lecture 004's v ← μv − αg with torch's step θ ← θ − αv (the two forms mixed)
``off_by_one``              a count argument (steps, levels, points) used as n − 1 or n + 1
``scaled``                  the output is a fixed factor times the expected one (a missing 2, 1/N, …)
``changed_args``            the reference's output with some arguments changed (β ↔ 1 − β, no shuffle)
``ema_slide_typo``          lecture 000's slide EMA C'ᵢ = βCᵢ + (1−β)Cᵢ₋₁ instead of βC'ᵢ₋₁ + (1−β)Cᵢ
``forward_difference``      (f(θ + h eᵢ) − f(θ))/h instead of the central difference
``drops_last_batch``        an epoch's smaller last mini-batch left out
``reused_permutation``      one permutation reused in every epoch instead of a fresh one per epoch
``step_reversed``           θ + (step) instead of θ − (step), the state as expected (a stateful step's sign)
``momentum_lr_in_velocity`` v ← μv + αg; θ ← θ − αv: the learning rate in the velocity and again in the step
``nesterov_old_velocity``   Nesterov's θ ← θ − α(g + μv) with the velocity before its update
``adam_step_count``         Adam's t not incremented before the bias correction, or not stored (off by one)
``decayed_sum``             RMSProp's / Adam's running means without the (1 − β) weight: a decayed sum
``newton_sign_error``       θ + H⁻¹g instead of Newton's θ − H⁻¹g
``hessian_not_inverted``    θ − Hg: the gradient multiplied by H instead of solved with it
``singular_not_raised``     a step returned (pinv / lstsq) where a singular H must raise
``two_loop_order``          L-BFGS two-loop recursion with a loop run in the other order
``two_loop_unscaled``       the two-loop recursion without γ = sᵀy / yᵀy (r ← q instead of γq)
``two_loop_negated``        the direction −r returned where the recursion returns r ≈ H⁻¹g
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


def momentum_lecture_velocity() -> Mistake:
    """Lecture 004's velocity v ← μv − αg stepped with torch's θ ← θ − α·(v, or g + μv with Nesterov)."""

    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        theta, g, state = np.asarray(b["theta"], float), np.asarray(b["grad"], float), b["state"]
        lr, mu = b["lr"], b.get("momentum", 0.9)
        v = mu * np.asarray(state.v, float) - lr * g
        return [(theta - lr * (g + mu * v if b.get("nesterov") else v), type(state)(v))]

    return Mistake("the other momentum convention", "you mixed the two forms: lecture 004's velocity "
                   "v ← μv − lr·g (already scaled by −lr) with torch.optim.SGD's step θ ← θ − lr·v; here v "
                   "keeps raw gradients, v ← μv + g, and the step is θ ← θ − lr·v", alternatives)


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


def scaled(factor, name: str, explanation: str) -> Mistake:
    """The output is ``factor`` times the expected one; ``factor`` is a number or a function of the case's
    inputs by name (e.g. ``lambda b: len(b["y"])``)."""

    def alternatives(ref, case, expected):
        return [_scaled(expected, factor(_bound(ref, case)) if callable(factor) else factor)]

    return Mistake(name, explanation, alternatives)


def changed_args(name: str, explanation: str, **changes) -> Mistake:
    """The reference called with some arguments changed: each value is the new argument, or a function of
    the case's inputs by name (``beta=lambda b: 1 - b["beta"]``, ``rng=None``)."""

    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        return [case.call(ref, **{k: v(b) if callable(v) else v for k, v in changes.items()})]

    return Mistake(name, explanation, alternatives)


def ema_slide_typo(values: str = "values", beta: str = "beta") -> Mistake:
    """Lecture 000's slide: C'₀ = C₀, C'ᵢ = β·Cᵢ + (1 − β)·Cᵢ₋₁ (two raw values, no feedback)."""

    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        c, beta_ = np.asarray(b[values], dtype=float), float(b[beta])
        if b.get("bias_correction"):
            return []
        return [np.concatenate([c[:1], beta_ * c[1:] + (1 - beta_) * c[:-1]])]

    return Mistake("the slide's EMA recurrence", "you used the slide's C'ᵢ = βCᵢ + (1 − β)Cᵢ₋₁, which mixes "
                   "two raw costs and forgets everything older; feed the smoothed value back: "
                   "C'ᵢ = βC'ᵢ₋₁ + (1 − β)Cᵢ", alternatives)


def forward_difference(f: str = "f", theta: str = "theta", h: str = "h") -> Mistake:
    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        func, t, step = b[f], np.asarray(b[theta], dtype=float), float(b[h])
        grad = np.zeros_like(t)
        for i in np.ndindex(t.shape):
            e = np.zeros_like(t)
            e[i] = step
            grad[i] = (float(func(t + e)) - float(func(t))) / step
        return [grad]

    return Mistake("forward difference", "you used the one-sided (f(θ + h eᵢ) − f(θ))/h, whose error is O(h); "
                   "the central difference (f(θ + h eᵢ) − f(θ − h eᵢ))/(2h) is O(h²)", alternatives)


def drops_last_batch() -> Mistake:
    def alternatives(ref, case, expected):
        out = list(expected)
        return [out[:-1]] if len(out) > 1 and len(out[-1]) < len(out[0]) else []

    return Mistake("last batch dropped", "your epoch leaves out the last, smaller mini-batch; every sample "
                   "must be visited once per epoch, so keep the remainder as a smaller last batch", alternatives)


def reused_permutation(theta0: str = "theta0", epochs: str = "epochs") -> Mistake:
    """For a driver returning ``(thetas, costs)`` by epoch from ``seed``: the reference run one epoch at a
    time with the same seed, i.e. the first permutation reused in every epoch."""

    def alternatives(ref, case, expected):
        b = _bound(ref, case)
        n, thetas, costs = int(b[epochs]), None, None
        theta = b[theta0]
        for _ in range(n):
            t, c = case.call(ref, **{theta0: theta, epochs: 1})
            thetas = [t[0]] if thetas is None else thetas
            costs = [c[0]] if costs is None else costs
            thetas.append(t[1])
            costs.append(c[1])
            theta = t[1]
        return [] if n < 2 else [(np.array(thetas), np.array(costs))]

    return Mistake("same shuffle every epoch", "every epoch visits the samples in the same shuffled order: "
                   "make ONE generator (np.random.default_rng(seed)) before the epochs and draw a fresh "
                   "permutation from it at the start of each epoch (not a new generator per epoch)",
                   alternatives)


def step_reversed(theta: str = "theta") -> Mistake:
    """For a step returning ``(new_theta, *state)``: the new θ mirrored about the old one, θ + (step)."""

    def alternatives(ref, case, expected):
        old = np.asarray(_bound(ref, case)[theta], dtype=float)
        new, *rest = expected
        return [(2 * old - np.asarray(new, dtype=float), *rest)]

    return Mistake("sign error", "you moved uphill, θ + α·(step), instead of downhill, θ − α·(step): the update "
                   "subtracts the step", alternatives)


def _momentum_inputs(ref, case):
    b = _bound(ref, case)
    return (b, np.asarray(b["theta"], float), np.asarray(b["grad"], float), b["state"], b["lr"],
            b.get("momentum", 0.9), bool(b.get("nesterov", False)))


def momentum_lr_in_velocity() -> Mistake:
    def alternatives(ref, case, expected):
        _, theta, g, state, lr, mu, nesterov = _momentum_inputs(ref, case)
        v = mu * state.v + lr * g
        return [(theta - lr * (lr * g + mu * v if nesterov else v), type(state)(v))]

    return Mistake("learning rate applied twice", "you put α into the velocity (v ← μv + αg) and applied it "
                   "again in the step (θ ← θ − αv); in torch.optim.SGD's form the velocity sums raw gradients, "
                   "v ← μv + g, and α is applied once, θ ← θ − αv", alternatives)


def nesterov_old_velocity() -> Mistake:
    def alternatives(ref, case, expected):
        _, theta, g, state, lr, mu, nesterov = _momentum_inputs(ref, case)
        if not nesterov:
            return []
        v = mu * state.v + g
        return [(theta - lr * (g + mu * np.asarray(state.v, float)), type(state)(v))]

    return Mistake("Nesterov with the old velocity", "your Nesterov step uses the velocity from before this "
                   "step's update; first update v ← μv + g, then step θ ← θ − α(g + μv) with the NEW v",
                   alternatives)


def _adam_inputs(ref, case):
    b = _bound(ref, case)
    return (np.asarray(b["theta"], float), np.asarray(b["grad"], float), b["state"], b.get("lr", 1e-3),
            b.get("beta1", 0.9), b.get("beta2", 0.999), b.get("eps", 1e-8))


def adam_step_count() -> Mistake:
    """t used in the bias correction and t stored in the new state: (t₀, t₀) not incremented, (t₀, t₀ + 1)
    incremented after use, (t₀ + 2, t₀ + 2) incremented twice, (t₀ + 1, t₀) incremented but not stored."""

    def alternatives(ref, case, expected):
        theta, g, state, lr, b1, b2, eps = _adam_inputs(ref, case)
        t0 = int(state.t)
        m = b1 * np.asarray(state.m, float) + (1 - b1) * g
        v = b2 * np.asarray(state.v, float) + (1 - b2) * g**2
        out = []
        with np.errstate(all="ignore"):
            for used, kept in ((t0, t0), (t0, t0 + 1), (t0 + 2, t0 + 2), (t0 + 1, t0)):
                m_hat, v_hat = m / (1 - b1**used), v / (1 - b2**used)
                out.append((theta - lr * m_hat / (np.sqrt(v_hat) + eps), type(state)(m, v, kept)))
        return out

    return Mistake("off by one in t", "your step count is off by one: increment t BEFORE the bias correction "
                   "(the first step uses t = 1, so 1 − β1ᵗ = 1 − β1) and return the incremented t in the new "
                   "state", alternatives)


def decayed_sum(kind: str) -> Mistake:
    """``kind`` ``"rmsprop"``: s ← αs + g²; ``"adam"``: m ← β1 m + g and v ← β2 v + g² (bias-corrected as usual)."""
    if kind not in ("rmsprop", "adam"):
        raise ValueError(f"unknown kind {kind!r}")

    def alternatives(ref, case, expected):
        if kind == "rmsprop":
            b = _bound(ref, case)
            theta, g, state = np.asarray(b["theta"], float), np.asarray(b["grad"], float), b["state"]
            s = b.get("alpha", 0.99) * np.asarray(state.s, float) + g**2
            return [(theta - b.get("lr", 0.01) * g / (np.sqrt(s) + b.get("eps", 1e-8)), type(state)(s))]
        theta, g, state, lr, b1, b2, eps = _adam_inputs(ref, case)
        t = int(state.t) + 1
        m = b1 * np.asarray(state.m, float) + g
        v = b2 * np.asarray(state.v, float) + g**2
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        return [(theta - lr * m_hat / (np.sqrt(v_hat) + eps), type(state)(m, v, t))]

    return Mistake("sum instead of mean", "you accumulate a decayed SUM (s ← βs + g²); the running MEAN weighs "
                   "the new term by 1 − β: s ← βs + (1 − β)g² (RMSProp's α, Adam's β1 and β2)", alternatives)


def _newton_inputs(ref, case, theta, grad, hess):
    b = _bound(ref, case)
    t = np.asarray(b[theta], dtype=float)
    return t, np.asarray(b[grad], dtype=float).reshape(-1), np.asarray(b[hess], dtype=float)


def newton_sign_error(grad: str = "grad") -> Mistake:
    return Mistake("sign error", "you stepped to θ + H⁻¹g; Newton's step goes to the minimum of the quadratic "
                   "model, θ − H⁻¹g: solve H p = g, then return θ − p",
                   lambda ref, case, expected: [case.call(ref, **{grad: -np.asarray(case.bound()[grad])})])


def hessian_not_inverted(theta: str = "theta", grad: str = "grad", hess: str = "hess") -> Mistake:
    def alternatives(ref, case, expected):
        t, g, h = _newton_inputs(ref, case, theta, grad, hess)
        return [(t.reshape(-1) - h @ g).reshape(t.shape)]

    return Mistake("H instead of H⁻¹", "you multiplied the gradient by the Hessian (θ − Hg); Newton's step "
                   "divides by it: θ − H⁻¹g, where H⁻¹g is the solution p of H p = g (`np.linalg.solve(H, g)`)",
                   alternatives)


def singular_not_raised(theta: str = "theta", grad: str = "grad", hess: str = "hess") -> Mistake:
    def alternatives(ref, case, expected):
        t, g, h = _newton_inputs(ref, case, theta, grad, hess)
        return [(t.reshape(-1) - np.linalg.pinv(h) @ g).reshape(t.shape),
                (t.reshape(-1) - np.linalg.lstsq(h, g, rcond=None)[0]).reshape(t.shape)]

    return Mistake("no error on a singular Hessian", "H is singular, so Newton's step is not defined, but your "
                   "function returned one (the pseudo-inverse's or least squares' answer); let "
                   "`np.linalg.solve` raise its `LinAlgError` (a `ValueError`) or raise a `ValueError` yourself",
                   alternatives)


def _two_loop(g, s_history, y_history, second_newest_first=False, first_oldest_first=False, scaling=True):
    """The two-loop recursion with optional mistakes (the pairs oldest first, as in the reference)."""
    pairs = [(np.asarray(s, float), np.asarray(y, float)) for s, y in zip(s_history, y_history)]
    q = np.array(g, dtype=float)
    a = {}
    for i in (range(len(pairs)) if first_oldest_first else reversed(range(len(pairs)))):
        s, y = pairs[i]
        a[i] = float(s @ q) / float(y @ s)
        q = q - a[i] * y
    if pairs and scaling:
        s, y = pairs[-1]
        q = q * float(s @ y) / float(y @ y)
    for i in (reversed(range(len(pairs))) if second_newest_first else range(len(pairs))):
        s, y = pairs[i]
        q = q + s * (a[i] - float(y @ q) / float(y @ s))
    return q


def _two_loop_inputs(ref, case, grad, s_history, y_history):
    b = _bound(ref, case)
    return b[grad], list(b[s_history]), list(b[y_history])


def two_loop_order(grad: str = "grad", s_history: str = "s_history", y_history: str = "y_history") -> Mistake:
    def alternatives(ref, case, expected):
        g, s, y = _two_loop_inputs(ref, case, grad, s_history, y_history)
        if len(s) < 2:
            return []
        return [_two_loop(g, s, y, second_newest_first=True), _two_loop(g, s, y, first_oldest_first=True),
                _two_loop(g, s, y, second_newest_first=True, first_oldest_first=True)]

    return Mistake("loop order reversed", "the first loop runs from the NEWEST pair back to the oldest "
                   "(i = k−1, …, k−m) and the second from the OLDEST to the newest (i = k−m, …, k−1), each "
                   "pair with its own aᵢ; one of your loops runs the other way", alternatives)


def two_loop_unscaled(grad: str = "grad", s_history: str = "s_history",
                      y_history: str = "y_history") -> Mistake:
    def alternatives(ref, case, expected):
        g, s, y = _two_loop_inputs(ref, case, grad, s_history, y_history)
        return [_two_loop(g, s, y, scaling=False)] if s else []

    return Mistake("missing γ scaling", "between the loops, scale by γ = sᵀy / yᵀy of the NEWEST pair "
                   "(r ← γq): it is the initial guess of H⁻¹'s size; without it r has the wrong length",
                   alternatives)


def two_loop_negated() -> Mistake:
    return Mistake("returned −r", "you returned the search direction −r; the recursion returns r ≈ H⁻¹g "
                   "itself (with no pairs, r = g), and the caller steps along −r",
                   lambda ref, case, expected: [_scaled(expected, -1)])


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
