r"""The case inputs that are code: test problems, seeded generators and optimizer states.

Every object here is rebuilt from plain data, its class name and keyword arguments (:data:`KINDS`), which is
how the case files in ``autograder/probe/data/`` carry it (:mod:`autograder.probe.inputs`). None of them is
a function an assignment asks for: they are the functions and data a student's function is *given*.

================  ===========================================================================================
``Bowl``          f(θ) = Σᵢ sᵢ (θᵢ − cᵢ)², vectorized over the last axis: an ``(M, d)`` array of points gives
                  ``M`` values (what a search evaluates), one point of shape ``(d,)`` one value
``Quadratic``     L(θ) = ½ θᵀAθ − bᵀθ, with ``grad`` ∇L = Aθ − b and ``hess`` H = A
``QuarticBowl``   L(θ) = ¼ Σᵢ θᵢ⁴ + ½ θᵀAθ − bᵀθ, with ∇L = θ³ + Aθ − b and H = diag(3θ²) + A
``Rosenbrock``    L(θ) = (a − θ₁)² + b(θ₂ − θ₁²)², with its gradient and Hessian
``Cubic``         f(θ) = Σ θᵢⱼ³ + θ₀₁θ₁₀ of a 2 × 2 array θ (a function with no symmetry to hide behind)
``SeededRng``     ``np.random.default_rng(seed)`` whose copies start again from the seed
================  ===========================================================================================

:func:`state` makes the optimizers' states: NamedTuples with the notebooks' field names.
"""

from __future__ import annotations

import functools
from collections import namedtuple

import numpy as np


def _array(value):
    return np.asarray(value, dtype=float)


class CaseObject:
    """An input built from keyword arguments; equal when its class and arguments are."""

    def __init__(self, **params):
        self.params = {k: (_array(v) if isinstance(v, (list, tuple, np.ndarray)) else v) for k, v in params.items()}

    def __repr__(self) -> str:
        from autograder.probe.inputs import describe

        return f"{type(self).__name__}({', '.join(f'{k}={describe(v)}' for k, v in self.params.items())})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.params.keys() == other.params.keys() and all(
            np.array_equal(self.params[k], other.params[k]) for k in self.params)

    __hash__ = None


class Bowl(CaseObject):
    def __init__(self, centre, scale=None):
        super().__init__(centre=centre, **({} if scale is None else {"scale": scale}))

    def __call__(self, theta):
        theta = np.asarray(theta, dtype=float)
        return (self.params.get("scale", 1.0) * (theta - self.params["centre"]) ** 2).sum(axis=-1)


class Quadratic(CaseObject):
    def __init__(self, A, b):
        super().__init__(A=A, b=b)

    def __call__(self, theta):
        t = _array(theta)
        return 0.5 * t @ self.params["A"] @ t - self.params["b"] @ t

    def grad(self, theta):
        return self.params["A"] @ _array(theta) - self.params["b"]

    def hess(self, theta):
        return self.params["A"].copy()


class QuarticBowl(CaseObject):
    def __init__(self, A, b):
        super().__init__(A=A, b=b)

    def grad(self, theta):
        t = _array(theta)
        return t**3 + self.params["A"] @ t - self.params["b"]

    def hess(self, theta):
        t = _array(theta)
        return np.diag(3 * t**2) + self.params["A"]


class Rosenbrock(CaseObject):
    def __init__(self, a=1.0, b=100.0):
        super().__init__(a=float(a), b=float(b))

    def __call__(self, theta):
        t1, t2 = _array(theta)
        a, b = self.params["a"], self.params["b"]
        return float((a - t1) ** 2 + b * (t2 - t1**2) ** 2)

    def grad(self, theta):
        t1, t2 = _array(theta)
        a, b = self.params["a"], self.params["b"]
        return np.array([-2 * (a - t1) - 4 * b * t1 * (t2 - t1**2), 2 * b * (t2 - t1**2)])

    def hess(self, theta):
        t1, t2 = _array(theta)
        b = self.params["b"]
        return np.array([[2 - 4 * b * (t2 - t1**2) + 8 * b * t1**2, -4 * b * t1], [-4 * b * t1, 2 * b]])


class Cubic(CaseObject):
    def __call__(self, theta):
        t = _array(theta)
        return float((t**3).sum() + t[0, 1] * t[1, 0])


class SeededRng(np.random.Generator):
    """``np.random.default_rng(seed)`` (the same stream: PCG64) whose copies start again from the seed, so
    that the student's function and the reference draw the same numbers, and drawing from it is no
    mutated input."""

    def __init__(self, seed: int):
        super().__init__(np.random.PCG64(seed))
        self.seed = seed

    def __deepcopy__(self, memo):
        return SeededRng(self.seed)

    def __eq__(self, other):
        return isinstance(other, SeededRng) and other.seed == self.seed

    __hash__ = None

    def __repr__(self):
        return f"np.random.default_rng({self.seed})"


KINDS = {cls.__name__: cls for cls in (Bowl, Quadratic, QuarticBowl, Rosenbrock, Cubic)}


@functools.lru_cache(maxsize=None)
def state_type(name: str, fields: tuple[str, ...]):
    """The NamedTuple class ``name`` with ``fields`` (one class per name and fields)."""
    return namedtuple(name, fields)


def state(name: str, **fields):
    """An optimizer state, e.g. ``state("AdamState", m=..., v=..., t=0)``."""
    return state_type(name, tuple(fields))(**fields)
