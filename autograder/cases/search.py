"""Cases for assignment ``search``: the cost of the linear model, exhaustive search, coarse to fine.

The inputs are fixed numbers (no randomness needed). Search problems are chosen with a unique minimum on
their grid, so any correct tie-breaking gives the same answer, and with a unique maximum, so the
"argmax instead of argmin" mistake is recognizable.
"""

from __future__ import annotations

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case, Probe

HOURS = np.array([1.0, 2.0, 3.0])
POINTS = np.array([2.0, 4.0, 6.0])


class Bowl:
    """f(θ) = Σ_i s_i (θ_i − c_i)², vectorized over an (M, d) array of points."""

    def __init__(self, centre, scale=None):
        self.centre = np.asarray(centre, dtype=float)
        self.scale = np.ones_like(self.centre) if scale is None else np.asarray(scale, dtype=float)

    def __call__(self, points):
        points = np.asarray(points, dtype=float)
        return (self.scale * (points - self.centre) ** 2).sum(axis=-1)

    def __repr__(self):
        return f"Bowl(centre={self.centre.tolist()}, scale={self.scale.tolist()})"


class HoursCost:
    """The lecture's cost as a search objective: f(W) = mean over samples of (x·W[:, 0] − y)²."""

    def __init__(self, x=HOURS, y=POINTS):
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def __call__(self, points):
        w = np.asarray(points, dtype=float)[:, :1]
        return ((self.x * w - self.y) ** 2).mean(axis=-1)

    def __repr__(self):
        return "hours-points cost (x = [1, 2, 3], y = [2, 4, 6])"


def _cost_cases():
    names = ("w", "x", "y")
    return [
        Case((1.0, HOURS.copy(), POINTS.copy()), names=names, label="cost(1.0, x=[1, 2, 3], y=[2, 4, 6])"),
        Case((np.array([0.0, 1.0, 2.0, 3.0, 4.0]), HOURS.copy(), POINTS.copy()), names=names,
             label="cost(w=[0, 1, 2, 3, 4], x=[1, 2, 3], y=[2, 4, 6])"),
        Case((np.array([[0.5, 1.5, 2.5], [-1.0, 2.0, 6.0]]), HOURS.copy(), POINTS.copy()), names=names,
             label="cost(w=[[0.5, 1.5, 2.5], [-1, 2, 6]] (shape (2, 3)), x=[1, 2, 3], y=[2, 4, 6])"),
        Case((np.array([0.0, 2.5]), np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 5.0, 7.0, 10.0])),
             names=names, label="cost(w=[0, 2.5], x=[1, 2, 3, 4], y=[3, 5, 7, 10])  (N = 4)"),
    ]


def _grid_cases():
    names = ("f", "bounds", "points_per_dim")
    return [
        Case((HoursCost(), [(0.0, 5.0)], 6), names=names,
             label="grid_search(hours-points cost, bounds=[(0, 5)], points_per_dim=6)"),
        Case((Bowl([0.3, -0.6]), [(-2.0, 2.0), (-1.0, 1.0)], 5), names=names,
             label="grid_search(Bowl(centre=[0.3, -0.6]), bounds=[(-2, 2), (-1, 1)], points_per_dim=5)"),
        Case((Bowl([0.9, 0.2, -0.4], [1.0, 2.0, 3.0]), [(-1.0, 1.0)] * 3, 3), names=names,
             label="grid_search(Bowl(centre=[0.9, 0.2, -0.4], scale=[1, 2, 3]), bounds=[(-1, 1)] * 3, "
                   "points_per_dim=3)"),
    ]


def _coarse_cases():
    names = ("f", "bounds", "points_per_dim", "levels")
    return [
        Case((Bowl([1.3, 2.6]), [(0.0, 4.0), (0.0, 4.0)]), names=names,
             label="coarse_to_fine(Bowl(centre=[1.3, 2.6]), bounds=[(0, 4), (0, 4)])  (the lecture's 16 + 16)"),
        Case((HoursCost(), [(0.0, 5.0)], 5, 3), names=names,
             label="coarse_to_fine(hours-points cost, bounds=[(0, 5)], points_per_dim=5, levels=3)"),
        Case((Bowl([0.35, -0.8, 0.1], [1.0, 2.0, 3.0]), [(-1.0, 1.0)] * 3, 3, 2), names=names,
             label="coarse_to_fine(Bowl(centre=[0.35, -0.8, 0.1], scale=[1, 2, 3]), bounds=[(-1, 1)] * 3, "
                   "points_per_dim=3, levels=2)"),
    ]


SEARCH_FIELDS = ("best_theta", "best_value", "evaluations")

PROBES = [
    Probe("search.cost", grade_id="cost_hidden", cases=_cost_cases, reference="solutions:cost", points=2,
          mistakes=(dx.sum_instead_of_mean("x"),)),
    Probe("search.grid_search", grade_id="grid_search_hidden", cases=_grid_cases,
          reference="solutions:grid_search", points=3, fields=SEARCH_FIELDS,
          mistakes=(dx.search_maximizes("f"), dx.off_by_one("points_per_dim"))),
    Probe("search.coarse_to_fine", grade_id="coarse_to_fine_hidden", cases=_coarse_cases,
          reference="solutions:coarse_to_fine", points=3, fields=SEARCH_FIELDS,
          mistakes=(dx.off_by_one("levels"), dx.off_by_one("points_per_dim"), dx.search_maximizes("f"))),
]
