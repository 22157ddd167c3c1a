r"""One driver for every optimizer: :func:`optimize` runs a registered optimizer (an ``init``/``step`` pair,
:mod:`solutions.optimizers`) for ``n_steps`` full-gradient updates, or until a tolerance, or until it
diverges, and says which happened; :func:`run` and :func:`run_epochs` run a step function for a fixed number
of updates, on full gradients or on epochs of mini-batches.

A learning rate ``lr`` may be a schedule: a function of the step count ``t = 0, 1, ...``.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _checks
from .optim import empty_init
from .optimizers import Optimizer

#: The divergence bound: a run has diverged once an iterate leaves the box :math:`|\theta_i| \le 10^6`.
#: The course's problems have their minima and starts within a few units of the origin, so such an
#: iterate has grown by five orders of magnitude or more.
BOUND = 1e6


class Trajectory(NamedTuple):
    """``thetas[k]`` is the point after ``k`` updates (``thetas[0]`` is the start) and ``costs[k]`` its
    cost (NaN where no cost function was given).

    ``status`` says how the run ended: ``"ran"`` (it took every update it was given), ``"converged"``
    (``thetas[-1]`` met the tolerance) or ``"diverged"`` (update number ``steps + 1`` broke the rule of
    :func:`divergence`; its result is not kept). ``reason`` says which tolerance was met or why the run
    diverged."""

    thetas: np.ndarray
    costs: np.ndarray
    status: str = "ran"
    reason: str = ""

    @property
    def steps(self) -> int:
        """The updates taken and kept: ``thetas[steps]`` is the last point."""
        return len(self.thetas) - 1


def divergence(theta, bound: float = BOUND) -> str:
    r"""Why an iterate means the run has diverged, or ``""`` if it does not: a component that is not finite
    (NaN or ±∞), or one past the bound, :math:`|\theta_i| > \text{bound}` (:data:`BOUND` = 10⁶ by default).

    >>> divergence([1.0, -2.0]), divergence([np.nan, 0.0]), divergence([2e6, 0.0])
    ('', 'not finite', '|θ| > 1e+06')
    """
    theta = np.asarray(theta, dtype=float)
    size = np.abs(theta).max(initial=0.0)  # NaN if any component is NaN
    if size <= bound and size < np.inf:
        return ""
    return f"|θ| > {bound:g}" if np.isfinite(theta).all() else "not finite"


def as_optimizer(step: Callable, init: Callable | None = None) -> Optimizer:
    """A step function as an :class:`Optimizer`. Without ``init`` the step is taken to be stateless,
    ``step(theta, grad, **hyper) -> theta`` (like :func:`gd_step`), and gets the empty state."""
    name = getattr(step, "__name__", "step")
    if init is None:
        def stateless(theta, grad, state, **hyper):
            return step(theta, grad, **hyper), state

        return Optimizer(name, empty_init, stateless, {}, None)
    return Optimizer(name, init, step, {}, None)


def _at(hyper: dict, t: int) -> dict:
    """The hyperparameters of update ``t``: a callable ``lr`` is a schedule."""
    return dict(hyper, lr=hyper["lr"](t)) if callable(hyper.get("lr")) else hyper


def _tolerance_met(theta, grad, cost, gtol, xtol, theta_star, ftol, f_star) -> str:
    if gtol is not None and np.max(np.abs(grad)) <= gtol:
        return "‖∇f‖∞ ≤ gtol"
    if xtol is not None and np.linalg.norm(theta - theta_star) <= xtol:
        return "‖θ − θ*‖ ≤ xtol"
    if ftol is not None and cost - f_star <= ftol:
        return "f − f* ≤ ftol"
    return ""


def optimize(optimizer: Optimizer, theta0, grad_fn: Callable, n_steps: int, cost_fn: Callable | None = None,
             *, gtol=None, xtol=None, theta_star=None, ftol=None, f_star=None, bound=BOUND,
             **hyper) -> Trajectory:
    r"""Run ``optimizer`` from :math:`\theta_0` with full gradients,
    :math:`(\theta_{k+1}, s_{k+1}) = \text{step}(\theta_k, \nabla f(\theta_k), s_k, \dots)`,
    :math:`s_0 = \text{init}(\theta_0)`, until one of three things happens:

    * **converged**: :math:`\theta_k` meets a tolerance that was given, checked before each update and at
      the end: :math:`\|\nabla f(\theta_k)\|_\infty \le` ``gtol``, :math:`\|\theta_k - \theta^*\|_2 \le`
      ``xtol`` (with ``theta_star``), or :math:`f(\theta_k) - f^* \le` ``ftol`` (with ``cost_fn`` and
      ``f_star``);
    * **diverged**: an update gives a :math:`\theta` that is not finite, or leaves
      :math:`|\theta_i| \le` ``bound`` (:func:`divergence`; a non-finite gradient counts, since its update
      cannot be finite). That :math:`\theta` is not kept;
    * **ran**: it took ``n_steps`` updates.

    ``hyper`` overrides ``optimizer.defaults``; ``lr`` may be a schedule. ``cost_fn(theta)`` gives
    ``costs[k]``, one point at a time.

    >>> from solutions import OPTIMIZERS, Quadratic
    >>> q = Quadratic(kappa=10)
    >>> ok = optimize(OPTIMIZERS["GD"], [1.0, 1.0], q.grad, 1000, q.f, gtol=1e-8, lr=0.1)
    >>> ok.status, ok.reason, ok.steps
    ('converged', '‖∇f‖∞ ≤ gtol', 175)
    >>> bad = optimize(OPTIMIZERS["GD"], [1.0, 1.0], q.grad, 1000, lr=0.25)  # past 2 / λmax = 0.2
    >>> bad.status, bad.reason, bad.steps  # θ₂ is multiplied by 1 − 0.25·10 = −1.5 at every update
    ('diverged', '|θ| > 1e+06', 34)
    """
    n_steps = _checks.count(n_steps, "n_steps", minimum=0)
    if (xtol is not None and theta_star is None) or (
            ftol is not None and (f_star is None or cost_fn is None)):
        raise ValueError("xtol needs theta_star, and ftol needs cost_fn and f_star")
    theta_star = None if theta_star is None else _checks.as_array(theta_star, "theta_star")
    hyper = {**optimizer.defaults, **hyper}
    theta = _checks.as_array(theta0, "theta0")
    state = optimizer.init(theta)
    thetas, costs = [theta], []
    status = reason = ""
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_steps + 1):  # a recurrence: each update needs the one before
            costs.append(np.nan if cost_fn is None else float(np.reshape(cost_fn(theta), ())))
            grad = np.asarray(grad_fn(theta), dtype=float) if gtol is not None or k < n_steps else None
            reason = _tolerance_met(theta, grad, costs[-1], gtol, xtol, theta_star, ftol, f_star)
            if reason:
                status = "converged"
                break
            if k == n_steps:
                status = "ran"
                break
            if not np.isfinite(grad).all():
                status, reason = "diverged", "not finite"
                break
            new, state = optimizer.step(theta, grad, state, **_at(hyper, k))
            new = np.asarray(new, dtype=float)
            reason = divergence(new, bound)
            if reason:
                status = "diverged"
                break
            theta = new
            thetas.append(theta)
    return Trajectory(np.array(thetas), np.array(costs), status, reason)


def run(step: Callable, theta0, grad_fn: Callable, n_steps: int, cost_fn: Callable | None = None,
        init: Callable | None = None, **hyper) -> Trajectory:
    r"""Apply ``step`` ``n_steps`` times with the full gradient ``grad_fn(theta)``:
    :math:`\theta_{k+1} = \text{step}(\theta_k, \nabla f(\theta_k), \dots)`, keeping every iterate however
    large (:func:`optimize` with no tolerance and no bound). ``step`` takes a state made by ``init``, or
    none when ``init`` is None (:func:`gd_step`). It raises ``ValueError`` if an iterate stops being finite.

    >>> from solutions import gd_step, cost, gradient, hours_points
    >>> x, y = hours_points()
    >>> path = run(gd_step, 1.0, lambda w: gradient(w, x, y), 100, lambda w: cost(w, x, y), lr=0.01)
    >>> round(float(path.thetas[1]), 2), round(float(path.costs[0]), 2), round(float(path.thetas[-1]), 2)
    (1.09, 4.67, 2.0)
    """
    path = optimize(as_optimizer(step, init), theta0, grad_fn, n_steps, cost_fn, bound=np.inf, **hyper)
    if path.status == "diverged":
        raise ValueError(f"theta must be finite: update {path.steps + 1} is not (the run diverged)")
    return path


def batches(n_samples: int, batch_size: int, rng: np.random.Generator | None = None) -> list[np.ndarray]:
    """The index arrays of one epoch's mini-batches: a permutation of ``range(n_samples)`` when ``rng`` is
    given (shuffled once per epoch), else in order, cut into consecutive batches of ``batch_size`` (the
    last one may be smaller).

    >>> batches(5, 2)
    [array([0, 1]), array([2, 3]), array([4])]
    """
    n_samples = _checks.count(n_samples, "n_samples")
    batch_size = _checks.count(batch_size, "batch_size")
    order = rng.permutation(n_samples) if rng is not None else np.arange(n_samples)
    return [order[i : i + batch_size] for i in range(0, n_samples, batch_size)]


def run_epochs(step: Callable, theta0, problem, epochs: int, batch_size: int, seed: int = 0,
               shuffle: bool = True, init: Callable | None = None, **hyper) -> Trajectory:
    r"""Mini-batch training: each epoch visits every sample once, in batches of ``batch_size`` (reshuffled
    every epoch when ``shuffle``), and updates after each batch with
    ``problem.batch_gradient(theta, batch)``. ``batch_size=1, shuffle=False`` is the lecture's SGD, one
    sample at a time in order; ``batch_size=N`` is full-batch gradient descent.

    An epoch has :math:`\lceil N / B \rceil` updates; the trajectory records the point after each one. It
    raises ``ValueError`` if an iterate stops being finite (:func:`divergence` with no bound).

    >>> from solutions import LinearRegression, gd_step, hours_points
    >>> x, y = hours_points()
    >>> sgd = run_epochs(gd_step, [1.0], LinearRegression(x[:, None], y), 100, 1, shuffle=False, lr=0.01)
    >>> len(sgd.thetas), round(float(sgd.thetas[-1, 0]), 6)
    (301, 2.0)
    """
    epochs = _checks.count(epochs, "epochs", minimum=0)
    batch_size = _checks.count(batch_size, "batch_size")
    optimizer = as_optimizer(step, init)
    theta = _checks.as_array(theta0, "theta0")
    state = optimizer.init(theta)
    rng = np.random.default_rng(seed) if shuffle else None
    thetas, t = [theta], 0
    for _ in range(epochs):
        for batch in batches(problem.n_samples, batch_size, rng):
            theta, state = optimizer.step(theta, problem.batch_gradient(theta, batch), state, **_at(hyper, t))
            theta = np.asarray(theta, dtype=float)
            if divergence(theta, np.inf):
                raise ValueError(f"theta must be finite: update {t + 1} is not (the run diverged)")
            thetas.append(theta)
            t += 1
    thetas = np.array(thetas)
    return Trajectory(thetas, np.asarray(problem.f(thetas), dtype=float).reshape(len(thetas)))
