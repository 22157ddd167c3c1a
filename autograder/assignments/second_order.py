"""Assignment 6 (lecture 003, book chapter 9): the Newton step (and its error on a singular Hessian), a Newton
driver on problems with several parameters, and L-BFGS's two-loop recursion.

Fixed numbers, and for the longer L-BFGS histories a seeded generator. One Newton case has negative curvature:
the instructions say that H may be indefinite (so a Cholesky solve is ruled out) and that ``inv`` is fine.
``newton`` is compared to a relative 1e-3: from Rosenbrock's classic start, its second step leaves a nearly
singular Hessian, which magnifies the rounding of a float32 implementation to a few 1e-4. Every Newton case has a
non-zero gradient, so θ + H⁻¹g (sign error) and θ − Hg (H not inverted) differ from θ − H⁻¹g. A singular
Hessian is an expected error: where the reference raises a ``ValueError`` (``np.linalg.LinAlgError`` is one), the student's
function must raise one too. The two-loop cases have curvature pairs whose scaling γ = sᵀy / yᵀy is not 1,
and histories of up to five pairs, so that running a loop in the wrong order or leaving out γ changes the
answer; the case with no history (r = g) and the one with a single pair are right whatever the loop order.
"""

import numpy as np

from autograder.assignment import Assignment, Question, alternative, case, mistake, one_step_short, variant
from autograder.probe.objects import QuarticBowl, Quadratic, Rosenbrock

ROSENBROCK = Rosenbrock()
ROSENBROCK_2_10 = Rosenbrock(2.0, 10.0)
QUADRATIC2 = Quadratic([[10.0, 3.0], [3.0, 1.0]], [1.0, 2.0])
QUARTIC3 = QuarticBowl([[2.0, 0.5, 0.0], [0.5, 1.0, 0.3], [0.0, 0.3, 3.0]], [1.0, -2.0, 0.5])
SINGULAR = "H is singular: must raise a ValueError"
SOLVE = "p = np.linalg.solve(np.asarray(hess, dtype=float), np.asarray(grad, dtype=float))"
MUTATING_TWO_LOOP = '''
def lbfgs_two_loop(grad, s_history, y_history):
    """r ~ H^{-1} grad from the curvature pairs (s_i, y_i), oldest first (two-loop recursion)."""
    q = np.array(grad, dtype=float)
    s_history.reverse()  # newest first, for the first loop
    y_history.reverse()
    a = []
    for s, y in zip(s_history, y_history):
        a.append((s @ q) / (y @ s))
        q = q - a[-1] * y
    if s_history:
        q = (s_history[0] @ y_history[0]) / (y_history[0] @ y_history[0]) * q
    for s, y, a_i in zip(reversed(s_history), reversed(y_history), reversed(a)):
        q = q + (a_i - (y @ q) / (y @ s)) * s
    return q
'''


def history(d, m, seed):
    """A gradient and m curvature pairs (oldest first) from a random positive definite A, with a little
    non-quadratic noise in y (sᵀy stays positive)."""
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((d, d))
    A = M @ M.T + d * np.eye(d)
    s = [rng.standard_normal(d) for _ in range(m)]
    y = [A @ si + 0.1 * rng.standard_normal(d) for si in s]
    return rng.standard_normal(d), s, y

INTRO = r"""
# Assignment 6: second-order optimization

Lecture 003: *"So far: first-order optimization. Use gradient to make linear approximation. Step to minimize
the approximation."* Second-order methods use the gradient **and the Hessian** to make a *quadratic*
approximation of the cost around the current point $w_0$,

$$
L(w) \approx L(w_0) + (w - w_0)^\top \nabla_w L(w_0) + \tfrac12 (w - w_0)^\top H_w L(w_0)\,(w - w_0),
$$

and step to the minimum of that approximation, **Newton's step**

$$
w^* = w_0 - \big(H_w L(w_0)\big)^{-1} \nabla_w L(w_0).
$$

In code the parameters are `theta` ($\theta$, a vector of $d$ numbers), the gradient $g = \nabla L(\theta)$
is `grad` (shape `(d,)`) and the Hessian $H$, the matrix of second derivatives
$H_{ij} = \partial^2 L / \partial\theta_i\,\partial\theta_j$, is `hess` (shape `(d, d)`). The lecture warns
that the Hessian has $O(N^2)$ entries and inverting it costs $O(N^3)$; L-BFGS, which the lecture recommends
for full-batch problems, gets curvature from the last few steps instead.

You will write three functions. Fill in every `YOUR CODE HERE` (delete the `raise NotImplementedError()`),
then run the tests under each function. The visible tests tell you what is wrong; your instructor's grader
runs more cases, so a function that only fits the visible tests will lose points.

Rules: use numpy (and Python's `math` for single numbers) only, and never change your inputs in place
(`theta -= ...`, `q -= ...` on an array you were given, `s_history.reverse()`): work on new arrays and lists
(changing a copy you made, with `np.array(...)`, `.copy()` or `list(...)`, is fine).
"""

SETUP = r'''
import numpy as np


def rosenbrock(theta):
    """Rosenbrock's valley L(θ) = (1 − θ₁)² + 100 (θ₂ − θ₁²)², minimum 0 at (1, 1)."""
    t1, t2 = theta
    return (1 - t1) ** 2 + 100 * (t2 - t1**2) ** 2


def rosenbrock_grad(theta):
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 400 * t1 * (t2 - t1**2), 200 * (t2 - t1**2)])


def rosenbrock_hess(theta):
    t1, t2 = theta
    return np.array([[2 - 400 * (t2 - t1**2) + 800 * t1**2, -400 * t1], [-400 * t1, 200.0]])
'''

NEWTON_STEP = Question(
    "newton_step", points=3, reference="solutions:newton_step",
    text=r"""
## 1. Newton's step (3 points)

Write `newton_step(theta, grad, hess)`, which returns $\theta - H^{-1} g$ (shape `(d,)`).

* **Solve rather than invert.** $H^{-1} g$ is the vector $p$ with $H p = g$: get it with
  `np.linalg.solve(hess, grad)`, which is cheaper and more accurate than forming $H^{-1}$
  (`np.linalg.inv(hess) @ grad` gives the same step here, at about three times the cost).
* **$H$ may be indefinite.** Away from a minimum the Hessian can have negative eigenvalues (negative
  curvature). The step $\theta - H^{-1} g$ is still defined, and goes to the stationary point of the quadratic
  model, which is then not a minimum. So use a solver for any invertible matrix, not a Cholesky factorisation
  (`np.linalg.cholesky`), which needs $H$ positive definite.
* **A singular Hessian is an error.** If $H$ is singular, the quadratic model has no single stationary point
  and the Newton step is not defined: `newton_step` must raise a `ValueError` that says so. Note that
  `np.linalg.solve` raises `np.linalg.LinAlgError`, which *is* a `ValueError`: you may let it through or raise
  your own, but never return a step (for example from `np.linalg.pinv` or `np.linalg.lstsq`).

There is no learning rate: the quadratic model chooses the step's length and direction.
""",
    solution=r'''
def newton_step(theta, grad, hess):
    """One Newton step theta - H^{-1} grad, computed by solving H p = grad."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    p = np.linalg.solve(np.asarray(hess, dtype=float), np.asarray(grad, dtype=float))
    return theta - p
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for newton_step (not graded: they help you check your work).
A = np.array([[3.0, 1.0], [1.0, 2.0]])
b = np.array([1.0, 1.0])
theta = np.array([4.0, -4.0])
g = A @ theta - b   # the gradient of L(θ) = ½θᵀAθ − bᵀθ at θ = (4, −4): [7, −5]
theta_before, g_before, A_before = theta.copy(), g.copy(), A.copy()
new = newton_step(theta, g, A)
assert np.shape(new) == (2,), f"newton_step should return a vector of shape (2,), got shape {np.shape(new)}"
assert not np.allclose(new, [7.8, -8.4]), (
    "you returned θ + H⁻¹g = [7.8, -8.4]: a sign error. Newton's step SUBTRACTS: θ − H⁻¹g")
assert not np.allclose(new, [-12.0, -1.0]), (
    "you returned θ − Hg = [-12, -1]: multiply by H⁻¹, not H (solve H p = g with np.linalg.solve)")
assert np.allclose(new, [0.2, 0.4]), (
    f"on a quadratic one Newton step lands on the minimum A⁻¹b = [0.2, 0.4], got {new}")
assert np.array_equal(theta, theta_before) and np.array_equal(g, g_before) and np.array_equal(A, A_before), (
    "newton_step changed theta, grad or hess in place")
new = newton_step(np.array([3.0]), np.array([6.0]), np.array([[2.0]]))
assert np.allclose(new, [0.0]), f"1-D: w − L'(w)/L''(w) = 3 − 6/2 = 0, got {new}"
new = newton_step(np.array([1.0]), np.array([2.0]), np.array([[-4.0]]))
assert np.allclose(new, [1.5]), (
    f"negative curvature: w − L'(w)/L''(w) = 1 − 2/(−4) = 1.5 (the model's maximum), got {new}. "
    "H may be indefinite: use np.linalg.solve, not a Cholesky factorisation")
try:
    newton_step(np.array([0.5, -1.0]), np.array([1.0, 2.0]), np.array([[1.0, 2.0], [2.0, 4.0]]))
except ValueError:
    pass
else:
    raise AssertionError("hess [[1, 2], [2, 4]] is singular (its rows are parallel): newton_step must raise a "
                         "ValueError, not return a step")
print("newton_step: visible tests passed")
""",
    cases=[
        case(np.array([3.0, -2.0]), np.array([1.0, 2.0]), np.array([[4.0, 1.0], [1.0, 3.0]])),
        case(np.array([-1.2, 1.0]), np.array([-215.6, -88.0]), np.array([[1330.0, 480.0], [480.0, 200.0]]), note="Rosenbrock at the classic start"),
        case(np.array([0.8]), np.array([-0.918]), np.array([[-3.03]]), note="1-D, negative curvature"),
        case(np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]), np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])),
        case(np.array([0.5, -1.0]), np.array([1.0, 2.0]), np.array([[1.0, 2.0], [2.0, 4.0]]), note=SINGULAR),
        case(np.array([0.0, 1.0, -1.0]), np.array([1.0, 0.0, -1.0]), np.diag([2.0, 0.0, 1.0]), note=SINGULAR),
    ],
    mistakes=(
        mistake("sign-error", "sign error", "you stepped to θ + H⁻¹g; Newton's step goes to the minimum of the "
                "quadratic model, θ − H⁻¹g: solve H p = g, then return θ − p", ("return theta - p", "return theta + p")),
        mistake("hessian-not-inverted", "H instead of H⁻¹", "you multiplied the gradient by the Hessian (θ − Hg); "
                "Newton's step divides by it: θ − H⁻¹g, where H⁻¹g is the solution p of H p = g "
                "(`np.linalg.solve(H, g)`)", (SOLVE, "p = np.asarray(hess, dtype=float) @ np.asarray(grad, dtype=float)")),
        mistake("pinv", "no error on a singular Hessian", "H is singular, so Newton's step is not defined, but "
                "your function returned one (the pseudo-inverse's answer); let `np.linalg.solve` raise its "
                "`LinAlgError` (a `ValueError`) or raise a `ValueError` yourself",
                (SOLVE, "p = np.linalg.pinv(np.asarray(hess, dtype=float)) @ np.asarray(grad, dtype=float)")),
    ),
    alternatives=(
        alternative("alt-lists", code=r"""
def newton_step(theta, grad, hess):
    p = np.linalg.solve(hess, grad)
    return [t - q for t, q in zip(theta, p)]  # a list of d numbers
"""),
        alternative("alt-float32", code=r"""
def newton_step(theta, grad, hess):
    p = np.linalg.solve(np.asarray(hess, dtype=np.float32), np.asarray(grad, dtype=np.float32))
    return np.asarray(theta, dtype=np.float32) - p
"""),
        alternative("alt-other-algebra", code=r"""
def newton_step(theta, grad, hess):
    return theta - np.linalg.inv(hess) @ grad  # inv raises LinAlgError (a ValueError) on a singular H
"""),
        alternative("alt-loops", code=r"""
def newton_step(theta, grad, hess):
    hess = np.atleast_2d(hess)
    if np.linalg.matrix_rank(hess) < hess.shape[0]:
        raise ValueError("the Hessian is singular: the Newton step is not defined")
    return np.array(theta, dtype=float) - np.linalg.solve(hess, grad)
"""),
    ),
    raises="ValueError",
)

NEWTON = Question(
    "newton", points=2, reference="solutions:newton",
    text=r"""
## 2. Newton's method (2 points)

Newton's step is exact only for a quadratic; on any other cost it is repeated,
$\theta_{k+1} = \theta_k - H(\theta_k)^{-1} \nabla L(\theta_k)$.

Write `newton(grad_fn, hess_fn, theta0, n_steps)`:

* `grad_fn(theta)` returns $\nabla L(\theta)$ and `hess_fn(theta)` returns $H(\theta)$;
* take exactly `n_steps` steps with your `newton_step`, starting from `theta0` (no line search, no early
  stop);
* return the **trajectory** $\theta_0, \theta_1, \dots, \theta_{n}$ as one array of shape `(n_steps + 1, d)`:
  row 0 is `theta0` itself, row $k$ the parameters after $k$ steps.

On Rosenbrock's valley from the classic start $(-1.2, 1)$, gradient descent needs thousands of steps; Newton
reaches the minimum $(1, 1)$ in six (after a wild second step out of the valley).
""",
    solution=r'''
def newton(grad_fn, hess_fn, theta0, n_steps):
    """n_steps Newton steps from theta0; returns the trajectory, shape (n_steps + 1, d)."""
    ### BEGIN SOLUTION
    theta = np.array(theta0, dtype=float)
    thetas = [theta]
    for _ in range(n_steps):
        theta = newton_step(theta, grad_fn(theta), hess_fn(theta))
        thetas.append(theta)
    return np.array(thetas)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for newton (not graded).
theta0 = np.array([-1.2, 1.0])
thetas = newton(rosenbrock_grad, rosenbrock_hess, theta0, 6)
assert np.shape(thetas) == (7, 2), (
    f"6 steps give 7 rows (theta0 and one per step), shape (7, 2); got shape {np.shape(thetas)}")
assert np.allclose(thetas[0], [-1.2, 1.0]), f"row 0 of the trajectory is theta0 itself, got {thetas[0]}"
assert np.allclose(thetas[1], [-1.1752809, 1.38067416]), (
    f"row 1 is one Newton step from (-1.2, 1): (-1.1752809, 1.38067416), got {thetas[1]}")
assert np.allclose(thetas[2], [0.76311487, -3.17503385], rtol=1e-3), (  # the grader's tolerance for newton
    f"row 2 jumps out of the valley to (0.76311487, -3.17503385), got {thetas[2]}")
assert np.allclose(thetas[6], [1.0, 1.0], rtol=0, atol=1e-6), f"after 6 steps Newton is at (1, 1), got {thetas[6]}"
assert np.array_equal(theta0, [-1.2, 1.0]), "newton changed theta0 in place"
A = np.array([[3.0, 1.0], [1.0, 2.0]])
thetas = newton(lambda t: A @ t - np.array([1.0, 1.0]), lambda t: A, np.array([4.0, -4.0]), 2)
assert np.allclose(thetas, [[4.0, -4.0], [0.2, 0.4], [0.2, 0.4]]), (
    f"on a quadratic the first step lands on the minimum (0.2, 0.4) and the second stays there; got {thetas}")
print("newton: visible tests passed")
""",
    cases=[
        case(ROSENBROCK.grad, ROSENBROCK.hess, np.array([-1.2, 1.0]), 6),
        case(QUADRATIC2.grad, QUADRATIC2.hess, np.array([3.0, -2.0]), 2),
        case(QUARTIC3.grad, QUARTIC3.hess, np.array([2.0, -1.0, 0.5]), 5),
        case(ROSENBROCK_2_10.grad, ROSENBROCK_2_10.hess, np.array([0.5, 0.0]), 4),
    ],
    mistakes=(
        one_step_short(("for _ in range(n_steps):", "for _ in range(1, n_steps):")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def newton(grad_fn, hess_fn, theta0, n_steps):
    thetas = np.zeros((n_steps + 1, len(theta0)))
    thetas[0] = theta0
    for k in range(n_steps):
        thetas[k + 1] = newton_step(thetas[k], grad_fn(thetas[k]), hess_fn(thetas[k]))
    return thetas
"""),
        alternative("alt-lists", code=r"""
def newton(grad_fn, hess_fn, theta0, n_steps):
    thetas = [theta0]
    for _ in range(n_steps):
        theta = np.asarray(thetas[-1], dtype=float)
        thetas.append(newton_step(theta, grad_fn(theta), hess_fn(theta)))
    return thetas  # a list of n_steps + 1 points
"""),
        alternative("alt-float32", code=r"""
def newton(grad_fn, hess_fn, theta0, n_steps):
    theta = np.asarray(theta0, dtype=np.float32)
    thetas = [theta]
    for _ in range(n_steps):
        theta = newton_step(theta, np.float32(grad_fn(theta)), np.float32(hess_fn(theta)))
        thetas.append(theta)
    return np.stack(thetas)
"""),
        alternative("alt-other-algebra", code=r"""
def newton(grad_fn, hess_fn, theta0, n_steps):
    theta = theta0.copy()
    path = [theta]
    k = 0
    while k < n_steps:
        theta = theta - np.linalg.solve(hess_fn(theta), grad_fn(theta))  # the step, without newton_step
        path.append(theta)
        k += 1
    return np.vstack(path)
"""),
    ),
    rtol=1e-3,  # a Newton step from a nearly singular Hessian (Rosenbrock's valley) magnifies float32 rounding
)

LBFGS_TWO_LOOP = Question(
    "lbfgs_two_loop", points=3, reference="solutions:lbfgs_two_loop",
    text=r"""
## 3. L-BFGS's two-loop recursion (3 points)

L-BFGS never forms a Hessian. It remembers the last $m$ steps and gradient changes,

$$
s_i = \theta_{i+1} - \theta_i, \qquad y_i = \nabla L(\theta_{i+1}) - \nabla L(\theta_i) \approx H s_i,
$$

and applies the inverse Hessian they imply to the gradient with the **two-loop recursion**, in $O(mN)$ time
and memory. Write `lbfgs_two_loop(grad, s_history, y_history)`, which returns $r \approx H^{-1} g$ (L-BFGS
then steps along $-r$; return $r$ itself). `s_history` and `y_history` are lists of $m$ vectors, **oldest
first** (`s_history[-1]` is the newest step):

> **input** $g$; pairs $(s_i, y_i)$ for $i = k-m, \dots, k-1$ (oldest first)\
> $q \leftarrow g$\
> **for** $i = k-1, k-2, \dots, k-m$ (**newest first**): $\rho_i \leftarrow 1 / (y_i^\top s_i)$;
> $a_i \leftarrow \rho_i\, s_i^\top q$; $q \leftarrow q - a_i\, y_i$\
> $r \leftarrow \gamma\, q$ with $\gamma = \dfrac{s_{k-1}^\top y_{k-1}}{y_{k-1}^\top y_{k-1}}$ (the newest pair:
> a guess of $H^{-1}$'s scale)\
> **for** $i = k-m, \dots, k-1$ (**oldest first**): $b \leftarrow \rho_i\, y_i^\top r$;
> $r \leftarrow r + s_i\,(a_i - b)$\
> **return** $r$

With no pairs yet ($m = 0$), $r = g$: steepest descent. Do not change `grad` or the lists in place (`q = grad`
followed by `q -= ...` changes the caller's gradient; `s_history.reverse()` changes the caller's history).
""",
    solution=r'''
def lbfgs_two_loop(grad, s_history, y_history):
    """r ~ H^{-1} grad from the curvature pairs (s_i, y_i), oldest first (two-loop recursion)."""
    ### BEGIN SOLUTION
    q = np.array(grad, dtype=float)  # a copy: grad itself must not change
    m = len(s_history)
    rho = [1.0 / (y_history[i] @ s_history[i]) for i in range(m)]
    a = [0.0] * m
    for i in reversed(range(m)):  # newest pair first
        a[i] = rho[i] * (s_history[i] @ q)
        q = q - a[i] * y_history[i]
    if m > 0:
        s, y = s_history[-1], y_history[-1]
        q = (s @ y) / (y @ y) * q  # gamma, from the newest pair
    for i in range(m):  # oldest pair first
        b = rho[i] * (y_history[i] @ q)
        q = q + (a[i] - b) * s_history[i]
    return q
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for lbfgs_two_loop (not graded).
g = np.array([1.0, -2.0, 3.0])
r = lbfgs_two_loop(g, [], [])
assert np.allclose(r, g), f"with no pairs the recursion returns g itself (steepest descent), got {r}"
r = lbfgs_two_loop(np.array([2.0, -1.0]), [np.array([1.0, 0.5])], [np.array([4.0, 1.0])])
assert not np.allclose(r, [-0.43137255, 0.2254902]), "return r ≈ H⁻¹g itself, not the search direction −r"
assert np.allclose(r, [0.43137255, -0.2254902]), (
    f"one pair (s = [1, 0.5], y = [4, 1]): r should be [0.43137, -0.22549], got {r}")
# Pairs y = A s of A = diag(1, 10, 4), oldest first.
g = np.array([1.0, 10.0, 4.0])
s_history = [np.array([1.0, 0.0, 0.0]), np.array([1.0, 1.0, 0.0])]
y_history = [np.array([1.0, 0.0, 0.0]), np.array([1.0, 10.0, 0.0])]
before = ([v.copy() for v in s_history], [v.copy() for v in y_history], g.copy())
r = lbfgs_two_loop(g, s_history, y_history)
assert not np.allclose(r, [1.0, 1.0, 4.0]), (
    "got [1, 1, 4]: the γ scaling is missing (r ← γq with γ = sᵀy / yᵀy of the newest pair, here 11/101)")
assert not np.allclose(r, [0.0, 1.0, 0.43564356]), (
    "got [0, 1, 0.43564]: your second loop runs newest pair first; it must run oldest first")
assert np.allclose(r, [1.0, 1.0, 0.43564356]), (
    f"expected [1, 1, 0.43564] (A⁻¹g = [1, 1, 1] exactly along the steps' directions), got {r}")
assert np.allclose(lbfgs_two_loop(y_history[-1], s_history, y_history), s_history[-1]), (
    "the secant condition fails: the implied H⁻¹ must map the newest y onto the newest s")
assert len(s_history) == 2 and all(np.array_equal(a, b) for a, b in zip(s_history, before[0])), (
    "lbfgs_two_loop changed s_history (reversed, popped or edited it); work on copies")
assert len(y_history) == 2 and all(np.array_equal(a, b) for a, b in zip(y_history, before[1])), (
    "lbfgs_two_loop changed y_history; work on copies")
assert np.array_equal(g, before[2]), "lbfgs_two_loop changed grad in place (q = grad; q -= ...): copy it first"
print("lbfgs_two_loop: visible tests passed")
""",
    cases=[
        case(np.array([1.0, -2.0, 3.0]), [], [], note="no pairs yet: r = g"),
        case(np.array([2.0, -1.0]), [np.array([1.0, 0.5])], [np.array([4.0, 1.0])]),
        case(np.array([1.0, 10.0, 4.0]), [np.array([1.0, 0.0, 0.0]), np.array([1.0, 1.0, 0.0])], [np.array([1.0, 0.0, 0.0]), np.array([1.0, 10.0, 0.0])], note="pairs y = As of A = diag(1, 10, 4)"),
        case(*history(3, 3, 7), note="3 parameters, 3 pairs from np.random.default_rng(7)"),
        case(*history(4, 5, 11), note="4 parameters, 5 pairs from np.random.default_rng(11)"),
    ],
    mistakes=(
        mistake("reversed-loop", "loop order reversed", "the first loop runs from the NEWEST pair back to the "
                "oldest (i = k−1, …, k−m) and the second from the OLDEST to the newest (i = k−m, …, k−1), each pair "
                "with its own aᵢ; one of your loops runs the other way",
                ("    for i in range(m):  # oldest pair first", "    for i in reversed(range(m)):")),
        mistake("missing-gamma", "missing γ scaling", "between the loops, scale by γ = sᵀy / yᵀy of the NEWEST "
                "pair (r ← γq): it is the initial guess of H⁻¹'s size; without it r has the wrong length",
                ("        q = (s @ y) / (y @ y) * q  # gamma, from the newest pair\n", "        pass\n")),
    ),
    variants=(variant("mutates-input", code=MUTATING_TWO_LOOP),),
    alternatives=(
        alternative("alt-loops", code=r"""
def lbfgs_two_loop(grad, s_history, y_history):
    pairs = list(zip(s_history, y_history))  # my own list: reversing it leaves the caller's alone
    q = grad.copy()
    alphas = []
    for s, y in reversed(pairs):  # newest first
        alpha = (s @ q) / (y @ s)
        q -= alpha * y  # in place, on my copy
        alphas.append(alpha)
    if pairs:
        s, y = pairs[-1]
        q *= (s @ y) / (y @ y)
    for (s, y), alpha in zip(pairs, reversed(alphas)):  # oldest first
        q += (alpha - (y @ q) / (y @ s)) * s
    return q
"""),
        alternative("alt-lists", code=r"""
def lbfgs_two_loop(grad, s_history, y_history):
    q = np.array(grad, dtype=float)
    m = len(s_history)
    a = {}
    for i in range(m - 1, -1, -1):
        a[i] = np.dot(s_history[i], q) / np.dot(y_history[i], s_history[i])
        q = q - a[i] * y_history[i]
    if m:
        q = q * np.dot(s_history[-1], y_history[-1]) / np.dot(y_history[-1], y_history[-1])
    for i in range(m):
        b = np.dot(y_history[i], q) / np.dot(y_history[i], s_history[i])
        q = q + (a[i] - b) * s_history[i]
    return list(q)  # a list of numpy floats
"""),
        alternative("alt-float32", code=r"""
def lbfgs_two_loop(grad, s_history, y_history):
    q = np.asarray(grad, dtype=np.float32)
    S = [np.asarray(s, dtype=np.float32) for s in s_history]
    Y = [np.asarray(y, dtype=np.float32) for y in y_history]
    rho = [1 / (y @ s) for s, y in zip(S, Y)]
    a = [None] * len(S)
    for i in reversed(range(len(S))):
        a[i] = rho[i] * (S[i] @ q)
        q = q - a[i] * Y[i]
    if S:
        q = (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1]) * q
    for i in range(len(S)):
        q = q + (a[i] - rho[i] * (Y[i] @ q)) * S[i]
    return q
"""),
        alternative("alt-other-algebra", code=r"""
def lbfgs_two_loop(grad, s_history, y_history):
    m = len(s_history)
    if m == 0:
        return np.array(grad, dtype=float)
    S, Y = np.array(s_history), np.array(y_history)  # (m, d): one pair per row, oldest first
    rho = 1 / np.einsum("ij,ij->i", S, Y)
    q = np.array(grad, dtype=float)
    a = np.zeros(m)
    for i in range(m - 1, -1, -1):
        a[i] = rho[i] * S[i] @ q
        q = q - a[i] * Y[i]
    r = q * (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])
    for i in range(m):
        r = r + S[i] * (a[i] - rho[i] * Y[i] @ r)
    return r
"""),
    ),
)

ASSIGNMENT = Assignment('second_order', INTRO, SETUP, [NEWTON_STEP, NEWTON, LBFGS_TWO_LOOP])
