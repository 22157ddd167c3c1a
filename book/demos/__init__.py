"""Interactive demos of the book: live ipywidgets in a kernel, scrubbable animations in the static HTML.

See :mod:`demos.core` for the full usage example.
"""

from .core import (
    DEFAULT_DPI,
    MAX_FRAMES,
    Control,
    Demo,
    choice,
    figure,
    int_slider,
    play,
    slider,
    toggle,
)

__all__ = [
    "DEFAULT_DPI",
    "MAX_FRAMES",
    "Control",
    "Demo",
    "choice",
    "figure",
    "int_slider",
    "play",
    "slider",
    "toggle",
]
