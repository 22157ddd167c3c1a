"""Sphinx extension for what a reader sees and fetches: light pages, and nothing over the text.

The design's budget for the first view of a chapter is 1 MB gzipped: the page, the theme's CSS and
scripts, MathJax, and the images it shows. This extension

* **icons as a small font.** pydata-sphinx-theme draws its ~20 icons with Font Awesome's JavaScript
  (1.5 MB; ``book/_templates/static/webpack-macros.html`` leaves it out). Its stylesheet also declares
  Font Awesome's fonts (270 KB); after the build they are cut down to the glyphs that the site's pages
  and stylesheets use (fontTools, which matplotlib already installs) into ``_static/fonts/``, where
  ``book/_static/book.css`` declares them over the theme's;
* **figures when they are reached.** Every ``<img>`` gets ``loading="lazy"`` (docutils' own
  ``image_loading`` setting), so a figure further down the page is fetched when the reader scrolls to it;
* **demo frames when the demo is reached.** A kernel-free demo (:mod:`demos.core`) embeds its frames
  as data URLs in the page. Each frame becomes a file in ``_images/``, the demo's ``<img>`` shows the
  first frame (lazily), and the script that loads the frames starts when the reader reaches the demo or
  touches one of its controls (``book/_static/demos.js``).

It also turns the theme's floating "Back to top" button off: it covered figure captions as the reader
scrolled up. ``book/_static/book.css`` holds the layout rules (figures, inline math on a phone).

``bench/bench_pages.py`` prints what a first view costs, and ``tests/browser/test_reading.py`` holds each
chapter to the budget.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

STYLESHEET = "book.css"  # book/_static/book.css: the icon fonts' @font-face, figure and math layout
DEMO_SCRIPT = "demos.js"  # book/_static/demos.js: starts a demo when the reader reaches it
# The theme's Font Awesome fonts (in _static of the built site) and the subsets that replace them.
ICON_FONTS = {
    "vendor/fontawesome/webfonts/fa-solid-900.ttf": "fonts/fa-solid-900.subset.woff",
    "vendor/fontawesome/webfonts/fa-regular-400.ttf": "fonts/fa-regular-400.subset.woff",
    "vendor/fontawesome/webfonts/fa-brands-400.ttf": "fonts/fa-brands-400.subset.woff",
}
# ".fa-bars:before,.fa-navicon:before{content:"\f0c9"}" in the theme's stylesheet
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?::)?before,?)+)\{content:"\\([0-9a-f]+)"')
ICON_CLASS = re.compile(r'class="([^"]*\bfa-[^"]*)"')
# a glyph that a stylesheet draws itself: content:"\f107";font-family:Font Awesome
CSS_GLYPH = re.compile(r'content:"\\(f[0-9a-f]{3})"[^}]*Font Awesome')

DEMO = re.compile(r'<div class="gdh-demo-static">.*?<p class="gdh-demo-note">', re.S)
FRAME = re.compile(r'(frames\[(\d+)\] = )"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)"')
START = re.compile(r'<script language="javascript">((?:(?!</script>).)*?new Animation\((?:(?!</script>).)*)</script>',
                   re.S)


def _config_inited(app: Sphinx, config) -> None:
    options = dict(config.html_theme_options or {})
    options.setdefault("back_to_top_button", False)
    config.html_theme_options = options


def _builder_inited(app: Sphinx) -> None:
    # docutils writes loading="lazy" on every <img> (its HTML5 writer's image_loading setting)
    app.env.settings["image_loading"] = "lazy"


def _demo_frames_as_files(app: Sphinx, pagename: str, body: str, pathto) -> tuple[str, int]:
    """Move each demo's frames into ``_images/`` and defer the script that loads them (see the module)."""
    images = Path(app.outdir) / "_images"
    count = 0

    def one_demo(m: re.Match) -> str:
        nonlocal count
        html = m.group(0)
        urls = {}

        def frame(f: re.Match) -> str:
            data = base64.b64decode(f.group(3).replace("\\\n", ""))
            name = f"demo-{hashlib.sha256(data).hexdigest()[:24]}.png"
            path = images / name
            if not path.exists():
                images.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            urls[int(f.group(2))] = pathto(f"_images/{name}", 1)
            return f'{f.group(1)}"{urls[int(f.group(2))]}"'

        html = FRAME.sub(frame, html)
        if not urls:
            return m.group(0)
        html, started = START.subn(r'<script type="text/plain" class="gdh-demo-start">\1</script>', html, 1)
        if not started:
            logger.warning("reading: a demo on %s has no animation script", pagename)
            return m.group(0)
        html = html.replace('<img ', f'<img src="{urls[0]}" loading="lazy" ', 1)
        count += 1
        return html

    return DEMO.sub(one_demo, body), count


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if not body or "gdh-demo-static" not in body:
        return
    context["body"], count = _demo_frames_as_files(app, pagename, body, context["pathto"])
    if count:
        app.add_js_file(DEMO_SCRIPT, loading_method="defer")


def icon_codepoints(static: Path, pages: list[Path]) -> set[int]:
    """The Font Awesome glyphs the site shows: icon classes in its pages, and glyphs its CSS draws."""
    theme_css = "\n".join(p.read_text(errors="replace") for p in (static / "styles").glob("*.css"))
    glyph = {}
    for m in ICON_RULE.finditer(theme_css):
        for name in re.findall(r"\.fa-([a-z0-9-]+)", m.group(1)):
            glyph[name] = int(m.group(2), 16)
    used = {int(c, 16) for c in CSS_GLYPH.findall(theme_css)}
    for page in pages:
        for classes in ICON_CLASS.findall(page.read_text(errors="replace")):
            used |= {glyph[c[3:]] for c in classes.split() if c.startswith("fa-") and c[3:] in glyph}
    return used


def subset_icon_fonts(static: Path, codepoints: set[int]) -> None:
    """Write the theme's icon fonts cut down to ``codepoints`` (WOFF) to ``ICON_FONTS``' targets."""
    from fontTools import subset

    for source, target in ICON_FONTS.items():
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = ["*"]  # keep the licence and copyright notices
        options.notdef_outline = True
        font = subset.load_font(str(static / source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        (static / target).parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(font, str(static / target), options)


def _build_finished(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    codepoints = icon_codepoints(static, list(out.rglob("*.html")))
    if not codepoints:
        logger.warning("reading: no Font Awesome icon found in the pages; is the theme's CSS there?")
    subset_icon_fonts(static, codepoints)


def setup(app: Sphinx) -> dict:
    app.add_css_file(STYLESHEET)
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    # before offline_site's handler, which copies the page's script list
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
