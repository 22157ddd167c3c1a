"""Chapter 3's demo, driven headlessly: stepping through levels shrinks the box; the cost drop-down switches."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import divide_and_conquer as dc  # noqa: E402


def rect_width(rect):
    return rect.get_width()


def test_steps_shrink_the_box_and_mark_the_best_centre():
    demo = dc.build(name0="two wells")
    boxes, pts, best = demo.artists["boxes"], demo.artists["points"], demo.artists["best"]
    assert boxes[0].get_visible() and not boxes[1].get_visible()
    assert len(best.get_xdata()) == 0  # phase (a): evaluate, nothing kept yet
    demo.controls["step"].value = 1  # phase (b) of level 1: best kept, next box drawn
    path = solutions.coarse_to_fine_path(solutions.TwoWells().f, dc.BOUNDS, dc.POINTS_PER_DIM, dc.LEVELS)
    assert [best.get_xdata()[0], best.get_ydata()[0]] == pytest.approx(path[0][1].theta)
    assert len(demo.artists["next_box"].get_xdata()) == 5
    demo.controls["step"].value = 2  # level 2
    assert boxes[1].get_visible()
    assert rect_width(boxes[1]) == pytest.approx(rect_width(boxes[0]) / dc.POINTS_PER_DIM)
    offsets = np.array(pts.get_offsets())
    assert offsets.shape == (dc.POINTS_PER_DIM**2, 2)
    box = path[1][0]
    assert np.all((offsets >= box[:, 0]) & (offsets <= box[:, 1]))
    # the best centre of each level is one of the centres the demo draws
    demo.set(step=3)
    assert np.min(np.linalg.norm(offsets - path[1][1].theta, axis=1)) < 1e-12


def test_two_wells_loses_the_global_minimum_and_the_quadratic_keeps_it():
    demo = dc.build()
    for name, kept in [("two wells", False), ("convex quadratic", True)]:
        prob = dc.problem(name)
        box = demo.paths[name][-1][0]
        inside = bool(np.all((prob.theta_star >= box[:, 0]) & (prob.theta_star <= box[:, 1])))
        assert inside is kept


def test_drop_down_switches_the_cost_and_its_contours():
    demo = dc.build(name0="two wells")
    contours = demo.artists["contours"]
    assert contours["two wells"].get_visible() and not contours["convex quadratic"].get_visible()
    image_before = np.array(demo.artists["image"].get_array())
    demo.controls["problem_name"].value = "convex quadratic"
    assert contours["convex quadratic"].get_visible() and not contours["two wells"].get_visible()
    assert not np.allclose(demo.artists["image"].get_array(), image_before)
    assert demo.artists["title"].get_text().startswith("convex quadratic")


def test_static_version_steps_through_both_costs():
    demo = dc.build()
    frames = demo.frames()
    assert len(frames) == 2 * 2 * dc.LEVELS
    assert [f["problem_name"] for f in frames] == (["convex quadratic"] * 2 * dc.LEVELS
                                                    + ["two wells"] * 2 * dc.LEVELS)
    small = dc.build(frames=[{"step": 0}, {"step": 3}])
    assert small.to_html().count("frames[") >= 2


def test_switching_the_cost_redraws_the_cached_background():
    # The live view blits the animated artists over a cached background that holds the contours; after
    # a switch of cost the picture must equal a full redraw of the figure in its new state (a stale
    # background would still show the old cost's contours).
    moved = dc.build(name0="two wells", frames=[{"step": 0}])
    moved.render_png()
    moved.set(step=3)
    moved.render_png()
    moved.set(problem_name="convex quadratic")
    moved.render_png()
    a = np.asarray(moved.fig.canvas.buffer_rgba()).copy()
    moved.invalidate()  # forget the background: the next render draws everything anew
    moved.render_png()
    b = np.asarray(moved.fig.canvas.buffer_rgba()).copy()
    stale = dc.build(name0="two wells", frames=[{"step": 0}])
    stale.set(step=3)
    stale.render_png()
    assert a.shape == b.shape
    assert not np.array_equal(b, np.asarray(stale.fig.canvas.buffer_rgba()))  # the contours differ
    assert np.array_equal(a, b)
