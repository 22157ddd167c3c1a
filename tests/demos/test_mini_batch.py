"""Chapter 6's demo (batch size and path) and helpers, driven headlessly."""

import matplotlib

matplotlib.use("Agg")

import math  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import mini_batch  # noqa: E402
from pixels import live_vs_full  # noqa: E402


@pytest.mark.parametrize("n,b", [(50000, 1), (50000, 10), (50000, 128), (128, 128), (10, 4), (1000, 64)])
def test_updates_per_epoch_is_the_ceiling(n, b):
    assert mini_batch.updates_per_epoch(n, b) == math.ceil(n / b) == len(solutions.batches(n, b))


def test_paths_have_the_right_number_of_updates():
    for k in range(mini_batch.K_MAX + 1):
        b = 2**k
        assert len(mini_batch.path(b).thetas) == mini_batch.EPOCHS * math.ceil(mini_batch.N / b) + 1


def test_full_batch_path_is_gradient_descent():
    prob = mini_batch.problem()
    full = mini_batch.path(mini_batch.N)
    gd = solutions.run(solutions.gd_step, np.array(mini_batch.THETA0), prob.grad, mini_batch.EPOCHS,
                       lr=mini_batch.LR)
    assert np.allclose(full.thetas, gd.thetas, rtol=0, atol=1e-12)


def test_controls_move_the_artists():
    demo = mini_batch.build(k=3)
    art = demo.artists
    assert len(art["line"].get_xdata()) == mini_batch.EPOCHS * 16 + 1
    demo.controls["k"].value = 0
    assert len(art["line"].get_xdata()) == mini_batch.EPOCHS * 128 + 1
    assert "B = 1:" in art["title"].get_text()
    demo.controls["epoch"].value = 2
    assert len(art["line"].get_xdata()) == 2 * 128 + 1
    assert list(art["cost_dot"].get_xdata()) == pytest.approx([2.0])
    demo.controls["k"].value = mini_batch.K_MAX
    assert len(art["line"].get_xdata()) == 3  # the full batch: one update per epoch
    assert isinstance(demo.render_png(), bytes)


def test_static_version_shows_every_batch_size():
    demo = mini_batch.build()
    frames = demo.frames()
    assert len(frames) == 24
    assert sorted({f["k"] for f in frames}) == list(range(mini_batch.K_MAX + 1))
    assert demo.to_html().count("frames[") >= 24


def test_epoch_seconds_is_positive_and_smaller_batches_take_longer():
    prob = solutions.make_regression(n=400, d=3, seed=0)
    t1 = mini_batch.epoch_seconds(prob, 1, repeats=2)
    t400 = mini_batch.epoch_seconds(prob, 400, repeats=2)
    assert t1 > 0 and t400 > 0
    assert t1 > t400  # 400 dependent updates against one vectorised update


@pytest.mark.parametrize("k", [0, 4, 7])
def test_live_blit_equals_a_full_draw_after_the_static_render(k):
    demo = mini_batch.build()
    demo.to_html()  # the static render first, as the book's display does
    demo.set(k=k, epoch=5)
    assert live_vs_full(demo, 8) < 0.002  # the same picture as a full draw, up to antialiasing
