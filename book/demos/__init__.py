"""Interactive demos of the book: live ipywidgets in a kernel, scrubbable animations in the static HTML.

See :mod:`demos.core` for the full usage example; :func:`glue` records a computed value for the text.
"""

from . import core
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
from .glue import glue

__all__ = [*core.__all__, "glue"]
