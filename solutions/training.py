r"""The training loops that the assignments ``gd`` and ``sgd`` ask for, as reference implementations.

:func:`train` is the lecture's gradient-descent loop for the model :math:`\hat y = x\cdot\omega`, vectorized
over starting weights; :func:`max_stable_lr` is the largest learning rate for which gradient descent on a
least-squares cost converges; :func:`sgd_epoch` and :func:`minibatch_sgd` are mini-batch training of least
squares :math:`L(\theta) = \frac1N \|X\theta - y\|^2` with the gradient of a batch :math:`\mathcal B`,

.. math:: g_{\mathcal B}(\theta) = \frac{2}{|\mathcal B|} X_{\mathcal B}^\top (X_{\mathcal B}\theta - y_{\mathcal B}),
   \qquad \theta \leftarrow \theta - \eta\, g_{\mathcal B}(\theta).

Batch size 1 in order is the lecture's SGD; batch size :math:`N` is gradient descent.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .driver import batches
from .model import cost, gradient


def train(w0, x, y, lr, n_steps):
    r"""Gradient descent on the lecture's cost: :math:`\omega_{t+1} = \omega_t - \alpha\, g(\omega_t)` for
    :math:`t = 0, \dots, n-1`, with :math:`g` the mean gradient :func:`gradient`.

    ``w0`` may be one weight or an array of starting weights (each trained independently, all at once).
    Returns ``(ws, costs)``: ``ws[t]`` is the weight after ``t`` updates (``ws[0] = w0``; shape
    ``(n_steps + 1, *w0.shape)``) and ``costs[t] = cost(ws[t])``.

    >>> from solutions import hours_points
    >>> x, y = hours_points()
    >>> ws, costs = train(1.0, x, y, 0.01, 100)
    >>> ws.shape, round(float(ws[1]), 2), round(float(costs[0]), 2), round(float(ws[-1]), 2)
    ((101,), 1.09, 4.67, 2.0)
    """
    n_steps = _checks.count(n_steps, "n_steps", minimum=0)
    lr = float(_checks.as_array(lr, "lr"))
    w = _checks.as_array(w0, "w0")
    ws = [w]
    for _ in range(n_steps):  # each step needs the one before
        w = w - lr * gradient(w, x, y)
        ws.append(w)
    ws = np.array(ws)
    return ws, cost(ws, x, y)


def max_stable_lr(x) -> float:
    r"""The largest learning rate for which gradient descent on the least-squares cost
    :math:`L(\theta) = \frac1N\|X\theta - y\|^2` converges from every start: its Hessian is
    :math:`H = \frac2N X^\top X`, each eigen-direction is multiplied by :math:`1 - \eta\lambda_i` per step, so
    GD converges if and only if :math:`\eta < 2/\lambda_{\max}(H) = N/\lambda_{\max}(X^\top X)`.

    ``x`` is the ``(N,)`` inputs of the lecture's one-weight model (then the threshold is
    :math:`1/\overline{x^2}`) or an ``(N, d)`` matrix of features, one row per sample.

    >>> max_stable_lr([1.0, 2.0, 3.0])  # the lecture's 3/14
    0.21428571428571427
    >>> round(max_stable_lr([[1.0, 0.0], [0.0, 2.0]]), 6)  # N = 2, eigenvalues of X^T X: 1 and 4
    0.5
    """
    X = _checks.as_array(x, "x")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"x must be (N,) or (N, d) with N >= 1, got shape {X.shape}")
    lam = float(np.linalg.eigvalsh(X.T @ X).max())
    if lam <= 0:
        raise ValueError("x is all zeros: the cost is flat and every learning rate is stable")
    return X.shape[0] / lam


def batch_gradient(theta, X, y, idx):
    r""":math:`\frac{2}{|\mathcal B|} X_{\mathcal B}^\top (X_{\mathcal B}\theta - y_{\mathcal B})` over the
    samples ``idx`` (the mean, not the sum, of the samples' gradients).

    >>> batch_gradient(np.array([1.0]), np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 6.0]), [2])
    array([-18.])
    """
    Xb, yb = np.asarray(X, dtype=float)[idx], np.asarray(y, dtype=float)[idx]
    return 2 * Xb.T @ (Xb @ np.asarray(theta, dtype=float) - yb) / len(yb)


def sgd_epoch(theta, X, y, lr, batch_size, rng=None):
    r"""One epoch of mini-batch SGD on least squares: the batches of :func:`batches` (shuffled by ``rng``
    when given, else in order), one update :math:`\theta \leftarrow \theta - \eta\, g_{\mathcal B}(\theta)`
    per batch. Returns the new :math:`\theta`; ``theta`` itself is not changed.

    >>> X, y = np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 6.0])
    >>> sgd_epoch(np.array([1.0]), X, y, 0.01, 1).round(6)  # the lecture's SGD, epoch 0
    array([1.260688])
    """
    X, y = _checks.as_array(X, "X"), _checks.as_array(y, "y")
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, d) and y (N,), got X {X.shape} and y {y.shape}")
    lr = float(_checks.as_array(lr, "lr"))
    theta = _checks.as_array(theta, "theta")
    for batch in batches(len(y), batch_size, rng):
        theta = theta - lr * batch_gradient(theta, X, y, batch)
    return theta


def minibatch_sgd(theta0, X, y, lr, epochs, batch_size, seed=None):
    r"""``epochs`` epochs of :func:`sgd_epoch`, shuffled by one generator ``np.random.default_rng(seed)``
    made once (so each epoch gets a fresh permutation), or in order when ``seed`` is None.

    Returns ``(thetas, costs)``: ``thetas[k]`` is :math:`\theta` after ``k`` epochs (``thetas[0] = theta0``,
    shape ``(epochs + 1, d)``) and ``costs[k] = L(thetas[k])`` over all the samples.

    >>> X, y = np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 4.0, 6.0])
    >>> thetas, costs = minibatch_sgd([1.0], X, y, 0.01, 100, batch_size=3)  # a full batch is GD
    >>> round(float(thetas[1, 0]), 2), round(float(costs[0]), 2), round(float(thetas[-1, 0]), 2)
    (1.09, 4.67, 2.0)
    """
    epochs = _checks.count(epochs, "epochs", minimum=0)
    X, y = _checks.as_array(X, "X"), _checks.as_array(y, "y")
    rng = None if seed is None else np.random.default_rng(seed)
    theta = _checks.as_array(theta0, "theta0")
    thetas = [theta]
    for _ in range(epochs):
        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)
        thetas.append(theta)
    thetas = np.array(thetas)
    return thetas, np.mean((thetas @ X.T - y) ** 2, axis=-1)
