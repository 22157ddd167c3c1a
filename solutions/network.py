r"""Lecture 004's exercise: the gradient of the output layer of a small network.

The output is :math:`\hat y = w_{6y} n_6 + w_{7y} n_7 + b` from the hidden activations :math:`n_6, n_7`, and
the cost is the mean squared error over the samples, :math:`L = \frac1N \sum_n (y_n - \hat y_n)^2`. By the
chain rule,

.. math::

    \frac{\partial L}{\partial w_{6y}}
      = \frac1N \sum_n \frac{\partial L_n}{\partial \hat y_n} \frac{\partial \hat y_n}{\partial w_{6y}}
      = \frac1N \sum_n -2 (y_n - \hat y_n)\, n_{6,n},
    \qquad
    \frac{\partial L}{\partial b} = \frac1N \sum_n -2 (y_n - \hat y_n).
"""

from __future__ import annotations

import numpy as np

from . import _checks

#: The lecture's hidden activations n6, n7 for its three samples, output weights, bias and targets.
LECTURE_N = np.array([[0.69657858, 0.51114952], [0.859582, 0.56898564], [0.543156, 0.90834304]])
LECTURE_W = np.array([0.5989, 0.3610])
LECTURE_B = -0.3608
LECTURE_Y = np.array([7.0, 12.0, 40.0])


def last_layer_gradient(n, w, b, y):
    r"""The MSE gradient of the output layer: returns ``(dw, db)``, with ``dw[k]`` for the weight of hidden
    unit ``k``. ``n`` is ``(N, K)`` (one row of hidden activations per sample), ``w`` is ``(K,)``.

    >>> dw, db = last_layer_gradient(LECTURE_N, LECTURE_W, LECTURE_B, LECTURE_Y)
    >>> dw.round(2), round(db, 2)  # PyTorch's dump: 2.weight.grad [-24.1840, -30.7693], 2.bias.grad -38.7382
    (array([-24.19, -30.77]), -38.74)
    """
    n, w, y = _checks.as_array(n, "n"), _checks.as_array(w, "w"), _checks.as_array(y, "y")
    b = float(_checks.as_array(b, "b"))
    if n.ndim != 2 or w.shape != (n.shape[1],) or y.shape != (n.shape[0],):
        raise ValueError(f"n must be (N, K), w (K,) and y (N,), got n {n.shape}, w {w.shape}, y {y.shape}")
    if len(y) == 0:
        raise ValueError("the data set is empty: n and y have no samples")
    dl_dyhat = -2 * (y - (n @ w + b))
    return dl_dyhat @ n / len(y), float(np.mean(dl_dyhat))
