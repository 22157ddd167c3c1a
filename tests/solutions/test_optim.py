"""Update rules: exact one-step values by hand, and equivalences with the lectures' own forms. The registry-wide
checks (torch.optim's iterates, purity, convergence and divergence on every test problem) are in
test_optimizers.py."""

import numpy as np
import pytest

import solutions as S

A = np.diag([1.0, 10.0])
THETA0 = np.array([1.0, -2.0])


def quad_run(step, init=None, n=3, **hyper):
    """Run on f = ½ θᵀAθ from THETA0 and return the first n iterates."""
    return S.run(step, THETA0, lambda t: A @ t, n, init=init, **hyper).thetas[1:]


def test_one_step_values_by_hand():
    assert S.gd_step(1.0, 2.0, lr=0.1) == pytest.approx(0.8)
    theta, state = S.momentum_step(1.0, 2.0, S.MomentumState(np.array(1.0)), lr=0.1, momentum=0.5)
    assert (theta, float(state.v)) == pytest.approx((0.75, 2.5))  # v = 0.5·1 + 2; θ = 1 − 0.1·2.5
    theta, _ = S.momentum_step(1.0, 2.0, S.MomentumState(np.array(1.0)), lr=0.1, momentum=0.5, nesterov=True)
    assert theta == pytest.approx(1 - 0.1 * (2 + 0.5 * 2.5))
    theta, state = S.adagrad_step(1.0, 3.0, S.AdaGradState(np.array(16.0)), lr=0.5, eps=0.0)
    assert (theta, float(state.s)) == pytest.approx((1 - 0.5 * 3 / 5, 25.0))
    theta, state = S.rmsprop_step(1.0, 2.0, S.RMSPropState(np.array(1.0)), lr=0.1, alpha=0.5, eps=0.0)
    assert (theta, float(state.s)) == pytest.approx((1 - 0.1 * 2 / np.sqrt(2.5), 2.5))
    theta, state = S.adam_step(1.0, 2.0, S.AdamState(np.array(1.0), np.array(1.0), 1), lr=0.1, eps=0.0)
    m, v = 0.9 + 0.1 * 2, 0.999 + 0.001 * 4
    assert state.t == 2 and (float(state.m), float(state.v)) == pytest.approx((m, v))
    assert theta == pytest.approx(1 - 0.1 * (m / (1 - 0.9**2)) / np.sqrt(v / (1 - 0.999**2)))


def test_eps_is_outside_the_square_root():
    theta, _ = S.adagrad_step(0.0, 1e-6, S.adagrad_init(0.0), lr=1.0, eps=1e-6)
    assert theta == pytest.approx(-1e-6 / (1e-6 + 1e-6))  # inside the root it would be −1e-6/√(1e-12 + 1e-6)
    theta, _ = S.adam_step(0.0, 1e-6, S.adam_init(0.0), lr=1.0, eps=1e-6)
    assert theta == pytest.approx(-0.5)


def test_momentum_zero_is_gradient_descent():
    assert np.allclose(quad_run(S.momentum_step, S.momentum_init, n=20, lr=0.05, momentum=0.0),
                       quad_run(S.gd_step, n=20, lr=0.05))


def test_lecture_004_momentum_form_gives_the_same_iterates():
    """v ← λv − η∇L, θ ← θ + v (lecture 004) equals v ← μv + g, θ ← θ − αv at λ = μ, η = α."""
    lam, eta = 0.9, 0.05
    theta, v, lecture = THETA0.copy(), np.zeros(2), []
    for _ in range(25):
        v = lam * v - eta * (A @ theta)
        theta = theta + v
        lecture.append(theta)
    assert np.allclose(quad_run(S.momentum_step, S.momentum_init, n=25, lr=eta, momentum=lam), lecture)


def test_nesterov_is_the_look_ahead_form_after_the_change_of_variables():
    """Lecture 003: v ← ρv − α∇f(x + ρv), x ← x + v. Its look-ahead point x̃ = x + ρv follows our Nesterov form."""
    rho, alpha = 0.9, 0.05
    x, v, looked = THETA0.copy(), np.zeros(2), []
    for _ in range(25):
        v = rho * v - alpha * (A @ (x + rho * v))
        x = x + v
        looked.append(x + rho * v)
    ours = quad_run(S.momentum_step, S.momentum_init, n=25, lr=alpha, momentum=rho, nesterov=True)
    assert np.allclose(ours, looked)


def test_adagrad_sigma_form_of_lecture_004_is_the_sum_form():
    """w ← w − (η^t/σ^t) g^t with η^t = η/√(t+1), σ^t = √(mean of g²) equals the sum form with eps = 0."""
    eta, w, grads, lecture = 0.5, THETA0.copy(), [], []
    for t in range(25):
        g = A @ w
        grads.append(g)
        sigma = np.sqrt(np.mean(np.square(grads), axis=0))
        w = w - (eta / np.sqrt(t + 1)) / sigma * g
        lecture.append(w)
    assert np.allclose(quad_run(S.adagrad_step, S.adagrad_init, n=25, lr=eta, eps=0.0), lecture)


def test_rmsprop_with_s0_g0_squared_is_lecture_004s_sigma_form():
    """σ⁰ = |g⁰|, σ^t = √(α(σ^{t−1})² + (1 − α)(g^t)²), w ← w − η g/σ."""
    eta, alpha, w, sigma, lecture = 0.01, 0.9, THETA0.copy(), None, []
    for _ in range(25):
        g = A @ w
        sigma = np.abs(g) if sigma is None else np.sqrt(alpha * sigma**2 + (1 - alpha) * g**2)
        w = w - eta / sigma * g
        lecture.append(w)
    init = lambda theta: S.rmsprop_init(theta, s0=(A @ THETA0) ** 2)  # noqa: E731
    ours = quad_run(S.rmsprop_step, init, n=25, lr=eta, alpha=alpha, eps=0.0)
    assert np.allclose(ours, lecture)
    zero_start = quad_run(S.rmsprop_step, S.rmsprop_init, n=25, lr=eta, alpha=alpha, eps=0.0)
    assert not np.allclose(zero_start, lecture)  # PyTorch's zero start is a different trajectory


def test_adam_without_momentum_and_bias_correction_is_rmsprop():
    adam = quad_run(S.adam_step, S.adam_init, n=25, lr=0.01, beta1=0.0, beta2=0.9, bias_correction=False)
    rms = quad_run(S.rmsprop_step, S.rmsprop_init, n=25, lr=0.01, alpha=0.9)
    assert np.allclose(adam, rms)


def test_adam_m_hat_is_the_bias_corrected_ema_of_the_gradients():
    grads = np.array([2.0, -1.0, 0.5, 3.0, 1.0])
    state, m_hats = S.adam_init(0.0), []
    for g in grads:
        _, state = S.adam_step(0.0, g, state)
        m_hats.append(float(state.m) / (1 - 0.9**state.t))
    assert np.allclose(S.ema(grads, 0.9, bias_correction=True), m_hats)


def test_schedule_as_learning_rate():
    schedule = S.step_decay(0.1, step_size=2, gamma=0.5)
    path = S.run(S.gd_step, 1.0, lambda w: np.asarray(1.0), 4, lr=schedule)
    assert np.allclose(np.diff(path.thetas), [-0.1, -0.1, -0.05, -0.05])
