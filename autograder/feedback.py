"""Feedback pages that are safe to open and work offline: nbgrader's ``generate_feedback`` with
:class:`FeedbackExporter` (``c.GenerateFeedback.exporter_class`` in ``nbgrader_config.py``).

**Safe.** Everything in a page except the grader's own words comes from the student's notebook, and nothing of
it may run or pass for the grader:

* :class:`NotebookContent`, run before nbgrader's ``GetGrades``, keeps of each output only the kinds a page
  can show without running anything (text, HTML, markdown, LaTeX, PNG, JPEG, SVG); JavaScript, widget views
  and every other kind are dropped (their ``text/plain`` fallback shows). It drops output metadata but
  numeric image sizes (the template writes it into attributes unquoted), notebook metadata (widget state,
  title), cell attachments that are not images, and nbgrader metadata whose ``grade_id`` is not a plain
  name (nbgrader's template writes it unescaped).
* The exporter renders with nbconvert's ``sanitize_html`` (no script or widget block is written) and replaces
  nbconvert's ``clean_html`` filter, and ``markdown2html`` (nbgrader's template does not clean markdown
  cells), by :func:`sanitize`: bleach with a short list of tags and no ``class``, ``id``, ``style`` or
  event attribute, links to http(s) and mailto only, images only as ``data:image/...``. A tag not on the
  list is shown as text, so ``<script>`` in an output is visible and inert. Without classes or styles,
  notebook HTML cannot draw the page's panels, scores or the frame of the grader's verdicts
  (``feedback_page/index.html.j2``), nor move itself over them; and in the outputs and the markdown the
  student wrote, headings are text-sized, so a forged "Score: 8 / 8" does not stand out as a title.
* A Content-Security-Policy in the page's head (``feedback_page/mathjax.html.j2``) allows scripts from
  files only (MathJax), no inline script, event handler or ``javascript:`` URL, no frame, form or network
  request: a second wall should a piece of notebook HTML ever get past the first.
* MathJax typesets student math too, so its TeX packages that write HTML attributes or load code (``html``,
  ``require``, ``autoload``) are off and its ``safe`` extension filters URLs, classes and styles
  (``feedback_page/mathjax-config.js``).

**Offline.** Math is typeset by the MathJax 3 that the ``sphinx-mathjax-offline`` wheel ships (the book's),
never a CDN. A page ``feedback/<student>/<assignment>/<notebook>.html`` loads it from
``feedback/<student>/mathjax/`` (``../mathjax/`` beside the assignment folders, :data:`MATHJAX_FILES`, 1.7 MB,
0.65 MB zipped): one copy per student whatever the number of assignments, hard-linked to the installed
files where the file system allows, so a class of 1000 costs links, not 1.7 GB. A student needs the page
*and* that folder (a zip of their feedback folder has both); a page opened on its own is still complete and
safe, with its formulas as TeX source.
"""

from __future__ import annotations

import functools
import os
import re
from html import escape
from importlib import metadata
from pathlib import Path

import bleach
from bleach.sanitizer import Cleaner
from jinja2 import pass_context
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import InvalidNotebook
from nbconvert.preprocessors import Preprocessor
from nbconvert.utils.io import link_or_copy
from traitlets import default

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "feedback_page"  # templates/feedback_page/: extends nbgrader's "feedback" template
MATHJAX_DIST = "sphinx-mathjax-offline"
MATHJAX_ENTRY = "tex-chtml-full.js"  # every TeX package built in: no extension is fetched at run time
# What the pages load, relative to the MathJax root: the component, its fonts, the `safe` extension.
MATHJAX_FILES = (MATHJAX_ENTRY, "output/chtml/fonts/woff-v2", "ui/safe.js")
MATHJAX_CONFIG = "mathjax-config.js"  # ours, in feedback_page/, loaded before MathJax
MATHJAX_NOTICE = ("MathJax 3.2.2 (https://www.mathjax.org), Copyright (c) 2009-2022 The MathJax Consortium,\n"
                  "licensed under the Apache License, Version 2.0. Copied from the sphinx-mathjax-offline "
                  "wheel on PyPI.\n")

# ---------------------------------------------------------------------------------------------- sanitizing
TAGS = frozenset({"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
                  "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
                  "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
                  "thead", "tr", "u", "ul"})
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title", "width", "height"},
              "ol": {"start"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,[a-z0-9+/=]*")
LINK = re.compile(r"(https?:|mailto:|#)")
OUTPUT_KINDS = ("text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg",
                "image/svg+xml")
IMAGE_KINDS = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
NAME = re.compile(r"[A-Za-z0-9_.\-]+")


def _normalized(url: str) -> str:
    """``url`` as a browser reads it, for matching: entities decoded, no whitespace or control characters,
    lower case (bleach checks protocols the same way)."""
    return re.sub(r"[`\x00-\x20\x7f-\xa0\s]+", "", bleach.html5lib_shim.convert_entities(url)).lower()


def _allowed(tag: str, name: str, value: str) -> bool:
    if name not in ATTRIBUTES.get(tag, ()):
        return False
    if name == "href":
        return bool(LINK.match(_normalized(value)))
    if name == "src":  # images are embedded: nothing is fetched, and an <img> never runs script, even SVG's
        return bool(IMAGE_DATA.fullmatch(_normalized(value)))
    if name in ("width", "height", "colspan", "rowspan", "start"):
        return value.strip().isdigit()
    return True


_CLEANER = Cleaner(tags=TAGS, attributes=_allowed, protocols={"http", "https", "mailto", "data"},
                   strip=False, strip_comments=True)


def sanitize(html) -> str:
    """Notebook HTML reduced to plain formatting: tags outside :data:`TAGS` are shown as text, attributes
    outside :data:`ATTRIBUTES` are dropped (no class, id, style or event handler), links go to http(s),
    mailto or an anchor, images are embedded ``data:image`` URLs."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    return _CLEANER.clean(html)


class NotebookContent(Preprocessor):
    """Strip from a notebook what a feedback page could render as markup or code beyond :func:`sanitize`'s
    reach: output kinds other than :data:`OUTPUT_KINDS`, output metadata (but integer image sizes), notebook
    metadata, attachments that are not images (an empty image stands in), and nbgrader metadata whose
    ``grade_id`` is not a plain name."""

    def preprocess(self, nb, resources):
        language = nb.metadata.get("language_info", {}).get("name", "python")
        nb.metadata = {"language_info": {"name": language if NAME.fullmatch(str(language)) else "python"}}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        keep = {}
        nbgrader = cell.metadata.get("nbgrader")
        if isinstance(nbgrader, dict) and ("grade_id" not in nbgrader or NAME.fullmatch(str(nbgrader["grade_id"]))):
            keep["nbgrader"] = nbgrader
        if cell.cell_type == "raw" and "raw_mimetype" in cell.metadata:
            keep["raw_mimetype"] = str(cell.metadata["raw_mimetype"])
        cell.metadata = keep
        if "attachments" in cell:
            cell.attachments = {name: {k: v for k, v in bundle.items() if k in IMAGE_KINDS}
                                or {"image/png": ""}  # nbconvert fails on a name it cannot find
                                for name, bundle in cell.attachments.items() if isinstance(bundle, dict)}
        if cell.cell_type == "code":
            if not isinstance(cell.get("execution_count"), int):
                cell.execution_count = None
            cell.outputs = [out for out in map(self._output, cell.get("outputs", [])) if out is not None]
        return cell, resources

    @staticmethod
    def _output(out):
        kind = out.get("output_type")
        if kind in ("stream", "error"):
            return out  # text, which the template escapes
        if kind not in ("display_data", "execute_result"):
            return None
        if kind == "execute_result" and not isinstance(out.get("execution_count"), int):
            out.execution_count = None
        out.data = {k: v for k, v in out.get("data", {}).items() if k in OUTPUT_KINDS}
        if not out.data:
            return None
        out.metadata = {kind: {k: v for k, v in meta.items() if k in ("width", "height") and isinstance(v, int)}
                        for kind, meta in out.get("metadata", {}).items()
                        if kind in ("image/png", "image/jpeg") and isinstance(meta, dict)}
        return out


# ------------------------------------------------------------------------------------------------- MathJax
@functools.cache
def mathjax_root() -> Path:
    """The folder of MathJax 3 files shipped by the sphinx-mathjax-offline wheel."""
    dist = metadata.distribution(MATHJAX_DIST)
    for f in dist.files or ():
        if f.name == MATHJAX_ENTRY and f.parent.name == "mathjax":
            return Path(dist.locate_file(f)).parent
    raise RuntimeError(f"{MATHJAX_DIST} is installed but ships no mathjax/{MATHJAX_ENTRY}")


def mathjax_sources() -> dict[str, Path]:
    """What a page's ``mathjax/`` folder holds: its relative path → the installed file."""
    root = mathjax_root()
    files = {}
    for part in MATHJAX_FILES:
        path = root / part
        for f in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if f.is_file():
                files[f.relative_to(root).as_posix()] = f
    files[MATHJAX_CONFIG] = TEMPLATES / TEMPLATE / MATHJAX_CONFIG
    return files


def install_mathjax(folder: str | os.PathLike) -> None:
    """Put the pages' MathJax in ``folder``: hard links to the installed files where the file system allows
    (nothing to do when they are there already), else copies."""
    folder = Path(folder)
    for rel, src in mathjax_sources().items():
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(str(src), str(dest))
    (folder / "LICENSE-NOTICE.txt").write_text(MATHJAX_NOTICE)


# ------------------------------------------------------------------------------------------------ exporter
class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback page (its ``feedback`` template) with all notebook HTML sanitized, a strict
    Content-Security-Policy, the grader's verdicts framed, and MathJax from ``../mathjax/``, which
    :meth:`from_notebook_node` installs beside the student's assignment folders."""

    @default("sanitize_html")
    def _sanitize_html_default(self):
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self):
        return True  # headings keep no id (sanitized), so their ¶ links would lead nowhere

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # before nbgrader's own preprocessors (GetGrades reads the nbgrader metadata this one vets)
        self.register_preprocessor(NotebookContent(parent=self), enabled=True)
        self._mathjax_installed: set[str] = set()

    def default_filters(self):
        yield from super().default_filters()
        yield ("clean_html", sanitize)
        yield ("markdown2html", self.markdown2html)

    @pass_context
    def markdown2html(self, context, source):
        try:
            html = super().markdown2html(context, source)
        except InvalidNotebook:  # e.g. an attachment the notebook names but does not hold: show the text
            html = f"<pre>{escape(source)}</pre>"
        return sanitize(html)

    def from_notebook_node(self, nb, resources=None, **kw):
        output, resources = super().from_notebook_node(nb, resources, **kw)
        coursedir = getattr(self.parent, "coursedir", None)
        who = (resources or {}).get("nbgrader", {})
        if coursedir is not None and "student" in who:
            page = coursedir.format_path(coursedir.feedback_directory, who["student"], who["assignment"])
            folder = os.path.join(os.path.dirname(os.path.normpath(page)), "mathjax")
            if folder not in self._mathjax_installed:  # once per student and run
                install_mathjax(folder)
                self._mathjax_installed.add(folder)
        return output, resources


def configure(c) -> None:
    """Make nbgrader's ``generate_feedback`` write the course's pages (called by ``nbgrader_config.py``).

    nbgrader configures ``HTMLExporter`` for its own template; the subclass's section takes precedence, so it
    names nbgrader's folders again: its templates (ours extends ``feedback/index.html.j2``) and Bootstrap's
    CSS, which its template inlines."""
    import nbgrader

    formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    c.GenerateFeedback.exporter_class = FeedbackExporter
    c.FeedbackExporter.template_name = TEMPLATE
    c.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES), str(formgrader / "templates")]
    bootstrap_css = formgrader / "static" / "node_modules" / "bootstrap" / "dist" / "css"
    c.FeedbackExporter.extra_template_paths = [str(formgrader / "templates"), str(bootstrap_css)]
