r"""Demos that are live in a kernel and still move in the static book.

A chapter writes a demo once, as a matplotlib figure plus one ``update`` function, and gets:

* **live** (JupyterLab, Notebook 7, Colab): ipywidgets controls (sliders, toggles, drop-downs, a
  play button) that call ``update`` and show the redrawn figure. ``update`` changes the existing
  artists (``set_data``, ``set_offsets``, ``set_text``, ...) and never re-plots, so a change
  redraws in a few tens of milliseconds;
* **static** (the HTML book, built where it is shown: the book build): a scrubbable animation
  (matplotlib's ``to_jshtml``, frames embedded, with a slider and play/step buttons) made by calling
  the *same* ``update`` over a sweep of the controls. It needs no CDN and no kernel.

Displaying a :class:`Demo` emits ONE MIME bundle. In a live kernel it carries the widget view
(``application/vnd.jupyter.widget-view+json``). When the book is built (``tools/build_book.py`` sets
``DEMOS_STATIC=1`` for the kernels it starts), it also carries the animation as ``text/html``, and
the book's ``_config.yml`` ranks ``text/html`` first for the HTML builder
(``nb_mime_priority_overrides``). A live kernel never draws the animation, which would cost several
times the widget's time, for a version nobody there sees.

Example (a complete chapter cell)::

    import numpy as np
    import solutions
    from demos import Demo, figure, slider

    x, y = solutions.hours_points()
    ws = np.linspace(0, 4, 81)

    fig, ax = figure()
    ax.plot(ws, solutions.cost(ws, x, y), color="C0")
    ax.set(xlabel=r"$\omega$", ylabel="cost")
    (dot,) = ax.plot([], [], "o", color="C3", animated=True)
    label = ax.set_title("", animated=True)

    def update(w):
        c = solutions.cost(w, x, y)
        dot.set_data([w], [c])
        label.set_text(f"ω = {w:.2f}   cost = {c:.2f}")

    Demo(fig, update, {"w": slider(0.0, 4.0, 0.1, value=1.0, label="ω")})

The static animation sweeps the first slider over its range (``n_frames`` values, default 30);
pass ``frames={"w": values}`` (several names are zipped), or a list of parameter dicts, to choose
the sweep. A :func:`play` control (an integer step with a play button, for trajectories) is swept
over all its steps. Everything else stays at its default value in the animation. Put the parameter
values in the figure (a title or a text artist) so each static frame explains itself.

``update`` receives every control's current value as a keyword argument; name its parameters
after the controls (add ``**_`` to ignore some).

For speed, create the artists that ``update`` changes with ``animated=True`` (as in the example):
the live view then redraws only those over a cached picture of the rest (blitting), typically a few
milliseconds instead of a full draw. Everything else must stay fixed (call ``demo.invalidate()``
otherwise). The static animation always draws the full figure, at :data:`demos.style.SCALE` times the
size it is shown at (the default figure is 6 x 3.2 inches, shown 576 px wide at 96 dpi). Text smaller
than :data:`demos.style.MIN_TEXT_PX` at the book's column width is enlarged to it when the demo is made.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .style import COLUMN_PX, CSS_PX_PER_INCH, MIN_TEXT_PX, SCALE, texts

__all__ = [
    "Control",
    "Demo",
    "DEFAULT_DPI",
    "MAX_FRAMES",
    "choice",
    "figure",
    "int_slider",
    "play",
    "slider",
    "toggle",
]

DEFAULT_DPI = CSS_PX_PER_INCH
DEFAULT_FIGSIZE = (6.0, 3.2)
MAX_FRAMES = 40
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
# Set to "1" where the static version is shown: the book build (tools/build_book.py).
STATIC_ENV = "DEMOS_STATIC"

_ids = itertools.count()


# --------------------------------------------------------------------------- controls


@dataclass(frozen=True)
class Control:
    """One control of a demo: its kind, default value and range. Build it with the helpers below."""

    kind: str  # "float", "int", "toggle", "choice", "play"
    value: Any
    label: str | None = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    options: tuple = field(default=())  # ((label, value), ...) for "choice"
    interval: int = 200  # ms between steps of a "play" control

    def sweep(self, n: int) -> list:
        """Up to ``n`` values of this control, in order, for the static animation."""
        if self.kind == "float":
            return [float(v) for v in np.linspace(self.min, self.max, n)]
        if self.kind in ("int", "play"):
            count = int(self.max - self.min) + 1
            idx = np.unique(np.round(np.linspace(self.min, self.max, min(n, count))).astype(int))
            return [int(v) for v in idx]
        if self.kind == "toggle":
            return [False, True]
        if self.kind == "choice":
            return [v for _, v in self.options]
        raise ValueError(f"unknown control kind {self.kind!r}")


def slider(min: float, max: float, step: float | None = None, value: float | None = None,
           label: str | None = None) -> Control:
    """A float slider from ``min`` to ``max`` (default step: 1/100 of the range; default value: ``min``)."""
    if not max > min:
        raise ValueError(f"slider needs min < max, got {min}, {max}")
    step = (max - min) / 100 if step is None else step
    value = min if value is None else value
    if not min <= value <= max:
        raise ValueError(f"slider value {value} outside [{min}, {max}]")
    return Control("float", float(value), label, float(min), float(max), float(step))


def int_slider(min: int, max: int, value: int | None = None, label: str | None = None) -> Control:
    """An integer slider from ``min`` to ``max`` inclusive."""
    if not max > min:
        raise ValueError(f"int_slider needs min < max, got {min}, {max}")
    value = min if value is None else value
    return Control("int", int(value), label, int(min), int(max), 1)


def toggle(value: bool = False, label: str | None = None) -> Control:
    """An on/off checkbox."""
    return Control("toggle", bool(value), label)


def choice(options: Sequence | Mapping, value: Any = None, label: str | None = None) -> Control:
    """A drop-down. ``options`` is a list of values, or a mapping from shown label to value."""
    pairs = tuple(options.items()) if isinstance(options, Mapping) else tuple((str(o), o) for o in options)
    if not pairs:
        raise ValueError("choice needs at least one option")
    values = [v for _, v in pairs]
    value = values[0] if value is None else value
    if not any(value is v or value == v for v in values):
        raise ValueError(f"choice value {value!r} is not one of the options")
    return Control("choice", value, label, options=pairs)


def play(n: int, value: int = 0, label: str | None = "step", interval: int = 200) -> Control:
    """An integer step 0..n-1 with a play button (for stepping through a trajectory)."""
    if n < 2:
        raise ValueError("play needs at least 2 steps")
    return Control("play", int(value), label, 0, int(n - 1), 1, interval=int(interval))


# --------------------------------------------------------------------------- figures


def figure(nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = DEFAULT_FIGSIZE,
           dpi: int = DEFAULT_DPI, **subplot_kw) -> tuple[Figure, Any]:
    """A small figure for a demo, outside pyplot (so the inline backend never shows it by itself).

    Returns ``(fig, ax)`` like ``plt.subplots``; ``subplot_kw`` is passed to ``Figure.subplots``.
    """
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


# --------------------------------------------------------------------------- the demo

# The animation's buttons use Font Awesome from a CDN; the book must work offline, so we swap the
# icons for plain characters and let the controls shrink to the page width (phones).
_ICONS = {
    "fa fa-minus": "&minus;",
    "fa fa-fast-backward": "&#8676;",
    "fa fa-step-backward": "&lsaquo;",
    "fa fa-play fa-flip-horizontal": "&#9664;",
    "fa fa-pause": "&#10074;&#10074;",
    "fa fa-play": "&#9654;",
    "fa fa-step-forward": "&rsaquo;",
    "fa fa-fast-forward": "&#8677;",
    "fa fa-plus": "+",
}
_STATIC_STYLE = """<style>
.gdh-demo-static { max-width: 100%; overflow-x: auto; }
.gdh-demo-static .animation { display: block; max-width: 100%; }
.gdh-demo-static .animation img { max-width: 100%; height: auto; }
.gdh-demo-static input[type=range].anim-slider { width: 100%; max-width: 432px; }
.gdh-demo-static .anim-buttons button { width: 2.2em; min-height: 2em; }
.gdh-demo-static .gdh-demo-note { font-size: 0.85em; opacity: 0.8; margin: 0.2em 0 0; }
</style>"""


def _offline_jshtml(raw: str) -> str:
    out = re.sub(r"<link[^>]*font-awesome[^>]*>", "", raw)
    for cls, glyph in _ICONS.items():
        out = out.replace(f'<i class="{cls}"></i>', glyph)
    # Replace matplotlib's random uuid with a stable id so that two builds give the same page.
    m = re.search(r'id="_anim_img([0-9a-f]+)"', out)
    if m:
        uid = m.group(1)
        stable = hashlib.sha1(out.replace(uid, "").encode()).hexdigest()[:16] + f"n{next(_ids)}"
        out = out.replace(uid, stable)
    return out


_FRAME = re.compile(r'data:image/png;base64,([A-Za-z0-9+/=\\\n]+)"')


def _palette_frames(html_text: str, colors: int) -> str:
    """Re-encode every embedded PNG frame with a palette of ``colors`` colours.

    Line plots have few colours, so this keeps them visually identical at about a quarter of the
    bytes, which keeps chapters with several demos well inside the page budget.
    """
    from PIL import Image

    def shrink(m: re.Match) -> str:
        raw = base64.b64decode(m.group(1).replace("\\\n", ""))
        img = Image.open(BytesIO(raw)).convert("RGB").quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
        buf = BytesIO()
        img.save(buf, format="png", compress_level=9)
        small = buf.getvalue() if len(buf.getvalue()) < len(raw) else raw
        return f'data:image/png;base64,{base64.b64encode(small).decode()}"'

    return _FRAME.sub(shrink, html_text)


def _legible(fig: Figure) -> None:
    """Enlarge every text of ``fig`` that the book's column would show smaller than ``MIN_TEXT_PX``."""
    shown = min(fig.get_figwidth() * CSS_PX_PER_INCH, COLUMN_PX)  # CSS px the page gives the figure
    floor = MIN_TEXT_PX * 72 * fig.get_figwidth() / shown  # in points
    for text in texts(fig):
        if text.get_fontsize() < floor:
            text.set_fontsize(floor)
    for ax in fig.axes:  # tick labels: also those that the axes make later, when it draws
        for axis in (ax.xaxis, ax.yaxis, getattr(ax, "zaxis", None)):
            if axis is not None and any(t.get_fontsize() < floor for t in axis.get_ticklabels(which="both")):
                axis.set_tick_params(which="both", labelsize=floor)


_TEX_SYMBOLS = {"ast": "*", "cdot": "·", "nabla": "∇", "infty": "∞", "partial": "∂"}


def _plain(label: str) -> str:
    r"""A mathtext label as plain text for alt text: ``$\theta_2$`` -> ``θ2``, ``cost$(\omega)$`` -> ``cost(ω)``."""

    def symbol(m: re.Match) -> str:
        name = m.group(1)
        if name in _TEX_SYMBOLS:
            return _TEX_SYMBOLS[name]
        case = "CAPITAL" if name[0].isupper() else "SMALL"
        try:
            return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
        except KeyError:
            return ""  # \mathrm, \hat, ...: keep only their argument

    return re.sub(r"[$\\{}_^]", "", re.sub(r"\\([A-Za-z]+)", symbol, label))


class Demo:
    """A figure, an ``update(**params)`` function and controls: live widget + static animation.

    Parameters
    ----------
    fig : matplotlib Figure (from :func:`figure`, or ``plt.subplots``: it is closed in pyplot so the
        inline backend does not show it twice).
    update : called as ``update(**params)`` with every control's value; it changes the artists.
    controls : mapping from parameter name to a :class:`Control` (``slider``, ``toggle``, ...).
    frames : what the static animation shows: ``None`` (sweep the play control, else the first
        slider), a mapping ``{name: values}`` (zipped), or a sequence of parameter dicts. At most
        ``max_frames`` frames are kept (evenly spaced, first and last included).
    n_frames : frames in the default sweep.
    fps : speed of the static animation.
    mode : what the animation does at the end: "once", "loop" or "reflect".
    palette : colours of the static animation's frames (PNG palette, about 4x smaller than full
        colour and indistinguishable for line plots); ``None`` keeps full colour (for smooth images).
    alt : alt text of the static animation for readers who cannot see it; by default it says what the
        axes plot and which controls change.
    """

    def __init__(self, fig: Figure, update: Callable[..., Any], controls: Mapping[str, Control],
                 frames: Mapping[str, Sequence] | Sequence[Mapping[str, Any]] | None = None, *,
                 n_frames: int = 30, fps: float = 5, mode: str = "once", max_frames: int = MAX_FRAMES,
                 palette: int | None = 256, alt: str | None = None):
        if not controls:
            raise ValueError("a demo needs at least one control")
        for name, c in controls.items():
            if not isinstance(c, Control):
                raise TypeError(f"control {name!r} must be built with slider/toggle/choice/play")
        if mode not in ("once", "loop", "reflect"):
            raise ValueError(f"mode must be 'once', 'loop' or 'reflect', got {mode!r}")
        self.fig = fig
        self._update = update
        self.specs: dict[str, Control] = dict(controls)
        self.params: dict[str, Any] = {k: c.value for k, c in self.specs.items()}
        self.n_frames, self.fps, self.mode, self.max_frames = n_frames, fps, mode, max_frames
        self.palette = palette
        self.alt = alt
        self._frames_spec = frames
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        try:  # never let pyplot's inline backend display the figure on its own
            import matplotlib.pyplot as plt

            plt.close(fig)
        except Exception:  # pragma: no cover - pyplot unavailable
            pass
        self._widget = None
        self._controls: dict[str, Any] = {}
        self._image = None
        self._html: str | None = None
        self._background = None
        self._update(**self.params)
        _legible(fig)
        if fig.get_layout_engine() is not None:
            # Lay the figure out once, then freeze it: a layout engine on every redraw costs more
            # than the redraw itself, and a fixed layout keeps the animation's frames steady. No
            # engine at all (not the "none" placeholder): with any engine, savefig lays the figure
            # out once more before each static frame.
            fig.canvas.draw()
            with rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
                fig.set_layout_engine(None)

    # -- the model ------------------------------------------------------------------------

    def set(self, **changes: Any) -> None:
        """Change some parameters, update the artists, and refresh the live view if shown."""
        unknown = set(changes) - set(self.specs)
        if unknown:
            raise KeyError(f"unknown demo parameter(s): {sorted(unknown)}")
        self.params.update(changes)
        self._update(**self.params)
        if self._image is not None:
            self._image.value = self.render_png()

    def frames(self) -> list[dict[str, Any]]:
        """The parameter dicts of the static animation's frames."""
        spec = self._frames_spec
        if spec is None:
            plays = [k for k, c in self.specs.items() if c.kind == "play"]
            sliders = [k for k, c in self.specs.items() if c.kind in ("float", "int")]
            name = (plays or sliders or list(self.specs))[0]
            spec = {name: self.specs[name].sweep(self.n_frames)}
        if isinstance(spec, Mapping):
            unknown = set(spec) - set(self.specs)
            if unknown:
                raise KeyError(f"frames name unknown parameter(s): {sorted(unknown)}")
            lengths = {len(v) for v in spec.values()}
            if len(lengths) != 1:
                raise ValueError("frames: every swept parameter needs the same number of values")
            n = lengths.pop()
            rows = [{**self.params, **{k: spec[k][i] for k in spec}} for i in range(n)]
        else:
            rows = []
            for r in spec:
                unknown = set(r) - set(self.specs)
                if unknown:
                    raise KeyError(f"frames name unknown parameter(s): {sorted(unknown)}")
                rows.append({**self.params, **r})
        if not rows:
            raise ValueError("a demo needs at least one frame")
        if len(rows) > self.max_frames:
            keep = np.unique(np.round(np.linspace(0, len(rows) - 1, self.max_frames)).astype(int))
            rows = [rows[i] for i in keep]
        return rows

    # -- rendering ------------------------------------------------------------------------

    def _animated_artists(self) -> list:
        """The artists marked ``animated=True``, in drawing order (by axes, then zorder)."""
        found = [a for a in self.fig.findobj(lambda a: a is not self.fig and a.get_animated())]
        order = {id(ax): i for i, ax in enumerate(self.fig.axes)}

        def key(a):
            ax = getattr(a, "axes", None)
            return (order.get(id(ax), len(order)), a.get_zorder())

        return sorted(found, key=key)

    def redraw(self) -> None:
        """Redraw the figure on its Agg canvas after a change.

        If the figure has artists marked ``animated=True`` (the ones ``update`` changes), only those
        are drawn over a cached picture of everything else (blitting), which is several times faster
        than a full draw. The cache is taken on first use; call :meth:`invalidate` if ``update``
        ever changes something that is not marked animated. Without animated artists this is a full
        ``fig.canvas.draw()``. (The static animation is always drawn in full, animated artists
        included.)
        """
        canvas = self.fig.canvas
        animated = self._animated_artists()
        if not animated:
            canvas.draw()
            return
        if self._background is None:
            canvas.draw()  # a full draw skips animated artists: this is the background
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._background)
        for artist in animated:
            self.fig.draw_artist(artist)

    def invalidate(self) -> None:
        """Forget the cached background (after changing an artist that is not animated)."""
        self._background = None

    def render_png(self) -> bytes:
        """The figure as it is now, as PNG bytes (what the live view shows)."""
        from PIL import Image

        self.redraw()
        canvas = self.fig.canvas
        w, h = canvas.get_width_height(physical=True)
        img = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = BytesIO()
        img.save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def to_html(self) -> str:
        """The kernel-free version: a scrubbable animation with slider and play/step buttons."""
        if self._html is None:
            rows = self.frames()
            anim = FuncAnimation(self.fig, lambda i: self._update(**rows[i]) or (), frames=len(rows),
                                 interval=1000 / self.fps, repeat=False, blit=False, cache_frame_data=False)
            # Each frame is drawn once, by the writer's savefig: FuncAnimation also asks the canvas
            # for a redraw after every update (draw_idle, which Agg performs at once), a full draw
            # whose picture nobody uses. The frames are drawn at SCALE times the figure's dpi and
            # shown at its own size (the <img>'s width), so they stay sharp on any screen.
            canvas = self.fig.canvas
            try:
                canvas.draw_idle = lambda *args, **kwargs: None
                with rc_context({"savefig.dpi": SCALE * self.fig.dpi, "savefig.bbox": None}):
                    raw = anim.to_jshtml(fps=self.fps, embed_frames=True, default_mode=self.mode)
                if self.palette:
                    raw = _palette_frames(raw, self.palette)
            finally:
                del canvas.draw_idle  # the canvas's own method again
                # The animation is only saved, never run: drop its "start on first draw" and close
                # hooks, or a later live redraw (canvas.draw) calls its _start with no event source
                # (an AttributeError whenever the garbage collector has not freed it yet).
                anim.event_source = None
                for cid in (getattr(anim, "_first_draw_id", None), getattr(anim, "_close_id", None)):
                    if cid is not None:
                        self.fig.canvas.mpl_disconnect(cid)
                self._update(**self.params)  # back to the live state
            names = ", ".join(html.escape(self.specs[k].label or k) for k in self.specs)
            note = (f'<p class="gdh-demo-note">Static version: drag the slider or press play. '
                    f'Run this page as a notebook to set {names} yourself.</p>')
            alt = html.escape(self.alt or self._default_alt(len(rows)), quote=True)
            width = round(self.fig.get_figwidth() * self.fig.dpi)
            animation = _offline_jshtml(raw).replace(
                '<img id="_anim_img', f'<img alt="{alt}" width="{width}" id="_anim_img', 1)
            self._html = f'<div class="gdh-demo-static">{_STATIC_STYLE}{animation}{note}</div>'
        return self._html

    def _default_alt(self, n_frames: int) -> str:
        """Alt text for the animation when the chapter gives none: what its axes plot, and what changes."""
        plots = [f"{_plain(ax.get_ylabel())} against {_plain(ax.get_xlabel())}" for ax in self.fig.axes
                 if ax.get_xlabel() and ax.get_ylabel()]
        names = ", ".join(self.specs[k].label or k for k in self.specs)
        what = f" of {'; '.join(plots)}" if plots else ""
        verb = "changes" if len(self.specs) == 1 else "change"
        return f"Animation in {n_frames} frames{what}, as {names} {verb}"

    # -- the live view --------------------------------------------------------------------

    @property
    def controls(self) -> dict[str, Any]:
        """The ipywidgets control of each parameter (built on first use)."""
        self.widget  # noqa: B018 - builds the widgets
        return self._controls

    @property
    def widget(self):
        """The live view: an ipywidgets box with the controls above the figure."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self):
        import ipywidgets as W

        rows = []
        for name, c in self.specs.items():
            desc = c.label or name
            style = {"description_width": "initial"}
            if c.kind == "float":
                w = W.FloatSlider(value=c.value, min=c.min, max=c.max, step=c.step, description=desc,
                                  style=style, continuous_update=True, readout_format=".3g")
                rows.append(w)
            elif c.kind == "int":
                w = W.IntSlider(value=c.value, min=c.min, max=c.max, step=1, description=desc, style=style)
                rows.append(w)
            elif c.kind == "toggle":
                w = W.Checkbox(value=c.value, description=desc, indent=False)
                rows.append(w)
            elif c.kind == "choice":
                w = W.Dropdown(options=list(c.options), value=c.value, description=desc, style=style)
                rows.append(w)
            elif c.kind == "play":
                w = W.IntSlider(value=c.value, min=c.min, max=c.max, step=1, description=desc, style=style)
                player = W.Play(value=c.value, min=c.min, max=c.max, step=1, interval=c.interval,
                                description=f"play {desc}")
                W.link((player, "value"), (w, "value"))
                rows.append(W.HBox([player, w]))
            else:  # pragma: no cover - Control() validates kinds through the helpers
                raise ValueError(c.kind)
            w.observe(self._on_change(name), names="value")
            self._controls[name] = w
        width = int(round(self.fig.get_figwidth() * self.fig.dpi))
        self._image = W.Image(value=self.render_png(), format="png",
                              layout=W.Layout(max_width="100%", width=f"{width}px"))
        return W.VBox([*rows, self._image])

    def _on_change(self, name: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
            self.set(**{name: change["new"]})

        return handler

    # -- display --------------------------------------------------------------------------

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        """One bundle: the live widget view, and the kernel-free text/html animation in the book build."""
        bundle: dict[str, Any] = {
            "text/plain": f"<Demo of {', '.join(self.specs)}: run in Jupyter for live controls>",
        }
        if os.environ.get(STATIC_ENV) == "1":
            bundle["text/html"] = self.to_html()
        view = self.widget._repr_mimebundle_()
        if view and WIDGET_VIEW_MIME in view:
            bundle[WIDGET_VIEW_MIME] = view[WIDGET_VIEW_MIME]
        return bundle

    def __repr__(self) -> str:
        return f"Demo({', '.join(f'{k}={v!r}' for k, v in self.params.items())})"

