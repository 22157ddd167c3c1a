"""Each recognizer names its mistake on a buggy output, and stays quiet on the right one."""

from typing import NamedTuple

import numpy as np
import pytest

from autograder import diagnostics as dx
from autograder.cases import Case
from autograder.compare import compare
from autograder.probe import to_jsonable


def agree(alternative, got):
    return compare(to_jsonable(alternative), to_jsonable(got)) is None


def recognized(mistake, ref, case, got):
    found = dx.recognize([mistake], ref, case, case.call(ref), got, agree)
    return found is not None


# small local references (numpy only), written from the update rules in the diagnostics' docstring
def cost(w, x, y):
    return np.mean((np.asarray(w, float)[..., None] * x - y) ** 2, axis=-1)


def gradient(w, x, y):
    return np.mean(2 * x * (np.asarray(w, float)[..., None] * x - y), axis=-1)


def gd_step(theta, grad, lr):
    return theta - lr * grad


class V(NamedTuple):
    v: np.ndarray


def momentum_step(theta, grad, state, lr, momentum=0.9):
    v = momentum * state.v + grad
    return theta - lr * v, V(v)


class S(NamedTuple):
    s: np.ndarray


def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.s + grad**2
    return theta - lr * grad / (np.sqrt(s) + eps), S(s)


def rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    s = alpha * state.s + (1 - alpha) * grad**2
    return theta - lr * grad / (np.sqrt(s) + eps), S(s)


class A(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    t: int


def adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True):
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * grad
    v = beta2 * state.v + (1 - beta2) * grad**2
    m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if bias_correction else (m, v)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), A(m, v, t)


def grid_search(f, bounds, points_per_dim):
    axes = [np.linspace(lo, hi, points_per_dim) for lo, hi in bounds]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, len(bounds))
    values = f(points)
    return points[np.argmin(values)], float(values.min()), len(points)


def run(theta, lr, n_steps):
    for _ in range(n_steps):
        theta = theta - lr * 2 * theta
    return theta


X, Y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
COST = Case((np.array([0.0, 1.0, 3.0]), X, Y), names=("w", "x", "y"))
THETA, G = np.array([1.0, -2.0]), np.array([0.5, 0.25])


def test_sum_instead_of_mean():
    w, x, y = COST.args
    summed = np.sum((w[..., None] * x - y) ** 2, axis=-1)
    assert recognized(dx.sum_instead_of_mean("x"), cost, COST, summed)
    assert not recognized(dx.sum_instead_of_mean("x"), cost, COST, cost(w, x, y))
    assert not recognized(dx.sum_instead_of_mean("x"), cost, COST, 2 * cost(w, x, y))


def test_negated_gradient():
    case = Case((np.array([0.0, 3.0]), X, Y), names=("w", "x", "y"))
    assert recognized(dx.negated(), gradient, case, -gradient(*case.args))
    assert not recognized(dx.negated(), gradient, case, gradient(*case.args))


def test_step_sign_error():
    case = Case((THETA, G, 0.1), names=("theta", "grad", "lr"))
    assert recognized(dx.step_sign_error(), gd_step, case, THETA + 0.1 * G)
    assert not recognized(dx.step_sign_error(), gd_step, case, THETA - 0.1 * G)


def test_search_maximizes():
    bowl = lambda p: ((p - 0.3) ** 2).sum(axis=1)  # noqa: E731
    case = Case((bowl, [(-1.0, 2.0)], 7), names=("f", "bounds", "points_per_dim"))
    maximizing = (np.array([2.0]), float(bowl(np.array([[2.0]]))[0]), 7)
    assert recognized(dx.search_maximizes(), grid_search, case, maximizing)
    assert not recognized(dx.search_maximizes(), grid_search, case, grid_search(bowl, [(-1.0, 2.0)], 7))


def test_missing_bias_correction():
    case = Case((THETA, G, A(np.zeros(2), np.zeros(2), 0)), {"lr": 0.1}, names=("theta", "grad", "state"))
    wrong = adam_step(THETA, G, A(np.zeros(2), np.zeros(2), 0), lr=0.1, bias_correction=False)
    assert recognized(dx.missing_bias_correction(), adam_step, case, wrong)
    assert not recognized(dx.missing_bias_correction(), adam_step, case, case.call(adam_step))


@pytest.mark.parametrize("kind, step, state", [
    ("adagrad", adagrad_step, S(np.array([1e-12, 4.0]))),
    ("rmsprop", rmsprop_step, S(np.array([1e-12, 4.0]))),
    ("adam", adam_step, A(np.zeros(2), np.array([1e-12, 4.0]), 3)),
])
def test_eps_inside_sqrt(kind, step, state):
    eps = 1e-2  # large enough that the two placements differ clearly
    case = Case((THETA, np.array([1e-6, 0.5]), state), {"lr": 0.1, "eps": eps}, names=("theta", "grad", "state"))
    theta, grad = THETA, np.array([1e-6, 0.5])
    if kind == "adam":
        t, m = state.t + 1, 0.1 * grad
        v = 0.999 * state.v + 0.001 * grad**2
        wrong = (theta - 0.1 * (m / (1 - 0.9**t)) / np.sqrt(v / (1 - 0.999**t) + eps), A(m, v, t))
    else:
        s = state.s + grad**2 if kind == "adagrad" else 0.99 * state.s + 0.01 * grad**2
        wrong = (theta - 0.1 * grad / np.sqrt(s + eps), S(s))
    assert recognized(dx.eps_inside_sqrt(kind), step, case, wrong)
    assert not recognized(dx.eps_inside_sqrt(kind), step, case, case.call(step))
    with pytest.raises(ValueError):
        dx.eps_inside_sqrt("sgd")


def test_lr_applied_twice():
    case = Case((THETA, G, 0.1), names=("theta", "grad", "lr"))
    assert recognized(dx.lr_applied_twice(), gd_step, case, THETA - 0.1 * 0.1 * G)
    assert not recognized(dx.lr_applied_twice(), gd_step, case, THETA - 0.1 * G)


def test_momentum_conventions():
    state = V(np.array([0.3, -0.2]))
    case = Case((THETA, G, state, 0.1), names=("theta", "grad", "state", "lr"))
    lecture_v = 0.9 * state.v - 0.1 * G
    assert recognized(dx.momentum_lecture_form(), momentum_step, case, (THETA + lecture_v, V(lecture_v)))
    damp_v = 0.9 * state.v + 0.1 * G
    assert recognized(dx.momentum_dampening(), momentum_step, case, (THETA - 0.1 * damp_v, V(damp_v)))
    right = case.call(momentum_step)
    assert not recognized(dx.momentum_lecture_form(), momentum_step, case, right)
    assert not recognized(dx.momentum_dampening(), momentum_step, case, right)


def test_off_by_one_uses_the_reference_defaults():
    case = Case((np.array([1.0]), 0.1, 5), names=("theta", "lr", "n_steps"))
    assert recognized(dx.off_by_one("n_steps"), run, case, run(np.array([1.0]), 0.1, 4))
    assert recognized(dx.off_by_one("n_steps"), run, case, run(np.array([1.0]), 0.1, 6))
    assert not recognized(dx.off_by_one("n_steps"), run, case, run(np.array([1.0]), 0.1, 5))

    def with_default(theta, lr, n_steps=3):
        return run(theta, lr, n_steps)

    short = Case((np.array([1.0]), 0.1), names=("theta", "lr"))
    assert recognized(dx.off_by_one("n_steps"), with_default, short, run(np.array([1.0]), 0.1, 2))


def test_a_recognizer_that_does_not_apply_is_skipped():
    case = Case((THETA, G, 0.1), names=("theta", "grad", "lr"))
    # missing_bias_correction passes an argument gd_step does not take: it must not raise
    assert dx.recognize([dx.missing_bias_correction()], gd_step, case, None, THETA, agree) is None
