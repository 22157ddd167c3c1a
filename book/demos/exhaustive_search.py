r"""Demo of chapter 2 (exhaustive search): grid search against random search on a 2-D cost.

The cost is the lecture's data with a bias added to the model, :math:`\hat y = x \cdot \omega + b`, so
:math:`\theta = (\omega, b)` has two weights and the search runs over a plane. A slider sets the number
of points per dimension :math:`p`; a toggle switches between the regular :math:`p \times p` grid
(``solutions.grid_search``) and the same budget of :math:`p^2` uniform random points
(``solutions.random_search``, seeded). The figure shows the sampled points on the cost's contours and the
best point found.

:func:`best_over_placements` is the chapter's fair comparison of the two searches: the same budgets, the
box moved to many random places, and the best cost each search finds in each place.
"""

from __future__ import annotations

import numpy as np

import solutions
from demos import Demo, figure, int_slider, toggle

#: the search box for (ω, b); chosen so that no grid below 40 points per dimension lands exactly on (2, 0)
BOUNDS = [(-0.7, 4.3), (-2.3, 1.9)]
P_MIN, P_MAX = 2, 30
#: the static animation: p = 2 ... 16 on the grid, then the same budgets at random
STATIC_PS = list(range(2, 17))
SEED = 0
#: the seed of the random placements of the search box in :func:`placements`
PLACEMENT_SEED = 2024


def line_with_bias() -> solutions.LinearRegression:
    r"""The lecture's hours → points data with the model :math:`\hat y = x \cdot \omega + b`:
    the cost is :math:`\frac1N \sum_n (x_n \omega + b - y_n)^2` over :math:`\theta = (\omega, b)`."""
    x, y = solutions.hours_points()
    return solutions.LinearRegression(np.stack([x, np.ones_like(x)], axis=1), y)


def placements(theta_star, n: int, seed: int = PLACEMENT_SEED) -> np.ndarray:
    r"""``n`` search boxes of the size of :data:`BOUNDS`, each moved so that ``theta_star`` lies at a
    uniformly random place inside it: shape ``(n, d, 2)``, one ``[(lo, hi), ...]`` per box.

    Where the minimum falls relative to a grid's lines is what decides whether a grid is lucky; moving the
    box at random averages over that luck, as the seed averages over random search's luck.
    """
    size = np.diff(np.asarray(BOUNDS, dtype=float), axis=1)[:, 0]
    lo = np.asarray(theta_star, dtype=float) - np.random.default_rng(seed).random((n, len(size))) * size
    return np.stack([lo, lo + size], axis=-1)


def best_over_placements(f, boxes, ps) -> tuple[np.ndarray, np.ndarray]:
    r"""The best value each search finds in each box, for the budgets :math:`n = p^2`, ``p`` in ``ps``.

    Returns ``(grid, rand)``, both of shape ``(len(ps), len(boxes))``: ``grid[k, i]`` is
    ``solutions.grid_search(f, boxes[i], ps[k]).value`` and ``rand[k, i]`` the value of
    ``solutions.random_search(f, boxes[i], ps[k] ** 2, seed=i)``. The random points of one box are drawn
    once, for the largest budget: a seed's first :math:`n` points are the points of the smaller budget
    :math:`n`, so the running minimum over them gives every budget at once.
    """
    ps = [int(p) for p in ps]
    grid = np.empty((len(ps), len(boxes)))
    rand = np.empty((len(ps), len(boxes)))
    for i, box in enumerate(boxes):
        best_so_far = np.minimum.accumulate(f(solutions.random_points(box, max(ps) ** 2, seed=i)))
        for k, p in enumerate(ps):
            grid[k, i] = solutions.grid_search(f, box, p).value
            rand[k, i] = best_so_far[p * p - 1]
    return grid, rand


def samples(problem, p: int, random: bool, seed: int = SEED):
    """The points a search with budget ``p`` per dimension evaluates, and its result."""
    if random:
        return (solutions.random_points(BOUNDS, p * p, seed),
                solutions.random_search(problem.f, BOUNDS, p * p, seed))
    axes = [np.linspace(lo, hi, p) for lo, hi in BOUNDS]
    points = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 2)
    return points, solutions.grid_search(problem.f, BOUNDS, p)


def build(p0: int = 5, frames=None) -> Demo:
    """The demo: contours of the 2-D cost, the sampled points and the best one; controls ``p`` and ``random``."""
    problem = line_with_bias()
    (w_lo, w_hi), (b_lo, b_hi) = BOUNDS
    W, B = np.meshgrid(np.linspace(w_lo, w_hi, 161), np.linspace(b_lo, b_hi, 161))
    F = problem.f(np.stack([W, B], axis=-1))

    fig, ax = figure(figsize=(5.2, 3.9))
    levels = np.geomspace(1e-2, F.max(), 8)
    ax.contour(W, B, F, levels=levels, colors="0.6", linewidths=0.8)
    ax.plot(*problem.theta_star, "*", color="C2", ms=12, zorder=4, label=r"minimum $(\omega, b) = (2, 0)$",
            animated=True)
    pts = ax.scatter([], [], s=8, color="C0", zorder=3, label="evaluated points",
                     animated=True)
    (best,) = ax.plot([], [], "o", ms=10, mfc="none", mec="C3", mew=2, zorder=5, label="best found",
                     animated=True)
    ax.set(xlim=(w_lo, w_hi), ylim=(b_lo, b_hi), xlabel=r"$\omega$", ylabel=r"$b$", aspect="equal")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    title = ax.set_title(" ", fontsize=10, animated=True)

    def update(p, random):
        points, result = samples(problem, p, random)
        pts.set_offsets(points)
        best.set_data([result.theta[0]], [result.theta[1]])
        kind = "random" if random else "grid"
        title.set_text(f"{kind}, p = {p}: {result.evaluations} evaluations, best cost {result.value:.2g}")

    default_frames = ([{"p": p, "random": False} for p in STATIC_PS]
                      + [{"p": p, "random": True} for p in STATIC_PS])
    demo = Demo(fig, update,
                {"p": int_slider(P_MIN, P_MAX, value=p0, label="points per dimension p"),
                 "random": toggle(False, label="random points instead of a grid")},
                frames=default_frames if frames is None else frames, fps=3)
    demo.artists = {"points": pts, "best": best, "title": title}
    return demo
