r"""One driver for every optimizer: run a step function for ``n_steps`` on full gradients, or for epochs
of mini-batches, and return the whole trajectory.

A step function is either stateless, ``step(theta, grad, **hyper) -> theta`` (:func:`gd_step`), or takes
and returns a state, ``step(theta, grad, state, **hyper) -> (theta, state)``, with ``init(theta0)`` giving
the first state. A learning rate ``lr`` may be a schedule: a function of the step count ``t = 0, 1, ...``.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _checks


class Trajectory(NamedTuple):
    """``thetas[k]`` is the point after ``k`` updates (``thetas[0]`` is the start) and ``costs[k]`` its
    cost over the whole data set (NaN where no cost function was given)."""

    thetas: np.ndarray
    costs: np.ndarray


def _stepper(step: Callable, init: Callable | None, theta0, hyper: dict):
    theta = _checks.as_array(theta0, "theta0")
    state = None if init is None else init(theta)
    schedule = hyper.get("lr") if callable(hyper.get("lr")) else None

    def advance(theta, grad, t):
        nonlocal state
        kwargs = dict(hyper, lr=schedule(t)) if schedule else hyper
        if state is None:
            return step(theta, grad, **kwargs)
        theta, state = step(theta, grad, state, **kwargs)
        return theta

    return theta, advance


def _cost_of(cost_fn: Callable | None, thetas: np.ndarray) -> np.ndarray:
    if cost_fn is None:
        return np.full(len(thetas), np.nan)
    return np.asarray(cost_fn(thetas), dtype=float).reshape(len(thetas))


def run(step: Callable, theta0, grad_fn: Callable, n_steps: int, cost_fn: Callable | None = None,
        init: Callable | None = None, **hyper) -> Trajectory:
    r"""Apply ``step`` ``n_steps`` times with the full gradient ``grad_fn(theta)``:
    :math:`\theta_{k+1} = \text{step}(\theta_k, \nabla f(\theta_k), \dots)`.

    ``cost_fn`` must accept the stacked ``(n_steps + 1, ...)`` array of iterates (every problem's ``f``
    does).

    >>> from solutions import gd_step, cost, gradient, hours_points
    >>> x, y = hours_points()
    >>> path = run(gd_step, 1.0, lambda w: gradient(w, x, y), 100, lambda w: cost(w, x, y), lr=0.01)
    >>> round(float(path.thetas[1]), 2), round(float(path.costs[0]), 2), round(float(path.thetas[-1]), 2)
    (1.09, 4.67, 2.0)
    """
    n_steps = _checks.count(n_steps, "n_steps", minimum=0)
    theta, advance = _stepper(step, init, theta0, hyper)
    thetas = [theta]
    for t in range(n_steps):  # each step needs the one before
        theta = _checks.as_array(advance(theta, np.asarray(grad_fn(theta), dtype=float), t), "theta")
        thetas.append(theta)
    thetas = np.array(thetas)
    return Trajectory(thetas, _cost_of(cost_fn, thetas))


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

    An epoch has :math:`\lceil N / B \rceil` updates; the trajectory records the point after each one.

    >>> from solutions import LinearRegression, gd_step, hours_points
    >>> x, y = hours_points()
    >>> sgd = run_epochs(gd_step, [1.0], LinearRegression(x[:, None], y), 100, 1, shuffle=False, lr=0.01)
    >>> len(sgd.thetas), round(float(sgd.thetas[-1, 0]), 6)
    (301, 2.0)
    """
    epochs = _checks.count(epochs, "epochs", minimum=0)
    batch_size = _checks.count(batch_size, "batch_size")
    theta, advance = _stepper(step, init, theta0, hyper)
    rng = np.random.default_rng(seed) if shuffle else None
    thetas, t = [theta], 0
    for _ in range(epochs):
        for batch in batches(problem.n_samples, batch_size, rng):
            theta = _checks.as_array(advance(theta, problem.batch_gradient(theta, batch), t), "theta")
            thetas.append(theta)
            t += 1
    thetas = np.array(thetas)
    return Trajectory(thetas, _cost_of(problem.f, thetas))
