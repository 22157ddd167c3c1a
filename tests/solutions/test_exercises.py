"""solutions.exercises: the momentum assignment's driver and the schedule evaluator of the adaptive one."""

import numpy as np
import pytest

import solutions as S
from solutions.exercises import SCHEDULES, minimize_momentum, schedule_values

A = np.diag([1.0, 10.0])


def test_minimize_momentum_is_run_with_momentum_step_and_matches_torch():
    thetas = minimize_momentum(lambda t: A @ t, [1.0, -2.0], lr=0.05, momentum=0.9, n_steps=3)
    assert thetas.shape == (4, 2)
    # torch.optim.SGD(lr=0.05, momentum=0.9) on the same problem (see tests/solutions/test_optim.py)
    np.testing.assert_allclose(thetas[1:], [[0.95, -1.0], [0.8575, 0.4], [0.731375, 1.46]])
    nesterov = minimize_momentum(lambda t: A @ t, [1.0, -2.0], lr=0.05, momentum=0.9, nesterov=True, n_steps=3)
    np.testing.assert_allclose(nesterov[1:], [[0.905, -0.1], [0.778525, 0.805], [0.631462625, 0.80975]])


def test_minimize_momentum_equals_lecture_004_form_and_gd_at_zero_momentum():
    grad = lambda t: A @ t  # noqa: E731
    theta, u, lecture = np.array([1.0, -2.0]), np.zeros(2), [np.array([1.0, -2.0])]
    for _ in range(40):
        u = 0.9 * u - 0.05 * grad(theta)
        theta = theta + u
        lecture.append(theta)
    np.testing.assert_allclose(minimize_momentum(grad, [1.0, -2.0], 0.05, 0.9, n_steps=40), lecture, atol=1e-12)
    gd = S.run(S.gd_step, [1.0, -2.0], grad, 10, lr=0.05).thetas
    np.testing.assert_allclose(minimize_momentum(grad, [1.0, -2.0], 0.05, 0.0, n_steps=10), gd)
    assert minimize_momentum(grad, [1.0, -2.0], 0.05, n_steps=0).shape == (1, 2)
    with pytest.raises(ValueError):
        minimize_momentum(grad, [1.0, -2.0], 0.05, n_steps=-1)


def test_schedule_values_calls_the_schedules():
    assert set(SCHEDULES) == {"step_decay", "exponential_decay", "inverse_sqrt_decay", "cosine_decay"}
    ts = [0, 1, 5, 10]
    for name, args in [("step_decay", (0.1, 3, 0.5)), ("exponential_decay", (0.2, 0.9)),
                       ("inverse_sqrt_decay", (1.0,)), ("cosine_decay", (0.1, 10, 0.01))]:
        schedule = getattr(S, name)(*args)
        assert schedule_values(name, args, ts) == [schedule(t) for t in ts]
    assert schedule_values("cosine_decay", (0.1, 10), [0, 10]) == [0.1, 0.0]
    with pytest.raises(ValueError, match="unknown schedule"):
        schedule_values("linear", (0.1,), [0])
