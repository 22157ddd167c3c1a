"""Pixel helpers for the demo tests: is what the live view shows the same picture as a full draw?"""

from io import BytesIO

import numpy as np


def pixels(png: bytes) -> np.ndarray:
    """A PNG as an (h, w, 3) array of ints."""
    from PIL import Image

    return np.asarray(Image.open(BytesIO(png)).convert("RGB"), dtype=int)


def full_draw(fig) -> np.ndarray:
    """The figure drawn from scratch (savefig draws every artist, animated ones included)."""
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return pixels(buf.getvalue())


def live_vs_full(demo, tolerance: int) -> float:
    """The share of pixels where the live view (animated artists blitted over a cached background) and a full
    draw of the demo's figure differ by more than ``tolerance`` in some channel: 0 for the same picture."""
    live, full = pixels(demo.render_png()), full_draw(demo.fig)
    assert live.shape == full.shape
    return float(np.mean(np.abs(live - full).max(axis=-1) > tolerance))
