"""The registry, table-driven: every registered optimizer on every test problem, run by ``solutions.optimize``.

It converges where the theory says it should (below the stability limit that ``solutions.stable_lr`` computes
at the minimum, or with a schedule for the adaptive methods; Newton from a start where the Hessian is
positive definite), it diverges past that limit on every quadratic, and the methods without a limit take
bounded steps however large the rate. Every optimizer with a ``torch.optim`` class is pinned against it."""

import inspect

import numpy as np
import pytest

import solutions as S

X, Y = S.hours_points()
PROBLEMS = {  # a start in the basin of theta_star, where the Hessian is positive definite
    "quadratic": (S.Quadratic(kappa=10, angle=0.3), [3.0, -2.0]),
    "Rosenbrock": (S.Rosenbrock(), [-1.2, 1.0]),
    "saddle": (S.Saddle(), [0.5, 0.8]),
    "non-convex 1-D": (S.NonConvex1D(), [2.0]),
    "two wells": (S.TwoWells(), [1.1, 0.9]),
    "hours": (S.LinearRegression(X[:, None], Y), [1.0]),
    "regression": (S.make_regression(n=200, d=3, seed=1), [0.0, 0.0, 0.0]),
}
QUADRATICS = ["quadratic", "hours", "regression"]  # where the stability limit is global
WITH_LIMIT = [n for n, o in S.OPTIMIZERS.items() if S.stable_lr(o, 1.0) is not None]
# AdaGrad, RMSProp and Adam have no limit; their rates are plain settings a student might pick. RMSProp and
# Adam take steps of about lr whatever the gradient, so at a constant rate they hover within ~lr of the
# minimum: they get a cosine schedule down to zero.
ADAPTIVE_LR = {"AdaGrad": (0.5, 0.5), "RMSProp": (0.01, 1e-3), "Adam": (0.05, 0.02)}  # (default, Rosenbrock)


def lam_max(problem) -> float:
    return float(np.linalg.eigvalsh(problem.hess(problem.theta_star)).max())


def hyper_for(name: str, problem, n_steps: int) -> dict:
    """Settings under which the theory says ``name`` converges on ``problem``."""
    if name == "Newton":
        return {"hess": problem.hess}
    if name in WITH_LIMIT:
        return {"lr": 0.5 * S.stable_lr(S.OPTIMIZERS[name], lam_max(problem))}
    lr = ADAPTIVE_LR[name][problem.name == "Rosenbrock"]
    return {"lr": lr if name == "AdaGrad" else S.cosine_decay(lr, t_max=n_steps)}


def test_the_registry_is_the_courses_optimizers_in_one_shape():
    assert list(S.OPTIMIZERS) == ["GD", "momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "Newton"]
    assert WITH_LIMIT == ["GD", "momentum", "Nesterov"]
    for name, opt in S.OPTIMIZERS.items():
        assert opt.name == name
        parameters = inspect.signature(opt.step).parameters
        assert list(parameters)[:3] == ["theta", "grad", "state"], name
        for key, value in opt.defaults.items():  # the registry's defaults are the step's, except Nesterov's flag
            default = parameters[key].default
            assert default is inspect.Parameter.empty or default == value or (name, key) == ("Nesterov", "nesterov")


@pytest.mark.parametrize("name", list(S.OPTIMIZERS))
def test_steps_are_pure_and_past_states_stay_valid(name):
    opt, problem = S.OPTIMIZERS[name], PROBLEMS["quadratic"][0]
    theta = np.array([1.0, 2.0])
    grad = problem.grad(theta)
    hyper = {**opt.defaults, **({"hess": problem.hess} if name == "Newton" else {"lr": 0.1})}
    state = opt.init(theta)
    assert isinstance(state, tuple) and hasattr(state, "_fields")  # a NamedTuple
    snapshot = [np.array(field, copy=True) for field in state]
    new_theta, new_state = opt.step(theta, grad, state, **hyper)
    assert theta.tolist() == [1.0, 2.0] and np.array_equal(grad, problem.grad(theta))
    assert all(np.array_equal(a, b) for a, b in zip(state, snapshot))
    assert type(new_state) is type(state) and not np.array_equal(new_theta, theta)
    again, _ = opt.step(theta, grad, state, **hyper)  # the same old state gives the same step
    assert np.array_equal(again, new_theta)


@pytest.mark.parametrize("name", list(S.OPTIMIZERS))
@pytest.mark.parametrize("label", list(PROBLEMS))
def test_converges_where_the_theory_says(name, label):
    problem, start = PROBLEMS[label]
    n = 20000 if label == "Rosenbrock" else 3000
    xtol = 1e-3 * np.linalg.norm(np.subtract(start, problem.theta_star))
    path = S.optimize(S.OPTIMIZERS[name], start, problem.grad, n, problem.f, xtol=xtol,
                      theta_star=problem.theta_star, **hyper_for(name, problem, n))
    assert path.status == "converged", (path.status, path.reason, path.thetas[-1])
    assert np.linalg.norm(path.thetas[-1] - problem.theta_star) <= xtol
    assert np.linalg.norm(path.thetas[-2] - problem.theta_star) > xtol  # it stopped at the first point in reach
    if name == "Newton" and label in QUADRATICS:
        assert path.steps == 1  # the quadratic model is exact


@pytest.mark.parametrize("name", WITH_LIMIT)
@pytest.mark.parametrize("label", QUADRATICS)
def test_diverges_just_past_the_stability_limit_and_converges_just_below(name, label):
    problem, start = PROBLEMS[label]
    limit = S.stable_lr(S.OPTIMIZERS[name], lam_max(problem))
    past = S.optimize(S.OPTIMIZERS[name], start, problem.grad, 5000, lr=1.05 * limit)
    assert (past.status, past.reason) == ("diverged", f"|θ| > {S.BOUND:g}")
    assert np.max(np.abs(past.thetas[-1])) <= S.BOUND < np.max(np.abs(past.thetas[-1])) * 1.5 ** 2
    below = S.optimize(S.OPTIMIZERS[name], start, problem.grad, 5000, xtol=1e-6,
                       theta_star=problem.theta_star, lr=0.95 * limit)
    assert below.status == "converged"


# The adaptive steps are lr times a bounded ratio (with the registered defaults):
#   AdaGrad  |g| / √s ≤ 1, since s ≥ g²;
#   RMSProp  |g| / √s ≤ 1/√(1 − α), since s ≥ (1 − α) g²;
#   Adam     |m| ≤ (1 − β₁) Σ_k β₁^k |g_{t−k}| ≤ (1 − β₁) √(Σ_k (β₁²/β₂)^k) √(v / (1 − β₂)) (Cauchy–Schwarz), and
#            the bias corrections multiply m/√v by √(1 − β₂^t) / (1 − β₁^t) ≤ 1.
STEP_BOUND = {"AdaGrad": 1.0, "RMSProp": 1 / np.sqrt(1 - 0.99),
              "Adam": (1 - 0.9) / np.sqrt((1 - 0.999) * (1 - 0.9**2 / 0.999))}


@pytest.mark.parametrize("name", sorted(STEP_BOUND))
@pytest.mark.parametrize("label", QUADRATICS)
def test_methods_without_a_limit_take_bounded_steps_far_past_gds_limit(name, label):
    problem, start = PROBLEMS[label]
    lr = 100 * S.stable_lr(S.OPTIMIZERS["GD"], lam_max(problem))
    path = S.optimize(S.OPTIMIZERS[name], start, problem.grad, 2000, lr=lr)
    assert path.status == "ran"
    steps = np.abs(np.diff(path.thetas, axis=0))
    assert steps.max() <= STEP_BOUND[name] * lr * (1 + 1e-12)
    assert steps.max() > 0.3 * lr  # the bound is about lr, not far above it


def test_stable_lr_of_gd_is_the_least_squares_limit():
    rng = np.random.default_rng(0)
    features = rng.standard_normal((20, 3)) * [1.0, 3.0, 0.5]
    problem = S.LinearRegression(features, features @ [1.0, -1.0, 2.0])
    assert S.stable_lr(S.OPTIMIZERS["GD"], lam_max(problem)) == pytest.approx(S.max_stable_lr(features))
    assert S.stable_lr(S.OPTIMIZERS["momentum"], 10.0, momentum=0.0) == S.stable_lr(S.OPTIMIZERS["GD"], 10.0)
    assert S.stable_lr(S.OPTIMIZERS["Newton"], 10.0) is None


# Iterates of torch.optim on f = ½ θᵀAθ from THETA0 (SGD, SGD momentum, SGD Nesterov, Adagrad, RMSprop, Adam
# at their defaults but lr), computed with torch 2.13.0 CPU when this test was written; torch is not a
# dependency of the course.
A = np.diag([1.0, 10.0])
THETA0 = np.array([1.0, -2.0])
TORCH = {
    "GD": ("SGD", 0.05, [[0.95, -1.0], [0.9025, -0.5], [0.857375, -0.25]]),
    "momentum": ("SGD", 0.05, [[0.95, -1.0], [0.8574999999999999, 0.40000000000000013], [0.7313749999999999, 1.46]]),
    "Nesterov": (
        "SGD", 0.05,
        [[0.905, -0.09999999999999987], [0.778525, 0.8050000000000003], [0.6314626249999999, 0.8097500000000001]],
    ),
    "AdaGrad": (
        "Adagrad", 0.5,
        [[0.50000000005, -1.5000000000025], [0.2763932023021325, -1.20000000000338],
         [0.15639873606768326, -0.9836344662113847]],
    ),
    "RMSProp": (
        "RMSprop", 0.01,
        [[0.9000000099999991, -1.9000000005], [0.8329179752650593, -1.830943326143927],
         [0.7799822819823541, -1.7753494420032538]],
    ),
    "Adam": (
        "Adam", 0.1,
        [[0.900000001, -1.90000000005], [0.8004122297123382, -1.8001664857113877],
         [0.701586274504415, -1.7006233914339461]],
    ),
}


def test_every_optimizer_with_a_torch_class_is_pinned_against_it():
    assert {name: o.torch for name, o in S.OPTIMIZERS.items() if o.torch} == {n: t[0] for n, t in TORCH.items()}


@pytest.mark.parametrize("name", list(TORCH))
def test_matches_torch_optim(name):
    _, lr, expected = TORCH[name]
    got = S.optimize(S.OPTIMIZERS[name], THETA0, lambda t: A @ t, 3, lr=lr).thetas[1:]
    assert np.allclose(got, expected, rtol=0, atol=1e-12), f"{name}: {got.tolist()}"
