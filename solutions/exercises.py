r"""Reference versions of assignment functions that the rest of the library has under other shapes.

* :func:`minimize_momentum` is the driver of the ``momentum`` assignment: momentum (or Nesterov) from
  :math:`\theta_0` for ``n_steps`` full-gradient steps, returning every iterate;
* :func:`schedule_values` evaluates one of the learning-rate schedules of :mod:`solutions.schedules` at given
  steps (what the ``adaptive`` assignment's grader records of a student's schedules, which are functions).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import _checks
from .driver import run
from .optim import momentum_init, momentum_step
from .schedules import cosine_decay, exponential_decay, inverse_sqrt_decay, step_decay

SCHEDULES = {"step_decay": step_decay, "exponential_decay": exponential_decay,
             "inverse_sqrt_decay": inverse_sqrt_decay, "cosine_decay": cosine_decay}


def minimize_momentum(grad_fn: Callable, theta0, lr, momentum=0.9, nesterov=False, n_steps=100) -> np.ndarray:
    r"""``n_steps`` steps of :func:`solutions.momentum_step` from :math:`\theta_0` with :math:`v_0 = 0`:

    .. math::

        v_{t+1} = \mu v_t + \nabla L(\theta_t), \qquad
        \theta_{t+1} = \theta_t - \alpha v_{t+1}
        \quad(\text{Nesterov: } \theta_{t+1} = \theta_t - \alpha(\nabla L(\theta_t) + \mu v_{t+1})),

    for :math:`t = 0, \dots, n-1`. Returns the iterates stacked, shape ``(n_steps + 1, *theta0.shape)``:
    row :math:`t` is :math:`\theta_t`, row 0 the start.

    >>> thetas = minimize_momentum(lambda th: 2 * th, [1.0, -1.0], lr=0.1, momentum=0.5, n_steps=2)
    >>> thetas.round(6).tolist()  # v1 = g0 = [2, -2]; v2 = 0.5 v1 + g1 = [2.6, -2.6]
    [[1.0, -1.0], [0.8, -0.8], [0.54, -0.54]]
    """
    n_steps = _checks.count(n_steps, "n_steps", minimum=0)
    return run(momentum_step, theta0, grad_fn, n_steps, init=momentum_init, lr=lr, momentum=momentum,
               nesterov=nesterov).thetas


def schedule_values(name: str, args, ts) -> list[float]:
    r"""The learning rates :math:`\alpha_t` of schedule ``name`` built from ``args``, at each step of ``ts``.

    >>> schedule_values("step_decay", (0.1, 10, 0.5), [0, 9, 10, 25])
    [0.1, 0.1, 0.05, 0.025]
    """
    if name not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}; one of {sorted(SCHEDULES)}")
    schedule = SCHEDULES[name](*args)
    return [float(schedule(t)) for t in ts]
