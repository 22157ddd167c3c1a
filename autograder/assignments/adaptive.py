"""Assignment 5 (lectures 003 and 004, book chapter 8): the AdaGrad, RMSProp and Adam steps with explicit
states (torch.optim's conventions: eps outside the square root, RMSProp's s started at 0, Adam's bias
correction with t counted from 1), and the learning-rate schedules.

Fixed numbers. Each step has a case with tiny gradients or a large eps, where eps inside the square root
gives a visibly different step, and cases that start from non-zero states (Adam at t = 3 and t = 10, where a
missing bias correction or an off-by-one t still shows). Default eps shows where θ = 0 and the gradients are
tiny. States are compared field by field, by name (a student's own NamedTuple or dataclass with the same
fields, in any order, is fine). The schedules are functions t → lr; the notebook's locked ``schedule_values(name, args,
ts)`` evaluates one at given steps, which is what the grader records; cosine is evaluated for 0 ≤ t ≤ T_max
only, where the closed form and a schedule that stays at lr_min after T_max agree.
"""

import numpy as np

from autograder.assignment import Assignment, Question, alternative, case, mistake, variant
from autograder.probe.objects import state

THETA = np.array([1.0, -2.0])
GRAD = np.array([0.5, 3.0])
THETA3 = np.array([0.5, 1.5, -1.0])
GRAD3 = np.array([2.0, -1.0, 0.5])
THETA22 = np.array([[1.0, 2.0], [-1.0, 0.0]])
GRAD22 = np.array([[0.5, -1.0], [2.0, 1.0]])
TINY = np.array([2e-5, -1e-5])
ZERO = np.zeros(2)  # θ = 0, so that the size of a tiny step, where eps matters, is what is compared
TS = [0, 1, 2, 3, 4, 7, 10, 15]


def adagrad(s):
    return state("AdaGradState", s=np.asarray(s, dtype=float))


def rmsprop(s):
    return state("RMSPropState", s=np.asarray(s, dtype=float))


def adam(m, v, t):
    return state("AdamState", m=np.asarray(m, dtype=float), v=np.asarray(v, dtype=float), t=t)

INTRO = r"""
# Assignment 5: AdaGrad, RMSProp, Adam and learning-rate schedules

Lecture 004: *"Give different parameters different learning rates. Divide the learning rate of each
parameter by the root mean square of its previous derivatives."* Lecture 003 builds the same family step by
step: AdaGrad, then RMSProp ("leaky AdaGrad"), then Adam (RMSProp + momentum, with bias correction), and
calls Adam with $\beta_1 = 0.9$, $\beta_2 = 0.999$ and a learning rate of 1e-3, 5e-4 or 1e-4 "a great
starting point". Lecture 004 also says to reduce the learning rate as training goes on: a **schedule**.

Each optimizer keeps its memory in an explicit **state** (a NamedTuple, as in optax; your own NamedTuple or
dataclass is fine if it has the same fields, in any order): a step takes the
parameters $\theta$, the gradient $g$ at $\theta$, the state and the hyperparameters, and returns
`(new_theta, new_state)`. Nothing is changed in place. The formulas are those of PyTorch's `torch.optim`
(`Adagrad`, `RMSprop`, `Adam`), so your numbers match what you would see there; book chapter 8 shows the
lectures' σ-forms and how they relate. All squares, roots and divisions are **elementwise**: every
parameter gets its own rate.

You will write three steps and four schedules. Fill in every `YOUR CODE HERE` (delete the
`raise NotImplementedError()`), then run the tests under each function. The visible tests tell you what is
wrong; your instructor's grader runs more cases (more parameters, other states, tiny gradients where
$\epsilon$ matters), so a function that only fits the visible tests will lose points.

Rules: use numpy and `math` only; $\theta$ may be an array of any shape (no loops over parameters); never
change your inputs in place (`state.s += ...`): build new arrays and a new state (changing a copy you made,
with `np.array(...)` or `.copy()`, is fine).
"""

SETUP = r"""
import math
from typing import NamedTuple

import numpy as np


class AdaGradState(NamedTuple):
    s: np.ndarray      # the sum of the squared gradients so far


class RMSPropState(NamedTuple):
    s: np.ndarray      # the running average of the squared gradients


class AdamState(NamedTuple):
    m: np.ndarray      # first moment: running average of the gradients
    v: np.ndarray      # second moment: running average of the squared gradients
    t: int             # the number of steps taken so far


def adagrad_init(theta):   # given: s = 0
    return AdaGradState(np.zeros_like(np.asarray(theta, dtype=float)))


def rmsprop_init(theta):   # given: s = 0, PyTorch's start (lecture 004 starts at sigma^0 = |g^0| instead)
    return RMSPropState(np.zeros_like(np.asarray(theta, dtype=float)))


def adam_init(theta):      # given: m = v = 0 at t = 0
    zeros = np.zeros_like(np.asarray(theta, dtype=float))
    return AdamState(zeros, zeros.copy(), 0)


def schedule_values(name, args, ts):
    # given: what the grader records of a schedule (a function): its learning rates name(*args)(t) at steps ts
    schedule = globals()[name](*args)
    return [float(schedule(t)) for t in ts]
"""

ADAGRAD_STEP = Question(
    "adagrad_step", points=2, reference="solutions:adagrad_step",
    text=r"""
## 1. AdaGrad (2 points)

Lecture 004's σ-form divides by the root mean square of the gradients so far and uses the schedule
$\eta^t = \eta/\sqrt{t+1}$; the two $\sqrt{t+1}$ cancel (chapter 8), which leaves PyTorch's running-sum
form. Write `adagrad_step(theta, grad, state, lr=0.01, eps=1e-10)` with $\eta$ = `lr`, $\epsilon$ = `eps`:

$$
s \leftarrow s + g^2, \qquad \theta \leftarrow \theta - \eta\,\frac{g}{\sqrt{s} + \epsilon}.
$$

$\epsilon$ goes **outside** the square root. Return `(new_theta, AdaGradState(s_new))`.
""",
    solution=r'''
def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    """One AdaGrad step (torch.optim.Adagrad); returns (new_theta, new_state)."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    grad = np.asarray(grad, dtype=float)
    s = state.s + grad**2
    return theta - lr * grad / (np.sqrt(s) + eps), AdaGradState(s)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for adagrad_step (not graded: they help you check your work).
theta = np.array([1.0, -2.0])
state = adagrad_init(theta)
theta1, state1 = adagrad_step(theta, np.array([0.5, 3.0]), state, lr=0.1)
assert hasattr(state1, "s"), (
    f"the new state should be AdaGradState(s_new), a NamedTuple with the field s; got {state1!r}")
assert np.allclose(state1.s, [0.25, 9.0]), f"s = 0 + g**2 = [0.25, 9], got {state1.s}"
s1_before = np.copy(state1.s)
assert np.allclose(theta1, [0.9, -2.1]), (
    f"the first step is lr * g / |g| = lr * sign(g): theta = [0.9, -2.1], got {theta1} (minus, lr once)")
theta2, state2 = adagrad_step(theta1, np.array([1.5, -4.0]), state1, lr=0.1)
assert np.allclose(state2.s, [2.5, 25.0]), f"s keeps SUMMING the squares: [0.25 + 2.25, 9 + 16] = [2.5, 25], got {state2.s}"
assert np.allclose(theta2, [0.80513167, -2.02]), f"theta = [0.9, -2.1] - 0.1 * g / sqrt(s) = [0.80513, -2.02], got {theta2}"
theta3, _ = adagrad_step(theta, np.array([1e-3, 0.0]), state, lr=0.1, eps=1e-4)
assert np.allclose(theta3, [0.90909091, -2.0]), (
    f"with g = [1e-3, 0] and eps = 1e-4: 1 - 0.1 * 1e-3 / (sqrt(1e-6) + 1e-4) = 0.90909, got {theta3}. "
    "Is eps OUTSIDE the square root? (inside gives 0.99005)")
assert np.array_equal(state.s, [0.0, 0.0]) and np.array_equal(state1.s, s1_before), (
    "adagrad_step changed its input state in place: build a new array for s")
print("adagrad_step: visible tests passed")
""",
    cases=[
        case(THETA, GRAD, adagrad([0.0, 0.0]), 0.1),
        case(THETA3, GRAD3, adagrad([1.0, 4.0, 0.25]), 0.5),
        case(THETA22, 1e-3 * GRAD22, adagrad(np.zeros((2, 2))), 0.1, 0.0001),
        case(ZERO, 0.01 * TINY, adagrad([0.0, 0.0]), note="defaults lr=0.01, eps=1e-10; tiny gradients"),
    ],
    mistakes=(),
    variants=(
        variant("mutates-input", ("s = state.s + grad**2", "s = state.s  # reuse the state's array\n    s += grad**2")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    s = np.array(state.s, dtype=float)  # a copy: changed in place below, the input state stays as it was
    s += np.square(grad)
    new_theta = np.array(theta, dtype=float)
    new_theta -= lr * grad / (np.sqrt(s) + eps)
    return new_theta, AdaGradState(s)
"""),
        alternative("alt-lists", code=r"""
class SumOfSquares(NamedTuple):  # my own state type, with the field s
    s: list


def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    s = np.asarray(state.s) + np.asarray(grad) ** 2
    new_theta = np.asarray(theta) - lr * np.asarray(grad) / (s**0.5 + eps)
    return new_theta.tolist(), SumOfSquares(s.tolist())
"""),
        alternative("alt-float32", code=r"""
def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    theta, grad = np.float32(theta), np.float32(grad)
    s = np.float32(state.s) + grad * grad
    return theta - np.float32(lr) * grad / (np.sqrt(s) + np.float32(eps)), AdaGradState(s)
"""),
        alternative("alt-other-algebra", code=r"""
def adagrad_step(theta, grad, state, lr=0.01, eps=1e-10):
    s = state.s + grad * grad
    rate = lr / (np.sqrt(s) + eps)  # every parameter's own learning rate
    return theta - rate * grad, AdaGradState(s=s)
"""),
    ),
    md_id="adagrad_md",
    fields=('theta', 'state'),
)

RMSPROP_STEP = Question(
    "rmsprop_step", points=2, reference="solutions:rmsprop_step",
    text=r"""
## 2. RMSProp, "leaky AdaGrad" (2 points)

Write `rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8)`, with lecture 004's decay
$\alpha$ = `alpha` (not the learning rate, which is $\eta$ = `lr`):

$$
s \leftarrow \alpha\, s + (1 - \alpha)\, g^2, \qquad \theta \leftarrow \theta - \eta\,\frac{g}{\sqrt{s} + \epsilon}.
$$

$s$ is a running **mean** of the squares (weights $\alpha$ and $1 - \alpha$), lecture 004's $(\sigma^t)^2$;
it starts at 0 as in PyTorch (`rmsprop_init`). Return `(new_theta, RMSPropState(s_new))`.
""",
    solution=r'''
def rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    """One RMSProp step (torch.optim.RMSprop); returns (new_theta, new_state)."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    grad = np.asarray(grad, dtype=float)
    s = alpha * state.s + (1 - alpha) * grad**2
    return theta - lr * grad / (np.sqrt(s) + eps), RMSPropState(s)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for rmsprop_step (not graded).
theta = np.array([1.0, -2.0])
theta1, state1 = rmsprop_step(theta, np.array([0.5, 3.0]), rmsprop_init(theta))
assert hasattr(state1, "s"), (
    f"the new state should be RMSPropState(s_new), a NamedTuple with the field s; got {state1!r}")
assert np.allclose(state1.s, [0.0025, 0.09]), (
    f"from s = 0: s = 0.99 * 0 + 0.01 * g**2 = [0.0025, 0.09], got {state1.s}. Is it a running MEAN, "
    "alpha * s + (1 - alpha) * g**2?")
assert np.allclose(theta1, [0.9, -2.1]), f"theta = theta - 0.01 * g / (sqrt(s) + eps) = [0.9, -2.1], got {theta1}"
theta2, state2 = rmsprop_step(theta, np.array([0.5, 3.0]), RMSPropState(np.array([1.0, 4.0])), lr=0.1, alpha=0.9)
assert np.allclose(state2.s, [0.925, 4.5]), f"s = 0.9 * [1, 4] + 0.1 * [0.25, 9] = [0.925, 4.5], got {state2.s}"
assert np.allclose(theta2, [0.94801248, -2.14142136]), f"theta should be [0.948012, -2.141421], got {theta2}"
theta3, _ = rmsprop_step(theta, np.array([1e-4, -1e-4]), rmsprop_init(theta))
assert np.allclose(theta3, [0.9000999, -1.9000999]), (
    f"tiny gradients [1e-4, -1e-4] from s = 0 should still step by about lr / sqrt(0.01) = 0.1: "
    f"[0.9001, -1.9001], got {theta3}. Is eps OUTSIDE the square root? (inside gives [0.99005, -1.99005])")
print("rmsprop_step: visible tests passed")
""",
    cases=[
        case(THETA, GRAD, rmsprop([0.0, 0.0]), note="defaults lr=0.01, alpha=0.99, eps=1e-8"),
        case(THETA3, GRAD3, rmsprop([1.0, 4.0, 0.25]), 0.05, 0.9),
        case(ZERO, 10 * TINY, rmsprop([0.0, 0.0]), 0.01, note="tiny gradients"),
        case(THETA22, GRAD22, rmsprop([[0.5, 0.0], [2.0, 1.0]]), 0.1, 0.5, eps=0.001),
    ],
    mistakes=(
        mistake("lr-twice", "learning rate applied twice", "your step is lr times too small: the learning rate "
                "is multiplied in twice (θ − lr·(lr·g)); apply it once", ("theta - lr * grad", "theta - lr * lr * grad")),
        mistake("sum-instead-of-mean", "sum instead of mean", "you accumulate a decayed SUM (s ← αs + g²); the "
                "running MEAN weighs the new term by 1 − α: s ← αs + (1 − α)g²", ("(1 - alpha) * grad**2", "grad**2")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    s = state.s.copy()  # changed in place below: the input state stays as it was
    s *= alpha
    s += (1 - alpha) * grad**2
    return theta - lr * grad / (np.sqrt(s) + eps), RMSPropState(s)
"""),
        alternative("alt-lists", code=r"""
from collections import namedtuple

MeanSquare = namedtuple("MeanSquare", "s")  # my own state type, with the field s


def rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    g = np.asarray(grad)
    s = alpha * np.asarray(state.s) + (1 - alpha) * g**2
    return list(np.asarray(theta) - lr * g / (np.sqrt(s) + eps)), MeanSquare(s=list(s))
"""),
        alternative("alt-float32", code=r"""
def rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    theta, grad, alpha = np.float32(theta), np.float32(grad), np.float32(alpha)
    s = alpha * np.float32(state.s) + (1 - alpha) * grad**2
    return theta - np.float32(lr) * grad / (np.sqrt(s) + np.float32(eps)), RMSPropState(s)
"""),
        alternative("alt-other-algebra", code=r"""
def rmsprop_step(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
    s = state.s + (1 - alpha) * (grad**2 - state.s)  # alpha s + (1 - alpha) g^2, as a correction of s
    return theta - lr * grad / (s**0.5 + eps), RMSPropState(s)
"""),
    ),
    md_id="rmsprop_md",
    fields=('theta', 'state'),
)

ADAM_STEP = Question(
    "adam_step", points=3, reference="solutions:adam_step",
    text=r"""
## 3. Adam, with bias correction (3 points)

Write `adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)`: Kingma and Ba's
Algorithm 1 (lecture 004's box), with $\alpha$ = `lr`:

$$
\begin{aligned}
t &\leftarrow t + 1 \\
m &\leftarrow \beta_1 m + (1 - \beta_1)\, g \\
v &\leftarrow \beta_2 v + (1 - \beta_2)\, g^2 \\
\hat m &= m / (1 - \beta_1^{\,t}), \qquad \hat v = v / (1 - \beta_2^{\,t}) \\
\theta &\leftarrow \theta - \alpha\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}
\end{aligned}
$$

$t$ is incremented **first**, so the first step uses $t = 1$. The state keeps the *uncorrected* $m$ and $v$
and the new $t$: return `(new_theta, AdamState(m_new, v_new, t_new))`.

You may fold the two corrections into the step size,
$\alpha_t = \alpha \sqrt{1 - \beta_2^{\,t}} / (1 - \beta_1^{\,t})$ and
$\theta \leftarrow \theta - \alpha_t\, m / (\sqrt{v} + \epsilon \sqrt{1 - \beta_2^{\,t}})$: that is the same step.
With $\epsilon$ alone next to $\sqrt{v}$ (the "$\hat\epsilon$" of the paper's section 2) it is a slightly
different optimizer, which differs where gradients are tiny.
""",
    solution=r'''
def adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (torch.optim.Adam); returns (new_theta, new_state)."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    grad = np.asarray(grad, dtype=float)
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * grad
    v = beta2 * state.v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), AdamState(m, v, t)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for adam_step (not graded).
theta = np.array([1.0, -2.0])
theta1, state1 = adam_step(theta, np.array([0.5, 3.0]), adam_init(theta), lr=0.1)
assert all(hasattr(state1, f) for f in ("m", "v", "t")), (
    f"the new state should be AdamState(m_new, v_new, t_new): a NamedTuple with the fields m, v and t; "
    f"got {state1!r}")
assert state1.t == 1, f"after the first step t = 1, got t = {state1.t}: increment t and return it in the state"
assert np.allclose(state1.m, [0.05, 0.3], rtol=1e-4) and np.allclose(state1.v, [0.00025, 0.009], rtol=1e-4), (
    f"m = 0.1 * g = [0.05, 0.3] and v = 0.001 * g**2 = [0.00025, 0.009] (store m and v WITHOUT the "
    f"correction), got m = {state1.m}, v = {state1.v}")
assert np.allclose(theta1, [0.9, -2.1]), (
    f"with bias correction the first step is lr * sign(g): [0.9, -2.1], got {theta1}. "
    "Divide by 1 - beta1**t and 1 - beta2**t with t = 1")
theta2, state2 = adam_step(theta1, np.array([1.0, -1.0]), state1, lr=0.1)
assert state2.t == 2, f"the second step has t = 2, got {state2.t}"
assert np.allclose(theta2, [0.8034818, -2.14002186]), f"the second step should reach [0.803482, -2.140022], got {theta2}"
theta3, _ = adam_step(theta, np.array([1e-5, -1e-5]), adam_init(theta))
assert np.allclose(theta3, [0.999001, -1.999001]), (
    f"tiny gradients [1e-5, -1e-5] should still step by about lr = 1e-3: [0.999001, -1.999001], got {theta3}. "
    "Is eps OUTSIDE the square root?")
assert adam_init(theta).t == 0 and state1.t == 1, "adam_step changed its input state"
print("adam_step: visible tests passed")
""",
    cases=[
        case(THETA, GRAD, adam([0.0, 0.0], [0.0, 0.0], 0), 0.1),
        case(THETA3, GRAD3, adam([0.1, -0.2, 0.3], [0.5, 1.0, 0.2], 3), 0.01),
        case(ZERO, 0.01 * TINY, adam([0.0, 0.0], [0.0, 0.0], 0),
             note="defaults lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8; tiny gradients"),
        case(THETA22, GRAD22, adam([[0.2, -0.5], [1.0, 0.3]], [[0.1, 0.4], [2.0, 0.5]], 10), 0.05, 0.8, 0.99, 0.001),
    ],
    mistakes=(
        mistake("eps-inside-sqrt", "eps inside the square root", "you added eps inside the square root, √(v̂ + eps); "
                "torch.optim (and this course) adds it outside: √v̂ + eps", ("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)")),
        mistake("missing-bias-correction", "missing bias correction", "your step matches Adam without bias "
                "correction: divide by 1 − β1ᵗ and 1 − β2ᵗ (m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ)), with t counted from 1",
                ("m_hat = m / (1 - beta1**t)", "m_hat = m"), ("v_hat = v / (1 - beta2**t)", "v_hat = v")),
        mistake("t-not-incremented", "off by one in t", "your step count is off by one: increment t BEFORE the "
                "bias correction (the first step uses t = 1, so 1 − β1ᵗ = 1 − β1) and return the incremented t in "
                "the new state", ("t = state.t + 1", "t = state.t")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state.t + 1
    m = np.array(state.m, dtype=float)  # copies, updated in place below
    v = np.array(state.v, dtype=float)
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    new_theta = np.array(theta, dtype=float)
    new_theta -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return new_theta, AdamState(m, v, t)
"""),
        alternative("alt-lists", code=r"""
class Moments(NamedTuple):  # my own state type, its fields in another order
    t: int
    m: list
    v: list


def adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad)
    t = state.t + 1
    m = beta1 * np.asarray(state.m) + (1 - beta1) * g
    v = beta2 * np.asarray(state.v) + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    new_theta = np.asarray(theta) - lr * m_hat / (np.sqrt(v_hat) + eps)
    return new_theta.tolist(), Moments(t=np.int64(t), m=m.tolist(), v=v.tolist())
"""),
        alternative("alt-float32", code=r"""
def adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    f32 = np.float32
    theta, grad, beta1, beta2 = f32(theta), f32(grad), f32(beta1), f32(beta2)
    t = state.t + 1
    m = beta1 * f32(state.m) + (1 - beta1) * grad
    v = beta2 * f32(state.v) + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - f32(lr) * m_hat / (np.sqrt(v_hat) + f32(eps)), AdamState(m, v, t)
"""),
        alternative("alt-other-algebra", code=r"""
def adam_step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state.t + 1
    m = beta1 * state.m + (1 - beta1) * grad
    v = beta2 * state.v + (1 - beta2) * grad**2
    # the bias corrections folded into the step size (Kingma and Ba, section 2); eps scaled to match
    c2 = math.sqrt(1 - beta2**t)
    step_size = lr * c2 / (1 - beta1**t)
    return theta - step_size * m / (np.sqrt(v) + eps * c2), AdamState(m, v, t)
"""),
    ),
    md_id="adam_md",
    fields=('theta', 'state'),
)

SCHEDULES = Question(
    "schedules", points=4, reference="solutions:schedule_values",
    text=r"""
## 4. Learning-rate schedules (4 points)

Lecture 004: *"Reduce the learning rate by some factor every few epochs."* Write four functions that each
**return a function** `lr(t)` of the step count $t = 0, 1, 2, \dots$ (the first step has $t = 0$ and gets
$\eta_0$ = `lr0`), as `torch.optim.lr_scheduler` does:

| function | $\eta_t$ |
|---|---|
| `step_decay(lr0, step_size, gamma=0.1)` | $\eta_0\,\gamma^{\lfloor t / \text{step\_size} \rfloor}$ (`StepLR`) |
| `exponential_decay(lr0, gamma)` | $\eta_0\,\gamma^{t}$ (`ExponentialLR`) |
| `inverse_sqrt_decay(lr0)` | $\eta_0 / \sqrt{t + 1}$, the $\eta^t$ of lecture 004's AdaGrad slide |
| `cosine_decay(lr0, t_max, lr_min=0.0)` | $\eta_{\min} + \frac12(\eta_0 - \eta_{\min})\,(1 + \cos(\pi t / T_{\max}))$ for $0 \le t \le T_{\max}$ (`CosineAnnealingLR`) |

For example `step_decay(0.1, 3, 0.5)` returns a function whose values at $t = 0, 1, 2, 3, 6$ are
0.1, 0.1, 0.1, 0.05, 0.025. The grader evaluates your schedules with the given `schedule_values`, at
$t \ge 0$ (and $t \le T_{\max}$ for the cosine: what it does after $T_{\max}$, stay at $\eta_{\min}$ or
rise again as the formula does, is up to you).
""",
    solution=r'''
def step_decay(lr0, step_size, gamma=0.1):
    """t -> lr0 * gamma ** (t // step_size)"""
    ### BEGIN SOLUTION
    return lambda t: lr0 * gamma ** (t // step_size)
    ### END SOLUTION


def exponential_decay(lr0, gamma):
    """t -> lr0 * gamma ** t"""
    ### BEGIN SOLUTION
    return lambda t: lr0 * gamma**t
    ### END SOLUTION


def inverse_sqrt_decay(lr0):
    """t -> lr0 / sqrt(t + 1)"""
    ### BEGIN SOLUTION
    return lambda t: lr0 / math.sqrt(t + 1)
    ### END SOLUTION


def cosine_decay(lr0, t_max, lr_min=0.0):
    """t -> lr_min + (lr0 - lr_min) * (1 + cos(pi * t / t_max)) / 2"""
    ### BEGIN SOLUTION
    return lambda t: lr_min + 0.5 * (lr0 - lr_min) * (1 + math.cos(math.pi * t / t_max))
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for the schedules (not graded).
lr = step_decay(0.1, 3, 0.5)
assert callable(lr), "step_decay should RETURN a function of t (e.g. a lambda), not a number"
got = [lr(t) for t in (0, 1, 2, 3, 4, 7, 10)]
assert np.allclose(got, [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]), (
    f"step_decay(0.1, 3, 0.5) at t = 0, 1, 2, 3, 4, 7, 10 should be 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125, "
    f"got {got}: halve every 3 steps, starting at t = 0 with lr0 (floor division t // step_size)")
got = [exponential_decay(0.2, 0.9)(t) for t in (0, 1, 2)]
assert np.allclose(got, [0.2, 0.18, 0.162]), f"exponential_decay(0.2, 0.9) at t = 0, 1, 2: 0.2, 0.18, 0.162; got {got}"
got = [inverse_sqrt_decay(0.3)(t) for t in (0, 3)]
assert np.allclose(got, [0.3, 0.15]), f"inverse_sqrt_decay(0.3) at t = 0, 3: 0.3 / sqrt(1), 0.3 / sqrt(4) = 0.3, 0.15; got {got}"
got = [cosine_decay(0.1, 10, 0.01)(t) for t in (0, 5, 10)]
assert np.allclose(got, [0.1, 0.055, 0.01]), (
    f"cosine_decay(0.1, 10, 0.01) at t = 0, 5, 10 should be 0.1, 0.055 (halfway), 0.01 (lr_min); got {got}")
assert np.allclose(schedule_values("cosine_decay", (1.0, 4), [0, 2, 4]), [1.0, 0.5, 0.0]), (
    "cosine_decay(1, 4) with the default lr_min = 0 should give 1, 0.5, 0 at t = 0, 2, 4")
print("schedules: visible tests passed")
""",
    cases=[
        case('step_decay', (0.1, 3, 0.5), TS),
        case('step_decay', (1.0, 5), TS),
        case('exponential_decay', (0.2, 0.9), TS),
        case('exponential_decay', (1.0, 0.5), [0, 1, 2, 6]),
        case('inverse_sqrt_decay', (0.3,), TS),
        case('inverse_sqrt_decay', (1.0,), [0, 3, 8, 99]),
        case('cosine_decay', (0.1, 15, 0.01), TS),
        case('cosine_decay', (1.0, 4), [0, 1, 2, 3, 4]),
    ],
    mistakes=(
        mistake("off-by-one", "off by one in t", "your exponential decay is one step ahead: t counts from 0, so "
                "the first learning rate (t = 0) is lr0 itself", ("lr0 * gamma**t", "lr0 * gamma ** (t + 1)")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def step_decay(lr0, step_size, gamma=0.1):
    def lr(t):
        rate = lr0
        for _ in range(t // step_size):  # one decay per finished block of step_size steps
            rate *= gamma
        return rate
    return lr


def exponential_decay(lr0, gamma):
    def lr(t):
        rate = lr0
        for _ in range(t):
            rate = rate * gamma
        return rate
    return lr


def inverse_sqrt_decay(lr0):
    def lr(t):
        return lr0 / (t + 1) ** 0.5
    return lr


def cosine_decay(lr0, t_max, lr_min=0.0):
    def lr(t):
        return lr_min + (lr0 - lr_min) * (1 + np.cos(np.pi * t / t_max)) / 2
    return lr
"""),
        alternative("alt-lists", code=r"""
class Schedule:
    # a callable object instead of a closure: Schedule(rule, ...)(t)
    def __init__(self, rule, *args):
        self.rule, self.args = rule, args

    def __call__(self, t):
        return self.rule(t, *self.args)


def step_decay(lr0, step_size, gamma=0.1):
    return Schedule(lambda t, lr0, n, g: lr0 * g ** np.floor(t / n), lr0, step_size, gamma)


def exponential_decay(lr0, gamma):
    return Schedule(lambda t, lr0, g: np.float64(lr0) * np.power(g, t), lr0, gamma)


def inverse_sqrt_decay(lr0):
    return Schedule(lambda t, lr0: lr0 * np.reciprocal(np.sqrt(t + 1.0)), lr0)


def cosine_decay(lr0, t_max, lr_min=0.0):
    return Schedule(lambda t, lr0, T, lo: np.array(lo + 0.5 * (lr0 - lo) * (1 + np.cos(np.pi * t / T))),
                    lr0, t_max, lr_min)
"""),
        alternative("alt-float32", code=r"""
def step_decay(lr0, step_size, gamma=0.1):
    return lambda t: np.float32(lr0) * np.float32(gamma) ** (t // step_size)


def exponential_decay(lr0, gamma):
    return lambda t: np.float32(lr0) * np.float32(gamma) ** t


def inverse_sqrt_decay(lr0):
    return lambda t: np.float32(lr0) / np.sqrt(np.float32(t + 1))


def cosine_decay(lr0, t_max, lr_min=0.0):
    half = np.float32(0.5 * (lr0 - lr_min))
    return lambda t: np.float32(lr_min) + half * (1 + np.cos(np.float32(math.pi * t / t_max)))
"""),
        alternative("alt-other-algebra", code=r"""
def step_decay(lr0, step_size, gamma=0.1):
    return lambda t: lr0 * math.pow(gamma, math.floor(t / step_size))


def exponential_decay(lr0, gamma):
    return lambda t: lr0 * math.exp(t * math.log(gamma))


def inverse_sqrt_decay(lr0):
    return lambda t: lr0 * (t + 1) ** -0.5


def cosine_decay(lr0, t_max, lr_min=0.0):
    # (1 + cos 2x) / 2 = cos^2 x
    return lambda t: lr_min + (lr0 - lr_min) * math.cos(math.pi * t / (2 * t_max)) ** 2
"""),
    ),
    function="schedule_values",
    hidden_id="schedules_hidden",
)

ASSIGNMENT = Assignment('adaptive', INTRO, SETUP, [ADAGRAD_STEP, RMSPROP_STEP, ADAM_STEP, SCHEDULES])
