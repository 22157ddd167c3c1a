"""Assignment 2 (lectures 000 and 004, book chapter 4): the gradient of the cost, the training loop, the
largest stable learning rate, the smoothed cost curve, the numeric gradient and the output-layer gradient
of lecture 004's network.

Fixed numbers. Each mistake gives a different answer from the right one on at least one case (β ≠ 0.5 for
the slide's EMA, h large enough that a forward difference shows). The default h is tested on Rosenbrock,
which is not quadratic, so a much larger default (1e-3 and up) shows.
"""

import numpy as np

from autograder.assignment import Assignment, Question, alternative, case, mistake, one_step_short, variant
from autograder.probe.objects import Bowl, Cubic, Rosenbrock

HOURS = np.array([1.0, 2.0, 3.0])
POINTS = np.array([2.0, 4.0, 6.0])
X4 = np.array([1.0, 2.0, 3.0, 4.0])
Y4 = np.array([3.0, 5.0, 7.0, 10.0])
COSTS = np.array([4.67, 3.84, 3.15, 2.59, 2.13, 1.75])  # the lecture's printed costs
NOISY = np.array([5.0, 3.0, 4.5, 2.0, 3.5, 1.0, 2.5, 0.5])
# lecture 004's network: hidden activations n6, n7 of three samples, output weights, bias, targets
LECTURE_N = np.array([[0.69657858, 0.51114952], [0.859582, 0.56898564], [0.543156, 0.90834304]])
LECTURE_W = np.array([0.5989, 0.3610])
LECTURE_B = -0.3608
LECTURE_Y = np.array([7.0, 12.0, 40.0])
SIGN = "sign-error"

INTRO = r"""
# Assignment 2: gradient descent

Lecture 000 trains the linear model $\hat y = x \cdot \omega$ on the hours-points data

| hours $x$ | 1 | 2 | 3 |
|---|---|---|---|
| points $y$ | 2 | 4 | 6 |

by **gradient descent**: start at $\omega = 1$ and repeat $\omega \leftarrow \omega - \alpha\, g$ with the
learning rate $\alpha = 0.01$ and the gradient of the cost
$\operatorname{cost}(\omega) = \frac1N \sum_{n=1}^{N} (x_n \omega - y_n)^2$,

$$
g = \frac{\partial \operatorname{cost}}{\partial \omega} = \frac1N \sum_{n=1}^{N} 2\, x_n (x_n \omega - y_n).
$$

Its printed table starts `Epoch 0 w = 1.09 cost = 4.67` and ends with `Predict (after training) 4 8.00`.

You will write six functions, each a step beyond the lecture's code: vectorized over many weights, for
many parameters, or for a whole data set. Fill in every `YOUR CODE HERE` (delete the
`raise NotImplementedError()`), then run the tests under each function. The visible tests tell you what is
wrong; your instructor's grader runs more cases, so a function that only fits the visible tests will lose
points.

Rules: use numpy (and Python's `math` for single numbers) only; no Python loops over samples or over
candidate weights (a loop over the steps of training, over the values of a curve, or over the coordinates of a
numeric gradient is fine); never change your inputs in place (`w -= ...` on an argument): work on new arrays
(changing a copy you made, with `np.array(...)` or `.copy()`, is fine).
"""

SETUP = r"""
import numpy as np

x = np.array([1.0, 2.0, 3.0])   # hours studied
y = np.array([2.0, 4.0, 6.0])   # points scored


def cost(w, x, y):  # given: assignment 1's cost, one mean squared error per candidate weight in w
    return np.mean((np.asarray(w, dtype=float)[..., None] * x - y) ** 2, axis=-1)
"""

GRADIENT = Question(
    "gradient", points=2, reference="solutions:gradient",
    text=r"""
## 1. A vectorized gradient (2 points)

Write `gradient(w, x, y)`: $\frac1N \sum_n 2 x_n (x_n \omega - y_n)$, the **mean** over the $N$ samples.
Like `cost`, `w` may be a number **or an array of candidate weights of any shape**, and the result has the
shape of `w`: one slope per candidate. At $\omega = 1$ it is $-28/3 \approx -9.33$, at $\omega = 2$ it is 0.
""",
    solution=r'''
def gradient(w, x, y):
    """d cost / d w = mean of 2 x (x w - y), for one weight or an array of weights."""
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    return np.mean(2 * x * (w[..., None] * x - y), axis=-1)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for gradient (not graded: they help you check your work).
x_before, y_before = x.copy(), y.copy()
g = gradient(1.0, x, y)
assert np.isclose(g, -28 / 3), (
    f"gradient(1.0, x, y) should be -28/3 = -9.3333, got {g}. It is the MEAN of 2*x*(x*w - y) (divide by N), "
    "and negative: the cost falls as w grows towards 2")
g = gradient(np.array([0.0, 2.0, 4.0]), x, y)
assert np.shape(g) == (3,), f"the gradient at 3 candidate weights should have shape (3,), got {np.shape(g)}"
assert np.allclose(g, [-56 / 3, 0.0, 56 / 3]), f"gradient at w = 0, 2, 4 should be [-18.667, 0, 18.667], got {g}"
assert np.shape(gradient(np.zeros((2, 5)), x, y)) == (2, 5), "a (2, 5) array of weights needs a (2, 5) result"
assert np.array_equal(x, x_before) and np.array_equal(y, y_before), "gradient changed x or y in place"
print("gradient: visible tests passed")
""",
    cases=[
        case(1.0, HOURS, POINTS),
        case(np.array([0.0, 1.0, 2.0, 3.0]), HOURS, POINTS),
        case(np.array([[0.5, 1.5, 2.5], [-1.0, 2.0, 6.0]]), HOURS, POINTS),
        case(np.array([0.0, 2.5]), X4, Y4, note="N = 4"),
    ],
    mistakes=(
        mistake("sum-instead-of-mean", "sum instead of mean (missing 1/N)",
                "your result is exactly N times the expected one: you summed over the N samples where the "
                "gradient of the cost is their mean; divide by N (or use `np.mean`)",
                ("np.mean(2 * x", "np.sum(2 * x")),
    ),
    alternatives=(
        alternative("alt-lists", code=r"""
def gradient(w, x, y):
    slopes = np.mean(2 * x * (np.asarray(w, dtype=float)[..., None] * x - y), axis=-1)
    return slopes.tolist()  # a Python float for one weight, nested lists for an array of weights
"""),
        alternative("alt-float32", code=r"""
def gradient(w, x, y):
    w = np.asarray(w, dtype=np.float32)
    x, y = np.float32(x), np.float32(y)
    return np.mean(2 * x * (w[..., None] * x - y), axis=-1)
"""),
        alternative("alt-other-algebra", code=r"""
def gradient(w, x, y):
    # mean(2 x (x w - y)) = 2 (mean(x^2) w - mean(x y)): broadcasts over w of any shape
    return 2 * (np.asarray(w, dtype=float) * np.mean(x * x) - np.mean(x * y))
"""),
        alternative("alt-loops", code=r"""
def gradient(w, x, y):
    terms = 2 * np.multiply.outer(w, x) * x - 2 * x * y  # 2 x^2 w - 2 x y
    return np.asarray(np.sum(terms, axis=-1) / len(x))  # a 0-d array for one weight
"""),
    ),
)

TRAIN = Question(
    "train", points=3, reference="solutions:train",
    text=r"""
## 2. The training loop (3 points)

Write `train(w0, x, y, lr, n_steps)`: gradient descent from `w0`, exactly `n_steps` updates
$\omega \leftarrow \omega - \alpha\, g(\omega)$ with $\alpha$ = `lr`. Return a tuple `(ws, costs)`:

* `ws[t]` is the weight after `t` updates, so `ws[0]` is `w0` and there are `n_steps + 1` entries;
* `costs[t]` is `cost(ws[t], x, y)`.

`w0` may also be an **array of starting weights**: train them all at once (one update of the whole array
per step), so `ws` has shape `(n_steps + 1, *np.shape(w0))`. Use your `gradient`; `np.array(list_of_arrays)`
stacks the steps. With the lecture's numbers, `ws[1]` is 1.09 and `costs[0]` is 4.67 (the slide prints the
cost *before* each update next to the weight *after* it).
""",
    solution=r'''
def train(w0, x, y, lr, n_steps):
    """Gradient descent: returns (ws, costs), with ws[0] = w0 and one more entry per update."""
    ### BEGIN SOLUTION
    w = np.asarray(w0, dtype=float)
    ws = [w]
    for _ in range(n_steps):
        w = w - lr * gradient(w, x, y)
        ws.append(w)
    ws = np.array(ws)
    return ws, cost(ws, x, y)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for train (not graded).
ws, costs = train(1.0, x, y, 0.01, 100)
assert np.shape(ws) == (101,) and np.shape(costs) == (101,), (
    f"100 steps give 101 weights (w0 and one per update), got shapes {np.shape(ws)} and {np.shape(costs)}: "
    "check your loop runs exactly n_steps times and that ws starts with w0")
assert np.allclose(np.round(ws[:4], 2), [1.0, 1.09, 1.18, 1.25]), (
    f"the lecture's weights after 0, 1, 2, 3 updates are 1.00, 1.09, 1.18, 1.25, got {np.round(ws[:4], 4)}. "
    "Is it w - lr * gradient (minus: against the slope), with lr applied once?")
assert np.allclose(np.round(costs[:3], 2), [4.67, 3.84, 3.15]), f"costs should start 4.67, 3.84, 3.15, got {costs[:3]}"
assert np.isclose(ws[-1], 2.0, atol=1e-3), f"after 100 steps w should be 2.00 (Predict 4 -> 8.00), got {ws[-1]}"
w0 = np.array([0.0, 4.0])
ws, costs = train(w0, x, y, 0.05, 3)
assert np.shape(ws) == (4, 2), f"two starting weights, 3 steps: ws should have shape (4, 2), got {np.shape(ws)}"
assert np.allclose(ws[1], [0.933333, 3.066667]), f"one step from w0 = [0, 4] with lr=0.05 gives [0.9333, 3.0667], got {ws[1]}"
assert np.array_equal(w0, [0.0, 4.0]), "train changed w0 in place"
print("train: visible tests passed")
""",
    cases=[
        case(1.0, HOURS, POINTS, 0.01, 10, note="the lecture's run"),
        case(np.array([0.0, 1.0, 4.0]), HOURS, POINTS, 0.05, 6),
        case(np.array([[0.5, 3.0], [-1.0, 2.5]]), X4, Y4, 0.02, 2),
        case(1.0, HOURS, POINTS, 0.25, 4, note="beyond 3/14: diverges"),
    ],
    mistakes=(
        one_step_short(("range(n_steps)", "range(n_steps - 1)"), holds="w0 and the n_steps weights after it"),
        mistake(SIGN, "sign error", "you moved along the gradient (w + lr·g) instead of against it (w − lr·g)",
                ("w = w - lr * gradient", "w = w + lr * gradient")),
    ),
    variants=(
        variant("mutates-input", ("ws = [w]", "ws = [w.copy()]"), (
            "        w = w - lr * gradient(w, x, y)\n        ws.append(w)",
            "        w -= lr * gradient(w, x, y)  # in place: w is w0 itself when w0 is a float array\n"
            "        ws.append(w.copy())")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def train(w0, x, y, lr, n_steps):
    w = np.array(w0, dtype=float)  # a copy: updating it in place leaves w0 as it was
    ws = np.empty((n_steps + 1,) + w.shape)
    costs = np.empty_like(ws)
    for t in range(n_steps + 1):
        ws[t] = w
        costs[t] = cost(w, x, y)
        w -= lr * gradient(w, x, y)
    return ws, costs
"""),
        alternative("alt-lists", code=r"""
def train(w0, x, y, lr, n_steps):
    ws = [w0]
    w = w0
    for _ in range(n_steps):
        w = w - lr * np.asarray(gradient(w, x, y))
        ws.append(w)
    return ws, [cost(w, x, y) for w in ws]  # lists: of numbers, or of arrays when w0 is an array
"""),
        alternative("alt-float32", code=r"""
def train(w0, x, y, lr, n_steps):
    x, y = np.float32(x), np.float32(y)
    w = np.asarray(w0, dtype=np.float32)
    ws = [w]
    for _ in range(n_steps):
        w = w - np.float32(lr) * gradient(w, x, y)
        ws.append(w)
    ws = np.array(ws)
    return ws, cost(ws, x, y)
"""),
        alternative("alt-other-algebra", code=r"""
def train(w0, x, y, lr, n_steps):
    w = np.asarray(w0, dtype=float)
    ws, costs = [], []
    for step in range(n_steps + 1):
        ws.append(w)
        costs.append(cost(w, x, y))
        if step < n_steps:
            w = w + (-lr) * gradient(w, x, y)
    return np.stack(ws), np.stack(costs)
"""),
    ),
    fields=('ws', 'costs'),
)

MAX_STABLE_LR = Question(
    "max_stable_lr", points=2, reference="solutions:max_stable_lr",
    text=r"""
## 3. The largest stable learning rate (2 points)

For the lecture's cost, each step multiplies the distance to the minimum by $r = 1 - 2\alpha\,\overline{x^2}$
($\overline{x^2}$ is the mean of $x_n^2$), so gradient descent converges if and only if
$\alpha < 1/\overline{x^2} = 3/14 \approx 0.214$ and diverges beyond.

Now generalise to many parameters. For features $X$ of shape $(N, d)$ (one row per sample) and the
least-squares cost $L(\theta) = \frac1N \lVert X\theta - y\rVert^2$, the Hessian is $H = \frac2N X^\top X$.
Along each eigenvector of $H$ a step multiplies the error by $1 - \alpha\lambda_i$, so GD converges if and
only if

$$
\alpha < \frac{2}{\lambda_{\max}(H)} = \frac{N}{\lambda_{\max}(X^\top X)} .
$$

Write `max_stable_lr(x)` returning that threshold as a float. `x` is either the lecture's 1-D array of
inputs (then it must give $1/\overline{x^2}$) or an `(N, d)` matrix. Hint: `np.linalg.eigvalsh` gives the
eigenvalues of a symmetric matrix.
""",
    solution=r'''
def max_stable_lr(x):
    """N / lambda_max(X^T X): gradient descent on the mean squared error converges below this learning rate."""
    ### BEGIN SOLUTION
    X = np.asarray(x, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    return float(X.shape[0] / np.linalg.eigvalsh(X.T @ X).max())
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for max_stable_lr (not graded).
lr_max = max_stable_lr(x)
assert np.isclose(lr_max, 3 / 14), (
    f"for x = [1, 2, 3] the threshold is 1/mean(x**2) = 3/14 = 0.2143, got {lr_max}. "
    "(Twice that? The Hessian is (2/N) X^T X. N times smaller? Use the mean, not the sum.)")
X = np.array([[1.0, 0.0], [0.0, 2.0]])
assert np.isclose(max_stable_lr(X), 0.5), (
    f"X = [[1, 0], [0, 2]]: N = 2 and the eigenvalues of X^T X are 1 and 4, so the threshold is 2/4 = 0.5; "
    f"got {max_stable_lr(X)}")
below, above = train(1.0, x, y, 0.99 * lr_max, 1000)[0][-1], train(1.0, x, y, 1.01 * lr_max, 1000)[0][-1]
assert np.isclose(below, 2.0) and abs(above - 2.0) > 1e3, "just below the threshold GD converges, just above it diverges"
print("max_stable_lr: visible tests passed")
""",
    cases=[
        case(HOURS, note="the lecture's 3/14"),
        case(X4),
        case(np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [2.0, -1.0]]), note="N = 4, d = 2"),
        case(np.array([[1.0, 2.0, 0.5], [0.0, 1.0, -1.0], [3.0, 0.0, 1.0], [1.0, -1.0, 2.0], [2.0, 1.0, 0.0]])),
    ],
    mistakes=(
        mistake("hessian-factor", "the Hessian's factor 2 left out",
                "your threshold is twice the right one: the Hessian of (1/N)‖Xθ − y‖² is H = (2/N)XᵀX, and GD "
                "converges for η < 2/λ_max(H) = N/λ_max(XᵀX)", ("float(X.shape[0] /", "float(2 * X.shape[0] /")),
    ),
    alternatives=(
        alternative("alt-lists", code=r"""
def max_stable_lr(x):
    X = np.asarray(x, dtype=float)
    X = X.reshape(len(X), -1)  # (N,) -> (N, 1); (N, d) stays
    lam = np.linalg.eigvalsh(X.T @ X)[-1]  # eigvalsh sorts the eigenvalues in ascending order
    return len(X) / lam  # a numpy float64
"""),
        alternative("alt-float32", code=r"""
def max_stable_lr(x):
    X = np.asarray(x, dtype=np.float32)
    if X.ndim == 1:
        return 1 / np.mean(X**2)
    return X.shape[0] / np.linalg.eigvalsh(X.T @ X).max()
"""),
        alternative("alt-other-algebra", code=r"""
def max_stable_lr(x):
    X = np.asarray(x, dtype=float)
    if X.ndim == 1:
        return float(len(X) / (X @ X))  # 1 / mean(x^2)
    H = 2 / len(X) * X.T @ X
    return 2 / np.linalg.norm(H, 2)  # the spectral norm of a symmetric PSD matrix is its largest eigenvalue
"""),
        alternative("alt-loops", code=r"""
def max_stable_lr(x):
    X = np.asarray(x, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    sigma = np.linalg.svd(X, compute_uv=False)  # singular values of X: sigma^2 are the eigenvalues of X^T X
    return np.asarray(X.shape[0] / sigma[0] ** 2)
"""),
    ),
)

EMA = Question(
    "ema", points=2, reference="solutions:ema",
    text=r"""
## 4. Smoothing the cost curve (2 points)

A noisy cost curve $C_0, C_1, \dots$ is easier to read smoothed by an exponential moving average
(指数加权均值). The slide writes $C'_i = \beta C_i + (1-\beta) C_{i-1}$, but that is a typo: it mixes only
the two latest raw costs. The moving average feeds the **smoothed** value back:

$$
C'_0 = C_0, \qquad C'_i = \beta\, C'_{i-1} + (1 - \beta)\, C_i \quad (i \ge 1).
$$

With `bias_correction=True` it starts at $m_0 = 0$ instead, updates $m_t = \beta m_{t-1} + (1-\beta) C_{t-1}$
for $t = 1, 2, \dots$ and returns $\hat m_t = m_t / (1 - \beta^t)$, exactly Adam's $\hat m$.

Write `ema(values, beta, bias_correction=False)` returning the smoothed curve as an array of the same length
as `values`.
""",
    solution=r'''
def ema(values, beta, bias_correction=False):
    """The exponential moving average C'_i = beta C'_{i-1} + (1 - beta) C_i of a 1-D sequence."""
    ### BEGIN SOLUTION
    values = np.asarray(values, dtype=float)
    out = np.empty_like(values)
    m = 0.0 if bias_correction else values[0]
    for i in range(len(values)):
        m = beta * m + (1 - beta) * values[i]
        out[i] = m
    if bias_correction:
        out = out / (1 - beta ** np.arange(1, len(values) + 1))
    return out
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for ema (not graded).
s = ema([1.0, 2.0, 3.0], 0.5)
assert np.allclose(s, [1.0, 1.5, 2.25]), (
    f"ema([1, 2, 3], 0.5) should be [1, 1.5, 2.25], got {s}. ([1, 1.5, 2.5] is the slide's typo: feed the "
    "SMOOTHED value back, C'_i = beta * C'_(i-1) + (1 - beta) * C_i)")
s = ema([1.0, 2.0, 3.0], 0.9)
assert np.allclose(s, [1.0, 1.1, 1.29]), f"ema([1, 2, 3], 0.9) should be [1, 1.1, 1.29] (beta weighs the OLD average), got {s}"
s = ema([1.0, 2.0, 3.0], 0.5, bias_correction=True)
assert np.allclose(s, [1.0, 5 / 3, 17 / 7]), (
    f"with bias correction ema([1, 2, 3], 0.5) is [1, 1.6667, 2.4286] (m/(1 - beta**t), t from 1), got {s}")
print("ema: visible tests passed")
""",
    cases=[
        case(COSTS, 0.9),
        case(np.array([1.0, 2.0, 3.0]), 0.5),
        case(NOISY, 0.7),
        case(COSTS, 0.9, True),
        case(NOISY, 0.7, bias_correction=True),
    ],
    mistakes=(
        mistake("ema-slide-typo", "the slide's EMA recurrence",
                "you used the slide's C'ᵢ = βCᵢ + (1 − β)Cᵢ₋₁, which mixes two raw costs and forgets everything "
                "older; feed the smoothed value back: C'ᵢ = βC'ᵢ₋₁ + (1 − β)Cᵢ",
                ("    out = np.empty_like(values)",
                 "    return np.concatenate([values[:1], beta * values[1:] + (1 - beta) * values[:-1]])\n"
                 "    out = np.empty_like(values)")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def ema(values, beta, bias_correction=False):
    if bias_correction:
        out, m = [], 0.0
        for t, value in enumerate(values, start=1):
            m = beta * m + (1 - beta) * value
            out.append(m / (1 - beta**t))  # the correction, step by step
        return np.array(out)
    out = np.array(values, dtype=float)  # a copy, smoothed in place
    for i in range(1, len(out)):
        out[i] = beta * out[i - 1] + (1 - beta) * out[i]
    return out
"""),
        alternative("alt-lists", code=r"""
import math


def ema(values, beta, bias_correction=False):
    smoothed = []
    m = 0 if bias_correction else values[0]
    for t in range(1, len(values) + 1):
        m = m + (1 - beta) * (values[t - 1] - m)  # the same average, written as a correction of m
        smoothed.append(m / (1 - math.pow(beta, t)) if bias_correction else m)
    return smoothed  # a list of floats
"""),
        alternative("alt-float32", code=r"""
def ema(values, beta, bias_correction=False):
    values = np.asarray(values, dtype=np.float32)
    beta = np.float32(beta)
    out = np.zeros_like(values)
    m = np.float32(0) if bias_correction else values[0]
    for i in range(len(values)):
        m = beta * m + (1 - beta) * values[i]
        out[i] = m
    if bias_correction:
        out = out / (1 - beta ** np.arange(1, len(values) + 1, dtype=np.float32))
    return out
"""),
        alternative("alt-other-algebra", code=r"""
def ema(values, beta, bias_correction=False):
    # no loop: C'_i = beta^i C_0 + (1 - beta) sum_{1 <= k <= i} beta^(i-k) C_k, a lower-triangular product
    values = np.asarray(values, dtype=float)
    i = np.arange(len(values))
    powers = np.tril(beta ** np.maximum(i[:, None] - i[None, :], 0))
    if bias_correction:
        return (1 - beta) * powers @ values / (1 - beta ** (i + 1))
    weights = (1 - beta) * powers
    weights[:, 0] = beta**i
    return weights @ values
"""),
    ),
)

NUMERICAL_GRADIENT = Question(
    "numerical_gradient", points=2, reference="solutions:numerical_gradient",
    text=r"""
## 5. Checking a gradient numerically (2 points)

Lecture 003: the analytic gradient is exact and fast but easy to get wrong; the numeric one is slow but easy
to write, so check one against the other. Write `numerical_gradient(f, theta, h=1e-5)` for a scalar
function `f` of an array `theta` **of any shape**, with central differences, one coordinate at a time:

$$
\frac{\partial f}{\partial \theta_i} \approx \frac{f(\theta + h\, e_i) - f(\theta - h\, e_i)}{2h},
$$

where $e_i$ is 1 at coordinate $i$ and 0 elsewhere. Return an array of the shape of `theta`. Do not change
`theta` in place (build $\theta \pm h e_i$ as new arrays); `np.ndindex(theta.shape)` walks all coordinates.
Compute in float64 (numpy's default): with $h = 10^{-5}$ the difference of two costs keeps only a few digits
in float32, and this function is checked to a relative $10^{-6}$.
""",
    solution=r'''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences (f(theta + h e_i) - f(theta - h e_i)) / (2h), coordinate by coordinate."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (float(f(theta + step)) - float(f(theta - step))) / (2 * h)
    return grad
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for numerical_gradient (not graded).
square = lambda t: float((t ** 2).sum())
g = numerical_gradient(square, np.array([1.0, -2.0]), h=0.01)
assert np.allclose(g, [2.0, -4.0]), (
    f"the gradient of sum(theta**2) at [1, -2] is [2, -4] (central differences are exact here), got {g}. "
    "[2.01, -3.99] means a one-sided difference; [4, -8] means you divided by h instead of 2h")
g = numerical_gradient(lambda t: float((t ** 3).sum()), np.array([[1.0, 2.0], [0.0, -1.0]]), h=0.1)
assert np.shape(g) == (2, 2), f"theta of shape (2, 2) needs a gradient of shape (2, 2), got {np.shape(g)}"
assert np.allclose(g, [[3.01, 12.01], [0.01, 3.01]]), f"3 theta**2 + h**2 expected, got {g}"
# the gradient check: your analytic gradient of part 1 against the numeric one
for w in (0.0, 1.0, 3.5):
    numeric = numerical_gradient(lambda t: float(cost(t[0], x, y)), np.array([w]))[0]
    analytic = float(gradient(w, x, y))
    assert abs(numeric - analytic) <= 1e-6 * max(1.0, abs(analytic)), (
        f"at w = {w} your gradient() gives {analytic} but the numeric gradient of cost is {numeric}")
print("numerical_gradient: visible tests passed")
""",
    cases=[
        case(Bowl([0.0, 0.0]), np.array([1.0, -2.0]), 0.01, note="f(θ) = Σ θᵢ²"),
        case(Bowl([2.0], [14 / 3]), np.array([1.0]), note="the lecture's cost (14/3)(ω − 2)², default h"),
        case(Rosenbrock(), np.array([-1.0, 1.5]), 0.001),
        case(Cubic(), np.array([[1.0, 0.5], [-1.0, 2.0]]), 0.1, note="f(θ) = Σ θᵢⱼ³ + θ₀₁θ₁₀"),
        case(Rosenbrock(), np.array([0.5, 0.5]), note="default h"),
    ],
    mistakes=(
        mistake("forward-difference", "forward difference",
                "you used the one-sided (f(θ + h eᵢ) − f(θ))/h, whose error is O(h); the central difference "
                "(f(θ + h eᵢ) − f(θ − h eᵢ))/(2h) is O(h²)",
                ("(float(f(theta + step)) - float(f(theta - step))) / (2 * h)",
                 "(float(f(theta + step)) - float(f(theta))) / h")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def numerical_gradient(f, theta, h=1e-5):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros(theta.size)
    for i in range(theta.size):
        plus = theta.flatten()  # flatten copies: changing it in place leaves theta alone
        minus = theta.flatten()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus.reshape(theta.shape)) - f(minus.reshape(theta.shape))) / (2 * h)
    return grad.reshape(theta.shape)
"""),
        alternative("alt-lists", code=r"""
def numerical_gradient(f, theta, h=1e-5):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros_like(theta)
    for i, _ in np.ndenumerate(theta):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return grad.tolist()  # nested lists of the shape of theta
"""),
        alternative("alt-other-algebra", code=r"""
def numerical_gradient(f, theta, h=1e-5):
    theta = np.asarray(theta, dtype=float)
    steps = h * np.eye(theta.size).reshape((theta.size,) + theta.shape)  # h e_i, one per coordinate
    diffs = np.array([f(theta + e) - f(theta - e) for e in steps])
    return (0.5 / h * diffs).reshape(theta.shape)
"""),
    ),
    rtol=1e-6,
    atol=1e-7,
)

LAST_LAYER_GRADIENT = Question(
    "last_layer_gradient", points=2, reference="solutions:last_layer_gradient",
    text=r"""
## 6. The gradient of a small network's output layer (2 points)

Lecture 004 practises the chain rule on a small network. Its output is
$\hat y = w_{6y}\, n_6 + w_{7y}\, n_7 + b$ from the hidden activations $n_6, n_7$ of each sample, and the loss
is the mean squared error $L = \frac1N \sum_n (y_n - \hat y_n)^2$. By the chain rule

$$
\frac{\partial L}{\partial w_{6y}} = \frac1N \sum_n -2\,(y_n - \hat y_n)\, n_{6,n},
\qquad
\frac{\partial L}{\partial b} = \frac1N \sum_n -2\,(y_n - \hat y_n).
$$

The lecture's table, with $w_{6y} = 0.5989$, $w_{7y} = 0.361$, $b = -0.3608$:

| $n_6$ | $n_7$ | $\hat y$ | $y$ |
|---|---|---|---|
| 0.69657858 | 0.51114952 | 0.24090589 | 7 |
| 0.859582 | 0.56898564 | 0.35940748 | 12 |
| 0.543156 | 0.90834304 | 0.29240797 | 40 |

and its "Gradient n6" is $\partial L / \partial w_{6y} \approx -24.19$.

Write `last_layer_gradient(n, w, b, y)` for **any number of hidden units** $K$: `n` has shape $(N, K)$ (one
row of activations per sample), `w` shape $(K,)$, `b` is a number and `y` has shape $(N,)$. Return
`(dw, db)`: `dw[k]` $= \partial L / \partial w_k$ as an array of shape $(K,)$, and `db` as a float. No loops:
`n.T @ something` sums over the samples.
""",
    solution=r'''
def last_layer_gradient(n, w, b, y):
    """(dL/dw, dL/db) of the output layer y_hat = n @ w + b under the mean squared error."""
    ### BEGIN SOLUTION
    n, w, y = np.asarray(n, dtype=float), np.asarray(w, dtype=float), np.asarray(y, dtype=float)
    dl_dyhat = -2 * (y - (n @ w + b))
    return n.T @ dl_dyhat / len(y), float(np.mean(dl_dyhat))
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for last_layer_gradient (not graded).
n = np.array([[0.69657858, 0.51114952], [0.859582, 0.56898564], [0.543156, 0.90834304]])
dw, db = last_layer_gradient(n, np.array([0.5989, 0.361]), -0.3608, np.array([7.0, 12.0, 40.0]))
assert np.shape(dw) == (2,), f"two hidden units: dw should have shape (2,), got {np.shape(dw)}"
assert np.isclose(dw[0], -24.1878, atol=1e-3), (
    f"the lecture's dL/dw6y is -24.19, got {dw[0]}. (+24.19: a sign error, the derivative of (y - y_hat)**2 "
    "by y_hat is -2 (y - y_hat). -72.56: the sum, not the mean. -12.09: the 2 left out.)")
assert np.isclose(dw[1], -30.7642, atol=1e-3), f"dL/dw7y should be -30.76, got {dw[1]}"
assert np.isclose(db, -38.7382, atol=1e-3), f"dL/db should be -38.74 (the mean of -2 (y - y_hat)), got {db}"
print("last_layer_gradient: visible tests passed")
""",
    cases=[
        case(LECTURE_N, LECTURE_W, LECTURE_B, LECTURE_Y, note="lecture 004's network"),
        case(np.array([[0.2, 0.9, 0.4], [0.7, 0.1, 0.5], [0.3, 0.3, 0.8], [0.9, 0.6, 0.1]]), np.array([1.0, -0.5, 2.0]), 0.25, np.array([1.0, 0.0, 2.0, -1.0])),
        case(np.array([[0.5, 0.25]]), np.array([2.0, -4.0]), 1.0, np.array([3.0]), note="one sample"),
    ],
    mistakes=(
        mistake(SIGN, "sign error", "your result has the opposite sign of the expected one: check the sign of each "
                "term of the derivative (d/dŷ (y − ŷ)² = −2(y − ŷ))", ("dl_dyhat = -2 * (y", "dl_dyhat = 2 * (y")),
    ),
    alternatives=(
        alternative("alt-lists", code=r"""
def last_layer_gradient(n, w, b, y):
    n, w, y = np.asarray(n, dtype=float), np.asarray(w, dtype=float), np.asarray(y, dtype=float)
    r = -2 * (y - (n @ w + b))
    return [(n.T @ r / len(y)).tolist(), np.mean(r)]  # a list [dw as a list, db as a numpy float]
"""),
        alternative("alt-float32", code=r"""
def last_layer_gradient(n, w, b, y):
    n, w, y = np.float32(n), np.float32(w), np.float32(y)
    dl_dyhat = -2 * (y - (n @ w + np.float32(b)))
    return n.T @ dl_dyhat / len(y), np.mean(dl_dyhat)
"""),
        alternative("alt-other-algebra", code=r"""
def last_layer_gradient(n, w, b, y):
    r = 2 * (n @ w + b - y)  # dL/dy_hat of each sample, times N
    return np.mean(r[:, None] * n, axis=0), float(r.mean())
"""),
        alternative("alt-loops", code=r"""
def last_layer_gradient(n, w, b, y):
    residual = n @ w + b - y
    dw = np.einsum("nk,n->k", n, 2 * residual) / len(y)
    db = np.sum(2 * residual) / len(y)
    return dw, np.asarray(db)  # db as a 0-d array
"""),
    ),
    md_id="last_layer_md",
    visible_id="last_layer_visible",
    fields=('dw', 'db'),
)

ASSIGNMENT = Assignment('gd', INTRO, SETUP, [GRADIENT, TRAIN, MAX_STABLE_LR, EMA, NUMERICAL_GRADIENT, LAST_LAYER_GRADIENT])
