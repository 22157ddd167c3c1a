"""Glue a value computed in a chapter into its text (``{glue:text}`name```), in the book and out of it.

The book's chapters write ``glue(name, value, display=False)`` after computing a number, and their text
says ``{glue:text}`name:.3f```. This is myst-nb's ``glue``: the same output, a display message whose
metadata names the value (``{"scrapbook": {"name": ..., "mime_prefix": ...}}``), which myst-nb reads
when it builds the page and :mod:`demos.live` reads when it writes the live notebook. It lives here so
that a chapter runs where myst-nb (and Sphinx, which it imports) is not installed: a student's Jupyter,
Binder, Colab. ``tests/demos/test_glue.py`` checks that both emit identical outputs.
"""

from __future__ import annotations

from typing import Any

GLUE_PREFIX = "application/papermill.record/"  # myst_nb.ext.glue.GLUE_PREFIX


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Record ``variable``'s display data under ``name`` (and show it too if ``display``)."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    mimebundle, metadata = format_display_data(variable)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)
