r"""Newton's method as a driver: repeat the Newton step for a fixed number of steps (lecture 003).

The step itself is :func:`solutions.second_order.newton_step`; this module runs it with
:func:`solutions.driver.run` on a problem given by its gradient and Hessian functions and returns the whole
trajectory.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import _checks
from .driver import run
from .second_order import newton_step


def newton(grad_fn: Callable, hess_fn: Callable, theta0, n_steps) -> np.ndarray:
    r"""Pure Newton's method (no line search), ``n_steps`` steps from :math:`\theta_0`:

    .. math::

        \theta_{k+1} = \theta_k - H(\theta_k)^{-1} \nabla L(\theta_k), \qquad k = 0, \dots, n-1,

    each step solving :math:`H(\theta_k)\, p = \nabla L(\theta_k)` (:func:`newton_step`). Returns the
    trajectory :math:`\theta_0, \theta_1, \dots, \theta_n` as an array of shape ``(n_steps + 1, d)``; its
    first row is :math:`\theta_0`. Inputs are not mutated. A singular Hessian on the way raises the
    ``ValueError`` of :func:`newton_step`.

    On a quadratic the first step lands on the minimum and the others stay there; on Rosenbrock from
    :math:`(-1.2, 1)` six steps reach :math:`(1, 1)` to machine precision:

    >>> A, b = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, 1.0])
    >>> newton(lambda t: A @ t - b, lambda t: A, [4.0, -4.0], 2)
    array([[ 4. , -4. ],
           [ 0.2,  0.4],
           [ 0.2,  0.4]])
    >>> from solutions import Rosenbrock
    >>> r = Rosenbrock()
    >>> newton(r.grad, r.hess, [-1.2, 1.0], 6)[-1]
    array([1., 1.])
    """
    theta0 = _checks.as_array(theta0, "theta0").reshape(-1)
    n_steps = _checks.count(n_steps, "n_steps", minimum=0)
    return run(lambda theta, grad: newton_step(theta, grad, hess_fn(theta)), theta0, grad_fn, n_steps).thetas
