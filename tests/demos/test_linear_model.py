"""Chapter 1's demo, driven headlessly: the ω slider moves the line, the residuals and the cost point."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import linear_model  # noqa: E402

X, Y = solutions.hours_points()


def test_slider_moves_line_residuals_and_cost_point():
    demo = linear_model.build(w0=1.0)
    art = demo.artists
    assert art["dot"].get_ydata()[0] == pytest.approx(solutions.cost(1.0, X, Y))
    line_before = np.array(art["line"].get_ydata(), dtype=float)
    demo.controls["w"].value = 2.5
    assert not np.allclose(art["line"].get_ydata(), line_before)
    assert list(art["dot"].get_xdata()) == [2.5]
    assert art["dot"].get_ydata()[0] == pytest.approx(solutions.cost(2.5, X, Y))
    assert art["prediction"].get_ydata()[0] == pytest.approx(10.0)
    # each residual segment runs from y_n to y_hat_n
    for seg, xn, yn in zip(art["residuals"], X, Y):
        assert list(seg.get_ydata()) == pytest.approx([yn, 2.5 * xn])


def test_residuals_vanish_at_the_minimum():
    demo = linear_model.build()
    demo.set(w=2.0)
    assert demo.artists["dot"].get_ydata()[0] == pytest.approx(0.0)
    for seg in demo.artists["residuals"]:
        y0, y1 = seg.get_ydata()
        assert y0 == pytest.approx(y1)


def test_static_version_has_one_frame_per_weight():
    demo = linear_model.build(frames={"w": [0.0, 2.0, 4.0]})
    assert len(demo.frames()) == 3
    assert demo.to_html().count("frames[") >= 3
    assert len(linear_model.build().frames()) == len(linear_model.STATIC_WS) == 33


def test_live_redraw_after_the_static_version_is_rendered():
    # Displaying a demo renders the static animation first; the live view must still redraw after it
    # (in a kernel, the saved FuncAnimation's draw_event hook used to raise AttributeError here).
    import gc

    gc.disable()
    try:
        demo = linear_model.build(frames={"w": [0.0, 4.0]})
        demo.to_html()
        demo.set(w=3.0)
        assert demo.render_png()[:4] == b"\x89PNG"
    finally:
        gc.enable()
