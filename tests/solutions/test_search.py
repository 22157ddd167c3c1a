"""Exhaustive search, divide and conquer and random search: results and evaluation counts (lectures 000, 003)."""

import numpy as np
import pytest

import solutions as S

X, Y = S.hours_points()


def lecture_cost(points):
    return S.cost(points[:, 0], X, Y)


def counting(f):
    calls = []

    def wrapped(points):
        calls.append(len(points))
        return f(points)

    return wrapped, calls


def test_grid_search_finds_w_2_with_100_points():
    best = S.grid_search(lecture_cost, [(0.0, 4.0)], 101)
    assert best.theta.tolist() == [2.0] and best.value == 0.0 and best.evaluations == 101


@pytest.mark.parametrize("d", [1, 2, 3])
def test_grid_search_costs_p_to_the_d(d):
    f, calls = counting(lambda p: ((p - 0.3) ** 2).sum(axis=1))
    best = S.grid_search(f, [(-1.0, 1.0)] * d, 11)
    assert best.evaluations == 11**d and calls == [11**d]  # one vectorized call over the whole grid
    assert np.allclose(best.theta, 0.2) and best.theta.shape == (d,)


def test_coarse_to_fine_is_the_lectures_16_plus_16():
    f, calls = counting(lambda p: ((p - [1.3, 2.6]) ** 2).sum(axis=1))
    best = S.coarse_to_fine(f, [(0, 4), (0, 4)], points_per_dim=4, levels=2)
    assert best.evaluations == 32 and calls == [16, 16]
    assert np.allclose(best.theta, [1.375, 2.625])


def test_coarse_to_fine_reaches_the_resolution_of_a_256_point_grid():
    """Every point the two levels evaluate is a cell centre of the full 16 × 16 grid of the same box."""
    path = S.coarse_to_fine_path(lambda p: ((p - [1.3, 2.6]) ** 2).sum(axis=1), [(0, 4), (0, 4)])
    fine_centres = (np.arange(16) + 0.5) * 4 / 16
    last_box = path[-1][0]
    centres = [lo + (np.arange(4) + 0.5) * (hi - lo) / 4 for lo, hi in last_box]
    for axis in centres:
        assert all(np.isclose(fine_centres, c).any() for c in axis)
    full = S.grid_search(lambda p: ((p - [1.3, 2.6]) ** 2).sum(axis=1), [(0.125, 3.875)] * 2, 16)
    assert full.evaluations == 256 and np.allclose(full.theta, path[-1][1].theta)


def test_coarse_to_fine_locks_onto_a_local_minimum_of_a_non_convex_cost():
    wells = S.TwoWells()
    best = S.coarse_to_fine(wells.f, [(-3, 3), (-3, 3)])
    assert np.linalg.norm(best.theta - wells.local_minimum) < 0.1
    assert best.value > wells.f_star + 0.5
    exhaustive = S.grid_search(wells.f, [(-3, 3), (-3, 3)], 61)
    assert np.linalg.norm(exhaustive.theta - wells.theta_star) < 0.1


def test_random_search_is_reproducible_and_worse_than_a_grid_of_the_same_size():
    f = lambda p: ((p - [1.3, 2.6]) ** 2).sum(axis=1)  # noqa: E731
    a, b = S.random_search(f, [(0, 4), (0, 4)], 100, seed=3), S.random_search(f, [(0, 4), (0, 4)], 100, seed=3)
    assert np.array_equal(a.theta, b.theta) and a.evaluations == 100
    points = S.random_points([(0, 4), (0, 4)], 100, seed=3)
    assert points.shape == (100, 2) and np.all((points >= 0) & (points <= 4))
    assert a.value == pytest.approx(f(points).min())
    assert S.random_search(f, [(0, 4), (0, 4)], 100, seed=4).value != a.value
