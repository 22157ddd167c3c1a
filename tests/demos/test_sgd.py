"""Chapter 5's demo (escaping a saddle) and helpers, driven headlessly."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import sgd  # noqa: E402
from pixels import live_vs_full  # noqa: E402


def test_plain_gd_walks_into_the_saddle_and_stops():
    path = sgd.saddle_path(0.0, 0)
    assert np.all(path.thetas[:, 1] == 0.0)  # never leaves the θ1 axis
    assert np.allclose(path.thetas[-1], 0.0, atol=1e-6)
    assert path.costs[-1] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_noise_pushes_gd_off_the_saddle_to_a_minimum(seed):
    path = sgd.saddle_path(0.3, seed)
    assert abs(path.thetas[-1, 1]) == pytest.approx(1.0, abs=0.2)
    assert path.costs[-1] < -0.2


def test_noisy_paths_are_seeded():
    a, b = sgd.saddle_path.__wrapped__(0.3, 4), sgd.saddle_path.__wrapped__(0.3, 4)
    assert np.array_equal(a.thetas, b.thetas)
    assert not np.array_equal(a.thetas, sgd.saddle_path.__wrapped__(0.3, 5).thetas)


def test_controls_move_the_artists():
    demo = sgd.build()
    art = demo.artists
    assert len(art["noisy_line"].get_xdata()) == sgd.N_STEPS + 1
    demo.controls["step"].value = 10
    assert len(art["noisy_line"].get_xdata()) == 11
    assert list(art["gd_dot"].get_xdata()) == pytest.approx([sgd.saddle_path(0.0, 0).thetas[10, 0]])
    before = np.array(art["noisy_line"].get_ydata(), dtype=float)
    demo.controls["sigma"].value = 0.8
    assert not np.allclose(np.array(art["noisy_line"].get_ydata(), dtype=float), before)
    demo.controls["sigma"].value = 0.0  # no noise: the two paths coincide
    assert np.allclose(art["noisy_line"].get_ydata(), art["gd_line"].get_ydata())
    demo.controls["seed"].value = 3
    assert "seed 3" in art["title"].get_text()
    assert isinstance(demo.render_png(), bytes)


def test_static_version_sweeps_the_steps():
    demo = sgd.build()
    frames = demo.frames()
    assert len(frames) == 26
    assert frames[0]["step"] == 0 and frames[-1]["step"] == sgd.N_STEPS
    html = demo.to_html()
    assert html.count("frames[") >= 26
    demo.set(step=5)  # the live view still redraws after the static version was made
    assert len(demo.artists["noisy_line"].get_xdata()) == 6


def test_sgd_log_matches_run_epochs():
    prob = solutions.make_regression(n=20, d=2, noise=1.0, seed=0)
    log = sgd.sgd_log(prob, [0.0, 0.0], 3, lr=0.05, seed=1)
    ref = solutions.run_epochs(solutions.gd_step, [0.0, 0.0], prob, 3, 1, seed=1, lr=0.05)
    assert np.array_equal(log.thetas, ref.thetas)
    for epoch in range(3):  # every sample once per epoch
        assert sorted(log.samples[20 * epoch : 20 * (epoch + 1)]) == list(range(20))
    k = 7
    n = log.samples[k]
    assert log.sample_losses[k] == pytest.approx((prob.X[n] @ log.thetas[k] - prob.y[n]) ** 2)


def test_live_blit_equals_a_full_draw_after_the_static_render():
    demo = sgd.build()
    demo.to_html()  # the static render first, as the book's display does
    demo.set(step=90, sigma=0.5, seed=2)
    assert live_vs_full(demo, 8) < 0.002  # the same picture as a full draw, up to antialiasing
