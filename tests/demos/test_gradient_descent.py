"""The chapter 4 demos (gradient descent), driven headlessly (matplotlib Agg)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import gradient_descent as G  # noqa: E402


def _line(ax, color):
    return [ln for ln in ax.lines if ln.get_color() == color]


def test_gd_path_1d_is_the_lecture_run():
    w, c = G.gd_path_1d(0.01, 100)
    assert round(float(w[1]), 2) == 1.09 and round(float(c[0]), 2) == 4.67
    assert round(float(w[-1]), 2) == 2.0
    # the closed form: w_t - 2 = (1 - 2 alpha mean(x^2))^t (w_0 - 2)
    x, _ = solutions.hours_points()
    r = 1 - 2 * 0.05 * np.mean(x**2)
    w5, _ = G.gd_path_1d(0.05, 10)
    np.testing.assert_allclose(w5 - 2, r ** np.arange(11) * (G.W0 - 2), atol=1e-12)


def test_cost_curve_controls_change_the_artists():
    demo = G.build_cost_curve()
    ax, ax_log = demo.fig.axes
    dot = ax.lines[4]  # the current point
    tangent = ax.lines[3]
    assert dot.get_marker() == "o" and len(dot.get_xdata()) == 1
    w_before, tangent_before = dot.get_xdata()[0], np.array(tangent.get_xydata()).copy()
    demo.set(step=3)
    assert dot.get_xdata()[0] != w_before
    assert not np.allclose(tangent.get_xydata(), tangent_before)
    curve = ax_log.lines[0]
    assert len(curve.get_xdata()) == 4  # steps 0..3
    w_step3 = dot.get_xdata()[0]
    demo.set(alpha=0.2)
    assert dot.get_xdata()[0] != w_step3
    # beyond 3/14 the next step leaves the plot and the note says so
    demo.set(alpha=0.25, step=20)
    note = [t for t in ax.texts if t.get_text()]
    assert any("diverging" in t.get_text() for t in note)
    demo.set(alpha=0.1, step=0)
    assert not any("diverging" in t.get_text() for t in ax.texts)


def test_cost_curve_static_version_has_the_expected_frames():
    demo = G.build_cost_curve()
    frames = demo.frames()
    assert len(frames) == len(G.STATIC_ALPHAS) * G.STATIC_STEPS <= 40
    assert [f["alpha"] for f in frames[:: G.STATIC_STEPS]] == list(G.STATIC_ALPHAS)
    html = demo.to_html()
    assert html.count("data:image/png;base64") == len(frames)
    assert "font-awesome" not in html and "<link" not in html  # nothing from a CDN


def test_contour_controls_change_the_artists():
    demo = G.build_contour()
    ax = demo.fig.axes[0]
    path = ax.lines[1]
    assert len(path.get_xdata()) == 1
    demo.set(step=10)
    assert len(path.get_xdata()) == 11
    xy10 = np.array(path.get_xydata()).copy()
    demo.set(eta=0.05)
    assert not np.allclose(path.get_xydata(), xy10)
    thetas, _ = G.gd_path_2d(0.05)
    np.testing.assert_allclose(path.get_xydata(), thetas[:11])


def test_contour_static_version_has_the_expected_frames():
    demo = G.build_contour()
    frames = demo.frames()
    assert len(frames) == len(G.STATIC_ETAS) * len(G.STATIC_STEPS_2D) <= 40
    assert {f["eta"] for f in frames} == set(G.STATIC_ETAS)


def test_bias_problem_and_its_stable_rate():
    p = G.lecture_bias_problem()
    np.testing.assert_allclose(p.theta_star, [2.0, 0.0], atol=1e-12)
    eta_max = G.stable_eta_2d()
    assert 0.17 < eta_max < 0.19
    below, _ = G.gd_path_2d(0.95 * eta_max, 400)
    above, _ = G.gd_path_2d(1.05 * eta_max, 400)
    assert np.linalg.norm(below[-1] - p.theta_star) < 0.1
    assert np.linalg.norm(above[-1] - p.theta_star) > 10


def test_noisy_costs_are_seeded_and_noisy():
    a, b = G.noisy_costs(100), G.noisy_costs(100)
    np.testing.assert_array_equal(a, b)
    assert len(a) == 100 and np.all(a >= 0)
    assert np.mean(np.abs(np.diff(a[50:]))) > 0.1 * np.mean(a[50:])  # visibly noisy
    assert not np.array_equal(a, G.noisy_costs(100, seed=1))


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.2])
def test_converging_rates_reach_the_minimum(alpha):
    w, c = G.gd_path_1d(alpha, 200)
    assert abs(w[-1] - 2) < 1e-6 and c[-1] < c[0]
