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

from .core import __all__  # noqa: E402,F401 - the same public names as demos.core
