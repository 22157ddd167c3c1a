"""The exponential moving average (the correct recurrence) and numeric gradients."""

import numpy as np
import pytest

import solutions as S


def test_ema_is_the_standard_recurrence_not_the_slides_typo():
    costs = np.array([4.0, 2.0, 3.0, 1.0])
    beta, smoothed = 0.9, [4.0]
    for c in costs[1:]:
        smoothed.append(beta * smoothed[-1] + (1 - beta) * c)
    assert np.allclose(S.ema(costs, beta), smoothed)
    typo = [costs[0]] + [beta * costs[i] + (1 - beta) * costs[i - 1] for i in range(1, len(costs))]
    assert not np.allclose(S.ema(costs, beta), typo)


def test_ema_decays_geometrically_and_is_unbiased_on_a_constant():
    impulse = np.zeros(10)
    impulse[3] = 1.0
    out = S.ema(impulse, 0.5)
    assert out[:3].tolist() == [0, 0, 0] and out[3] == 0.5  # (1 − β) of the new value
    assert np.allclose(out[4:] / out[3:-1], 0.5)  # then the memory decays by β a step
    assert np.allclose(S.ema(np.full(7, 3.0), 0.9, bias_correction=True), 3.0)  # unbiased from the first value
    assert np.allclose(S.ema(np.full(7, 3.0), 0.9), 3.0)


def test_bias_corrected_ema_starts_at_the_first_value_and_differs_later():
    values = np.array([1.0, 2.0, 3.0])
    plain, corrected = S.ema(values, 0.5), S.ema(values, 0.5, bias_correction=True)
    assert plain[0] == corrected[0] == 1.0
    assert corrected[1] == pytest.approx((0.25 * 1 + 0.5 * 2) / 0.75)


def test_ema_does_not_mutate():
    values = np.array([1.0, 2.0])
    S.ema(values, 0.5)
    assert values.tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    "problem, theta",
    [(S.Quadratic(kappa=10, angle=0.4), [0.3, -1.2]), (S.Rosenbrock(), [-1.2, 1.0]), (S.Saddle(), [0.4, 0.7]),
     (S.NonConvex1D(), [0.3]), (S.TwoWells(), [0.5, 0.2]), (S.make_regression(50, 3, seed=2), [0.1, 0.2, -0.3])],
    ids=lambda v: getattr(v, "name", ""),
)
def test_every_analytic_gradient_and_hessian_passes_a_gradient_check(problem, theta):
    theta = np.array(theta)
    assert S.gradient_check(problem.f, problem.grad, theta) < 1e-6
    numeric_hessian = np.array([S.numerical_gradient(lambda t: problem.grad(t)[i], theta) for i in range(len(theta))])
    assert np.allclose(problem.hess(theta), numeric_hessian, rtol=1e-5, atol=1e-5)


def test_network_gradient_passes_a_gradient_check():
    from solutions.network import LECTURE_B, LECTURE_N, LECTURE_Y

    def mse(params):
        return np.mean((LECTURE_Y - (LECTURE_N @ params[:2] + params[2])) ** 2)

    def grad(params):
        dw, db = S.last_layer_gradient(LECTURE_N, params[:2], params[2], LECTURE_Y)
        return np.append(dw, db)

    assert S.gradient_check(mse, grad, np.array([0.5989, 0.361, LECTURE_B])) < 1e-7


def test_numerical_gradient_is_second_order_accurate():
    f = lambda t: float(np.sin(t).sum())  # noqa: E731
    err = [abs(S.numerical_gradient(f, [1.0], h=h)[0] - np.cos(1.0)) for h in (1e-2, 1e-3)]
    assert err[1] < err[0] / 50  # error O(h²): ten times smaller h, ~100 times smaller error


def test_gradient_check_catches_a_wrong_gradient():
    q = S.Quadratic(kappa=5)
    assert S.gradient_check(q.f, lambda t: 2 * q.grad(t), [1.0, 1.0]) == pytest.approx(0.5, rel=1e-4)
