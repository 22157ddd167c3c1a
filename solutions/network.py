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


#: The inputs of the lecture's three samples. The slide does not print them: solving the network's layers
#: backwards from each sample's hidden activations ``LECTURE_N`` (with the dump's weights, no activation
#: function) gives these whole numbers, and the targets are exactly :math:`y = 3x_1 + 2x_2` (chapter 4).
LECTURE_X = np.array([[1.0, 2.0], [2.0, 3.0], [10.0, 5.0]])

#: The parameters of the lecture's ``named_parameters`` dump (four decimals), in PyTorch's order.
LECTURE_PARAMS = {
    "0.weight": np.array([[0.4343, 0.6134], [-0.2977, 0.1472], [-0.3772, -0.2806]]),
    "0.bias": np.array([0.2081, -0.5165, 0.3692]),
    "1.weight": np.array([[0.5137, 0.5441, 0.4459], [-0.0712, 0.0366, -0.2097]]),
    "1.bias": np.array([0.2730, 0.5439]),
    "2.weight": np.array([[0.5989, 0.3610]]),
    "2.bias": np.array([-0.3608]),
}

#: The gradients (``param.grad``) of the same dump, after ``loss.backward()`` on the three samples.
LECTURE_GRADS = {
    "0.weight": np.array([[-80.2851, -46.4245], [-96.5485, -55.8287], [-54.4879, -31.5074]]),
    "0.bias": np.array([-10.9224, -13.1350, -7.4128]),
    "1.weight": np.array([[-139.3767, 48.2291, 83.4421], [-84.0035, 29.0681, 50.2912]]),
    "1.bias": np.array([-23.2005, -13.9832]),
    "2.weight": np.array([[-24.1840, -30.7693]]),
    "2.bias": np.array([-38.7382]),
}


class Network:
    r"""Lecture 004's network: three linear layers, 2 → 3 → 2 → 1, with the mean squared error.

    .. math::

        h = W_0 x + b_0, \qquad n = W_1 h + b_1, \qquad \hat y = w_2^\top n + b_2, \qquad
        L(\theta) = \frac1N \sum_n (y_n - \hat y_n)^2 ,

    where :math:`n = (n_6, n_7)` are the hidden units of the exercise and :math:`\theta` is the 20 parameters
    flattened in PyTorch's ``named_parameters`` order (``0.weight``, ``0.bias``, ``1.weight``, ...). The dump
    fits layers without an activation function (a ReLU after the second layer cannot be told apart there,
    since every :math:`n` is positive). The gradient is the chain rule, layer by layer from the output back
    (backpropagation): with :math:`\delta = \partial L_n / \partial \hat y_n = -\frac2N (y_n - \hat y_n)`,

    .. math::

        \frac{\partial L}{\partial w_2} = \sum_n \delta_n n_n, \qquad
        \frac{\partial L}{\partial W_1} = \sum_n (\delta_n w_2) h_n^\top, \qquad
        \frac{\partial L}{\partial W_0} = \sum_n (W_1^\top \delta_n w_2) x_n^\top,

    and each bias gets the sum of its layer's :math:`\delta`. ``f`` accepts any leading axes of ``theta``
    (a whole trajectory at once); ``grad`` and ``batch_gradient`` take one point, so the network runs in
    :func:`solutions.run` and :func:`solutions.run_epochs` like every other problem.

    >>> net = Network()
    >>> theta = net.pack(LECTURE_PARAMS)
    >>> net.hidden(theta).round(8)[0]  # n6, n7 of the first sample, as on the slide
    array([0.69657858, 0.51114952])
    >>> net.grad(theta)[-3:].round(2)  # d/dw6y, d/dw7y, d/db: the dump says -24.1840, -30.7693, -38.7382
    array([-24.19, -30.77, -38.74])
    """

    SHAPES = {"0.weight": (3, 2), "0.bias": (3,), "1.weight": (2, 3), "1.bias": (2,), "2.weight": (1, 2),
              "2.bias": (1,)}
    n_params = sum(int(np.prod(s)) for s in SHAPES.values())

    def __init__(self, X=LECTURE_X, y=LECTURE_Y):
        self.X, self.y = _checks.as_array(X, "X"), _checks.as_array(y, "y")
        if self.X.ndim != 2 or self.X.shape[1] != 2 or self.y.shape != (len(self.X),) or len(self.y) == 0:
            raise ValueError(f"X must be (N, 2) and y (N,) with N >= 1, got X {self.X.shape} and y {self.y.shape}")
        # the network computes an affine function of x, so its smallest cost is that of least squares
        A = np.column_stack([self.X, np.ones(len(self.X))])
        self.f_star = float(np.mean((A @ np.linalg.lstsq(A, self.y, rcond=None)[0] - self.y) ** 2))
        self.name = "lecture 004's network"

    @property
    def n_samples(self) -> int:
        return len(self.y)

    def pack(self, params: dict) -> np.ndarray:
        """The parameters as one flat vector, in PyTorch's order."""
        return np.concatenate([np.asarray(params[k], dtype=float).ravel() for k in self.SHAPES])

    def unpack(self, theta) -> dict:
        """The flat parameters (any leading axes) as ``{name: array}``, shaped as in PyTorch."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.n_params:
            raise ValueError(f"theta must have {self.n_params} parameters in its last axis, got {theta.shape}")
        out, i = {}, 0
        for name, shape in self.SHAPES.items():
            size = int(np.prod(shape))
            out[name] = theta[..., i:i + size].reshape(theta.shape[:-1] + shape)
            i += size
        return out

    def init(self, seed=0, std=0.02) -> np.ndarray:
        """Every parameter drawn from :math:`\\mathcal N(0, \\text{std}^2)`, as the lecture's
        ``torch.nn.init.normal_(param, mean=0.0, std=0.02)``."""
        return np.random.default_rng(seed).normal(0.0, std, self.n_params)

    def _layers(self, theta, X):
        p = self.unpack(theta)
        h = np.einsum("...ij,nj->...ni", p["0.weight"], X) + p["0.bias"][..., None, :]
        n = np.einsum("...ij,...nj->...ni", p["1.weight"], h) + p["1.bias"][..., None, :]
        y_hat = np.einsum("...ij,...nj->...ni", p["2.weight"], n)[..., 0] + p["2.bias"]
        return p, h, n, y_hat

    def hidden(self, theta) -> np.ndarray:
        """The activations :math:`n_6, n_7` of the second layer, one row per sample."""
        return self._layers(theta, self.X)[2]

    def predict(self, theta, X=None) -> np.ndarray:
        """The outputs :math:`\\hat y` for the inputs ``X`` (default: the training inputs)."""
        return self._layers(theta, self.X if X is None else _checks.as_array(X, "X"))[3]

    def f(self, theta):
        return _checks.result(np.mean((self.y - self.predict(theta)) ** 2, axis=-1))

    def batch_gradient(self, theta, idx) -> np.ndarray:
        r"""The gradient of the mean squared error over the samples ``idx``, by backpropagation."""
        theta = _checks.as_array(theta, "theta")
        X, y = self.X[idx], self.y[idx]
        p, h, n, y_hat = self._layers(theta, X)
        delta = -2 * (y - y_hat) / len(y)              # dL/dy_hat, one per sample
        d_n = np.outer(delta, p["2.weight"][0])        # dL/dn
        d_h = d_n @ p["1.weight"]                      # dL/dh
        grads = {"0.weight": d_h.T @ X, "0.bias": d_h.sum(axis=0), "1.weight": d_n.T @ h,
                 "1.bias": d_n.sum(axis=0), "2.weight": (delta @ n)[None, :], "2.bias": np.array([delta.sum()])}
        return self.pack(grads)

    def grad(self, theta) -> np.ndarray:
        return self.batch_gradient(theta, slice(None))

    def __repr__(self) -> str:
        return f"<{self.name}>"
