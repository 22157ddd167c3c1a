"""The assignments' training loops (solutions/training.py): exact values, equivalences, thresholds."""

import numpy as np
import pytest

import solutions as S


def test_train_reproduces_the_lectures_table_and_the_driver():
    x, y = S.hours_points()
    ws, costs = S.train(1.0, x, y, 0.01, 100)
    assert ws.shape == costs.shape == (101,)
    assert [round(float(w), 2) for w in ws[1:4]] == [1.09, 1.18, 1.25]
    assert [round(float(c), 2) for c in costs[:3]] == [4.67, 3.84, 3.15]
    ref = S.run(S.gd_step, 1.0, lambda w: S.gradient(w, x, y), 100, lambda w: S.cost(w, x, y), lr=0.01)
    assert np.allclose(ws, ref.thetas) and np.allclose(costs, ref.costs)


def test_train_is_vectorized_over_starting_weights():
    x, y = S.hours_points()
    w0 = np.array([[0.0, 1.0], [3.0, -2.0]])
    ws, costs = S.train(w0, x, y, 0.05, 7)
    assert ws.shape == costs.shape == (8, 2, 2)
    for i in range(2):
        for j in range(2):
            one, c = S.train(w0[i, j], x, y, 0.05, 7)
            assert np.allclose(ws[:, i, j], one) and np.allclose(costs[:, i, j], c)
    assert S.train(1.0, x, y, 0.1, 0)[0].tolist() == [1.0]


def test_max_stable_lr_is_the_divergence_threshold():
    x, y = S.hours_points()
    assert S.max_stable_lr(x) == pytest.approx(3 / 14)
    lr = S.max_stable_lr(x)
    assert abs(S.train(1.0, x, y, 0.99 * lr, 500)[0][-1] - 2) < 1e-3
    assert abs(S.train(1.0, x, y, 1.01 * lr, 300)[0][-1] - 2) > 1
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3)) * [1.0, 3.0, 0.5]
    prob = S.LinearRegression(X, X @ [1.0, -1.0, 2.0])
    lr = S.max_stable_lr(X)
    assert lr == pytest.approx(2 / np.linalg.eigvalsh(prob.hess(None)).max())
    for factor, converges in ((0.99, True), (1.01, False)):
        path = S.run(S.gd_step, np.zeros(3), prob.grad, 2000, lr=factor * lr)
        assert (np.linalg.norm(path.thetas[-1] - prob.theta_star) < 1e-3) == converges


def test_sgd_epoch_and_minibatch_sgd_extremes():
    x, y = S.hours_points()
    X = x[:, None]
    # batch 1 in order is the lecture's SGD: w = 1.260688 after epoch 0
    assert S.sgd_epoch(np.array([1.0]), X, y, 0.01, 1)[0] == pytest.approx(1.260688, abs=1e-6)
    thetas, _ = S.minibatch_sgd([1.0], X, y, 0.01, 100, 1)
    ref = S.run_epochs(S.gd_step, [1.0], S.LinearRegression(X, y), 100, 1, shuffle=False, lr=0.01)
    assert np.allclose(thetas, ref.thetas[::3])
    # a full batch is GD
    prob = S.make_regression(n=30, d=3, seed=1)
    thetas, costs = S.minibatch_sgd(np.zeros(3), prob.X, prob.y, 0.05, 20, 30, seed=4)
    gd = S.run(S.gd_step, np.zeros(3), prob.grad, 20, prob.f, lr=0.05)
    assert np.allclose(thetas, gd.thetas) and np.allclose(costs, gd.costs)
    # shuffled mini-batches: the same as the library's driver with the same seed
    thetas, costs = S.minibatch_sgd(np.zeros(3), prob.X, prob.y, 0.05, 4, 7, seed=4)
    ref = S.run_epochs(S.gd_step, np.zeros(3), prob, 4, 7, seed=4, lr=0.05)
    assert np.allclose(thetas, ref.thetas[::5]) and np.allclose(costs, ref.costs[::5])


def test_inputs_are_not_mutated():
    prob = S.make_regression(n=10, d=2, seed=0)
    theta0, X, y = np.array([0.5, -0.5]), prob.X.copy(), prob.y.copy()
    S.minibatch_sgd(theta0, X, y, 0.1, 3, 4, seed=0)
    S.sgd_epoch(theta0, X, y, 0.1, 4, np.random.default_rng(0))
    assert theta0.tolist() == [0.5, -0.5] and np.array_equal(X, prob.X) and np.array_equal(y, prob.y)
