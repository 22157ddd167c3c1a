"""The driver: full-batch runs, mini-batch epochs, shuffling, and the lecture's in-order SGD."""

import numpy as np
import pytest

import solutions as S

X, Y = S.hours_points()
LECTURE = S.LinearRegression(X[:, None], Y)


def test_batches_cover_every_sample_once_per_epoch():
    rng = np.random.default_rng(0)
    epoch = S.batches(10, 3, rng)
    assert [len(b) for b in epoch] == [3, 3, 3, 1]
    assert sorted(np.concatenate(epoch).tolist()) == list(range(10))
    assert not np.array_equal(np.concatenate(epoch), np.arange(10))  # shuffled
    assert not np.array_equal(np.concatenate(S.batches(10, 3, rng)), np.concatenate(epoch))  # anew each epoch


def test_lecture_sgd_is_in_order_per_sample_updates():
    w, ws = 1.0, []
    for _ in range(100):
        for xn, yn in zip(X, Y):
            w = w - 0.01 * S.loss_gradient(w, xn, yn)
            ws.append(w)
    path = S.run_epochs(S.gd_step, [1.0], LECTURE, epochs=100, batch_size=1, shuffle=False, lr=0.01)
    assert len(path.thetas) == 301 and np.allclose(path.thetas[1:, 0], ws)
    assert np.allclose(path.costs, LECTURE.f(path.thetas))


def test_full_batch_mini_batch_is_gradient_descent():
    problem = S.make_regression(n=64, d=3, seed=0)
    mini = S.run_epochs(S.gd_step, np.zeros(3), problem, epochs=30, batch_size=64, seed=5, lr=0.1)
    full = S.run(S.gd_step, np.zeros(3), problem.grad, 30, problem.f, lr=0.1)
    assert np.allclose(mini.thetas, full.thetas) and np.allclose(mini.costs, full.costs)


def test_updates_per_epoch_and_seeded_shuffling():
    problem = S.make_regression(n=50, d=2, seed=0)
    path = S.run_epochs(S.gd_step, np.zeros(2), problem, epochs=3, batch_size=16, seed=1, lr=0.05)
    assert len(path.thetas) == 1 + 3 * 4  # ⌈50/16⌉ = 4 updates an epoch
    again = S.run_epochs(S.gd_step, np.zeros(2), problem, epochs=3, batch_size=16, seed=1, lr=0.05)
    other = S.run_epochs(S.gd_step, np.zeros(2), problem, epochs=3, batch_size=16, seed=2, lr=0.05)
    assert np.array_equal(path.thetas, again.thetas) and not np.array_equal(path.thetas, other.thetas)


def test_stateful_step_with_a_schedule():
    problem = S.make_regression(n=200, d=2, seed=0)
    path = S.run_epochs(S.adam_step, np.zeros(2), problem, epochs=60, batch_size=20, init=S.adam_init,
                        lr=S.cosine_decay(0.1, t_max=600))
    assert np.allclose(path.thetas[-1], problem.theta_star, atol=1e-2)


def test_run_without_cost_gives_nan_costs_and_keeps_the_start():
    path = S.run(S.gd_step, [1.0, 2.0], lambda t: t, 3, lr=0.5)
    assert np.isnan(path.costs).all() and path.thetas[0].tolist() == [1.0, 2.0]
    assert np.allclose(path.thetas[-1], [0.125, 0.25])


def test_problem_values_and_minima():
    q = S.Quadratic(kappa=100, angle=0.5, theta_star=[1.0, 2.0])
    assert np.linalg.cond(q.A) == pytest.approx(100) and q.f(q.theta_star) == 0.0
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 4)), axis=-1)
    for problem in (q, S.Rosenbrock(), S.Saddle(), S.TwoWells()):
        assert problem.f(grid).shape == (4, 5)  # vectorized over leading axes: a contour plot is one call
        assert np.allclose(problem.grad(problem.theta_star), 0, atol=1e-9)
        assert np.all(np.linalg.eigvalsh(problem.hess(problem.theta_star)) > 0)
    saddle = S.Saddle()
    assert np.allclose(saddle.grad(saddle.saddle), 0) and np.linalg.eigvalsh(saddle.hess(saddle.saddle)).min() < 0
    wells = S.TwoWells()
    assert wells.f(wells.local_minimum) > wells.f_star + 0.5
    nc = S.NonConvex1D()
    assert nc.f(nc.local_minimum) > nc.f_star and nc.grad(nc.local_maximum)[0] == 0
