"""Assignment 1 (lecture 000, 穷举法 and 分治法): the cost of the linear model, exhaustive search and
coarse-to-fine search.

The search problems are bowls with a unique minimum on their grid (on every level of coarse to fine: the
lecture's cost is searched on [0, 4.5], since on [0, 5] its minimum 2 lies halfway between the centres 1.5 and
2.5), so any correct tie-breaking gives the same answer (an alternative keeps the last of equal bests), and a
unique maximum, so that "argmax instead of argmin" is a different answer. The lecture's cost
of one weight is the bowl (14/3)(ω − 2)² (the mean of (xω − 2x)² over x = 1, 2, 3).
"""

import numpy as np

from autograder.assignment import Assignment, Question, alternative, case, mistake, variant
from autograder.probe.objects import Bowl

HOURS = np.array([1.0, 2.0, 3.0])
POINTS = np.array([2.0, 4.0, 6.0])
LECTURE_COST = Bowl([2.0], [14 / 3])

INTRO = r"""
# Assignment 1: searching for the best weight

Lecture 000 predicts the points a student scores from the hours they studied with the linear model
$\hat y = x \cdot \omega$, on three samples:

| hours $x$ | 1 | 2 | 3 |
|---|---|---|---|
| points $y$ | 2 | 4 | 6 |

The **cost** of a weight is the mean squared error over the $N$ samples,
$\operatorname{cost}(\omega) = \frac1N \sum_{n=1}^{N} (x_n \omega - y_n)^2$.
Before gradients, the lecture finds a good $\omega$ by *searching*: exhaustively over a grid (穷举法), and
then coarse to fine (分治法), which needs 16 + 16 = 32 evaluations instead of 256 for two weights.

You will write three functions. Fill in every `YOUR CODE HERE` (delete the `raise NotImplementedError()`),
then run the tests under each function. The visible tests tell you what is wrong; your instructor's grader
runs more cases, so a function that only fits the visible tests will lose points.

Rules: use numpy (and Python's `math` for single numbers) only, no Python loops over samples or grid points
(the search levels may loop), and never change your inputs in place (`x -= ...`): work on new arrays
(changing a copy you made, with `np.array(...)` or `.copy()`, is fine).
"""

SETUP = r"""
import numpy as np

x = np.array([1.0, 2.0, 3.0])   # hours studied
y = np.array([2.0, 4.0, 6.0])   # points scored
"""

COST = Question(
    "cost", points=2, reference="solutions:cost",
    text=r"""
## 1. A vectorized cost (2 points)

Write `cost(w, x, y)`: the mean of $(x_n w - y_n)^2$ over the samples. `w` may be a single number **or an
array of candidate weights of any shape**; the result then has the shape of `w`, one cost per candidate.
So `cost(np.array([0.0, 2.0, 4.0]), x, y)` returns three costs at once.

Hint: `np.asarray(w)[..., None] * x` has one row of predictions per candidate weight.
""",
    solution=r'''
def cost(w, x, y):
    """Mean squared error of the model y_hat = x * w, for one weight or an array of weights."""
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return np.mean((w[..., None] * x - y) ** 2, axis=-1)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for cost (not graded: they help you check your work).
x_before, y_before = x.copy(), y.copy()
c = cost(1.0, x, y)
assert np.isclose(c, 14 / 3), (
    f"cost(1.0, x, y) should be 14/3 = 4.6667 (the lecture's cost at w = 1), got {c}. "
    "Is it the MEAN of (x*w - y)**2 over the 3 samples (not the sum)?")
c = cost(np.array([0.0, 2.0, 4.0]), x, y)
assert np.shape(c) == (3,), (
    f"cost of 3 candidate weights should have shape (3,), got {np.shape(c)}: vectorize over w")
assert np.allclose(c, [56 / 3, 0.0, 56 / 3]), f"cost at w = 0, 2, 4 should be [18.667, 0, 18.667], got {c}"
c = cost(np.zeros((2, 4)), x, y)
assert np.shape(c) == (2, 4), f"cost of a (2, 4) array of weights should have shape (2, 4), got {np.shape(c)}"
assert np.array_equal(x, x_before) and np.array_equal(y, y_before), "cost changed x or y in place"
print("cost: visible tests passed")
""",
    cases=[
        case(1.0, HOURS, POINTS),
        case(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), HOURS, POINTS),
        case(np.array([[0.5, 1.5, 2.5], [-1.0, 2.0, 6.0]]), HOURS, POINTS),
        case(np.array([0.0, 2.5]), np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 5.0, 7.0, 10.0]), note='N = 4'),
    ],
    mistakes=(
        mistake("sum-instead-of-mean", "sum instead of mean (missing 1/N)",
                "your result is exactly N times the expected one: you summed over the N samples where the cost "
                "is their mean; divide by N (or use `np.mean`)",
                ("np.mean((w[..., None] * x - y) ** 2, axis=-1)", "np.sum((w[..., None] * x - y) ** 2, axis=-1)")),
    ),
    variants=(
        variant("mutates-input", ("    return np.mean(", "    if w.ndim == 0:\n        y -= w * x  # reuse y's memory for the "
                                  "residuals\n        return np.mean(y ** 2)\n    return np.mean(")),
        variant("raises", ("axis=-1)", "axis=-1) * N / n_samples")),
    ),
    alternatives=(
        alternative("alt-lists", code=r"""
def cost(w, x, y):
    w = np.asarray(w, dtype=float)
    costs = ((w[..., None] * np.asarray(x) - np.asarray(y)) ** 2).mean(axis=-1)
    return costs.tolist()  # a float for one weight, (nested) lists of floats for an array of weights
"""),
        alternative("alt-float32", code=r"""
def cost(w, x, y):
    w = np.asarray(w, dtype=np.float32)
    x = np.asarray(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    return np.mean((w[..., None] * x - y) ** 2, axis=-1)
"""),
        alternative("alt-other-algebra", code=r"""
def cost(w, x, y):
    # mean((x w - y)^2) = mean(x^2) w^2 - 2 mean(x y) w + mean(y^2), for every w at once
    w = np.asarray(w, dtype=float)
    return np.mean(x**2) * w**2 - 2 * np.mean(x * y) * w + np.mean(y**2)
"""),
        alternative("alt-loops", code=r"""
def cost(w, x, y):
    residuals = np.multiply.outer(w, x) - y
    return np.asarray(np.sum(residuals**2, axis=-1) / len(x))  # a 0-d array for one weight
"""),
    ),
)

GRID_SEARCH = Question(
    "grid_search", points=3, reference="solutions:grid_search",
    text=r"""
## 2. Exhaustive search in $d$ dimensions (3 points)

Write `grid_search(f, bounds, points_per_dim)`:

* `bounds` is a list of $d$ pairs `(lo, hi)`, one per dimension;
* the grid has `points_per_dim` evenly spaced values per dimension, **both ends included**
  (`np.linspace`), so `points_per_dim ** d` points in all;
* `f` takes **all the points at once**: an `(M, d)` array, one point per row, and returns `M` values;
* return a tuple `(best_theta, best_value, evaluations)`: the best point as an array of shape `(d,)`, its
  value `f(best_theta)` as a float, and the number of points evaluated.

Hint: `np.meshgrid(*axes, indexing="ij")` and `np.stack(..., axis=-1).reshape(-1, d)` give the points.
""",
    solution=r'''
def grid_search(f, bounds, points_per_dim):
    """Evaluate f on a points_per_dim ** d grid over bounds and return (best_theta, best_value, evaluations)."""
    ### BEGIN SOLUTION
    axes = [np.linspace(lo, hi, points_per_dim) for lo, hi in bounds]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(bounds))
    values = np.asarray(f(points), dtype=float)
    best = int(np.argmin(values))
    return points[best], float(values[best]), len(points)
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for grid_search (not graded).
theta, value, evaluations = grid_search(lambda W: cost(W[:, 0], x, y), [(0.0, 4.0)], 101)
assert evaluations == 101, f"101 points on one weight should be 101 evaluations, got {evaluations}"
assert np.allclose(theta, [2.0]), f"the best weight on the lecture's data is w = 2, got {theta}"
assert np.isclose(value, 0.0), f"the cost at w = 2 is 0, got {value}: return the SMALLEST value"
bowl = lambda P: ((P - np.array([1.0, -1.0])) ** 2).sum(axis=1)
theta, value, evaluations = grid_search(bowl, [(-2.0, 2.0), (-2.0, 2.0)], 5)
assert evaluations == 25, f"5 points per dimension in 2-D is 5**2 = 25 evaluations, got {evaluations}"
assert np.shape(theta) == (2,), f"best_theta should have shape (d,) = (2,), got {np.shape(theta)}"
assert np.allclose(theta, [1.0, -1.0]), f"the grid point nearest the bowl's centre is (1, -1), got {theta}"
print("grid_search: visible tests passed")
""",
    cases=[
        case(LECTURE_COST, [(0.0, 5.0)], 6, note="the lecture's cost, (14/3)(ω − 2)²"),
        case(Bowl([0.3, -0.6]), [(-2.0, 2.0), (-1.0, 1.0)], 5),
        case(Bowl([0.9, 0.2, -0.4], [1.0, 2.0, 3.0]), [(-1.0, 1.0)] * 3, 3),
    ],
    mistakes=(
        mistake("sign-error", "sign error (maximizes)", "you kept the largest value (argmax / max) where the search "
                "must keep the smallest (argmin / min)", ("np.argmin(values)", "np.argmax(values)")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def grid_search(f, bounds, points_per_dim):
    axes = []
    for lo, hi in bounds:  # a loop over the dimensions, not over the grid points
        axes.append(np.linspace(lo, hi, points_per_dim))
    grids = np.meshgrid(*axes)  # numpy's default "xy" indexing: the same points in another order
    points = np.column_stack([g.ravel() for g in grids])
    values = f(points)
    i = np.argmin(values)
    return points[i], values[i], points.shape[0]
"""),
        alternative("alt-lists", code=r"""
def grid_search(f, bounds, points_per_dim):
    axes = [np.linspace(lo, hi, points_per_dim) for lo, hi in bounds]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(bounds))
    values = np.asarray(f(points))
    best = np.argmin(values)
    return [list(points[best]), values.min(), points_per_dim ** len(bounds)]
"""),
        alternative("alt-float32", code=r"""
def grid_search(f, bounds, points_per_dim):
    axes = [np.linspace(lo, hi, points_per_dim, dtype=np.float32) for lo, hi in bounds]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(bounds))
    values = np.asarray(f(points), dtype=np.float32)
    best = int(np.argmin(values))
    return points[best], values[best], len(points)
"""),
        alternative("alt-other-algebra", code=r"""
def grid_search(f, bounds, points_per_dim):
    d = len(bounds)
    points = np.mgrid[tuple(slice(lo, hi, complex(0, points_per_dim)) for lo, hi in bounds)].reshape(d, -1).T
    values = np.asarray(f(points))
    index = np.unravel_index(values.argmin(), values.shape)
    return points[index], float(values[index]), int(values.size)
"""),
    ),
    md_id='grid_md',
    fields=('best_theta', 'best_value', 'evaluations'),
)

COARSE_TO_FINE = Question(
    "coarse_to_fine", points=3, reference="solutions:coarse_to_fine",
    text=r"""
## 3. Coarse to fine, the lecture's divide and conquer (3 points)

Write `coarse_to_fine(f, bounds, points_per_dim=4, levels=2)`. Each level:

1. divides the current box into `points_per_dim` equal parts per dimension and evaluates `f` at the
   **centre** of each part (4 × 4 = 16 centres in 2-D: in $[0, 4]$ the centres are 0.5, 1.5, 2.5, 3.5);
2. keeps the best centre, and makes the part around it (one part wide, centred on it) the next level's box.

Return `(best_theta, best_value, evaluations)` for the best centre of the **last** level, with the
evaluations of all levels: the lecture's 16 + 16 = 32 for two weights and two levels.
""",
    solution=r'''
def coarse_to_fine(f, bounds, points_per_dim=4, levels=2):
    """Divide and conquer: refine the box around the best cell centre, level after level."""
    ### BEGIN SOLUTION
    box = np.array(bounds, dtype=float)
    evaluations = 0
    for _ in range(levels):
        width = (box[:, 1] - box[:, 0]) / points_per_dim
        axes = [lo + (np.arange(points_per_dim) + 0.5) * w for lo, w in zip(box[:, 0], width)]
        points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(box))
        values = np.asarray(f(points), dtype=float)
        best = int(np.argmin(values))
        theta, value = points[best], float(values[best])
        evaluations += len(points)
        box = np.stack([theta - width / 2, theta + width / 2], axis=1)
    return theta, value, evaluations
    ### END SOLUTION
''',
    visible=r"""
# Visible tests for coarse_to_fine (not graded).
bowl = lambda P: ((P - np.array([1.3, 1.3])) ** 2).sum(axis=1)
theta, value, evaluations = coarse_to_fine(bowl, [(0.0, 4.0), (0.0, 4.0)])
assert evaluations == 32, f"two levels of 4 x 4 centres are 16 + 16 = 32 evaluations, got {evaluations}"
assert np.allclose(theta, [1.375, 1.375]), (
    "level 1 picks the centre (1.5, 1.5), so level 2 searches the box [1, 2] x [1, 2] with centres "
    f"1.125, 1.375, 1.625, 1.875 and should pick (1.375, 1.375); got {theta}")
assert np.isclose(value, bowl(np.array([[1.375, 1.375]]))[0]), f"best_value should be f(best_theta), got {value}"
print("coarse_to_fine: visible tests passed")
""",
    cases=[
        case(Bowl([1.3, 2.6]), [(0.0, 4.0), (0.0, 4.0)], note="the lecture's 16 + 16"),
        case(LECTURE_COST, [(0.0, 4.5)], 5, 3, note="the lecture's cost"),
        case(Bowl([0.35, -0.8, 0.1], [1.0, 2.0, 3.0]), [(-1.0, 1.0)] * 3, 3, 2),
    ],
    mistakes=(
        mistake("off-by-one", "off by one in levels", "you ran levels − 1 levels: check where your loop starts and "
                "stops (`range(levels)` runs exactly `levels` times)",
                ("for _ in range(levels):", "for _ in range(1, levels):")),
    ),
    variants=(
        variant("infinite-loop", ("    for _ in range(levels):",
                                  "    level = 0\n    while level < levels:  # forgot level += 1")),
        variant("kernel-exit", ("    box = np.array(bounds, dtype=float)",
                                "    import os\n    os._exit(1)\n    box = np.array(bounds, dtype=float)")),
    ),
    alternatives=(
        alternative("alt-loops", code=r"""
def coarse_to_fine(f, bounds, points_per_dim=4, levels=2):
    # recursion: search this box, then the part around its best centre with one level fewer
    lo = np.array([b[0] for b in bounds], dtype=float)
    hi = np.array([b[1] for b in bounds], dtype=float)
    width = (hi - lo) / points_per_dim
    axes = [np.linspace(l + w / 2, h - w / 2, points_per_dim) for l, h, w in zip(lo, hi, width)]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(bounds))
    values = np.asarray(f(points))
    best = points[np.flatnonzero(values == values.min())[-1]]  # the last of equally good centres
    if levels == 1:
        return best, float(values.min()), len(points)
    box = [(c - w / 2, c + w / 2) for c, w in zip(best, width)]
    theta, value, evaluations = coarse_to_fine(f, box, points_per_dim, levels - 1)
    return theta, value, evaluations + len(points)
"""),
        alternative("alt-lists", code=r"""
def coarse_to_fine(f, bounds, points_per_dim=4, levels=2):
    box = [list(b) for b in bounds]
    evaluations = 0
    for level in range(levels):
        axes = []
        for lo, hi in box:
            step = (hi - lo) / points_per_dim
            axes.append((lo + step / 2 + step * np.arange(points_per_dim)).tolist())
        points = np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(box), -1).T
        values = f(points)
        best = int(np.argmin(values))
        theta = points[best].tolist()
        value = values[best]
        evaluations += len(points)
        box = [[t - (hi - lo) / points_per_dim / 2, t + (hi - lo) / points_per_dim / 2]
               for t, (lo, hi) in zip(theta, box)]
    return tuple(theta), value, evaluations
"""),
        alternative("alt-float32", code=r"""
def coarse_to_fine(f, bounds, points_per_dim=4, levels=2):
    box = np.array(bounds, dtype=np.float32)
    evaluations = 0
    for _ in range(levels):
        width = (box[:, 1] - box[:, 0]) / np.float32(points_per_dim)
        axes = [lo + (np.arange(points_per_dim, dtype=np.float32) + np.float32(0.5)) * w
                for lo, w in zip(box[:, 0], width)]
        points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(box))
        values = np.asarray(f(points), dtype=np.float32)
        best = int(np.argmin(values))
        theta, value = points[best], values[best]
        evaluations += len(points)
        box = np.stack([theta - width / 2, theta + width / 2], axis=1)
    return theta, value, evaluations
"""),
        alternative("alt-other-algebra", code=r"""
def coarse_to_fine(f, bounds, points_per_dim=4, levels=2):
    box = np.array(bounds, dtype=float)
    evaluations = 0
    for _ in range(levels):
        # the centres are the midpoints of points_per_dim + 1 evenly spaced edges
        edges = [np.linspace(lo, hi, points_per_dim + 1) for lo, hi in box]
        axes = [(e[:-1] + e[1:]) / 2 for e in edges]
        points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(box))
        values = f(points)
        best = np.argmin(values)
        theta, value = points[best], values[best]
        evaluations += points_per_dim ** len(box)
        half = np.array([(e[1] - e[0]) / 2 for e in edges])
        box = np.column_stack([theta - half, theta + half])
    return theta, value, evaluations
"""),
    ),
    md_id='coarse_md',
    fields=('best_theta', 'best_value', 'evaluations'),
)

ASSIGNMENT = Assignment('search', INTRO, SETUP, [COST, GRID_SEARCH, COARSE_TO_FINE])
