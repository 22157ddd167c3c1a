"""Newton, L-BFGS (against scipy's L-BFGS-B), schedules (values pinned against torch.optim.lr_scheduler)."""

import numpy as np
import pytest
import scipy.optimize

import solutions as S


def test_newton_solves_a_quadratic_in_one_step_for_any_condition_number():
    for kappa in (1, 100, 1e6):
        q = S.Quadratic(kappa=kappa, angle=0.3, theta_star=[1.0, -2.0])
        theta = np.array([5.0, 5.0])
        assert np.allclose(S.newton_step(theta, q.grad(theta), q.hess(theta)), q.theta_star)


def test_newton_on_rosenbrock_converges_quadratically():
    r, theta = S.Rosenbrock(), np.array([-1.2, 1.0])
    errors = []
    for _ in range(7):
        theta = S.newton_step(theta, r.grad(theta), r.hess(theta))
        errors.append(np.linalg.norm(theta - r.theta_star))
    assert errors[-1] < 1e-12


def test_two_loop_recursion_applies_the_bfgs_inverse_hessian():
    rng = np.random.default_rng(0)
    q = S.Quadratic(kappa=20, d=4)
    steps = list(rng.standard_normal((4, 4)))
    s_hist, y_hist = steps, [q.A @ s for s in steps]
    g = rng.standard_normal(4)
    # The secant equation: the updated inverse Hessian maps the newest gradient change onto the newest step.
    assert np.allclose(S.lbfgs_two_loop(y_hist[-1], s_hist, y_hist), s_hist[-1])
    # Steps along the eigenvectors (conjugate directions) recover A⁻¹ exactly.
    eigen = list(np.eye(4))
    assert np.allclose(S.lbfgs_two_loop(g, eigen, [q.A @ s for s in eigen]), np.linalg.solve(q.A, g))
    assert np.array_equal(S.lbfgs_two_loop(g, [], []), g)
    r = S.lbfgs_two_loop(g, s_hist, y_hist)
    assert g @ r > 0  # positive definite: −r is a descent direction


def test_wolfe_line_search_satisfies_both_conditions():
    r = S.Rosenbrock()
    theta = np.array([-1.2, 1.0])
    f0, g0 = r.f(theta), r.grad(theta)
    p = -g0
    alpha, f_new, g_new, _ = S.wolfe_line_search(r.f, r.grad, theta, p, f0, g0, alpha0=1e-3)
    assert f_new <= f0 + 1e-4 * alpha * g0 @ p
    assert abs(g_new @ p) <= 0.9 * abs(g0 @ p)
    with pytest.raises(ValueError, match="descent direction"):
        S.wolfe_line_search(r.f, r.grad, theta, g0, f0, g0)


def test_lbfgs_on_rosenbrock_is_comparable_to_scipy():
    r = S.Rosenbrock()
    ours = S.lbfgs(r.f, r.grad, [-1.2, 1.0], tol=1e-6)
    ref = scipy.optimize.minimize(r.f, [-1.2, 1.0], jac=r.grad, method="L-BFGS-B", options={"gtol": 1e-6})
    assert ours.converged and np.allclose(ours.theta, [1.0, 1.0], atol=1e-6)
    assert ours.iterations <= 1.5 * ref.nit and ours.evaluations <= 1.5 * ref.nfev
    assert len(ours.thetas) == ours.iterations + 1 and np.allclose(ours.thetas[0], [-1.2, 1.0])


@pytest.mark.parametrize("problem", [S.Quadratic(kappa=1000, d=10), S.make_regression(300, 5, seed=0), S.TwoWells()],
                         ids=lambda p: p.name)
def test_lbfgs_converges_on_other_problems(problem):
    theta0 = np.full(len(problem.theta_star), 0.5)
    result = S.lbfgs(problem.f, problem.grad, theta0, memory=5)
    assert result.converged and np.allclose(result.theta, problem.theta_star, atol=1e-5)


# Learning rates of torch.optim.lr_scheduler (StepLR(7, 0.5), ExponentialLR(0.9), CosineAnnealingLR(15, 0.001))
# from lr 0.1, checked against torch 2.13.0 for 40 steps when this test was written.
def test_schedules_match_torch_lr_scheduler():
    t = np.arange(40)
    step = 0.1 * 0.5 ** (t // 7)
    exponential = 0.1 * 0.9**t
    cosine = 0.001 + 0.5 * (0.1 - 0.001) * (1 + np.cos(np.pi * t / 15))
    assert np.allclose([S.step_decay(0.1, 7, 0.5)(i) for i in t], step, rtol=0, atol=1e-15)
    assert np.allclose([S.exponential_decay(0.1, 0.9)(i) for i in t], exponential, rtol=0, atol=1e-15)
    assert np.allclose([S.cosine_decay(0.1, 15, 0.001)(i) for i in t], cosine, rtol=0, atol=1e-15)
    assert S.step_decay(0.1, 7, 0.5)(13) == 0.05 and S.step_decay(0.1, 7, 0.5)(14) == 0.025
    assert S.cosine_decay(0.1, 15, 0.001)(15) == pytest.approx(0.001)
    assert S.cosine_decay(0.1, 15, 0.001)(30) == pytest.approx(0.1)  # past T_max the cosine rises again, as PyTorch's


def test_inverse_sqrt_is_lecture_004s_eta_t():
    schedule = S.inverse_sqrt_decay(0.5)
    assert [schedule(t) for t in (0, 3, 8)] == [0.5, 0.25, 0.5 / 3]


def test_linear_warmup_is_torch_linear_lr():
    """LinearLR updates the rate step by step (its get_lr): lr_0 = s * base, then
    lr_t = lr_{t-1} * (1 + (1 - s) / (T s + (t - 1)(1 - s))) for t <= T, unchanged after T."""
    from solutions.schedules import linear_warmup

    base, s, T = 0.05, 0.2, 8
    torch_like = [base * s]
    for t in range(1, 20):
        last = torch_like[-1]
        torch_like.append(last if t > T else last * (1 + (1 - s) / (T * s + (t - 1) * (1 - s))))
    schedule = linear_warmup(base, T, start_factor=s)
    assert np.allclose([schedule(t) for t in range(20)], torch_like, rtol=1e-12, atol=0)
    assert schedule(0) == pytest.approx(base * s) and schedule(T) == schedule(100) == pytest.approx(base)
    with pytest.raises(ValueError, match="start_factor"):
        linear_warmup(0.1, 5, start_factor=1.5)
