"""Cases for assignment ``gd``: the gradient of the cost, the training loop, the largest stable learning
rate, the smoothed cost curve, the numeric gradient and lecture 004's output-layer gradient.

Every case uses fixed numbers. Each listed mistake gives a different answer from the right one on at least
one case (e.g. β ≠ 0.5 for the swapped EMA weights, h large enough that a forward difference shows).
"""

from __future__ import annotations

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case, Probe

HOURS = np.array([1.0, 2.0, 3.0])
POINTS = np.array([2.0, 4.0, 6.0])
X4 = np.array([1.0, 2.0, 3.0, 4.0])
Y4 = np.array([3.0, 5.0, 7.0, 10.0])

# lecture 004's network: hidden activations n6, n7 of three samples, output weights, bias, targets
LECTURE_N = np.array([[0.69657858, 0.51114952], [0.859582, 0.56898564], [0.543156, 0.90834304]])
LECTURE_W = np.array([0.5989, 0.3610])
LECTURE_B = -0.3608
LECTURE_Y = np.array([7.0, 12.0, 40.0])


class Fn:
    """A named scalar function of an array θ (for the numeric gradient)."""

    def __init__(self, name, fn):
        self.name, self.fn = name, fn

    def __call__(self, theta):
        return self.fn(np.asarray(theta, dtype=float))

    def __repr__(self):
        return self.name


def _square(t):
    return float((t ** 2).sum())


def _hours_cost(t):
    return float(np.mean((HOURS * t[0] - POINTS) ** 2))


def _rosenbrock(t):
    return float((1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2)


def _cubic(t):
    return float((t ** 3).sum() + t[0, 1] * t[1, 0])


def _gradient_cases():
    names = ("w", "x", "y")
    return [
        Case((1.0, HOURS.copy(), POINTS.copy()), names=names, label="gradient(1.0, x=[1, 2, 3], y=[2, 4, 6])"),
        Case((np.array([0.0, 1.0, 2.0, 3.0]), HOURS.copy(), POINTS.copy()), names=names,
             label="gradient(w=[0, 1, 2, 3], x=[1, 2, 3], y=[2, 4, 6])"),
        Case((np.array([[0.5, 1.5, 2.5], [-1.0, 2.0, 6.0]]), HOURS.copy(), POINTS.copy()), names=names,
             label="gradient(w=[[0.5, 1.5, 2.5], [-1, 2, 6]] (shape (2, 3)), x=[1, 2, 3], y=[2, 4, 6])"),
        Case((np.array([0.0, 2.5]), X4.copy(), Y4.copy()), names=names,
             label="gradient(w=[0, 2.5], x=[1, 2, 3, 4], y=[3, 5, 7, 10])  (N = 4)"),
    ]


def _train_cases():
    names = ("w0", "x", "y", "lr", "n_steps")
    return [
        Case((1.0, HOURS.copy(), POINTS.copy(), 0.01, 10), names=names,
             label="train(1.0, x=[1, 2, 3], y=[2, 4, 6], lr=0.01, n_steps=10)  (the lecture's run)"),
        Case((np.array([0.0, 1.0, 4.0]), HOURS.copy(), POINTS.copy(), 0.05, 6), names=names,
             label="train(w0=[0, 1, 4], x=[1, 2, 3], y=[2, 4, 6], lr=0.05, n_steps=6)"),
        Case((np.array([[0.5, 3.0], [-1.0, 2.5]]), X4.copy(), Y4.copy(), 0.02, 2), names=names,
             label="train(w0=[[0.5, 3], [-1, 2.5]], x=[1, 2, 3, 4], y=[3, 5, 7, 10], lr=0.02, n_steps=2)"),
        Case((1.0, HOURS.copy(), POINTS.copy(), 0.25, 4), names=names,
             label="train(1.0, x=[1, 2, 3], y=[2, 4, 6], lr=0.25, n_steps=4)  (beyond 3/14: diverges)"),
    ]


def _max_lr_cases():
    names = ("x",)
    return [
        Case((HOURS.copy(),), names=names, label="max_stable_lr(x=[1, 2, 3])  (the lecture's 3/14)"),
        Case((X4.copy(),), names=names, label="max_stable_lr(x=[1, 2, 3, 4])"),
        Case((np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [2.0, -1.0]]),), names=names,
             label="max_stable_lr(X=[[1, 0], [0, 2], [1, 1], [2, -1]])  (N = 4, d = 2)"),
        Case((np.array([[1.0, 2.0, 0.5], [0.0, 1.0, -1.0], [3.0, 0.0, 1.0], [1.0, -1.0, 2.0], [2.0, 1.0, 0.0]]),),
             names=names, label="max_stable_lr(X of shape (5, 3))"),
    ]


def _ema_cases():
    names = ("values", "beta", "bias_correction")
    costs = np.array([4.67, 3.84, 3.15, 2.59, 2.13, 1.75])
    noisy = np.array([5.0, 3.0, 4.5, 2.0, 3.5, 1.0, 2.5, 0.5])
    return [
        Case((costs.copy(), 0.9), names=names,
             label="ema(values=[4.67, 3.84, 3.15, 2.59, 2.13, 1.75] (the lecture's costs), beta=0.9)"),
        Case((np.array([1.0, 2.0, 3.0]), 0.5), names=names, label="ema([1, 2, 3], beta=0.5)"),
        Case((noisy.copy(), 0.7), names=names, label="ema([5, 3, 4.5, 2, 3.5, 1, 2.5, 0.5], beta=0.7)"),
        Case((costs.copy(), 0.9, True), names=names,
             label="ema([4.67, 3.84, 3.15, 2.59, 2.13, 1.75], beta=0.9, bias_correction=True)"),
        Case((noisy.copy(), 0.7), {"bias_correction": True}, names=names,
             label="ema([5, 3, 4.5, 2, 3.5, 1, 2.5, 0.5], beta=0.7, bias_correction=True)"),
    ]


def _numgrad_cases():
    names = ("f", "theta", "h")
    return [
        Case((Fn("f(θ) = Σ θᵢ²", _square), np.array([1.0, -2.0]), 0.01), names=names,
             label="numerical_gradient(f(θ) = Σ θᵢ², theta=[1, -2], h=0.01)"),
        Case((Fn("the lecture's cost of θ = [ω]", _hours_cost), np.array([1.0])), names=names,
             label="numerical_gradient(cost of θ = [ω] on x=[1, 2, 3], y=[2, 4, 6], theta=[1])  (default h)"),
        Case((Fn("Rosenbrock (1 − θ₀)² + 100(θ₁ − θ₀²)²", _rosenbrock), np.array([-1.0, 1.5]), 1e-3), names=names,
             label="numerical_gradient(Rosenbrock, theta=[-1, 1.5], h=0.001)"),
        Case((Fn("f(θ) = Σ θᵢⱼ³ + θ₀₁θ₁₀", _cubic), np.array([[1.0, 0.5], [-1.0, 2.0]]), 0.1), names=names,
             label="numerical_gradient(f(θ) = Σ θᵢⱼ³ + θ₀₁θ₁₀, theta=[[1, 0.5], [-1, 2]] (shape (2, 2)), h=0.1)"),
    ]


def _last_layer_cases():
    names = ("n", "w", "b", "y")
    return [
        Case((LECTURE_N.copy(), LECTURE_W.copy(), LECTURE_B, LECTURE_Y.copy()), names=names,
             label="last_layer_gradient(lecture 004's n6, n7, w = [0.5989, 0.361], b = -0.3608, y = [7, 12, 40])"),
        Case((np.array([[0.2, 0.9, 0.4], [0.7, 0.1, 0.5], [0.3, 0.3, 0.8], [0.9, 0.6, 0.1]]),
              np.array([1.0, -0.5, 2.0]), 0.25, np.array([1.0, 0.0, 2.0, -1.0])), names=names,
             label="last_layer_gradient(n of shape (4, 3), w=[1, -0.5, 2], b=0.25, y=[1, 0, 2, -1])"),
        Case((np.array([[0.5, 0.25]]), np.array([2.0, -4.0]), 1.0, np.array([3.0])), names=names,
             label="last_layer_gradient(n=[[0.5, 0.25]], w=[2, -4], b=1, y=[3])  (one sample)"),
    ]


MISSING_TWO = "the derivative of the square's 2 left out: d/dŷ (ŷ − y)² = 2(ŷ − y)"

PROBES = [
    Probe("gd.gradient", grade_id="gradient_hidden", cases=_gradient_cases, reference="solutions:gradient",
          points=2, mistakes=(dx.sum_instead_of_mean("x"), dx.negated(),
                              dx.scaled(0.5, "missing factor 2", "your gradient is half the expected one: "
                                        + MISSING_TWO))),
    Probe("gd.train", grade_id="train_hidden", cases=_train_cases, reference="solutions:train", points=3,
          fields=("ws", "costs"),
          mistakes=(dx.off_by_one("n_steps"), dx.step_sign_error("lr"), dx.lr_applied_twice("lr"),
                    dx.changed_args("steps N times too large", "every step is N times the gradient-descent "
                                    "step: is your gradient a sum over the samples instead of their mean?",
                                    lr=lambda b: b["lr"] * len(np.atleast_1d(b["x"]))))),
    Probe("gd.max_stable_lr", grade_id="max_stable_lr_hidden", cases=_max_lr_cases,
          reference="solutions:max_stable_lr", points=2,
          mistakes=(dx.scaled(2, "the Hessian's factor 2 left out",
                              "your threshold is twice the right one: the Hessian of (1/N)‖Xθ − y‖² is "
                              "H = (2/N)XᵀX, and GD converges for η < 2/λ_max(H) = N/λ_max(XᵀX)"),
                    dx.scaled(lambda b: 1 / len(np.atleast_1d(b["x"])), "sum instead of mean (missing 1/N)",
                              "your threshold is N times too small: the cost is the MEAN of the squared errors, "
                              "so its Hessian is (2/N)XᵀX, not 2XᵀX"))),
    Probe("gd.ema", grade_id="ema_hidden", cases=_ema_cases, reference="solutions:ema", points=2,
          mistakes=(dx.ema_slide_typo(),
                    dx.changed_args("β and 1 − β swapped", "you weighed the new cost by β and the old average "
                                    "by 1 − β; it is C'ᵢ = βC'ᵢ₋₁ + (1 − β)Cᵢ (β near 1 = long memory)",
                                    beta=lambda b: 1 - b["beta"]),
                    dx.scaled(lambda b: 1 - b["beta"] ** np.arange(1, len(b["values"]) + 1),
                              "missing bias correction", "you started at m = 0 but did not divide: return "
                              "m / (1 − βᵗ) at step t = 1, 2, …, as Adam's m̂ does"),
                    dx.changed_args("bias_correction ignored", "with bias_correction=True start at m = 0 and "
                                    "return m / (1 − βᵗ) at step t = 1, 2, …, as Adam's m̂ does",
                                    bias_correction=False))),
    Probe("gd.numerical_gradient", grade_id="numerical_gradient_hidden", cases=_numgrad_cases,
          reference="solutions:numerical_gradient", points=2, rtol=1e-6, atol=1e-7,
          mistakes=(dx.forward_difference(),
                    dx.scaled(2, "divided by h instead of 2h", "your gradient is twice the expected one: the "
                              "central difference spans 2h, so divide f(θ + h eᵢ) − f(θ − h eᵢ) by 2h"))),
    Probe("gd.last_layer_gradient", grade_id="last_layer_gradient_hidden", cases=_last_layer_cases,
          reference="solutions:last_layer_gradient", points=2, fields=("dw", "db"),
          mistakes=(dx.negated(), dx.sum_instead_of_mean("y"),
                    dx.scaled(0.5, "missing factor 2", "your gradient is half the expected one: " + MISSING_TWO))),
]
