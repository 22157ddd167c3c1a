r"""Test problems with known minima, gradients and (where cheap) Hessians.

Each problem has ``f(theta)``, vectorized over leading axes (``theta`` of shape ``(..., d)`` gives values of
shape ``(...)``, so a contour plot or a search grid is one call), ``grad(theta)`` and ``hess(theta)`` for
one point of shape ``(d,)``, the minimizer ``theta_star`` and the minimum ``f_star``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from . import _checks


class Problem(ABC):
    """The common interface; subclasses set ``name``, ``theta_star`` and ``f_star``."""

    name: str
    theta_star: np.ndarray
    f_star: float

    @abstractmethod
    def f(self, theta):
        """The cost, vectorized over the leading axes of ``theta``."""

    @abstractmethod
    def grad(self, theta):
        """The gradient at one point ``theta`` of shape ``(d,)``."""

    @abstractmethod
    def hess(self, theta):
        """The Hessian at one point ``theta``: shape ``(d, d)``."""

    def __repr__(self) -> str:
        return f"<{self.name}>"


class Quadratic(Problem):
    r""":math:`f(\theta) = \tfrac12 (\theta - \theta^*)^\top A (\theta - \theta^*)` with eigenvalues spread
    evenly from 1 to :math:`\kappa`, so the condition number is exactly :math:`\kappa`; ``angle`` rotates
    the axes in 2-D.

    >>> q = Quadratic(kappa=10)
    >>> q.f(np.array([1.0, 1.0])), q.grad(np.array([1.0, 1.0]))
    (5.5, array([ 1., 10.]))
    >>> float(np.linalg.cond(q.hess(q.theta_star)))
    10.0
    """

    def __init__(self, kappa=10.0, d=2, theta_star=None, angle=0.0):
        self.kappa = _checks.positive(kappa, "kappa")
        if self.kappa < 1:
            raise ValueError(f"kappa must be at least 1, got {kappa!r}")
        d = _checks.count(d, "d")
        eigenvalues = np.linspace(1.0, self.kappa, d)
        rotation = np.eye(d)
        if angle:
            if d != 2:
                raise ValueError("angle rotates the axes of a 2-D quadratic only; use d=2")
            c, s = np.cos(angle), np.sin(angle)
            rotation = np.array([[c, -s], [s, c]])
        self.A = rotation @ np.diag(eigenvalues) @ rotation.T
        self.theta_star = np.zeros(d) if theta_star is None else _checks.as_array(theta_star, "theta_star")
        if self.theta_star.shape != (d,):
            raise ValueError(f"theta_star must have shape ({d},), got {self.theta_star.shape}")
        self.f_star = 0.0
        self.name = f"quadratic (κ = {self.kappa:g})"

    def f(self, theta):
        delta = np.asarray(theta, dtype=float) - self.theta_star
        return _checks.result(0.5 * np.einsum("...i,ij,...j->...", delta, self.A, delta))

    def grad(self, theta):
        return (np.asarray(theta, dtype=float) - self.theta_star) @ self.A

    def hess(self, theta):
        return self.A.copy()


class Rosenbrock(Problem):
    r""":math:`f(\theta) = (a - \theta_1)^2 + b(\theta_2 - \theta_1^2)^2`, a curved narrow valley with its
    minimum :math:`f = 0` at :math:`(a, a^2)`.

    >>> r = Rosenbrock()
    >>> r.f(np.array([-1.2, 1.0])), r.grad(r.theta_star)
    (24.199999999999996, array([0., 0.]))
    """

    def __init__(self, a=1.0, b=100.0):
        self.a, self.b = float(a), _checks.positive(b, "b")
        self.theta_star = np.array([self.a, self.a**2])
        self.f_star = 0.0
        self.name = "Rosenbrock"

    def f(self, theta):
        t = np.asarray(theta, dtype=float)
        return _checks.result((self.a - t[..., 0]) ** 2 + self.b * (t[..., 1] - t[..., 0] ** 2) ** 2)

    def grad(self, theta):
        t1, t2 = np.asarray(theta, dtype=float)
        return np.array([-2 * (self.a - t1) - 4 * self.b * t1 * (t2 - t1**2), 2 * self.b * (t2 - t1**2)])

    def hess(self, theta):
        t1, t2 = np.asarray(theta, dtype=float)
        return np.array(
            [[2 - 4 * self.b * (t2 - t1**2) + 8 * self.b * t1**2, -4 * self.b * t1], [-4 * self.b * t1, 2 * self.b]]
        )


class Saddle(Problem):
    r""":math:`f(\theta) = \theta_1^2 + \tfrac14\theta_2^4 - \tfrac12\theta_2^2`: a saddle point at the origin
    (zero gradient, curving up along :math:`\theta_1` and down along :math:`\theta_2`) between two minima
    :math:`f = -\tfrac14` at :math:`(0, \pm 1)`. Started exactly on the :math:`\theta_1` axis, gradient
    descent walks into the saddle and stops; any noise pushes it off.

    >>> s = Saddle()
    >>> s.grad(np.zeros(2)), s.f(s.theta_star)
    (array([0., 0.]), -0.25)
    """

    def __init__(self):
        self.theta_star = np.array([0.0, 1.0])  # one of the two minima; (0, -1) is the other
        self.minima = np.array([[0.0, 1.0], [0.0, -1.0]])
        self.saddle = np.zeros(2)
        self.f_star = -0.25
        self.name = "saddle"

    def f(self, theta):
        t = np.asarray(theta, dtype=float)
        return _checks.result(t[..., 0] ** 2 + t[..., 1] ** 4 / 4 - t[..., 1] ** 2 / 2)

    def grad(self, theta):
        t1, t2 = np.asarray(theta, dtype=float)
        return np.array([2 * t1, t2**3 - t2])

    def hess(self, theta):
        _, t2 = np.asarray(theta, dtype=float)
        return np.array([[2.0, 0.0], [0.0, 3 * t2**2 - 1]])


class NonConvex1D(Problem):
    r"""A 1-D cost with two valleys: :math:`f'(\omega) = (\omega + 1)(\omega - 0.5)(\omega - 2.5)`, so
    :math:`f(\omega) = \tfrac14\omega^4 - \tfrac23\omega^3 - \tfrac78\omega^2 + \tfrac54\omega`.
    A local minimum at :math:`\omega = -1`, a local maximum at 0.5, and the global minimum at 2.5.

    >>> p = NonConvex1D()
    >>> p.theta_star, round(p.f_star, 4), round(float(p.f(p.local_minimum)), 4)
    (array([2.5]), -2.9948, -1.2083)
    """

    def __init__(self):
        self.theta_star = np.array([2.5])
        self.local_minimum = np.array([-1.0])
        self.local_maximum = np.array([0.5])
        self.f_star = self.f(self.theta_star)
        self.name = "non-convex 1-D"

    def f(self, theta):
        w = np.asarray(theta, dtype=float)[..., 0]
        return _checks.result(w**4 / 4 - 2 * w**3 / 3 - 0.875 * w**2 + 1.25 * w)

    def grad(self, theta):
        w = np.asarray(theta, dtype=float)
        return (w + 1) * (w - 0.5) * (w - 2.5)

    def hess(self, theta):
        w = float(np.asarray(theta, dtype=float)[0])
        return np.array([[3 * w**2 - 4 * w - 1.75]])


class TwoWells(Problem):
    r"""A 2-D cost with a wide, shallow well (a local minimum) and a narrow, deep one (the global minimum)
    in a gentle bowl:

    .. math::

        f(\theta) = b\,\|\theta\|^2 - \sum_i a_i \exp\!\Big(-\frac{\|\theta - c_i\|^2}{2 s_i^2}\Big).

    A coarse grid is likely to land in the wide well, so divide and conquer refines the wrong minimum.
    ``theta_star`` and ``local_minimum`` are found by Newton's method from the well centres.

    >>> w = TwoWells()
    >>> w.theta_star.round(3), round(w.f_star, 3), w.local_minimum.round(3)
    (array([1.197, 0.997]), -1.963, array([-0.961, -0.961]))
    """

    def __init__(self, centres=((-1.0, -1.0), (1.2, 1.0)), depths=(1.0, 2.0), widths=(1.0, 0.3), bowl=0.02):
        self.centres = _checks.as_array(centres, "centres")
        self.depths = _checks.as_array(depths, "depths")
        self.widths = _checks.as_array(widths, "widths")
        self.bowl = _checks.non_negative(bowl, "bowl")
        if self.centres.ndim != 2 or self.centres.shape[1] != 2 or not (
            len(self.centres) == len(self.depths) == len(self.widths)
        ):
            raise ValueError("centres must be (k, 2), with one depth and one width per well")
        self.local_minimum, self.theta_star = (self._newton(c) for c in self.centres[:2])
        self.f_star = self.f(self.theta_star)
        self.name = "two wells"

    def _newton(self, theta):
        for _ in range(50):
            theta = theta - np.linalg.solve(self.hess(theta), self.grad(theta))
        return theta

    def _wells(self, theta):
        delta = np.asarray(theta, dtype=float)[..., None, :] - self.centres  # (..., k, 2)
        heights = self.depths * np.exp(-np.sum(delta**2, axis=-1) / (2 * self.widths**2))  # (..., k)
        return delta, heights

    def f(self, theta):
        theta = np.asarray(theta, dtype=float)
        _, heights = self._wells(theta)
        return _checks.result(self.bowl * np.sum(theta**2, axis=-1) - heights.sum(axis=-1))

    def grad(self, theta):
        delta, heights = self._wells(theta)
        return 2 * self.bowl * np.asarray(theta, dtype=float) + np.sum(
            (heights / self.widths**2)[:, None] * delta, axis=0
        )

    def hess(self, theta):
        delta, heights = self._wells(theta)
        h = 2 * self.bowl * np.eye(2)
        for d, a, s in zip(delta, heights, self.widths):
            h += a * (np.eye(2) / s**2 - np.outer(d, d) / s**4)
        return h


class LinearRegression(Problem):
    r"""Least squares :math:`f(\theta) = \frac1N \|X\theta - y\|^2` over :math:`N` samples (rows of ``X``).

    The lecture's model is the case ``X = x[:, None]``. ``batch_gradient(theta, idx)`` is the gradient of
    the mean loss over the samples ``idx`` only: a mini-batch, or one sample for SGD.

    >>> from solutions import hours_points
    >>> x, y = hours_points()
    >>> lecture = LinearRegression(x[:, None], y)
    >>> lecture.f(np.array([1.0])), lecture.theta_star
    (4.666666666666667, array([2.]))
    """

    def __init__(self, X, y):
        X, y = _checks.as_array(X, "X"), _checks.as_array(y, "y")
        if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
            raise ValueError(f"X must be (N, d) and y (N,), got X {X.shape} and y {y.shape}")
        if len(y) == 0:
            raise ValueError("the data set is empty: X and y have no samples")
        self.X, self.y = X, y
        self.theta_star = np.linalg.lstsq(X, y, rcond=None)[0]
        self.f_star = self.f(self.theta_star)
        self.name = "linear regression"

    @property
    def n_samples(self) -> int:
        return len(self.y)

    def f(self, theta):
        r = np.asarray(theta, dtype=float) @ self.X.T - self.y
        return _checks.result(np.mean(r**2, axis=-1))

    def grad(self, theta):
        return self.batch_gradient(theta, slice(None))

    def batch_gradient(self, theta, idx):
        r""":math:`\frac{2}{|B|} X_B^\top (X_B \theta - y_B)` over the samples ``idx``."""
        X, y = self.X[idx], self.y[idx]
        return 2 * X.T @ (X @ np.asarray(theta, dtype=float) - y) / len(y)

    def hess(self, theta):
        return 2 * self.X.T @ self.X / self.n_samples


def make_regression(n=1000, d=2, noise=0.1, seed=0) -> LinearRegression:
    """A synthetic regression problem: features ~ N(0, 1), true weights 1, 2, ..., d, Gaussian noise.

    >>> make_regression(n=100, d=3, seed=0).X.shape
    (100, 3)
    """
    n, d = _checks.count(n, "n"), _checks.count(d, "d")
    noise = _checks.non_negative(noise, "noise")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ np.arange(1.0, d + 1) + noise * rng.standard_normal(n)
    return LinearRegression(X, y)
