"""Argument checks shared by the reference library.

Every public function validates what it is given and raises a ``ValueError`` or ``TypeError``
that names the offending argument, so that a student (or a demo) learns what is wrong at once.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a float array; reject non-numeric and non-finite input."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric (a number or an array of numbers), got {value!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def data(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Check a data set: numeric, finite, non-empty, and ``x`` and ``y`` of the same shape."""
    x, y = as_array(x, "x"), as_array(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got x {x.shape} and y {y.shape}")
    if x.size == 0:
        raise ValueError("the data set is empty: x and y have no samples")
    return x, y


def positive(value, name: str) -> float:
    """A strictly positive, finite number (a learning rate, a step size)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return float(value)


def non_negative(value, name: str) -> float:
    """A non-negative, finite number (eps, a minimum learning rate)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be non-negative and finite, got {value!r}")
    return float(value)


def unit_interval(value, name: str) -> float:
    """A decay rate in [0, 1): β, μ, α of RMSProp."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


def count(value, name: str, minimum: int = 1) -> int:
    """A whole number of at least ``minimum`` (steps, points, levels, batch size)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)


def bounds(value) -> np.ndarray:
    """A box as a ``(d, 2)`` array of ``(lo, hi)`` rows with ``lo < hi``."""
    box = as_array(value, "bounds")
    if box.ndim != 2 or box.shape[1] != 2 or box.shape[0] == 0:
        raise ValueError(f"bounds must be a list of (lo, hi) pairs, one per dimension, got {value!r}")
    if np.any(box[:, 0] >= box[:, 1]):
        raise ValueError(f"bounds need lo < hi in every dimension, got {value!r}")
    return box


def same_shape(theta: np.ndarray, grad: np.ndarray) -> None:
    """The gradient must have the parameters' shape."""
    if theta.shape != grad.shape:
        raise ValueError(f"grad must have the shape of theta {theta.shape}, got {grad.shape}")


def result(arr: np.ndarray):
    """A 0-d result as a Python float, anything else as the array."""
    return arr if np.ndim(arr) else float(arr)
