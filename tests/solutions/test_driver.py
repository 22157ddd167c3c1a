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


GD = S.OPTIMIZERS["GD"]
Q = S.Quadratic(kappa=10, theta_star=[1.0, -1.0])


def test_optimize_says_which_of_the_three_happened_and_at_which_step():
    ran = S.optimize(GD, [3.0, 2.0], Q.grad, 5, Q.f, lr=0.1)
    assert (ran.status, ran.reason, ran.steps) == ("ran", "", 5)
    np.testing.assert_array_equal(ran.costs, [Q.f(t) for t in ran.thetas])
    errors = np.linalg.norm(S.run(S.gd_step, [3.0, 2.0], Q.grad, 400, lr=0.1).thetas - Q.theta_star, axis=1)
    first = int(np.argmax(errors <= 1e-6))
    near = S.optimize(GD, [3.0, 2.0], Q.grad, 400, xtol=1e-6, theta_star=Q.theta_star, lr=0.1)
    assert (near.status, near.reason, near.steps) == ("converged", "‖θ − θ*‖ ≤ xtol", first)
    flat = S.optimize(GD, [3.0, 2.0], Q.grad, 400, gtol=1e-6, lr=0.1)
    assert flat.status == "converged" and np.max(np.abs(Q.grad(flat.thetas[-1]))) <= 1e-6
    assert np.max(np.abs(Q.grad(flat.thetas[-2]))) > 1e-6
    low = S.optimize(GD, [3.0, 2.0], Q.grad, 400, Q.f, ftol=1e-9, f_star=Q.f_star, lr=0.1)
    assert low.reason == "f − f* ≤ ftol" and low.costs[-1] <= 1e-9 < low.costs[-2]
    already = S.optimize(GD, Q.theta_star, Q.grad, 400, gtol=1e-6, lr=0.1)
    assert (already.status, already.steps) == ("converged", 0)


def test_divergence_is_non_finite_or_past_the_bound():
    assert S.divergence([1.0, S.BOUND]) == "" and S.divergence(-S.BOUND * 1.01) == f"|θ| > {S.BOUND:g}"
    assert S.divergence([0.0, np.inf]) == S.divergence(np.nan) == "not finite"
    past = S.optimize(GD, [3.0, 2.0], Q.grad, 1000, lr=0.3)  # 0.3 > 2 / 10
    assert (past.status, past.reason) == ("diverged", f"|θ| > {S.BOUND:g}")
    assert np.max(np.abs(past.thetas[-1])) <= S.BOUND  # the point past the bound is not kept
    assert np.max(np.abs(S.gd_step(past.thetas[-1], Q.grad(past.thetas[-1]), lr=0.3))) > S.BOUND
    loose = S.optimize(GD, [3.0, 2.0], Q.grad, 3000, lr=0.3, bound=np.inf)  # ×(1 − 0.3·10) = −2 a step
    assert (loose.status, loose.reason) == ("diverged", "not finite") and loose.steps > past.steps


def test_a_non_finite_gradient_or_a_singular_hessian_ends_the_run_as_not_finite():
    blow = S.optimize(GD, [1.0], lambda t: np.array([np.inf]) if t[0] < 0.5 else t, 10, lr=0.6)
    assert (blow.status, blow.reason, blow.thetas.tolist()) == ("diverged", "not finite", [[1.0], [0.4]])
    flat = np.array([[1.0, 0.0], [0.0, 0.0]])  # no curvature along θ₂: H p = g has no solution
    stuck = S.optimize(S.OPTIMIZERS["Newton"], [1.0, 1.0], lambda t: np.ones(2), 5, hess=lambda t: flat)
    assert (stuck.status, stuck.reason, stuck.steps) == ("diverged", "not finite", 0)
    with pytest.raises(ValueError, match="singular"):  # the public step still refuses
        S.newton_step([1.0, 1.0], np.ones(2), flat)


def test_run_keeps_every_finite_iterate_and_raises_when_they_stop_being_finite():
    huge = S.run(S.gd_step, [1.0], lambda t: 10 * t, 100, lr=0.5)  # θ ← −4θ: 4¹⁰⁰ ≈ 1.6e60, still finite
    assert huge.status == "ran" and huge.steps == 100 and abs(huge.thetas[-1, 0]) == 4.0**100
    with pytest.raises(ValueError, match="update 512 is not"):  # 4^512 overflows
        S.run(S.gd_step, [1.0], lambda t: 10 * t, 600, lr=0.5)
    with pytest.raises(ValueError, match="must be finite"), np.errstate(over="ignore", invalid="ignore"):
        S.run_epochs(S.gd_step, [1.0], LECTURE, 1000, 1, shuffle=False, lr=1.0)


def test_tolerances_need_their_targets():
    with pytest.raises(ValueError, match="xtol needs theta_star"):
        S.optimize(GD, [1.0], Q.grad, 10, xtol=1e-3, lr=0.1)
    with pytest.raises(ValueError, match="ftol needs cost_fn and f_star"):
        S.optimize(GD, [1.0, 1.0], Q.grad, 10, ftol=1e-3, f_star=0.0, lr=0.1)


def test_as_optimizer_gives_a_stateless_step_the_empty_state():
    stateless = S.as_optimizer(S.gd_step)
    assert stateless.init([1.0]) == S.EmptyState() and stateless.name == "gd_step"
    theta, state = stateless.step(np.array([1.0]), np.array([2.0]), S.EmptyState(), lr=0.1)
    assert theta.tolist() == [0.8] and state == S.EmptyState()
    stateful = S.as_optimizer(S.adam_step, S.adam_init)
    assert (stateful.init, stateful.step) == (S.adam_init, S.adam_step)
    schedule = S.step_decay(0.1, step_size=2, gamma=0.5)
    path = S.optimize(GD, 1.0, lambda w: np.asarray(1.0), 4, lr=schedule)
    assert np.allclose(np.diff(path.thetas), [-0.1, -0.1, -0.05, -0.05])
