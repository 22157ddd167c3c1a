"""solutions.newton: the Newton driver (the second-order assignment's reference)."""

import numpy as np
import pytest

import solutions as S


def test_first_row_is_theta0_and_every_row_is_one_newton_step():
    r = S.Rosenbrock()
    thetas = S.newton(r.grad, r.hess, [-1.2, 1.0], 4)
    assert thetas.shape == (5, 2)
    assert np.array_equal(thetas[0], [-1.2, 1.0])
    for k in range(4):
        assert np.allclose(thetas[k + 1], S.newton_step(thetas[k], r.grad(thetas[k]), r.hess(thetas[k])))


def test_rosenbrock_from_the_classic_start_converges_in_six_steps():
    r = S.Rosenbrock()
    thetas = S.newton(r.grad, r.hess, np.array([-1.2, 1.0]), 6)
    assert np.max(np.abs(r.grad(thetas[5]))) > 1e-6  # not yet after five
    assert np.allclose(thetas[6], r.theta_star, rtol=0, atol=1e-9)


def test_quadratic_in_one_step_then_stays():
    q = S.Quadratic(kappa=1e4, angle=0.4, theta_star=[2.0, -1.0])
    thetas = S.newton(q.grad, q.hess, [10.0, 10.0], 3)
    assert np.allclose(thetas[1:], q.theta_star)


def test_zero_steps_and_inputs_untouched():
    q = S.Quadratic(kappa=10, d=3)
    theta0 = np.array([1.0, 2.0, 3.0])
    thetas = S.newton(q.grad, q.hess, theta0, 0)
    assert thetas.shape == (1, 3) and np.array_equal(thetas[0], theta0)
    S.newton(q.grad, q.hess, theta0, 2)
    assert np.array_equal(theta0, [1.0, 2.0, 3.0])


def test_bad_input():
    q = S.Quadratic(kappa=10)
    with pytest.raises(ValueError, match="n_steps"):
        S.newton(q.grad, q.hess, [1.0, 1.0], -1)
    with pytest.raises(TypeError, match="n_steps"):
        S.newton(q.grad, q.hess, [1.0, 1.0], 2.5)
    with pytest.raises(ValueError, match="singular"):
        S.newton(lambda t: t, lambda t: np.zeros((2, 2)), [1.0, 1.0], 1)
