"""Cases for assignment ``momentum``: one momentum / Nesterov step with an explicit velocity state, and a
driver that runs it on a quadratic with several parameters.

Fixed numbers. Steps start from a non-zero velocity in most cases, so that the other momentum convention
(lecture 004's v ← λv − ηg, θ ← θ + v), dampening, the learning rate inside the velocity and Nesterov with
the old velocity all give a different answer from the right one; one case has μ = 0 (momentum ≡ GD).
States are compared by their field values (a student's own NamedTuple with a field ``v`` is fine).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case, Probe


class MomentumState(NamedTuple):
    """The velocity v (same shape as θ)."""

    v: np.ndarray


class QuadraticGrad:
    """∇L(θ) = A(θ − c) of L(θ) = ½(θ − c)ᵀA(θ − c)."""

    def __init__(self, A, c):
        self.A, self.c = np.asarray(A, dtype=float), np.asarray(c, dtype=float)

    def __call__(self, theta):
        return self.A @ (np.asarray(theta, dtype=float) - self.c)

    def __repr__(self):
        return f"∇L(θ) = A(θ − c) with A = {self.A.tolist()}, c = {self.c.tolist()}"


def _step_cases():
    names = ("theta", "grad", "state", "lr", "momentum", "nesterov")
    return [
        Case((np.array([1.0, -2.0]), np.array([1.0, -20.0]), MomentumState(np.zeros(2)), 0.05), names=names,
             label="momentum_step(theta=[1, -2], grad=[1, -20], state v=[0, 0], lr=0.05)  (defaults: μ = 0.9)"),
        Case((np.array([0.5, 1.5, -1.0]), np.array([2.0, -1.0, 0.5]), MomentumState(np.array([1.0, 0.5, -2.0])),
              0.1, 0.8), names=names,
             label="momentum_step(theta=[0.5, 1.5, -1], grad=[2, -1, 0.5], state v=[1, 0.5, -2], lr=0.1, "
                   "momentum=0.8)"),
        Case((np.array([[1.0, 2.0], [-1.0, 0.0]]), np.array([[0.5, -1.0], [2.0, 1.0]]),
              MomentumState(np.array([[1.0, 0.0], [-1.0, 2.0]])), 0.1, 0.9, True), names=names,
             label="momentum_step(theta=[[1, 2], [-1, 0]], grad=[[0.5, -1], [2, 1]], state v=[[1, 0], [-1, 2]], "
                   "lr=0.1, momentum=0.9, nesterov=True)"),
        Case((np.array([2.0, -1.0, 0.0]), np.array([-1.0, 3.0, 2.0]), MomentumState(np.array([0.5, 1.0, -1.0])),
              0.2, 0.5), {"nesterov": True}, names=names,
             label="momentum_step(theta=[2, -1, 0], grad=[-1, 3, 2], state v=[0.5, 1, -1], lr=0.2, momentum=0.5, "
                   "nesterov=True)"),
        Case((np.array([1.0, 1.0]), np.array([3.0, -4.0]), MomentumState(np.array([5.0, 5.0])), 0.1, 0.0),
             names=names,
             label="momentum_step(theta=[1, 1], grad=[3, -4], state v=[5, 5], lr=0.1, momentum=0)  (plain GD)"),
    ]


VALLEY = QuadraticGrad([[1.0, 0.0], [0.0, 10.0]], [0.0, 0.0])
ROTATED = QuadraticGrad([[5.5, 4.5], [4.5, 5.5]], [1.0, -1.0])
BOWL3 = QuadraticGrad([[2.0, 0.5, 0.0], [0.5, 3.0, 0.5], [0.0, 0.5, 4.0]], [0.5, -0.5, 1.0])


def _minimize_cases():
    names = ("grad_fn", "theta0", "lr", "momentum", "nesterov", "n_steps")
    return [
        Case((VALLEY, np.array([1.0, -2.0]), 0.05, 0.9, False, 12), names=names,
             label="minimize(∇ of ½(θ₁² + 10θ₂²), theta0=[1, -2], lr=0.05, momentum=0.9, nesterov=False, "
                   "n_steps=12)"),
        Case((ROTATED, np.array([-1.0, 2.0]), 0.05, 0.8, True, 10), names=names,
             label="minimize(∇ of a rotated quadratic (A = [[5.5, 4.5], [4.5, 5.5]], c = [1, -1]), "
                   "theta0=[-1, 2], lr=0.05, momentum=0.8, nesterov=True, n_steps=10)"),
        Case((BOWL3, np.array([2.0, 0.0, -1.0]), 0.1, 0.5, False, 8), names=names,
             label="minimize(∇ of a 3-parameter quadratic, theta0=[2, 0, -1], lr=0.1, momentum=0.5, "
                   "nesterov=False, n_steps=8)"),
        Case((VALLEY, np.array([1.0, 1.0]), 0.02), {"n_steps": 5}, names=names,
             label="minimize(∇ of ½(θ₁² + 10θ₂²), theta0=[1, 1], lr=0.02, n_steps=5)  (defaults: μ = 0.9, "
                   "no Nesterov)"),
    ]


STEP_FIELDS = ("theta", "state")

PROBES = [
    Probe("momentum.momentum_step", grade_id="momentum_step_hidden", cases=_step_cases,
          reference="solutions:momentum_step", points=4, fields=STEP_FIELDS,
          mistakes=(dx.momentum_lecture_form(), dx.momentum_lecture_velocity(), dx.momentum_dampening(),
                    dx.momentum_lr_in_velocity(), dx.nesterov_old_velocity(), dx.step_reversed())),
    Probe("momentum.minimize", grade_id="minimize_hidden", cases=_minimize_cases,
          reference="solutions:minimize_momentum", points=3,
          mistakes=(dx.off_by_one("n_steps"),)),
]
