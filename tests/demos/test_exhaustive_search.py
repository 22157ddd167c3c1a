"""Chapter 2's demo, driven headlessly: p and the grid/random toggle change the points and the best one."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import exhaustive_search  # noqa: E402


def test_slider_sets_the_number_of_points_and_the_best_one():
    demo = exhaustive_search.build(p0=5)
    pts, best = demo.artists["points"], demo.artists["best"]
    assert len(pts.get_offsets()) == 25
    demo.controls["p"].value = 12
    assert len(pts.get_offsets()) == 144
    problem = exhaustive_search.line_with_bias()
    ref = solutions.grid_search(problem.f, exhaustive_search.BOUNDS, 12)
    assert [best.get_xdata()[0], best.get_ydata()[0]] == pytest.approx(ref.theta)
    assert "144 evaluations" in demo.artists["title"].get_text()


def test_toggle_switches_to_seeded_random_points_with_the_same_budget():
    demo = exhaustive_search.build(p0=6)
    grid_points = np.array(demo.artists["points"].get_offsets())
    demo.controls["random"].value = True
    random_points = np.array(demo.artists["points"].get_offsets())
    assert random_points.shape == grid_points.shape == (36, 2)
    assert not np.allclose(random_points, grid_points)
    expected = solutions.random_points(exhaustive_search.BOUNDS, 36, exhaustive_search.SEED)
    assert random_points == pytest.approx(expected)
    # the best point shown is one of the evaluated points
    best = demo.artists["best"]
    bxy = np.array([best.get_xdata()[0], best.get_ydata()[0]])
    assert np.min(np.linalg.norm(random_points - bxy, axis=1)) < 1e-12
    assert demo.artists["title"].get_text().startswith("random")


def test_static_version_sweeps_grid_then_random():
    demo = exhaustive_search.build()
    frames = demo.frames()
    n = len(exhaustive_search.STATIC_PS)
    assert len(frames) == 2 * n
    assert [f["random"] for f in frames] == [False] * n + [True] * n
    small = exhaustive_search.build(frames=[{"p": 3, "random": False}, {"p": 3, "random": True}])
    assert small.to_html().count("frames[") >= 2


def test_placements_move_a_box_of_the_demo_size_around_the_minimum():
    theta_star = np.array([2.0, 0.0])
    boxes = exhaustive_search.placements(theta_star, 500, seed=1)
    size = np.diff(np.asarray(exhaustive_search.BOUNDS), axis=1)[:, 0]
    assert boxes.shape == (500, 2, 2)
    assert np.allclose(boxes[:, :, 1] - boxes[:, :, 0], size)
    assert np.all((boxes[:, :, 0] <= theta_star) & (theta_star <= boxes[:, :, 1]))
    # the minimum's place in the box is uniform: about half the boxes have it in their left half
    left = (theta_star - boxes[:, :, 0]) / size < 0.5
    assert 0.4 < left.mean() < 0.6


def test_best_over_placements_is_grid_search_and_random_search_in_each_box():
    problem = exhaustive_search.line_with_bias()
    boxes = exhaustive_search.placements(problem.theta_star, 3)
    grid, rand = exhaustive_search.best_over_placements(problem.f, boxes, [3, 7])
    assert grid.shape == rand.shape == (2, 3)
    for i, box in enumerate(boxes):
        for k, p in enumerate([3, 7]):
            assert grid[k, i] == solutions.grid_search(problem.f, box, p).value
            assert rand[k, i] == solutions.random_search(problem.f, box, p * p, seed=i).value
