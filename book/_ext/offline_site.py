"""Sphinx extension that makes the built book self-contained (no request leaves the reader's machine).

Jupyter Book 1 pulls several things from CDNs by default. This extension:

* serves MathJax 3 from the site itself: it copies the few MathJax files a page needs (the
  ``tex-chtml`` component, its CHTML fonts, the TeX extensions it may autoload, and the menu/a11y
  components the context menu loads on demand) from the ``sphinx-mathjax-offline`` wheel on PyPI
  into ``_build/html/_static/mathjax`` and points ``mathjax_path`` at them;
* sets the theme's default colour mode (without one, pydata-sphinx-theme logs a console error);
* removes sphinx-thebe's scripts and stylesheet from every page: thebe loads its runtime from a CDN
  and needs a Binder server, and its inline ``const THEBE_JS_URL = ...`` script is what logged
  ``Identifier 'THEBE_JS_URL' has already been declared`` in the console. The Binder and JupyterHub
  launch buttons remain: they are links, not resources;
* drops the ipywidgets state that myst-nb embeds in each page with a demo: the static page shows
  each demo's text/html version and loads no widget manager, so the state is never read;
* ships the book's own static files (``book/_static``): ``cjk.css`` and the CJK subset font it
  declares (``fonts/``, made by ``tools/cjk_font.py``), so the lectures' Chinese terms render on
  machines without a CJK font;
* deletes the themes' JavaScript/CSS source maps from ``_static`` (only developer tools read them);
* drops any other script or stylesheet whose URL is not relative to the site, and fails the build
  with a warning naming it, so a new CDN dependency can never slip in silently.
"""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

MATHJAX_DIST = "sphinx-mathjax-offline"
MATHJAX_ENTRY = "tex-chtml.js"
# The files the tex-chtml component loads, relative to the MathJax root.
MATHJAX_PARTS = (
    MATHJAX_ENTRY,
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
)
THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe", "thebe")
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"


def mathjax_root() -> Path:
    """The folder of MathJax 3 files shipped by the sphinx-mathjax-offline wheel."""
    dist = metadata.distribution(MATHJAX_DIST)
    for f in dist.files or ():
        if f.name == MATHJAX_ENTRY and f.parent.name == "mathjax":
            return Path(dist.locate_file(f)).parent
    raise RuntimeError(f"{MATHJAX_DIST} is installed but ships no mathjax/{MATHJAX_ENTRY}")


STATIC = Path(__file__).resolve().parents[1] / "_static"  # book/_static
STYLESHEETS = ("cjk.css",)


def _config_inited(app: Sphinx, config) -> None:
    static = [str(p) for p in config.html_static_path or ()]
    if str(STATIC) not in static:
        config.html_static_path = [*static, str(STATIC)]
    # pydata-sphinx-theme logs a console error ("Got invalid theme mode: .") when no default mode is
    # set; the figures and static demos are drawn for a light page.
    context = dict(config.html_context or {})
    context.setdefault("default_mode", "light")
    config.html_context = context
    config.mathjax_path = "mathjax/" + MATHJAX_ENTRY
    mj = dict(config.mathjax3_config or {})
    # Never fetch anything from outside the site, even for the context menu's speech tools.
    options = dict(mj.get("options", {}))
    options.setdefault("enableMenu", True)
    mj["options"] = options
    config.mathjax3_config = mj


def _is_external(url: str | None) -> bool:
    if not url:
        return False
    return url.startswith(("http://", "https://", "//"))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if not files:
            continue
        kept = []
        for asset in files:
            filename = getattr(asset, "filename", asset)
            attrs = getattr(asset, "attributes", {}) or {}
            body = attrs.get("body", "") or ""
            text = f"{filename or ''} {body}"
            if any(marker in text for marker in THEBE_MARKERS):
                continue
            if attrs.get("type") == WIDGET_STATE_MIME:
                continue  # no widget manager runs in the static page: the state is dead weight
            if _is_external(filename):
                logger.warning(
                    "offline_site: dropped external %s %s on page %s", key[:-1], filename, pagename
                )
                continue
            kept.append(asset)
        context[key] = kept


def _build_finished(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    src = mathjax_root()
    dest = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        s, d = src / part, dest / part
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
    license_text = (
        "MathJax 3.2.2 (https://www.mathjax.org), Copyright (c) 2009-2022 The MathJax Consortium,\n"
        "licensed under the Apache License, Version 2.0. Copied at build time from the\n"
        f"{MATHJAX_DIST} wheel on PyPI.\n"
    )
    (dest / "LICENSE-NOTICE.txt").write_text(license_text)
    # The themes ship source maps of their bundles (3+ MB) that only a browser's developer tools
    # ever fetch; they are dead weight in a site meant to be copied to a laptop or a phone.
    for source_map in (Path(app.outdir) / "_static").rglob("*.map"):
        source_map.unlink()


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _config_inited)
    for stylesheet in STYLESHEETS:
        app.add_css_file(stylesheet)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
