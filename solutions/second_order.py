r"""Second-order methods: Newton's step and L-BFGS (lecture 003).

Newton minimizes the quadratic model
:math:`L(w) \approx L(w_0) + (w - w_0)^\top \nabla L(w_0) + \tfrac12 (w - w_0)^\top H (w - w_0)`, whose
minimum is :math:`w^* = w_0 - H^{-1} \nabla L(w_0)`. For :math:`N` parameters the Hessian has :math:`N^2`
entries and solving with it costs :math:`O(N^3)`: impractical for millions of weights. L-BFGS keeps only the
last ``memory`` steps and gradient changes and applies an approximate inverse Hessian in :math:`O(mN)`.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _checks


def newton_step(theta, grad, hess):
    r"""One Newton step :math:`\theta - H^{-1} g`, by solving :math:`H p = g` (never forming :math:`H^{-1}`).

    On a quadratic it lands on the minimum in one step, whatever the condition number:

    >>> A = np.array([[1.0, 0.0], [0.0, 100.0]])
    >>> theta = np.array([1.0, 1.0])
    >>> newton_step(theta, A @ theta, A)
    array([0., 0.])
    """
    theta, grad = _checks.as_array(theta, "theta"), _checks.as_array(grad, "grad")
    hess = _checks.as_array(hess, "hess")
    theta1 = theta.reshape(-1)
    if hess.shape != (theta1.size, theta1.size):
        raise ValueError(f"hess must be ({theta1.size}, {theta1.size}) for theta of size {theta1.size}, got {hess.shape}")
    try:
        step = np.linalg.solve(hess, grad.reshape(-1))
    except np.linalg.LinAlgError as exc:
        raise SingularHessian("hess is singular: the Newton step is not defined here") from exc
    return _checks.result((theta1 - step).reshape(theta.shape))


class SingularHessian(ValueError):
    """:math:`H p = g` has no unique solution: the Newton step is not defined."""


def newton_update(theta, grad, state, hess: Callable):
    r"""Newton's method in the shape every optimizer shares: :math:`\theta \leftarrow \theta - H(\theta)^{-1} g`
    (:func:`newton_step`), returning ``(new_theta, state)`` with the (empty) state unchanged. ``hess`` is
    the Hessian as a function of :math:`\theta` (a problem's ``hess``).

    Where :math:`H` is singular the step is not defined (infinitely long along the null direction): the
    new :math:`\theta` is NaN, which a driver reports as a run that stopped being finite.

    >>> from solutions import Quadratic, empty_init
    >>> q = Quadratic(kappa=100)
    >>> newton_update([1.0, 1.0], q.grad([1.0, 1.0]), empty_init(0.0), q.hess)[0]  # one step to the minimum
    array([0., 0.])
    """
    try:
        return newton_step(theta, grad, hess(theta)), state
    except SingularHessian:
        return np.full(np.shape(theta), np.nan), state


def lbfgs_two_loop(grad, s_history, y_history) -> np.ndarray:
    r"""The two-loop recursion (Nocedal & Wright, Algorithm 7.4): returns :math:`r \approx H^{-1} g` from
    the last steps :math:`s_i = \theta_{i+1} - \theta_i` and gradient changes :math:`y_i = g_{i+1} - g_i`
    (oldest first), so that :math:`-r` is the search direction.

    .. math::

        q &\leftarrow g; \quad \text{for } i = k-1, \dots, k-m:\quad
            \rho_i = 1 / y_i^\top s_i,\ a_i = \rho_i s_i^\top q,\ q \leftarrow q - a_i y_i \\
        r &\leftarrow \gamma q, \quad \gamma = \frac{s_{k-1}^\top y_{k-1}}{y_{k-1}^\top y_{k-1}} \\
        &\text{for } i = k-m, \dots, k-1:\quad b = \rho_i y_i^\top r,\ r \leftarrow r + s_i (a_i - b)

    With no history it returns ``g`` itself (steepest descent).

    >>> A = np.diag([1.0, 10.0]); s = [np.array([1.0, 0.0]), np.array([0.0, 1.0])]
    >>> lbfgs_two_loop(np.array([1.0, 10.0]), s, [A @ v for v in s])  # recovers A^{-1} g exactly
    array([1., 1.])
    """
    q = np.array(grad, dtype=float)
    rhos = [1.0 / float(y @ s) for s, y in zip(s_history, y_history)]
    alphas = []
    for s, y, rho in zip(reversed(s_history), reversed(y_history), reversed(rhos)):
        a = rho * float(s @ q)
        q -= a * y
        alphas.append(a)
    if s_history:
        s, y = s_history[-1], y_history[-1]
        q *= float(s @ y) / float(y @ y)
    for s, y, rho, a in zip(s_history, y_history, rhos, reversed(alphas)):
        b = rho * float(y @ q)
        q += s * (a - b)
    return q


def _cubic_min(a, fa, ga, b, fb, gb):
    """The minimizer of the cubic through (a, fa, ga) and (b, fb, gb), or None (N&W eq. 3.59)."""
    d1 = ga + gb - 3 * (fa - fb) / (a - b)
    radicand = d1 * d1 - ga * gb
    if radicand < 0:
        return None
    d2 = np.sign(b - a) * np.sqrt(radicand)
    denom = gb - ga + 2 * d2
    if denom == 0:
        return None
    return b - (b - a) * (gb + d2 - d1) / denom


def wolfe_line_search(fun, grad, theta, direction, f0, g0, alpha0=1.0, c1=1e-4, c2=0.9, max_evals=50):
    r"""A step length :math:`\alpha` along ``direction`` satisfying the strong Wolfe conditions
    (Nocedal & Wright, Algorithms 3.5 and 3.6):

    .. math::

        f(\theta + \alpha p) \le f(\theta) + c_1 \alpha\, g^\top p \quad\text{(sufficient decrease, Armijo)},
        \qquad |\nabla f(\theta + \alpha p)^\top p| \le c_2 |g^\top p| \quad\text{(curvature)}.

    Returns ``(alpha, f_new, g_new, evaluations)``; ``alpha`` is None if no such step was found.
    """
    dphi0 = float(g0 @ direction)
    if dphi0 >= 0:
        raise ValueError("direction is not a descent direction: g·p must be negative")
    evals = 0

    def phi(alpha):
        nonlocal evals
        evals += 1
        point = theta + alpha * direction
        f, g = float(fun(point)), np.asarray(grad(point), dtype=float)
        return f, g, float(g @ direction)

    def zoom(lo, f_lo, d_lo, hi, f_hi, d_hi):
        while evals < max_evals:
            trial = _cubic_min(lo, f_lo, d_lo, hi, f_hi, d_hi)
            low, high = min(lo, hi), max(lo, hi)
            margin = 0.1 * (high - low)
            if trial is None or not (low + margin <= trial <= high - margin):
                trial = 0.5 * (lo + hi)  # safeguard: bisect when the cubic is no help
            f, g, d = phi(trial)
            if f > f0 + c1 * trial * dphi0 or f >= f_lo:
                hi, f_hi, d_hi = trial, f, d
            else:
                if abs(d) <= -c2 * dphi0:
                    return trial, f, g
                if d * (hi - lo) >= 0:
                    hi, f_hi, d_hi = lo, f_lo, d_lo
                lo, f_lo, d_lo = trial, f, d
        return None, None, None

    prev, f_prev, d_prev = 0.0, f0, dphi0
    alpha = alpha0
    while evals < max_evals:
        f, g, d = phi(alpha)
        if not np.isfinite(f) or f > f0 + c1 * alpha * dphi0 or (evals > 1 and f >= f_prev):
            result = zoom(prev, f_prev, d_prev, alpha, f if np.isfinite(f) else np.inf, d if np.isfinite(d) else 0.0)
            return (*result, evals)
        if abs(d) <= -c2 * dphi0:
            return alpha, f, g, evals
        if d >= 0:
            return (*zoom(alpha, f, d, prev, f_prev, d_prev), evals)
        prev, f_prev, d_prev = alpha, f, d
        alpha *= 2
    return None, None, None, evals


class LBFGSResult(NamedTuple):
    """The final point and value, the iterations and function evaluations used, every iterate, and
    whether the gradient tolerance was reached."""

    theta: np.ndarray
    value: float
    iterations: int
    evaluations: int
    thetas: np.ndarray
    converged: bool


def lbfgs(fun: Callable, grad: Callable, theta0, memory=10, max_iter=200, tol=1e-6) -> LBFGSResult:
    r"""Limited-memory BFGS (Liu & Nocedal 1989; Nocedal & Wright, Algorithm 7.5) for full-batch problems.

    Each iteration takes the direction :math:`p = -r` from :func:`lbfgs_two_loop` over the last ``memory``
    pairs :math:`(s_i, y_i)`, and a step that satisfies the strong Wolfe conditions
    (:func:`wolfe_line_search`); a pair is kept only if :math:`s^\top y > 0`, which keeps the implied inverse
    Hessian positive definite. It stops when :math:`\|g\|_\infty \le` ``tol``.

    >>> from solutions import Rosenbrock
    >>> r = Rosenbrock()
    >>> result = lbfgs(r.f, r.grad, [-1.2, 1.0])
    >>> result.converged, result.theta.round(5), result.iterations < 60
    (True, array([1., 1.]), True)
    """
    theta = _checks.as_array(theta0, "theta0").reshape(-1).copy()
    memory = _checks.count(memory, "memory")
    max_iter = _checks.count(max_iter, "max_iter", minimum=0)
    tol = _checks.positive(tol, "tol")
    f, g = float(fun(theta)), np.asarray(grad(theta), dtype=float)
    evaluations, thetas = 1, [theta.copy()]
    s_history: list[np.ndarray] = []
    y_history: list[np.ndarray] = []
    iterations = 0
    while np.max(np.abs(g)) > tol and iterations < max_iter:
        direction = -lbfgs_two_loop(g, s_history, y_history)
        if float(g @ direction) >= 0:  # lost descent (numerical trouble): restart from steepest descent
            s_history, y_history = [], []
            direction = -g
        alpha0 = 1.0 if s_history else min(1.0, 1.0 / np.sum(np.abs(g)))
        alpha, f_new, g_new, evals = wolfe_line_search(fun, grad, theta, direction, f, g, alpha0)
        evaluations += evals
        if alpha is None:
            break
        s, y = alpha * direction, g_new - g
        if float(s @ y) > 1e-10 * float(y @ y):
            s_history, y_history = (s_history + [s])[-memory:], (y_history + [y])[-memory:]
        theta, f, g = theta + s, f_new, g_new
        thetas.append(theta.copy())
        iterations += 1
    return LBFGSResult(theta, f, iterations, evaluations, np.array(thetas), bool(np.max(np.abs(g)) <= tol))
