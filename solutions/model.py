r"""The lecture's running example: hours studied → points scored, and the linear model
:math:`\hat y = x \cdot \omega`.

The cost is the mean squared error over the data set,

.. math::

    \operatorname{cost}(\omega) = \frac1N \sum_{n=1}^N (x_n \omega - y_n)^2,
    \qquad
    \frac{\partial \operatorname{cost}}{\partial \omega} = \frac1N \sum_{n=1}^N 2\, x_n (x_n \omega - y_n),

and the loss of one sample (for SGD) is :math:`\operatorname{loss}_n(\omega) = (x_n \omega - y_n)^2` with
:math:`\partial \operatorname{loss}_n / \partial \omega = 2 x_n (x_n \omega - y_n)`.
"""

from __future__ import annotations

import numpy as np

from . import _checks


def hours_points() -> tuple[np.ndarray, np.ndarray]:
    """The lecture's data: ``x`` hours studied, ``y`` points scored.

    >>> x, y = hours_points()
    >>> x, y
    (array([1., 2., 3.]), array([2., 4., 6.]))
    """
    return np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])


def forward(x, w):
    r"""The model :math:`\hat y = x \cdot \omega`.

    >>> forward(4.0, 2.0)
    8.0
    """
    return _checks.result(_checks.as_array(x, "x") * _checks.as_array(w, "w"))


def _candidates(w, x, y):
    x, y = _checks.data(x, y)
    w = _checks.as_array(w, "w")
    if x.ndim != 1:
        raise ValueError(f"x and y must be 1-D arrays of samples, got shape {x.shape}")
    return w[..., None], x, y


def cost(w, x, y):
    r"""Mean squared error :math:`\frac1N \sum_n (x_n \omega - y_n)^2`.

    ``w`` may be one weight or an array of candidate weights of any shape; the result has the shape of
    ``w``, so a whole cost curve is one call.

    >>> x, y = hours_points()
    >>> round(float(cost(1.0, x, y)), 4)
    4.6667
    >>> cost([0.0, 2.0, 4.0], x, y)
    array([18.66666667,  0.        , 18.66666667])
    """
    w, x, y = _candidates(w, x, y)
    return _checks.result(np.mean((x * w - y) ** 2, axis=-1))


def gradient(w, x, y):
    r""":math:`\partial \operatorname{cost} / \partial \omega = \frac1N \sum_n 2 x_n (x_n \omega - y_n)`,
    vectorized over ``w`` like :func:`cost`.

    >>> x, y = hours_points()
    >>> round(float(gradient(1.0, x, y)), 4)
    -9.3333
    """
    w, x, y = _candidates(w, x, y)
    return _checks.result(np.mean(2 * x * (x * w - y), axis=-1))


def loss(w, x, y):
    r"""The loss of each sample, :math:`(x_n \omega - y_n)^2` (elementwise, with broadcasting).

    >>> loss(1.0, 3.0, 6.0)
    9.0
    """
    x, y = _checks.data(x, y)
    return _checks.result((x * _checks.as_array(w, "w") - y) ** 2)


def loss_gradient(w, x, y):
    r"""The gradient of each sample's loss, :math:`2 x_n (x_n \omega - y_n)` (elementwise).

    >>> loss_gradient(1.0, 3.0, 6.0)
    -18.0
    """
    x, y = _checks.data(x, y)
    return _checks.result(2 * x * (x * _checks.as_array(w, "w") - y))
