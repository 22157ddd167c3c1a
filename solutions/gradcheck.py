r"""Numeric gradients and gradient checking (lecture 003).

The analytic gradient is exact and fast but easy to get wrong; the numeric one is slow
(:math:`O(d)` evaluations of the cost for :math:`d` parameters) but easy to write. In practice: use the
analytic gradient and check it against the numeric one.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import _checks


def numerical_gradient(f: Callable, theta, h=1e-5) -> np.ndarray:
    r"""Central differences, one coordinate at a time:

    .. math:: \frac{\partial f}{\partial \theta_i} \approx \frac{f(\theta + h e_i) - f(\theta - h e_i)}{2h},

    with error :math:`O(h^2)`. Costs :math:`2d` evaluations of the scalar function ``f``.

    >>> numerical_gradient(lambda t: float((t ** 2).sum()), [1.0, -2.0]).round(6)
    array([ 2., -4.])
    """
    theta = _checks.as_array(theta, "theta")
    h = _checks.positive(h, "h")
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):  # one coordinate at a time: this loop is the O(d) cost
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (float(f(theta + step)) - float(f(theta - step))) / (2 * h)
    return grad


def gradient_check(f: Callable, grad_f: Callable, theta, h=1e-5) -> float:
    r"""The largest relative error between the analytic gradient ``grad_f(theta)`` and the numeric one,

    .. math:: \max_i \frac{|a_i - n_i|}{\max(|a_i|, |n_i|)}

    (0 where both are 0). Below about 1e-7 the analytic gradient is almost surely right; above 1e-3 it is
    almost surely wrong.

    >>> f = lambda t: float((t ** 3).sum())
    >>> gradient_check(f, lambda t: 3 * t ** 2, [1.0, 2.0]) < 1e-8
    True
    >>> gradient_check(f, lambda t: 2 * t ** 2, [1.0, 2.0]) > 0.1  # a wrong derivative
    True
    """
    theta = _checks.as_array(theta, "theta")
    analytic = np.broadcast_to(np.asarray(grad_f(theta), dtype=float), theta.shape)
    numeric = numerical_gradient(f, theta, h)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(scale > 0, np.abs(analytic - numeric) / scale, 0.0)
    return float(rel.max())
