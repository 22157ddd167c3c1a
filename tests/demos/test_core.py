"""The demo framework, driven headlessly: controls call update, the artists move, the bundle has both views."""

import re

import numpy as np
import pytest

import solutions
from demos import Demo, MAX_FRAMES, choice, figure, int_slider, play, slider, toggle
from demos.core import STATIC_ENV, WIDGET_VIEW_MIME

X, Y = solutions.hours_points()


def cost_demo(**kw):
    ws = np.linspace(0, 4, 41)
    fig, ax = figure()
    ax.plot(ws, solutions.cost(ws, X, Y))
    (dot,) = ax.plot([], [], "o")
    title = ax.set_title(" ")
    calls = []

    def update(w):
        calls.append(w)
        c = solutions.cost(w, X, Y)
        dot.set_data([w], [c])
        title.set_text(f"w = {w:.2f}")

    demo = Demo(fig, update, {"w": slider(0.0, 4.0, 0.1, value=1.0, label="ω")}, **kw)
    return demo, dot, title, calls


def test_initial_state_is_drawn():
    demo, dot, title, calls = cost_demo()
    assert calls == [1.0]
    assert list(dot.get_xdata()) == [1.0]
    assert dot.get_ydata()[0] == pytest.approx(solutions.cost(1.0, X, Y))
    assert title.get_text() == "w = 1.00"


def test_slider_change_updates_artists_and_image():
    demo, dot, title, _ = cost_demo()
    before = demo.widget.children[-1].value  # the rendered PNG
    demo.controls["w"].value = 2.5
    assert list(dot.get_xdata()) == [2.5]
    assert dot.get_ydata()[0] == pytest.approx(solutions.cost(2.5, X, Y))
    assert title.get_text() == "w = 2.50"
    after = demo.widget.children[-1].value
    assert after[:8] == b"\x89PNG\r\n\x1a\n"
    assert after != before
    assert demo.params == {"w": 2.5}


def test_live_bundle_carries_the_widget_view_and_no_static_html(monkeypatch):
    monkeypatch.delenv(STATIC_ENV, raising=False)
    demo, *_ = cost_demo(n_frames=5)
    calls = []
    monkeypatch.setattr(demo, "to_html", lambda: calls.append(1))
    bundle = demo._repr_mimebundle_()
    assert set(bundle) == {"text/plain", WIDGET_VIEW_MIME}
    assert calls == []  # the animation is never drawn in a live kernel


def test_book_build_bundle_carries_widget_view_and_static_html(monkeypatch):
    monkeypatch.setenv(STATIC_ENV, "1")
    demo, *_ = cost_demo(n_frames=5)
    bundle = demo._repr_mimebundle_()
    assert set(bundle) >= {"text/plain", "text/html", WIDGET_VIEW_MIME}
    view = bundle[WIDGET_VIEW_MIME]
    assert view["model_id"] == demo.widget.model_id
    html = bundle["text/html"]
    frames = re.findall(r"data:image/png;base64,", html)
    assert len(frames) == 5
    for title in ("Next frame", "Previous frame", "Play", "Pause"):
        assert f'title="{title}"' in html
    assert 'type="range"' in html  # the scrub slider
    # offline: no CDN stylesheet (matplotlib's template links Font Awesome), no icon classes left
    assert "http://" not in html and "https://" not in html
    assert "fa fa-" not in html


def test_static_animation_restores_live_state():
    demo, dot, _, calls = cost_demo(n_frames=4)
    demo.set(w=3.0)
    demo.to_html()
    assert calls[-5:-1] == [0.0, pytest.approx(4 / 3), pytest.approx(8 / 3), 4.0]
    assert list(dot.get_xdata()) == [3.0]


def test_static_html_is_deterministic():
    a, *_ = cost_demo(n_frames=3)
    b, *_ = cost_demo(n_frames=3)
    strip = lambda s: re.sub(r"n\d+\b", "", s)  # noqa: E731 - the per-process counter suffix
    assert strip(a.to_html()) == strip(b.to_html())


def test_frames_default_sweeps_first_slider_and_explicit_frames():
    demo, *_ = cost_demo(n_frames=3)
    assert [f["w"] for f in demo.frames()] == [0.0, 2.0, 4.0]
    demo2, *_ = cost_demo(frames={"w": [0.5, 1.5]})
    assert demo2.frames() == [{"w": 0.5}, {"w": 1.5}]
    demo3, *_ = cost_demo(frames=[{"w": 3.5}])
    assert demo3.frames() == [{"w": 3.5}]


def test_frames_are_capped():
    demo, *_ = cost_demo(frames={"w": list(np.linspace(0, 4, 200))})
    rows = demo.frames()
    assert len(rows) == MAX_FRAMES
    assert rows[0]["w"] == 0.0 and rows[-1]["w"] == 4.0


def test_play_toggle_choice_int_controls():
    fig, ax = figure()
    path = np.linspace(0, 1, 10)
    (line,) = ax.plot([], [])
    seen = {}

    def update(step, show, color, k):
        seen.update(step=step, show=show, color=color, k=k)
        line.set_data(path[: step + 1], path[: step + 1] * k)
        line.set_visible(show)
        line.set_color(color)

    demo = Demo(fig, update, {
        "step": play(10),
        "show": toggle(True, label="show path"),
        "color": choice({"red": "C3", "blue": "C0"}),
        "k": int_slider(1, 5, value=2),
    })
    # default frames sweep the play control over all its steps
    assert [f["step"] for f in demo.frames()] == list(range(10))
    c = demo.controls
    c["step"].value = 4
    assert len(line.get_xdata()) == 5
    c["show"].value = False
    assert line.get_visible() is False
    c["color"].value = "C0"
    assert line.get_color() == "C0"
    c["k"].value = 3
    assert line.get_ydata()[-1] == pytest.approx(path[4] * 3)
    # the Play button is linked to the step slider in Python (works without a front end)
    player = demo.widget.children[0].children[0]
    player.value = 7
    assert seen["step"] == 7 and len(line.get_xdata()) == 8


def test_bad_specs_are_rejected():
    fig, _ = figure()
    with pytest.raises(ValueError):
        slider(1.0, 1.0)
    with pytest.raises(ValueError):
        slider(0.0, 1.0, value=2.0)
    with pytest.raises(ValueError):
        choice(["a", "b"], value="c")
    with pytest.raises(ValueError):
        Demo(fig, lambda: None, {})
    with pytest.raises(TypeError):
        Demo(fig, lambda w: None, {"w": 1.0})
    demo, *_ = cost_demo()
    with pytest.raises(KeyError):
        demo.set(v=1.0)
    with pytest.raises(KeyError):
        cost_demo(frames={"v": [1.0]})[0].frames()


def test_docstring_example_runs():
    import ast
    import textwrap

    import demos.core

    doc = demos.core.__doc__
    block = doc.split("Example (a complete chapter cell)::", 1)[1].split("\nThe static animation", 1)[0]
    code = textwrap.dedent(block).strip()
    tree = ast.parse(code)
    last = ast.Expression(tree.body.pop().value)
    ns: dict = {}
    exec(compile(tree, "<doc>", "exec"), ns)
    demo = eval(compile(last, "<doc>", "eval"), ns)
    assert isinstance(demo, Demo)
    demo.controls["w"].value = 2.0
    assert list(ns["dot"].get_xdata()) == [2.0]
    assert ns["label"].get_text().startswith("ω = 2.00")


def _pixels(png: bytes) -> np.ndarray:
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(png)).convert("RGBA")).astype(int)


def test_blitting_matches_a_full_draw():
    """With animated artists the live view blits them over a cached background; same picture as savefig."""
    from io import BytesIO

    ws = np.linspace(0, 4, 41)
    fig, ax = figure()
    ax.plot(ws, solutions.cost(ws, X, Y))
    (dot,) = ax.plot([], [], "o", color="C3", animated=True)
    title = ax.set_title(" ", animated=True)

    def update(w):
        dot.set_data([w], [solutions.cost(w, X, Y)])
        title.set_text(f"w = {w:.2f}")

    demo = Demo(fig, update, {"w": slider(0.0, 4.0, 0.1, value=1.0)})
    assert demo._animated_artists() == [dot, title] or set(demo._animated_artists()) == {dot, title}
    first = _pixels(demo.render_png())
    demo.controls["w"].value = 3.0
    live = _pixels(demo.widget.children[-1].value)
    assert demo._background is not None  # the cached background was used
    full = BytesIO()
    fig.savefig(full, format="png", dpi=fig.dpi)  # a full draw, animated artists included
    full = _pixels(full.getvalue())
    assert live.shape == full.shape
    assert np.abs(live - full).max() <= 2  # same picture (up to rounding)
    assert np.abs(live - first).max() > 100  # and the dot and title really moved
    # the static animation draws the animated artists too: its frames differ from each other
    import base64

    # (matplotlib splits the base64 text into JS string lines ending in a backslash)
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=\\\s]+)", demo.to_html())
    a, b = (_pixels(base64.b64decode(re.sub(r"[\\\s]", "", f))) for f in (frames[0], frames[-1]))
    assert np.abs(a - b).max() > 100


def test_static_frames_use_a_palette_and_are_smaller():
    import base64
    from io import BytesIO

    from PIL import Image

    small, *_ = cost_demo(n_frames=4)
    full, *_ = cost_demo(n_frames=4, palette=None)
    pat = r"data:image/png;base64,([A-Za-z0-9+/=\\\s]+)"
    decode = lambda f: base64.b64decode(re.sub(r"[\\\s]", "", f))  # noqa: E731
    small_frames = [decode(f) for f in re.findall(pat, small.to_html())]
    full_frames = [decode(f) for f in re.findall(pat, full.to_html())]
    assert len(small_frames) == len(full_frames) == 4
    assert all(Image.open(BytesIO(f)).mode == "P" for f in small_frames)
    assert sum(map(len, small_frames)) < 0.6 * sum(map(len, full_frames))
    # the same picture, up to the palette's rounding
    a = _pixels(small_frames[1])[..., :3]
    b = _pixels(full_frames[1])[..., :3]
    assert np.abs(a - b).mean() < 2


def test_static_animation_has_alt_text():
    fig, ax = figure()
    ax.set_xlabel(r"weight $\omega$")
    ax.set_ylabel(r"$L(\theta_t) - L^\ast$")
    (line,) = ax.plot([0, 1], [0, 1])
    demo = Demo(fig, lambda w: line.set_ydata([0, w]), {"w": slider(0.0, 1.0, 0.5, value=0.0, label="ω")},
                n_frames=3)
    # no raw TeX in alt text: the axis labels are read out as plain text
    assert '<img alt="Animation in 3 frames of L(θt) - L* against weight ω, as ω changes"' in demo.to_html()
    given = Demo(fig, lambda w: line.set_ydata([0, w]), {"w": slider(0.0, 1.0, 0.5, value=0.0)}, alt='a "line"')
    assert '<img alt="a &quot;line&quot;"' in given.to_html()


def test_static_frames_are_drawn_at_twice_their_displayed_width():
    import base64
    from io import BytesIO

    from PIL import Image

    from demos.style import SCALE

    demo, *_ = cost_demo(n_frames=3)
    html = demo.to_html()
    shown = int(re.search(r'<img alt="[^"]*" width="(\d+)" id="_anim_img', html).group(1))
    assert shown == round(demo.fig.get_figwidth() * demo.fig.dpi) == 576  # 6 in at 96 CSS px per inch
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=\\\s]+)", html)
    widths = {Image.open(BytesIO(base64.b64decode(re.sub(r"[\\\s]", "", f)))).size[0] for f in frames}
    assert widths == {SCALE * shown}


def test_small_text_is_enlarged_to_the_legible_minimum():
    from demos.style import COLUMN_PX, MIN_TEXT_PX, texts

    for width in (6.0, 7.6, 9.0):  # shown at its own size, and shrunk to the column
        fig, ax = figure(figsize=(width, 3))
        ax.plot([0, 1], [0, 1], label="a line")
        ax.legend(fontsize=6)
        title = ax.set_title("", fontsize=7)
        big = ax.text(0.5, 0.5, "big", fontsize=14)
        Demo(fig, lambda w: title.set_text(f"w = {w}"), {"w": slider(0.0, 1.0)}, n_frames=2)
        shown = min(width * 96, COLUMN_PX)
        px = [t.get_fontsize() / 72 * shown / width for t in texts(fig)]
        assert min(px) == pytest.approx(MIN_TEXT_PX), width
        assert big.get_fontsize() == 14
