r"""Search without derivatives: exhaustive search (穷举法), divide and conquer (分治法), random search.

All three evaluate a cost ``f`` on many points at once: ``f`` maps an ``(M, d)`` array of points to ``M``
values, so a whole grid is one call. Each returns a :class:`SearchResult` that also counts the evaluations,
because the count is the point of the lecture: exhaustive search with :math:`p` points per weight costs
:math:`p^d` evaluations for :math:`d` weights, while divide and conquer with :math:`L` levels costs
:math:`L \cdot p^d`.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from . import _checks


class SearchResult(NamedTuple):
    """The best point found, its value, and how many times ``f`` was evaluated."""

    theta: np.ndarray
    value: float
    evaluations: int


def _evaluate(f: Callable, points: np.ndarray) -> SearchResult:
    values = np.asarray(f(points), dtype=float)
    if values.shape != (len(points),):
        raise ValueError(
            f"f must map an (M, d) array of points to M values; for M = {len(points)} it returned shape "
            f"{values.shape}"
        )
    best = int(np.nanargmin(values)) if not np.all(np.isnan(values)) else 0
    return SearchResult(points[best].copy(), float(values[best]), len(points))


def _grid(axes: list[np.ndarray]) -> np.ndarray:
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(axes))


def grid_search(f: Callable, bounds, points_per_dim: int) -> SearchResult:
    r"""Exhaustive search: evaluate ``f`` on a regular grid of ``points_per_dim`` points per dimension,
    end points included, and keep the best.

    Evaluations: :math:`p^d` for :math:`p` points per dimension and :math:`d` dimensions, so 100 points
    per weight cost :math:`100^{10} = 10^{20}` evaluations for ten weights.

    >>> from solutions import cost, hours_points
    >>> x, y = hours_points()
    >>> best = grid_search(lambda w: cost(w[:, 0], x, y), [(0.0, 4.0)], 101)
    >>> best.theta, best.value, best.evaluations
    (array([2.]), 0.0, 101)
    """
    box = _checks.bounds(bounds)
    p = _checks.count(points_per_dim, "points_per_dim")
    return _evaluate(f, _grid([np.linspace(lo, hi, p) for lo, hi in box]))


def _cell_centres(box: np.ndarray, p: int) -> np.ndarray:
    width = (box[:, 1] - box[:, 0]) / p
    return _grid([lo + (np.arange(p) + 0.5) * w for (lo, _), w in zip(box, width)])


def coarse_to_fine_path(f: Callable, bounds, points_per_dim: int = 4, levels: int = 2):
    r"""Divide and conquer, level by level; returns a list of ``(box, SearchResult)``, one per level.

    Each level divides its box into ``points_per_dim`` equal parts per dimension and evaluates ``f`` at
    the centre of each part (4 × 4 = 16 points in 2-D). The part around the best centre becomes the next
    level's box. After :math:`L` levels the resolution is that of a full grid of :math:`p^L` parts per
    dimension (:math:`16 \times 16 = 256` points for the lecture's two levels) at a cost of only
    :math:`L \cdot p^d` evaluations (16 + 16 = 32). On a cost that is not convex the best coarse centre
    can sit in the wrong valley, and the search then refines a local minimum.

    >>> path = coarse_to_fine_path(lambda t: ((t - 1.3) ** 2).sum(axis=1), [(0, 4), (0, 4)])
    >>> [result.evaluations for _, result in path]
    [16, 16]
    >>> path[0][1].theta  # the best of the centres 0.5, 1.5, 2.5, 3.5 in each dimension
    array([1.5, 1.5])
    >>> path[1][0]  # the second level's box: the part of [0, 4]² around that centre
    array([[1., 2.],
           [1., 2.]])
    """
    box = _checks.bounds(bounds)
    p = _checks.count(points_per_dim, "points_per_dim")
    _checks.count(levels, "levels")
    path = []
    for _ in range(levels):
        result = _evaluate(f, _cell_centres(box, p))
        path.append((box, result))
        half = (box[:, 1] - box[:, 0]) / (2 * p)
        box = np.stack([result.theta - half, result.theta + half], axis=1)
    return path


def coarse_to_fine(f: Callable, bounds, points_per_dim: int = 4, levels: int = 2) -> SearchResult:
    r"""The lecture's divide and conquer (分治法); see :func:`coarse_to_fine_path` for the scheme.

    Returns the best point of the last level, as the lecture's scheme does, and the total count
    :math:`L \cdot p^d`: the lecture's 16 + 16 = 32 for two weights, 4 parts per weight and 2 levels. With an
    even ``points_per_dim`` a level never re-evaluates the previous best centre, so on a cost that is not
    convex an earlier level may have seen a lower value than the one returned (the path keeps every level).

    >>> best = coarse_to_fine(lambda t: ((t - 1.3) ** 2).sum(axis=1), [(0, 4), (0, 4)])
    >>> best.theta, best.evaluations
    (array([1.375, 1.375]), 32)
    """
    path = coarse_to_fine_path(f, bounds, points_per_dim, levels)
    last = path[-1][1]
    return SearchResult(last.theta, last.value, sum(result.evaluations for _, result in path))


def random_points(bounds, n: int, seed: int) -> np.ndarray:
    """``n`` points drawn uniformly from the box, reproducibly from ``seed``: shape ``(n, d)``."""
    box = _checks.bounds(bounds)
    _checks.count(n, "n")
    rng = np.random.default_rng(seed)
    return box[:, 0] + rng.random((n, len(box))) * (box[:, 1] - box[:, 0])


def random_search(f: Callable, bounds, n: int, seed: int) -> SearchResult:
    r"""Random search, lecture 003's "bad idea": evaluate ``f`` at ``n`` uniform random points and keep
    the best (:func:`random_points` gives the points, so ``np.minimum.accumulate(f(points))`` is the best
    value after each evaluation).

    >>> best = random_search(lambda t: ((t - 1.0) ** 2).sum(axis=1), [(0, 4), (0, 4)], n=200, seed=0)
    >>> best.evaluations, bool(best.value < 0.05)
    (200, True)
    """
    return _evaluate(f, random_points(bounds, n, seed))
