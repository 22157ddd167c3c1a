"""The book builds with warnings as errors, and every page of the toc is there without error output."""

import re

from book_build import book  # noqa: F401 - the module-scoped fixture

import pytest

pytestmark = pytest.mark.book

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_build_succeeds_without_warnings(book):
    if book.skipped:
        pytest.skip("BOOK_SKIP_BUILD=1: reused an existing build, so there is no build log to check")
    log = ANSI.sub("", book.log)
    # Sphinx's "WARNING:"/"ERROR:" lines (not the kernel's own "[IPKernelApp] WARNING | ..." notices)
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
    assert book.returncode == 0, "jupyter-book build failed:\n" + "\n".join(warnings or log.splitlines()[-40:])
    assert not warnings, "build warnings:\n" + "\n".join(warnings)
    assert "build succeeded" in log


def test_every_toc_page_is_built(book):
    assert book.docnames[0] == "book/intro"
    missing = [d for d in book.docnames if not book.page(d).is_file()]
    assert not missing, f"toc pages without HTML: {missing}"
    assert (book.html / "index.html").is_file()


@pytest.mark.parametrize("marker", [
    'class="output stderr"', "output traceback", "Traceback (most recent call last)",
    'class="output error"',
])
def test_no_error_output_in_pages(book, marker):
    bad = [d for d in book.docnames if book.page(d).is_file() and marker in book.page(d).read_text()]
    assert not bad, f"{marker!r} found in {bad}"


def test_no_external_scripts_styles_or_fonts(book):
    """Nothing a page loads (script, stylesheet, font, image) comes from outside the site."""
    pattern = re.compile(
        r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*[\"'](?:https?:)?//", re.I)
    css_url = re.compile(r"url\(\s*[\"']?(?:https?:)?//", re.I)
    offenders = []
    for path in book.html.rglob("*.html"):
        text = path.read_text(errors="replace")
        for m in pattern.finditer(text):
            tag = text[m.start(): text.find(">", m.start()) + 1]
            if tag.lower().startswith("<link") and not re.search(r"rel=[\"'](?:stylesheet|preload|icon|modulepreload)", tag):
                continue  # a plain <link rel="canonical"> etc. is not loaded
            offenders.append(f"{path.relative_to(book.html)}: {tag[:160]}")
    for path in list(book.html.rglob("*.css")) + list(book.html.rglob("*.js")):
        if "mathjax" in path.parts:
            continue  # MathJax's own loader never leaves the site when given a local path (checked in the browser)
        text = path.read_text(errors="replace")
        if css_url.search(text):
            offenders.append(f"{path.relative_to(book.html)}: url(//...)")
    assert not offenders, "external resources:\n" + "\n".join(offenders)


def test_mathjax_is_served_locally(book):
    intro = book.page("book/intro").read_text()
    assert re.search(r'<script[^>]+src="\.\./_static/mathjax/tex-chtml\.js(\?v=\w+)?"', intro)
    assert (book.html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert any((book.html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert "THEBE_JS_URL" not in intro


def test_site_within_budget(book):
    total = sum(p.stat().st_size for p in book.html.rglob("*") if p.is_file())
    assert total <= 40 * 2**20, f"site is {total / 2**20:.1f} MB (budget 40 MB)"
    big = [(p.name, p.stat().st_size) for p in book.html.rglob("*.html") if p.stat().st_size > 5 * 2**20]
    assert not big, f"pages over 5 MB: {big}"


def test_every_widget_output_has_a_static_fallback(book):
    """Each demo shows its kernel-free text/html version; no bare widget view reaches a page.

    myst-nb renders a widget-view output (one with no text/html beside it, or with text/html ranked
    lower) as a script of that MIME type, which shows nothing without a kernel. (The executed
    notebooks in _build/jupyter_execute cannot be used for this: they lack outputs restored from the
    execution cache.)
    """
    bare = [d for d in book.docnames if "application/vnd.jupyter.widget-view+json" in book.page(d).read_text()]
    assert not bare, f"pages with a widget view and no static fallback: {bare}"
    intro = book.page("book/intro").read_text()
    assert 'class="animation"' in intro and "gdh-demo-static" in intro


def test_pages_carry_no_widget_state(book):
    """The static pages load no widget manager, so they must not carry ipywidgets state either."""
    heavy = [d for d in book.docnames if "application/vnd.jupyter.widget-state+json" in book.page(d).read_text()]
    assert not heavy, f"pages with embedded widget state: {heavy}"
