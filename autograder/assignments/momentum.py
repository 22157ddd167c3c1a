"""Assignment 4 (lecture 004, book chapter 7): one momentum / Nesterov step with an explicit velocity state,
and a driver that runs it on a quadratic with several parameters.

Fixed numbers. Steps start from a non-zero velocity in most cases, so that the other momentum convention
(lecture 004's v ← λv − ηg, θ ← θ + v), dampening, the learning rate inside the velocity and Nesterov with
the old velocity all give a different answer from the right one; one case has μ = 0 (momentum ≡ GD). The
cases that use the defaults (μ = 0.9, n_steps = 100) start from a non-zero velocity or take 100 steps, so that
another default gives another answer.
States are compared field by field, by name (a student's own NamedTuple or dataclass with a field ``v`` is fine).
"""

import numpy as np

from autograder.assignment import Assignment, Question, alternative, case, mistake, one_step_short, variant
from autograder.probe.objects import Quadratic, state

V_LINE = "v = momentum * np.asarray(state.v, dtype=float) + grad"
VALLEY = Quadratic([[1.0, 0.0], [0.0, 10.0]], [0.0, 0.0])  # ½(θ₁² + 10θ₂²): κ = 10
ROTATED = Quadratic([[5.5, 4.5], [4.5, 5.5]], [1.0, -1.0])  # minimum at (1, −1)
BOWL3 = Quadratic([[2.0, 0.5, 0.0], [0.5, 3.0, 0.5], [0.0, 0.5, 4.0]], [0.75, -0.75, 3.75])  # minimum at (0.5, −0.5, 1)
OTHER_CONVENTION = "the other momentum convention"


def velocity(v):
    return state("MomentumState", v=v)

INTRO = r"""
# Assignment 4: momentum and Nesterov

Gradient descent on a valley with a large condition number $\kappa = \lambda_{\max}/\lambda_{\min}$
zig-zags across it with a large step and crawls along it with a small one. Lecture 003's cure is to
"build up velocity as a running mean of gradients", with a friction $\rho$ ("typically $\rho$ = 0.9 or
0.99"); lecture 004 writes the same idea as "movement not just based on gradient, but previous movement".

In this assignment the optimizer keeps its velocity in an explicit **state**, as `torch.optim` and optax
do: a step takes the parameters $\theta$, the gradient $g$ at $\theta$, the state and the hyperparameters,
and returns the new parameters and a **new** state. Nothing is changed in place, so an old state stays
valid (you can restart from any step).

You will write two functions. Fill in every `YOUR CODE HERE` (delete the `raise NotImplementedError()`),
then run the tests under each function. The visible tests tell you what is wrong; your instructor's grader
runs more cases (more parameters, other states and hyperparameters), so a function that only fits the
visible tests will lose points.

Rules: use numpy (and Python's `math` for single numbers) only; $\theta$ may be an array of any shape (work
elementwise, no loops over parameters; a loop over the steps of the driver is fine); never change your inputs
in place (`theta -= ...` or `state.v *= ...` on an argument): build new arrays (changing a copy you made,
with `np.array(...)` or `.copy()`, is fine).
"""

SETUP = r"""
from typing import NamedTuple

import numpy as np


class MomentumState(NamedTuple):
    v: np.ndarray  # the velocity, same shape as theta


def momentum_init(theta):
    # given: the velocity starts at zero, v_0 = 0
    return MomentumState(np.zeros_like(np.asarray(theta, dtype=float)))
"""

MOMENTUM_STEP = Question(
    "momentum_step", points=4, reference="solutions:momentum_step",
    text=r"""
## 1. One momentum step (4 points)

Write `momentum_step(theta, grad, state, lr, momentum=0.9, nesterov=False)` in **PyTorch's convention**
(`torch.optim.SGD` with `dampening=0`), with $\alpha$ = `lr`, $\mu$ = `momentum` (lecture 003's $\rho$,
lecture 004's $\lambda$) and $v$ = `state.v`:

$$
v_{t+1} = \mu\, v_t + g_t, \qquad \theta_{t+1} = \theta_t - \alpha\, v_{t+1}.
$$

The velocity sums raw gradients (no $\alpha$ in it, no $(1-\mu)$ factor); $\alpha$ is applied once, in
the step.

With `nesterov=True`, lecture 003's look-ahead $v_{t+1} = \rho v_t - \alpha\nabla f(x_t + \rho v_t)$,
rewritten with the change of variables $\tilde x_t = x_t + \rho v_t$ (book chapter 7), becomes

$$
v_{t+1} = \mu\, v_t + g_t, \qquad \theta_{t+1} = \theta_t - \alpha\,(g_t + \mu\, v_{t+1}),
$$

with the **new** velocity $v_{t+1}$ in the step.

Return a tuple `(new_theta, new_state)`, where `new_state = MomentumState(v_new)` (your own NamedTuple or
dataclass is fine if it has the field `v`). Do not modify `theta`, `grad` or `state`.
""",
    solution=r'''
def momentum_step(theta, grad, state, lr, momentum=0.9, nesterov=False):
    """One step of SGD with momentum (torch.optim.SGD, dampening 0); returns (new_theta, new_state)."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    grad = np.asarray(grad, dtype=float)
    v = momentum * np.asarray(state.v, dtype=float) + grad
    direction = grad + momentum * v if nesterov else v
    return theta - lr * direction, MomentumState(v)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for momentum_step (not graded: they help you check your work).
theta = np.array([1.0, -2.0])
state = momentum_init(theta)
theta1, state1 = momentum_step(theta, np.array([1.0, -20.0]), state, lr=0.1)
assert hasattr(state1, "v"), (
    f"the new state should be MomentumState(v_new), a NamedTuple with the field v; got {state1!r}")
assert np.allclose(state1.v, [1.0, -20.0]), (
    f"from v = 0 the new velocity is v = 0.9 * 0 + g = [1, -20], got {state1.v}. Keep raw gradients in v "
    "(not -lr * g as in lecture 004's form, not (1 - momentum) * g)")
assert np.allclose(theta1, [0.9, 0.0]), f"theta - lr * v = [1, -2] - 0.1 * [1, -20] = [0.9, 0], got {theta1}"
v1_before, theta1_before = np.copy(state1.v), np.copy(theta1)
theta2, state2 = momentum_step(theta1, np.array([1.0, -10.0]), state1, lr=0.1, momentum=0.9)
assert np.allclose(state2.v, [1.9, -28.0]), f"v = 0.9 * [1, -20] + [1, -10] = [1.9, -28], got {state2.v}"
assert np.allclose(theta2, [0.71, 2.8]), (
    f"theta = [0.9, 0] - 0.1 * [1.9, -28] = [0.71, 2.8], got {theta2}: subtract lr * v (lr once, minus)")
theta3, state3 = momentum_step(theta1, np.array([1.0, -10.0]), state1, lr=0.1, momentum=0.9, nesterov=True)
assert np.allclose(state3.v, [1.9, -28.0]), f"Nesterov updates v the same way: [1.9, -28], got {state3.v}"
assert np.allclose(theta3, [0.629, 3.52]), (
    f"Nesterov: theta - lr * (g + momentum * v_new) = [0.629, 3.52], got {theta3}: "
    "use the NEW velocity in the step")
assert np.array_equal(state1.v, v1_before) and np.array_equal(theta1, theta1_before), (
    "momentum_step changed its input state or theta in place: build new arrays")
theta4, _ = momentum_step(theta, np.array([3.0, -4.0]), MomentumState(np.array([5.0, 5.0])), 0.1, momentum=0.0)
assert np.allclose(theta4, [0.7, -1.6]), f"with momentum=0 a step is plain gradient descent: [0.7, -1.6], got {theta4}"
print("momentum_step: visible tests passed")
""",
    cases=[
        case(np.array([1.0, -2.0]), np.array([1.0, -20.0]), velocity(np.array([0.5, -4.0])), 0.05, note="defaults: μ = 0.9"),
        case(np.array([0.5, 1.5, -1.0]), np.array([2.0, -1.0, 0.5]), velocity(np.array([1.0, 0.5, -2.0])), 0.1, 0.8),
        case(np.array([[1.0, 2.0], [-1.0, 0.0]]), np.array([[0.5, -1.0], [2.0, 1.0]]), velocity(np.array([[1.0, 0.0], [-1.0, 2.0]])), 0.1, 0.9, True),
        case(np.array([2.0, -1.0, 0.0]), np.array([-1.0, 3.0, 2.0]), velocity(np.array([0.5, 1.0, -1.0])), 0.2, 0.5, nesterov=True),
        case(np.array([1.0, 1.0]), np.array([3.0, -4.0]), velocity(np.array([5.0, 5.0])), 0.1, 0.0, note="plain GD"),
    ],
    mistakes=(
        mistake("other-convention", OTHER_CONVENTION, "you used the lecture's form v ← μv − lr·g, θ ← θ + v; this "
                "assignment pins torch.optim.SGD's form v ← μv + g, θ ← θ − lr·v (the two agree only when lr is "
                "constant and v is rescaled by −lr)",
                (V_LINE, "v = momentum * np.asarray(state.v, dtype=float) - lr * grad  # lecture 004"),
                ("return theta - lr * direction, MomentumState(v)", "return theta + v, MomentumState(v)")),
        mistake("mixed-convention", OTHER_CONVENTION, "you mixed the two forms: lecture 004's velocity "
                "v ← μv − lr·g (already scaled by −lr) with torch.optim.SGD's step θ ← θ − lr·v; here v keeps raw "
                "gradients, v ← μv + g, and the step is θ ← θ − lr·v",
                (V_LINE, "v = momentum * np.asarray(state.v, dtype=float) - lr * grad  # lecture 004's velocity")),
        mistake("dampening", "momentum with dampening", "you averaged the gradient into v (v ← μv + (1 − μ)g, an "
                "EMA); torch.optim.SGD's default has no dampening: v ← μv + g",
                (V_LINE, V_LINE.replace("+ grad", "+ (1 - momentum) * grad"))),
        mistake("lr-twice", "learning rate applied twice", "you put α into the velocity (v ← μv + αg) and applied "
                "it again in the step (θ ← θ − αv); in torch.optim.SGD's form the velocity sums raw gradients, "
                "v ← μv + g, and α is applied once, θ ← θ − αv", (V_LINE, "grad = lr * grad\n    " + V_LINE)),
        mistake("sign-error", "sign error", "you moved uphill, θ + α·(step), instead of downhill, θ − α·(step): "
                "the update subtracts the step", ("theta - lr * direction", "theta + lr * direction")),
        mistake("nesterov-old-velocity", "Nesterov step is plain momentum", "with nesterov=True your step is "
                "plain momentum, θ − α(μv + g): the Nesterov branch is missing, or it uses the velocity from before "
                "this step's update (g + μv_old is the new v). Update v ← μv + g first, then step "
                "θ ← θ − α(g + μv) with the NEW v", ("grad + momentum * v if nesterov", "grad + momentum * state.v if nesterov")),
    ),
    variants=(
        variant("mutates-input", (V_LINE, "v = state.v  # reuse the state's array\n    v *= momentum\n    v += grad")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def momentum_step(theta, grad, state, lr, momentum=0.9, nesterov=False):
    v = np.array(state.v, dtype=float)  # copies: changed in place below, the inputs stay as they were
    v *= momentum
    v += grad
    new_theta = np.array(theta, dtype=float)
    if nesterov:
        new_theta -= lr * (grad + momentum * v)
    else:
        new_theta -= lr * v
    return new_theta, MomentumState(v)
"""),
        alternative("alt-lists", code=r"""
from collections import namedtuple

Velocity = namedtuple("Velocity", ["v"])  # my own state type, with the field v


def momentum_step(theta, grad, state, lr, momentum=0.9, nesterov=False):
    v = momentum * np.asarray(state.v) + np.asarray(grad)
    step = np.asarray(grad) + momentum * v if nesterov else v
    return (np.asarray(theta) - lr * step).tolist(), Velocity(v.tolist())  # lists of floats
"""),
        alternative("alt-float32", code=r"""
def momentum_step(theta, grad, state, lr, momentum=0.9, nesterov=False):
    theta = np.asarray(theta, dtype=np.float32)
    grad = np.asarray(grad, dtype=np.float32)
    v = np.float32(momentum) * np.asarray(state.v, dtype=np.float32) + grad
    direction = grad + np.float32(momentum) * v if nesterov else v
    return theta - np.float32(lr) * direction, MomentumState(v)
"""),
        alternative("alt-other-algebra", code=r"""
class Velocity(NamedTuple):  # my own NamedTuple, with the field v
    v: np.ndarray


def momentum_step(theta, grad, state, lr, momentum=0.9, nesterov=False):
    if nesterov:
        # g + mu (mu v + g) = (1 + mu) g + mu^2 v
        new_theta = theta - lr * ((1 + momentum) * grad + momentum**2 * state.v)
    else:
        new_theta = theta - lr * momentum * state.v - lr * grad
    return new_theta, Velocity(v=momentum * state.v + grad)
"""),
    ),
    fields=('theta', 'state'),
)

MINIMIZE = Question(
    "minimize", points=3, reference="solutions:minimize_momentum",
    text=r"""
## 2. Running it on a quadratic with several parameters (3 points)

Write `minimize(grad_fn, theta0, lr, momentum=0.9, nesterov=False, n_steps=100)`: start at $\theta_0$ =
`theta0` with zero velocity (`momentum_init`), then take **exactly** `n_steps` steps of your
`momentum_step`, each with the gradient `grad_fn(theta)` at the current point. Return all the points as
one numpy array of shape `(n_steps + 1, d)`: row $t$ is $\theta_t$, and row 0 is $\theta_0$ itself.

The test below also runs lecture 004's own form,

$$
v^{i} = \lambda v^{i-1} - \eta\nabla L(\theta^{i-1}), \qquad \theta^{i} = \theta^{i-1} + v^{i},
\qquad v^0 = 0,
$$

and checks that with $\lambda = \mu$ and a constant $\eta = \alpha$ it visits the same points as yours:
the two forms differ only in the velocity's units (lecture 004's is $-\alpha$ times PyTorch's).
""",
    solution=r'''
def minimize(grad_fn, theta0, lr, momentum=0.9, nesterov=False, n_steps=100):
    """n_steps momentum steps from theta0; returns the (n_steps + 1, d) array of points."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta0, dtype=float)
    state = momentum_init(theta)
    thetas = [theta]
    for _ in range(n_steps):
        theta, state = momentum_step(theta, grad_fn(theta), state, lr, momentum, nesterov)
        thetas.append(theta)
    return np.array(thetas)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for minimize (not graded).
A = np.diag([1.0, 10.0])                 # L(theta) = (theta_1**2 + 10 * theta_2**2) / 2: kappa = 10
grad_fn = lambda theta: A @ theta
theta0 = np.array([1.0, -2.0])
path = minimize(grad_fn, theta0, lr=0.05, momentum=0.9, n_steps=3)
assert np.shape(path) == (4, 2), (
    f"3 steps from a 2-parameter start give 4 points, shape (4, 2), got {np.shape(path)}: row 0 is theta0, "
    "then one row per step (exactly n_steps steps)")
assert np.allclose(path, [[1.0, -2.0], [0.95, -1.0], [0.8575, 0.4], [0.731375, 1.46]]), (
    f"torch.optim.SGD(lr=0.05, momentum=0.9) visits [1, -2], [0.95, -1], [0.8575, 0.4], [0.731375, 1.46]; got {path}")
path = minimize(grad_fn, theta0, lr=0.05, momentum=0.9, nesterov=True, n_steps=3)
assert np.allclose(path[1:], [[0.905, -0.1], [0.778525, 0.805], [0.6314626, 0.80975]]), (
    f"with nesterov=True torch visits [0.905, -0.1], [0.778525, 0.805], [0.6314626, 0.80975]; got {path[1:]}")
assert np.array_equal(theta0, [1.0, -2.0]), "minimize changed theta0 in place"

# Lecture 004's form gives the same points at a constant learning rate.
lam, eta, theta, v = 0.9, 0.05, theta0.copy(), np.zeros(2)
lecture = [theta]
for _ in range(30):
    v = lam * v - eta * grad_fn(theta)
    theta = theta + v
    lecture.append(theta)
path = minimize(grad_fn, theta0, lr=eta, momentum=lam, n_steps=30)
assert np.allclose(path, lecture), "lecture 004's v <- lambda v - eta grad, theta <- theta + v visits other points"
assert np.linalg.norm(minimize(grad_fn, theta0, 0.05, 0.9, n_steps=200)[-1]) < 1e-3, "200 steps should reach the minimum 0"
print("minimize: visible tests passed")
""",
    cases=[
        case(VALLEY.grad, np.array([1.0, -2.0]), 0.05, 0.9, False, 12),
        case(ROTATED.grad, np.array([-1.0, 2.0]), 0.05, 0.8, True, 10),
        case(BOWL3.grad, np.array([2.0, 0.0, -1.0]), 0.1, 0.5, False, 8),
        case(VALLEY.grad, np.array([1.0, 1.0]), 0.02, note="defaults: μ = 0.9, no Nesterov, n_steps = 100"),
    ],
    mistakes=(
        one_step_short(("for _ in range(n_steps):", "for _ in range(1, n_steps):")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def minimize(grad_fn, theta0, lr, momentum=0.9, nesterov=False, n_steps=100):
    path = np.empty((n_steps + 1, np.size(theta0)))
    path[0] = theta0
    state = momentum_init(theta0)
    for t in range(n_steps):
        path[t + 1], state = momentum_step(path[t], grad_fn(path[t]), state, lr, momentum, nesterov)
    return path
"""),
        alternative("alt-lists", code=r"""
def minimize(grad_fn, theta0, lr, momentum=0.9, nesterov=False, n_steps=100):
    theta, state = theta0, momentum_init(theta0)
    thetas = [theta0]
    for _ in range(n_steps):
        theta, state = momentum_step(theta, grad_fn(np.asarray(theta)), state, lr, momentum, nesterov)
        thetas.append(theta)
    return thetas  # a list of n_steps + 1 points
"""),
        alternative("alt-float32", code=r"""
def minimize(grad_fn, theta0, lr, momentum=0.9, nesterov=False, n_steps=100):
    theta = np.asarray(theta0, dtype=np.float32)
    state = momentum_init(theta)
    thetas = [theta]
    for _ in range(n_steps):
        theta, state = momentum_step(theta, np.float32(grad_fn(theta)), state, lr, momentum, nesterov)
        thetas.append(theta)
    return np.array(thetas, dtype=np.float32)
"""),
        alternative("alt-other-algebra", code=r"""
def minimize(grad_fn, theta0, lr, momentum=0.9, nesterov=False, n_steps=100):
    theta = np.asarray(theta0, dtype=float)
    state = momentum_init(theta)
    path = theta[None, :]
    while len(path) <= n_steps:
        theta, state = momentum_step(theta, grad_fn(theta), state, lr=lr, momentum=momentum, nesterov=nesterov)
        path = np.vstack([path, theta])
    return path
"""),
    ),
)

ASSIGNMENT = Assignment('momentum', INTRO, SETUP, [MOMENTUM_STEP, MINIMIZE])
