"""The recognizers added for the assignments gd and sgd: each names its mistake on a buggy output computed
here by hand, and stays quiet on the right one."""

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case
from autograder.compare import compare
from autograder.probe import to_jsonable


def agree(alternative, got):
    return compare(to_jsonable(alternative), to_jsonable(got)) is None


def recognized(mistake, ref, case, got):
    return dx.recognize([mistake], ref, case, case.call(ref), got, agree) is not None


# small local references (numpy only)
def ema(values, beta, bias_correction=False):
    values = np.asarray(values, dtype=float)
    out, m = [], 0.0 if bias_correction else values[0]
    for i, c in enumerate(values):
        m = beta * m + (1 - beta) * c
        out.append(m / (1 - beta ** (i + 1)) if bias_correction else m)
    return np.array(out)


def numerical_gradient(f, theta, h=1e-5):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        e = np.zeros_like(theta)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad


def threshold(x):
    X = np.asarray(x, dtype=float).reshape(len(x), -1)
    return len(X) / np.linalg.eigvalsh(X.T @ X).max()


def batches(n_samples, batch_size, rng=None):
    order = rng.permutation(n_samples) if rng is not None else np.arange(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]


def run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None):
    rng = None if seed is None else np.random.default_rng(seed)
    theta = np.asarray(theta0, dtype=float)
    thetas = [theta]
    for _ in range(epochs):
        for b in batches(len(y), batch_size, rng):
            theta = theta - lr * 2 * X[b].T @ (X[b] @ theta - y[b]) / len(b)
        thetas.append(theta)
    thetas = np.array(thetas)
    return thetas, np.mean((thetas @ X.T - y) ** 2, axis=-1)


def test_scaled_with_a_number_and_with_a_function_of_the_inputs():
    case = Case(([1.0, 2.0, 3.0],), names=("x",))
    right = threshold([1.0, 2.0, 3.0])
    assert np.isclose(right, 3 / 14)
    twice = dx.scaled(2, "factor 2", "")
    per_n = dx.scaled(lambda b: 1 / len(b["x"]), "sum", "")
    assert recognized(twice, threshold, case, 2 * right) and not recognized(twice, threshold, case, right)
    assert recognized(per_n, threshold, case, 1 / 14) and not recognized(per_n, threshold, case, 2 * right)
    # an array factor: EMA started at 0 without the division by 1 - beta**t
    undivided = dx.scaled(lambda b: 1 - b["beta"] ** np.arange(1, len(b["values"]) + 1), "no division", "")
    biased = Case(([1.0, 2.0, 3.0], 0.9, True), names=("values", "beta", "bias_correction"))
    assert recognized(undivided, ema, biased, [0.1, 0.29, 0.561])


def test_changed_args_values_and_functions():
    case = Case(([1.0, 2.0, 3.0], 0.9, True), names=("values", "beta", "bias_correction"))
    no_correction = dx.changed_args("missing bias correction", "", bias_correction=False)
    swapped = dx.changed_args("swapped", "", beta=lambda b: 1 - b["beta"])
    assert recognized(no_correction, ema, case, [1.0, 1.1, 1.29])
    assert not recognized(no_correction, ema, case, [0.1, 0.29, 0.561])
    assert recognized(swapped, ema, case, ema([1.0, 2.0, 3.0], 0.1, True))
    assert not recognized(swapped, ema, case, ema([1.0, 2.0, 3.0], 0.9, True))


def test_ema_slide_typo():
    mistake = dx.ema_slide_typo()
    case = Case(([1.0, 2.0, 3.0], 0.5), names=("values", "beta", "bias_correction"))
    assert recognized(mistake, ema, case, [1.0, 1.5, 2.5])  # beta*C_i + (1-beta)*C_(i-1), by hand
    assert not recognized(mistake, ema, case, [1.0, 1.5, 2.25])
    biased = Case(([1.0, 2.0, 3.0], 0.5, True), names=("values", "beta", "bias_correction"))
    assert not recognized(mistake, ema, biased, [1.0, 1.5, 2.5])  # does not apply with bias correction


def test_forward_difference():
    mistake = dx.forward_difference()
    case = Case((lambda t: float((t ** 2).sum()), np.array([1.0, -2.0]), 0.1), names=("f", "theta", "h"))
    assert recognized(mistake, numerical_gradient, case, [2.1, -3.9])  # ((t+h)^2 - t^2)/h = 2t + h
    assert not recognized(mistake, numerical_gradient, case, [2.0, -4.0])


def test_drops_last_batch():
    mistake = dx.drops_last_batch()
    case = Case((5, 2), names=("n_samples", "batch_size", "rng"))
    assert recognized(mistake, batches, case, [[0, 1], [2, 3]])
    assert not recognized(mistake, batches, case, [[0, 1], [2, 3], [4]])
    even = Case((4, 2), names=("n_samples", "batch_size", "rng"))  # no smaller last batch: nothing to drop
    assert not recognized(mistake, batches, even, [[0, 1]])


def test_reused_permutation():
    mistake = dx.reused_permutation()
    X, y = np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([2.0, 4.0, 6.0, 8.0])
    case = Case((np.array([0.0]), X, y, 0.02, 3, 2, 5), names=("theta0", "X", "y", "lr", "epochs", "batch_size", "seed"))
    order = np.random.default_rng(5).permutation(4)  # the first epoch's order, reused every epoch
    theta, thetas = np.array([0.0]), [np.array([0.0])]
    for _ in range(3):
        for b in (order[:2], order[2:]):
            theta = theta - 0.02 * 2 * X[b].T @ (X[b] @ theta - y[b]) / 2
        thetas.append(theta)
    thetas = np.array(thetas)
    reused = (thetas, np.mean((thetas @ X.T - y) ** 2, axis=-1))
    assert recognized(mistake, run_epochs, case, reused)
    assert not recognized(mistake, run_epochs, case, run_epochs(*case.args))
