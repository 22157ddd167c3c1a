"""How the book draws every figure: one matplotlib style, and PNGs drawn at twice their displayed size.

A chapter's first cell calls :func:`use`. From then on:

* the style ``book.mplstyle`` (beside this file) sets the dpi and the font sizes of every figure, the
  chapter's own and its demos' alike. ``figure.dpi`` is :data:`CSS_PX_PER_INCH`, so a figure is shown
  at its size in inches, and the book's column (:data:`COLUMN_PX`) holds a figure up to 7.17 in wide
  at its own size, where 9 pt text is 12 px;
* a figure that the notebook shows (``plt.show()``, or a figure left as a cell's result) becomes a PNG
  drawn at :data:`SCALE` times its displayed size, with the displayed width as output metadata (myst-nb
  writes it into the page's ``<img>``) and the size its smallest text is shown at (in CSS px, at the
  displayed width) as the PNG text chunk :data:`SMALLEST_TEXT_KEY`, which the browser tests read.

The demos draw their static frames at the same :data:`SCALE` (:mod:`demos.core`).
"""

from __future__ import annotations

import struct
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text

STYLE = Path(__file__).with_name("book.mplstyle")
CSS_PX_PER_INCH = 96  # figure.dpi in book.mplstyle: a figure is shown at its size in CSS inches
SCALE = 2  # pixels drawn per displayed pixel (PNG figures and demo frames)
COLUMN_PX = 688  # width of the book's text column on a laptop (sphinx-book-theme, 1280 px window)
MIN_TEXT_PX = 11  # the smallest text a figure may show at the column's width
SMALLEST_TEXT_KEY = "Smallest text px"


def texts(artist) -> list[Text]:
    """The text artists that a draw of ``artist`` shows: visible, not empty, in a visible parent."""
    if not artist.get_visible():
        return []
    children = artist.get_children()
    if isinstance(artist, Axes) and not artist.axison:  # ax.axis("off"): no ticks or axis labels
        children = [c for c in children if not isinstance(c, Axis)]
    found = [artist] if isinstance(artist, Text) and artist.get_text().strip() else []
    for child in children:
        found += texts(child)
    return found


def smallest_text_px(fig: Figure) -> float:
    """The size of the figure's smallest text, in CSS px, when the figure is shown at its own size."""
    sizes = [t.get_fontsize() for t in texts(fig)]
    return min(sizes) * fig.dpi / 72 if sizes else float("inf")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    return struct.unpack(">II", data[16:24])


def png_2x(fig: Figure):
    """The IPython formatter of a figure: a PNG at :data:`SCALE` x, and its displayed width as metadata."""
    from binascii import a2b_base64

    from IPython.core.pylabtools import print_figure

    smallest = smallest_text_px(fig)
    data = print_figure(fig, "png", base64=True, dpi=SCALE * fig.dpi,
                        metadata={SMALLEST_TEXT_KEY: f"{smallest:.2f}"})
    if data is None:  # an empty figure
        return None
    width, _ = png_size(a2b_base64(data[:64]))
    return data, {"width": width // SCALE}


def use() -> None:
    """Apply the book's style, and show the notebook's figures as :data:`SCALE` x PNGs (see the module)."""
    import matplotlib.pyplot as plt

    plt.style.use(STYLE)
    # Load the backend now: the inline backend registers its own PNG formatter when it loads, which
    # pyplot otherwise does only at the first figure, after (and over) ours.
    plt.switch_backend(plt.get_backend())
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there in a kernel
        return
    shell = get_ipython()
    if shell is not None:
        formatter = shell.display_formatter.formatters["image/png"]
        formatter.for_type(Figure, png_2x)
