"""Assignment 3 (lectures 002 and 003, book chapters 5 and 6): mini-batches reshuffled every epoch, one epoch
of mini-batch SGD on least squares, and the loop over epochs.

Shuffling must be reproducible: a case that needs randomness carries a ``SeededRng``, a
``np.random.Generator`` that copies itself fresh from its seed, so the student's function and the reference
draw the same permutations. ``run_epochs`` takes the ``seed`` itself. The lecture's data is fitted exactly by
a single weight, so its one-feature updates commute and the order of its samples never shows: "in order"
(no rng, no seed) is also tested on two- and three-feature data, and ``seed=0`` with mini-batches, where
``if seed:`` (0 taken for no seed) gives another answer.
"""

import numpy as np

from autograder.assignment import Assignment, Question, alternative, case, mistake, variant
from autograder.probe.objects import SeededRng

HOURS_X = np.array([[1.0], [2.0], [3.0]])
POINTS = np.array([2.0, 4.0, 6.0])


def regression(n, d, seed):
    """A small least-squares data set with 2-decimal numbers: X (n, d), y = X [1, -2, 3, ...] + noise."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, d)), 2)
    y = np.round(X @ (np.arange(1, d + 1) * (-1.0) ** np.arange(d)) + 0.1 * rng.normal(size=n), 2)
    return X, y


REG6, REG8, REG10 = regression(6, 2, 1), regression(8, 2, 2), regression(10, 3, 3)
SUM_NOT_MEAN = "sum instead of mean over the batch (missing 1/|B|)"

INTRO = r"""
# Assignment 3: SGD and mini-batches

Gradient descent computes the gradient of the cost over **all** $N$ samples before each step. Lecture 000's
SGD updates after **every single sample** instead, on the loss of that sample: starting at $\omega = 1$
with $\alpha = 0.01$ on the hours-points data, its first epoch prints `progress: 0 w= 1.260688`, where one
step of GD only reaches 1.09. Between the two extremes lie **mini-batches** (lectures 003 and 004): cut the
$N$ samples into batches $\mathcal B$ of $B$ samples (the batch size), and step once per batch with the
*average* gradient over the batch,

$$
g_{\mathcal B}(\theta) = \frac{1}{|\mathcal B|} \sum_{n \in \mathcal B} \nabla L^n(\theta),
\qquad
\theta \leftarrow \theta - \eta\, g_{\mathcal B}(\theta).
$$

One pass over the data is an **epoch**, with $\lceil N/B \rceil$ updates. $B = 1$ is SGD; $B = N$ is
gradient descent. Before every epoch the data set is **shuffled**, so that each epoch sees different batches.

Here the model is least squares with several parameters: features $X$ of shape $(N, d)$, one row $x_n$ per
sample, targets $y$ of shape $(N,)$ and the cost $L(\theta) = \frac1N \lVert X\theta - y\rVert^2$. The
gradient over a batch is then

$$
g_{\mathcal B}(\theta) = \frac{2}{|\mathcal B|} X_{\mathcal B}^\top (X_{\mathcal B}\,\theta - y_{\mathcal B}),
$$

where $X_{\mathcal B}$ and $y_{\mathcal B}$ are the rows of the batch (`X[batch]`, `y[batch]`). The lecture's
model is the case $d = 1$, $X = [[1], [2], [3]]$.

You will write three functions. Fill in every `YOUR CODE HERE` (delete the `raise NotImplementedError()`),
then run the tests under each function. The visible tests tell you what is wrong; your instructor's grader
runs more cases, so a function that only fits the visible tests will lose points.

Rules: numpy (and Python's `math` for single numbers) only; no Python loop over the samples of a batch (loops
over batches and epochs are fine); never change your inputs in place (`theta -= ...` on an argument): work on
new arrays (changing a copy you made, with `np.array(...)` or `.copy()`, is fine).
"""

SETUP = r"""
import numpy as np

# the lecture's data as a one-feature least-squares problem
X = np.array([[1.0], [2.0], [3.0]])   # hours studied, one row per sample
y = np.array([2.0, 4.0, 6.0])         # points scored

# a small two-feature data set, fitted exactly by theta = [1, -2]
Xr = np.array([[1.0, 0.5], [0.2, -1.0], [-0.7, 0.3], [1.5, 1.0], [0.0, 2.0], [-1.2, -0.4]])
yr = np.array([0.0, 2.2, -1.3, -0.5, -4.0, -0.4])
"""

BATCHES = Question(
    "batches", points=2, reference="solutions:batches",
    text=r"""
## 1. The batches of one epoch (2 points)

Write `batches(n_samples, batch_size, rng=None)`: the index arrays of one epoch's mini-batches, as a
**list** of integer arrays.

* Without `rng`, the samples go in order: `batches(5, 2)` is `[array([0, 1]), array([2, 3]), array([4])]`.
  The last batch may be smaller; it is never dropped, so every sample is used once per epoch.
* With an `rng` (a `np.random.Generator`), shuffle first: take the order `rng.permutation(n_samples)`
  (exactly one call, so that your batches match the grader's) and cut **it** into consecutive batches.
  Calling `batches` again with the same generator gives the next epoch a fresh permutation.
""",
    solution=r'''
def batches(n_samples, batch_size, rng=None):
    """The index arrays of one epoch's mini-batches (shuffled by rng when given; the last may be smaller)."""
    ### BEGIN SOLUTION
    order = rng.permutation(n_samples) if rng is not None else np.arange(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for batches (not graded: they help you check your work).
b = batches(5, 2)
assert isinstance(b, (list, tuple, np.ndarray)), (
    f"batches should return a list of index arrays, got a {type(b).__name__}: wrap a generator in list(...)")
assert [list(map(int, i)) for i in b] == [[0, 1], [2, 3], [4]], (
    f"batches(5, 2) should be [[0, 1], [2, 3], [4]], got {[list(map(int, i)) for i in b]}: in order, the last "
    "batch smaller (not dropped)")
rng = np.random.default_rng(0)
first, second = batches(10, 4, rng), batches(10, 4, rng)
assert [list(map(int, i)) for i in first] == [[4, 6, 2, 7], [3, 5, 9, 0], [8, 1]], (
    f"with np.random.default_rng(0), batches(10, 4, rng) should be [[4, 6, 2, 7], [3, 5, 9, 0], [8, 1]], got "
    f"{[list(map(int, i)) for i in first]}: cut rng.permutation(10) into batches of 4")
assert [list(map(int, i)) for i in second] == [[2, 9, 3, 6], [0, 4, 8, 7], [5, 1]], (
    "the second epoch, from the same generator, should be a fresh permutation [[2, 9, 3, 6], [0, 4, 8, 7], [5, 1]]")
assert sorted(int(i) for batch in second for i in batch) == list(range(10)), "every sample once per epoch"
print("batches: visible tests passed")
""",
    cases=[
        case(5, 2, note="no rng: in order"),
        case(10, 4, SeededRng(0)),
        case(6, 3, SeededRng(42)),
        case(7, 7, SeededRng(1), note="one full batch"),
        case(7, 1, note="SGD in order"),
    ],
    mistakes=(
        mistake("not-shuffled", "not shuffled", "your batches take the samples in order: when `rng` is given, draw "
                "the order with rng.permutation(n_samples) and cut it into batches",
                ("rng.permutation(n_samples) if rng is not None else np.arange(n_samples)", "np.arange(n_samples)")),
        mistake("drops-last-batch", "last batch dropped", "your epoch leaves out the last, smaller mini-batch; "
                "every sample must be visited once per epoch, so keep the remainder as a smaller last batch",
                ("range(0, n_samples, batch_size)", "range(0, n_samples - batch_size + 1, batch_size)")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def batches(n_samples, batch_size, rng=None):
    order = np.arange(n_samples) if rng is None else rng.permutation(n_samples)
    out, start = [], 0
    while start < n_samples:
        out.append(order[start:start + batch_size])
        start += batch_size
    return out
"""),
        alternative("alt-lists", code=r"""
def batches(n_samples, batch_size, rng=None):
    order = np.arange(n_samples)
    if rng is not None:
        rng.shuffle(order)  # shuffles my own arange in place: the same order as rng.permutation(n_samples)
    return [order[i:i + batch_size].tolist() for i in range(0, n_samples, batch_size)]  # lists of ints
"""),
        alternative("alt-other-algebra", code=r"""
import math


def batches(n_samples, batch_size, rng=None):
    order = rng.permutation(n_samples) if rng else np.arange(n_samples)
    n_batches = math.ceil(n_samples / batch_size)
    return np.array_split(order, [k * batch_size for k in range(1, n_batches)])
"""),
        alternative("alt-float32", code=r"""
def batches(n_samples, batch_size, rng=None):
    order = np.arange(n_samples, dtype=np.int32) if rng is None else rng.permutation(n_samples)
    return tuple(np.split(order, np.arange(batch_size, n_samples, batch_size)))  # a tuple of arrays
"""),
    ),
)

SGD_EPOCH = Question(
    "sgd_epoch", points=3, reference="solutions:sgd_epoch",
    text=r"""
## 2. One epoch of mini-batch SGD (3 points)

Write `sgd_epoch(theta, X, y, lr, batch_size, rng=None)`: one epoch over the batches of your `batches(N,
batch_size, rng)`, with one update $\theta \leftarrow \theta - \eta\, g_{\mathcal B}(\theta)$ per batch
($\eta$ = `lr`) and the batch gradient $\frac{2}{|\mathcal B|} X_{\mathcal B}^\top (X_{\mathcal B}\theta -
y_{\mathcal B})$, the **mean** over the batch (divide by the size of *this* batch: the last one may be
smaller). Return the new $\theta$ (an array of shape `(d,)`) and leave the `theta` you were given unchanged.

With `batch_size=1` and no `rng` this is the lecture's SGD: from $\theta = [1]$ one epoch gives 1.260688.
With `batch_size=N` it is one step of gradient descent: 1.093333, the 1.09 of the GD table.
""",
    solution=r'''
def sgd_epoch(theta, X, y, lr, batch_size, rng=None):
    """One epoch of mini-batch SGD on the least-squares cost: one update per batch."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    for batch in batches(len(y), batch_size, rng):
        Xb, yb = X[batch], y[batch]
        g = 2 * Xb.T @ (Xb @ theta - yb) / len(batch)
        theta = theta - lr * g
    return theta
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for sgd_epoch (not graded).
theta = np.array([1.0])
t = sgd_epoch(theta, X, y, 0.01, 1)
assert np.allclose(t, [1.260688]), (
    f"batch size 1, in order, from theta = [1] with lr = 0.01: the lecture's epoch 0 gives w = 1.260688, got {t}. "
    "Is it theta - lr * gradient, one update per sample, with the sample's gradient 2 x (x theta - y)?")
assert np.array_equal(theta, [1.0]), "sgd_epoch changed theta in place: use theta = theta - ..., not theta -= ..."
t = sgd_epoch(np.array([1.0]), X, y, 0.01, 3)
assert np.allclose(t, [1.093333]), (
    f"a full batch (batch_size = N = 3) is one GD step: 1.093333, got {t}. "
    "3 times too far (1.28)? The batch gradient is the MEAN over the batch: divide by len(batch)")
t = sgd_epoch(np.zeros(2), Xr, yr, 0.05, 2, np.random.default_rng(1))
assert np.allclose(t, [0.08512145, -0.5011241]), (
    f"shuffled with np.random.default_rng(1), batches of 2: expected [0.0851, -0.5011], got {t}. "
    "Use your batches(len(y), batch_size, rng)")
print("sgd_epoch: visible tests passed")
""",
    cases=[
        case(np.array([1.0]), HOURS_X, POINTS, 0.01, 1, note="the lecture's SGD"),
        case(np.array([0.0, 0.0]), *REG6, 0.05, 6, SeededRng(5), note="a full batch: one GD step"),
        case(np.array([0.5, -0.5]), *REG8, 0.05, 4, SeededRng(3)),
        case(np.array([0.0, 0.0, 0.0]), *REG10, 0.02, 4, SeededRng(7), note="last batch of 2"),
        case(np.array([1.0]), HOURS_X, POINTS, 0.01, 2, note="in order"),
        case(np.array([0.5, -0.5]), *REG8, 0.05, 3, note="no rng: in order, last batch of 2"),
    ],
    mistakes=(
        mistake("sum-instead-of-mean", SUM_NOT_MEAN, "your steps are |B| times too large: the mini-batch gradient "
                "is the MEAN (2/|B|) X_Bᵀ(X_Bθ − y_B) of the batch's gradients, not their sum",
                ("(Xb @ theta - yb) / len(batch)", "(Xb @ theta - yb)")),
        mistake("sign-error", "sign error", "you moved along the gradient (θ + lr·g) instead of against it "
                "(θ − lr·g)", ("theta = theta - lr * g", "theta = theta + lr * g")),
    ),
    variants=(
        variant("mutates-input", ("theta = theta - lr * g",
                                  "theta -= lr * g  # in place: the first time, this is the caller's theta")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def sgd_epoch(theta, X, y, lr, batch_size, rng=None):
    theta = np.array(theta, dtype=float)  # a copy, updated in place below
    for batch in batches(len(y), batch_size, rng):
        Xb, yb = X[batch], y[batch]
        theta -= lr * 2 * Xb.T @ (Xb @ theta - yb) / len(yb)
    return theta
"""),
        alternative("alt-lists", code=r"""
def sgd_epoch(theta, X, y, lr, batch_size, rng=None):
    theta = np.asarray(theta, dtype=float)
    for batch in batches(len(y), batch_size, rng):
        batch = np.asarray(batch, dtype=int)
        g = 2 * X[batch].T @ (X[batch] @ theta - y[batch]) / len(batch)
        theta = theta - lr * g
    return theta.tolist()  # a list of d floats
"""),
        alternative("alt-float32", code=r"""
def sgd_epoch(theta, X, y, lr, batch_size, rng=None):
    theta = np.asarray(theta, dtype=np.float32)
    X, y, lr = np.float32(X), np.float32(y), np.float32(lr)
    for batch in batches(len(y), batch_size, rng):
        Xb, yb = X[batch], y[batch]
        theta = theta - lr * 2 * Xb.T @ (Xb @ theta - yb) / len(batch)
    return theta
"""),
        alternative("alt-other-algebra", code=r"""
def sgd_epoch(theta, X, y, lr, batch_size, rng=None):
    theta = np.asarray(theta, dtype=float)
    for batch in batches(len(y), batch_size, rng):
        residual = X[batch] @ theta - y[batch]
        g = np.mean(2 * residual[:, None] * X[batch], axis=0)  # the mean of the samples' gradients
        theta = theta - lr * g
    return theta
"""),
    ),
)

RUN_EPOCHS = Question(
    "run_epochs", points=3, reference="solutions:minibatch_sgd",
    text=r"""
## 3. Training for several epochs (3 points)

Write `run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None)`: exactly `epochs` epochs of your
`sgd_epoch`. With a `seed`, make **one** generator `np.random.default_rng(seed)` before the first epoch and
pass it to every epoch, so that each epoch draws a fresh permutation (a new generator per epoch would
repeat the same order every epoch). Without a seed, go in order (`rng=None`).

Return a tuple `(thetas, costs)`: `thetas[k]` is $\theta$ after `k` epochs (so `thetas[0]` is `theta0` and
`thetas` has shape `(epochs + 1, d)`), and `costs[k]` is the cost $L(\theta) = \frac1N\lVert X\theta -
y\rVert^2$ over **all** samples at `thetas[k]`.
""",
    solution=r'''
def run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None):
    """Mini-batch SGD for several epochs, reshuffled every epoch: returns (thetas, costs) by epoch."""
    ### BEGIN SOLUTION
    rng = None if seed is None else np.random.default_rng(seed)
    theta = np.asarray(theta0, dtype=float)
    thetas = [theta]
    for _ in range(epochs):
        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)
        thetas.append(theta)
    thetas = np.array(thetas)
    costs = np.mean((thetas @ X.T - y) ** 2, axis=1)
    return thetas, costs
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for run_epochs (not graded).
thetas, costs = run_epochs(np.array([1.0]), X, y, 0.01, 3, batch_size=3)
assert np.shape(thetas) == (4, 1) and np.shape(costs) == (4,), (
    f"3 epochs give 4 rows (theta0 and one per epoch), got shapes {np.shape(thetas)} and {np.shape(costs)}")
w = np.asarray(thetas)[:, 0]  # (a list of arrays is fine: it counts as the array it stacks into)
assert np.allclose(np.round(w, 2), [1.0, 1.09, 1.18, 1.25]), (
    f"a full batch is gradient descent: the GD table's 1.00, 1.09, 1.18, 1.25, got {w}")
assert np.allclose(np.round(costs, 2), [4.67, 3.84, 3.15, 2.59]), f"costs should be the GD table's 4.67, 3.84, 3.15, 2.59, got {costs}"
thetas, costs = run_epochs(np.array([1.0]), X, y, 0.01, 2, batch_size=1)
w = np.asarray(thetas)[:, 0]
assert np.allclose(w, [1.0, 1.260688, 1.453418]), f"SGD in order: 1, 1.260688, 1.453418 expected, got {w}"
thetas, costs = run_epochs(np.zeros(2), Xr, yr, 0.05, 3, batch_size=4, seed=2)
assert np.allclose(thetas[-1], [0.17081933, -0.75955536]), (
    f"with seed=2 and batches of 4, after 3 epochs theta should be [0.1708, -0.7596], got {thetas[-1]}. "
    "[0.1502, -0.7875] means every epoch used the same order: make ONE generator before the epochs")
assert np.allclose(costs, [3.82333333, 2.76170116, 2.02782911, 1.55538709]), f"costs over all samples expected, got {costs}"
print("run_epochs: visible tests passed")
""",
    cases=[
        case(np.array([1.0]), HOURS_X, POINTS, 0.01, 5, 1, note="the lecture's SGD, in order"),
        case(np.array([0.0, 0.0]), *REG6, 0.05, 4, 6, 0, note="full batch = GD"),
        case(np.array([0.0, 0.0]), *REG8, 0.05, 3, 4, 3),
        case(np.array([0.0, 0.0, 0.0]), *REG10, 0.02, 3, 4, 11),
        case(np.array([0.0, 0.0]), *REG8, 0.05, 3, 3, 0, note="seed=0 is a seed: shuffled"),
        case(np.array([0.0, 0.0, 0.0]), *REG10, 0.02, 2, 4, note="no seed: in order"),
    ],
    mistakes=(
        mistake("seed-zero", "seed=0 treated as no seed", "with seed=0 your epochs go in order, as without a "
                "seed: 0 is a seed like any other. Test `seed is not None` (not `if seed:`) before making the "
                "generator", ("rng = None if seed is None else np.random.default_rng(seed)",
                              "rng = np.random.default_rng(seed) if seed else None")),
        mistake("shuffled-once", "same shuffle every epoch", "every epoch visits the samples in the same shuffled "
                "order: make ONE generator (np.random.default_rng(seed)) before the epochs and draw a fresh "
                "permutation from it at the start of each epoch (not a new generator per epoch)",
                ("        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)",
                 "        if seed is not None:\n            rng = np.random.default_rng(seed)  # a new generator "
                 "every epoch\n        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)")),
        mistake("off-by-one", "off by one in epochs", "you ran epochs + 1 epochs: `range(epochs)` runs exactly "
                "`epochs` times, and the trajectory holds theta0 and the theta after each epoch",
                ("range(epochs)", "range(epochs + 1)")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None):
    rng = np.random.default_rng(seed) if seed is not None else None
    thetas = np.zeros((epochs + 1, len(theta0)))
    costs = np.zeros(epochs + 1)
    thetas[0] = theta0
    costs[0] = np.mean((X @ thetas[0] - y) ** 2)
    for k in range(1, epochs + 1):
        thetas[k] = sgd_epoch(thetas[k - 1], X, y, lr, batch_size, rng)
        costs[k] = np.mean((X @ thetas[k] - y) ** 2)
    return thetas, costs
"""),
        alternative("alt-lists", code=r"""
def run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None):
    rng = None
    if seed is not None:
        rng = np.random.default_rng(seed)
    theta = theta0
    thetas = [theta0]
    costs = [float(np.mean((X @ theta0 - y) ** 2))]
    for _ in range(epochs):
        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)
        thetas.append(theta)
        costs.append(float(np.mean((X @ np.asarray(theta) - y) ** 2)))
    return thetas, costs  # a list of arrays (or of lists) and a list of floats
"""),
        alternative("alt-float32", code=r"""
def run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None):
    rng = None if seed is None else np.random.default_rng(seed)
    theta = np.asarray(theta0, dtype=np.float32)
    thetas = [theta]
    for _ in range(epochs):
        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)
        thetas.append(theta)
    thetas = np.array(thetas, dtype=np.float32)
    costs = np.mean((thetas @ np.float32(X).T - np.float32(y)) ** 2, axis=1)
    return thetas, costs
"""),
        alternative("alt-other-algebra", code=r"""
def run_epochs(theta0, X, y, lr, epochs, batch_size, seed=None):
    rng = None if seed is None else np.random.default_rng(seed)
    thetas = [np.asarray(theta0, dtype=float)]
    for _ in range(epochs):
        thetas.append(sgd_epoch(thetas[-1], X, y, lr, batch_size, rng))
    thetas = np.vstack(thetas)
    costs = np.linalg.norm(X @ thetas.T - y[:, None], axis=0) ** 2 / len(y)
    return thetas, costs
"""),
    ),
    fields=('thetas', 'costs'),
)

ASSIGNMENT = Assignment('sgd', INTRO, SETUP, [BATCHES, SGD_EPOCH, RUN_EPOCHS])
