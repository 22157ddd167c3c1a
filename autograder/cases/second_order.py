"""Cases for assignment ``second_order``: the Newton step (and its error on a singular Hessian), a Newton
driver on problems with several parameters, and L-BFGS's two-loop recursion.

Fixed numbers, and for the longer L-BFGS histories a seeded generator. Every Newton case has a non-zero
gradient, so θ + H⁻¹g (sign error) and θ − Hg (H not inverted) differ from θ − H⁻¹g. The two-loop cases
have curvature pairs whose scaling γ = sᵀy / yᵀy is not 1, and histories of up to five pairs, so that
running a loop in the wrong order or leaving out γ changes the answer; the case with no history (r = g)
and the one with a single pair are right whatever the loop order.

A singular Hessian is an *expected error*. A probe records a raised exception as a failure, so the hidden
cell probes ``raises_or_returns(newton_step)``, which turns a ``ValueError`` (``np.linalg.LinAlgError`` is
one) into the value :data:`RAISED`; the reference goes through the same wrapper in the grader's process.
"""

from __future__ import annotations

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case, Probe

RAISED = "raised ValueError"


def raises_or_returns(fn):
    """``fn`` with a ``ValueError`` turned into the value :data:`RAISED` (any other error propagates)."""

    def outcome(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError:
            return RAISED

    return outcome


def reference_newton_step_outcome(theta, grad, hess):
    """The reference behind the singular-Hessian probe (run only in the grader's process)."""
    from solutions import newton_step

    return raises_or_returns(newton_step)(theta, grad, hess)


class Rosenbrock:
    """L(θ) = (a − θ₁)² + b(θ₂ − θ₁²)², with its gradient and Hessian."""

    def __init__(self, a=1.0, b=100.0):
        self.a, self.b = float(a), float(b)

    def grad(self, theta):
        t1, t2 = np.asarray(theta, dtype=float)
        return np.array([-2 * (self.a - t1) - 4 * self.b * t1 * (t2 - t1**2), 2 * self.b * (t2 - t1**2)])

    def hess(self, theta):
        t1, t2 = np.asarray(theta, dtype=float)
        return np.array([[2 - 4 * self.b * (t2 - t1**2) + 8 * self.b * t1**2, -4 * self.b * t1],
                         [-4 * self.b * t1, 2 * self.b]])

    def __repr__(self):
        return f"Rosenbrock(a={self.a:g}, b={self.b:g})"


class QuarticBowl:
    """L(θ) = ¼ Σᵢ θᵢ⁴ + ½ θᵀAθ − bᵀθ: ∇L = θ³ + Aθ − b, H = diag(3θ²) + A (positive definite when A
    is)."""

    def __init__(self, A, b):
        self.A, self.b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)

    def grad(self, theta):
        t = np.asarray(theta, dtype=float)
        return t**3 + self.A @ t - self.b

    def hess(self, theta):
        t = np.asarray(theta, dtype=float)
        return np.diag(3 * t**2) + self.A

    def __repr__(self):
        return f"QuarticBowl(A={self.A.tolist()}, b={self.b.tolist()})"


ROSENBROCK = Rosenbrock()
ROSENBROCK_2_10 = Rosenbrock(2.0, 10.0)
QUARTIC3 = QuarticBowl([[2.0, 0.5, 0.0], [0.5, 1.0, 0.3], [0.0, 0.3, 3.0]], [1.0, -2.0, 0.5])


class Quadratic:
    """L(θ) = ½ θᵀAθ − bᵀθ: ∇L = Aθ − b, H = A."""

    def __init__(self, A, b):
        self.A, self.b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)

    def grad(self, theta):
        return self.A @ np.asarray(theta, dtype=float) - self.b

    def hess(self, theta):
        return self.A.copy()

    def __repr__(self):
        return f"Quadratic(A={self.A.tolist()}, b={self.b.tolist()})"


QUADRATIC2 = Quadratic([[10.0, 3.0], [3.0, 1.0]], [1.0, 2.0])

STEP_NAMES = ("theta", "grad", "hess")


def _step_cases():
    return [
        Case((np.array([3.0, -2.0]), np.array([1.0, 2.0]), np.array([[4.0, 1.0], [1.0, 3.0]])), names=STEP_NAMES,
             label="newton_step(theta=[3, -2], grad=[1, 2], hess=[[4, 1], [1, 3]])"),
        Case((np.array([-1.2, 1.0]), np.array([-215.6, -88.0]), np.array([[1330.0, 480.0], [480.0, 200.0]])),
             names=STEP_NAMES,
             label="newton_step(theta=[-1.2, 1], grad=[-215.6, -88], hess=[[1330, 480], [480, 200]])  "
                   "(Rosenbrock at the classic start)"),
        Case((np.array([0.8]), np.array([-0.918]), np.array([[-3.03]])), names=STEP_NAMES,
             label="newton_step(theta=[0.8], grad=[-0.918], hess=[[-3.03]])  (1-D, negative curvature)"),
        Case((np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]),
              np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])), names=STEP_NAMES,
             label="newton_step(theta=[1, 2, 3], grad=[0.5, -1, 2], hess=[[4, 1, 0], [1, 3, 1], [0, 1, 2]])"),
    ]


def _singular_cases():
    return [
        Case((np.array([0.5, -1.0]), np.array([1.0, 2.0]), np.array([[1.0, 2.0], [2.0, 4.0]])), names=STEP_NAMES,
             label="newton_step(theta=[0.5, -1], grad=[1, 2], hess=[[1, 2], [2, 4]])  "
                   "(H is singular: must raise a ValueError)"),
        Case((np.array([0.0, 1.0, -1.0]), np.array([1.0, 0.0, -1.0]), np.diag([2.0, 0.0, 1.0])), names=STEP_NAMES,
             label="newton_step(theta=[0, 1, -1], grad=[1, 0, -1], hess=diag(2, 0, 1))  "
                   "(H is singular: must raise a ValueError)"),
    ]


def _newton_cases():
    names = ("grad_fn", "hess_fn", "theta0", "n_steps")
    return [
        Case((ROSENBROCK.grad, ROSENBROCK.hess, np.array([-1.2, 1.0]), 6), names=names,
             label="newton(Rosenbrock(a=1, b=100).grad, .hess, theta0=[-1.2, 1], n_steps=6)"),
        Case((QUADRATIC2.grad, QUADRATIC2.hess, np.array([3.0, -2.0]), 2), names=names,
             label="newton(∇, H of ½θᵀAθ − bᵀθ with A=[[10, 3], [3, 1]], b=[1, 2], theta0=[3, -2], "
                   "n_steps=2)"),
        Case((QUARTIC3.grad, QUARTIC3.hess, np.array([2.0, -1.0, 0.5]), 5), names=names,
             label="newton(∇, H of ¼Σθᵢ⁴ + ½θᵀAθ − bᵀθ with A=[[2, 0.5, 0], [0.5, 1, 0.3], "
                   "[0, 0.3, 3]], b=[1, -2, 0.5], theta0=[2, -1, 0.5], n_steps=5)"),
        Case((ROSENBROCK_2_10.grad, ROSENBROCK_2_10.hess, np.array([0.5, 0.0]), 4), names=names,
             label="newton(Rosenbrock(a=2, b=10).grad, .hess, theta0=[0.5, 0], n_steps=4)"),
    ]


def _history(d, m, seed):
    """m curvature pairs (oldest first) from a random positive definite A, with a little non-quadratic
    noise in y (sᵀy stays positive)."""
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((d, d))
    A = M @ M.T + d * np.eye(d)
    s = [rng.standard_normal(d) for _ in range(m)]
    y = [A @ si + 0.1 * rng.standard_normal(d) for si in s]
    return rng.standard_normal(d), s, y


def _two_loop_cases():
    names = ("grad", "s_history", "y_history")
    g3, s3, y3 = _history(3, 3, 7)
    g4, s4, y4 = _history(4, 5, 11)
    return [
        Case((np.array([1.0, -2.0, 3.0]), [], []), names=names,
             label="lbfgs_two_loop(grad=[1, -2, 3], s_history=[], y_history=[])  (no pairs yet: r = g)"),
        Case((np.array([2.0, -1.0]), [np.array([1.0, 0.5])], [np.array([4.0, 1.0])]), names=names,
             label="lbfgs_two_loop(grad=[2, -1], s_history=[[1, 0.5]], y_history=[[4, 1]])"),
        Case((np.array([1.0, 10.0, 4.0]), [np.array([1.0, 0.0, 0.0]), np.array([1.0, 1.0, 0.0])],
              [np.array([1.0, 0.0, 0.0]), np.array([1.0, 10.0, 0.0])]), names=names,
             label="lbfgs_two_loop(grad=[1, 10, 4], s_history=[[1, 0, 0], [1, 1, 0]], "
                   "y_history=[[1, 0, 0], [1, 10, 0]])  (pairs y = As of A = diag(1, 10, 4))"),
        Case((g3, s3, y3), names=names,
             label="lbfgs_two_loop(3 parameters, 3 pairs from np.random.default_rng(7))"),
        Case((g4, s4, y4), names=names,
             label="lbfgs_two_loop(4 parameters, 5 pairs from np.random.default_rng(11))"),
    ]


PROBES = [
    Probe("second_order.newton_step", grade_id="newton_step_hidden", cases=_step_cases,
          reference="solutions:newton_step", points=2,
          mistakes=(dx.newton_sign_error(), dx.hessian_not_inverted())),
    Probe("second_order.newton_step_singular", grade_id="newton_step_hidden", cases=_singular_cases,
          reference="autograder.cases.second_order:reference_newton_step_outcome", points=1,
          mistakes=(dx.singular_not_raised(),)),
    Probe("second_order.newton", grade_id="newton_hidden", cases=_newton_cases, reference="solutions:newton",
          points=2, mistakes=(dx.off_by_one("n_steps"),)),
    Probe("second_order.lbfgs_two_loop", grade_id="lbfgs_two_loop_hidden", cases=_two_loop_cases,
          reference="solutions:lbfgs_two_loop", points=3,
          mistakes=(dx.two_loop_order(), dx.two_loop_unscaled(), dx.two_loop_negated())),
]
