"""Issue 12, "Legibility and weight": every chapter as a reader's Chromium shows it, on a laptop and a phone.

* The first view of a chapter (every resource the page loads, gzipped as a static host sends it) is at
  most 1 MB; demo frames and figures further down load when the reader reaches them.
* Every figure, demo frames included, is drawn at least twice as wide as it is shown, and a chapter
  figure's smallest text (which ``demos/style.py`` writes into the PNG) is at least 11 px as shown on a
  laptop.
* No formula is cut off: on a phone an inline formula stays inside the column (it breaks after an
  operator) and a display formula wider than the phone scrolls inside its own box; on a laptop no
  display formula is wider than the column.
* Nothing floats over the text (and so over figure captions) while the reader scrolls.

The measuring code is shared with ``bench/bench_pages.py`` (``tools/page_audit.py``).
"""

from __future__ import annotations

import re
import sys
from urllib.parse import unquote, urlsplit

import pytest
from browser_fixtures import book_build, browser, site, visit  # noqa: F401 - fixtures
from book_build import ROOT, toc_docnames  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import page_audit  # noqa: E402

from demos.style import MIN_TEXT_PX, SCALE, SMALLEST_TEXT_KEY  # noqa: E402

pytestmark = pytest.mark.browser

CHAPTERS = [d for d in toc_docnames() if re.fullmatch(r"book/\d\d-[a-z0-9-]+", d)]
READ_PAGES = ["book/intro", *CHAPTERS]


def _file(book_build, site: str, url: str):
    return book_build.html / unquote(urlsplit(url).path)[len(urlsplit(site).path):]


@pytest.mark.parametrize("docname", READ_PAGES)
def test_first_view_is_at_most_1_mb_gzipped(browser, site, docname):
    resources = page_audit.first_view(browser, f"{site}{docname}.html")
    size, sent = page_audit.total(resources)
    largest = sorted(resources, key=lambda r: -r.gzipped)[:5]
    detail = "\n".join(f"  {r.gzipped / 1e3:7.1f} kB  {r.url[len(site):]}" for r in largest)
    assert any(r.url.endswith(f"{docname}.html") for r in resources)
    assert sent <= page_audit.FIRST_VIEW_BUDGET, f"{docname}: first view {sent / 1e6:.2f} MB gzipped:\n{detail}"
    assert not any("fontawesome.js" in r.url for r in resources), f"{docname}: loads Font Awesome's script"


def _start_demos(page) -> None:
    for demo in page.locator(".gdh-demo-static").all():
        demo.scroll_into_view_if_needed()
        page.wait_for_function("(d) => d.dataset.started === 'true'", arg=demo.element_handle())


@pytest.mark.parametrize("docname", READ_PAGES)
def test_figures_are_drawn_at_twice_their_width_with_legible_text(visit, site, book_build, docname):
    page = visit(f"{docname}.html", "laptop").page
    _start_demos(page)
    page.evaluate(page_audit.LOAD_IMAGES)
    figures = page.evaluate(page_audit.FIGURES)
    assert figures or docname == "book/intro", f"{docname}: no figures found"
    blurry, small, unmarked = [], [], []
    for fig in figures:
        name = fig["src"].rsplit("/", 1)[-1][:16]
        if fig["natural"] < SCALE * fig["shown"] - 1:
            blurry.append(f"{name}: {fig['natural']} px drawn, shown {fig['shown']:.0f} px")
        if fig["demo"]:
            continue  # demo frames: Demo enlarges small text itself (tests/demos/test_core.py)
        text = page_audit.png_text(_file(book_build, site, fig["src"]).read_bytes()).get(SMALLEST_TEXT_KEY)
        if text is None:
            unmarked.append(name)
            continue
        shown_px = float(text) * fig["shown"] / (fig["natural"] / SCALE)
        if shown_px < MIN_TEXT_PX - 0.05:
            small.append(f"{name} ({fig['alt'][:50]}): smallest text {shown_px:.1f} px")
    assert not blurry, f"{docname}: figures drawn at less than {SCALE}x:\n" + "\n".join(blurry)
    assert not unmarked, f"{docname}: figures not drawn by demos.style (call style.use()): {unmarked}"
    assert not small, f"{docname}: text under {MIN_TEXT_PX} px on a laptop:\n" + "\n".join(small)


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
@pytest.mark.parametrize("docname", READ_PAGES)
def test_no_formula_is_cut_off(visit, docname, viewport):
    page = visit(f"{docname}.html", viewport).page
    page.evaluate("() => window.MathJax && MathJax.startup.promise")
    page.evaluate(page_audit.OPEN_TOGGLES)
    page.wait_for_timeout(100)
    bad = page.evaluate(page_audit.MATH, viewport == "phone")
    assert not bad, f"{docname} on a {viewport}:\n" + "\n".join(f"  {b['why']}: {b['tex']}" for b in bad)


# Elements fixed on the screen over the article's column (the theme's "Back to top" button was one: it
# appeared over figure captions whenever the reader scrolled up).
FLOATING = """() => {
  const a = document.querySelector('article.bd-article').getBoundingClientRect();
  return [...document.body.querySelectorAll('*')].filter(el => {
    const cs = getComputedStyle(el);
    if (cs.position !== 'fixed' || cs.display === 'none' || cs.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left < a.right && r.right > a.left
           && r.top < Math.min(a.bottom, innerHeight) && r.bottom > Math.max(a.top, 0);
  }).map(el => el.outerHTML.slice(0, 100));
}"""


@pytest.mark.parametrize("viewport", ["phone", "laptop"])
@pytest.mark.parametrize("docname", CHAPTERS[:2])
def test_nothing_floats_over_the_text(visit, docname, viewport):
    page = visit(f"{docname}.html", viewport).page
    page.evaluate("() => window.scrollTo(0, 2500)")
    page.wait_for_timeout(300)
    page.evaluate("() => window.scrollBy(0, -300)")  # scrolling up is what brought "Back to top" out
    page.wait_for_timeout(500)
    assert page.evaluate("() => scrollY") > 1000, "the page did not scroll"
    floating = page.evaluate(FLOATING)
    assert not floating, f"{docname} on a {viewport}: fixed over the text: {floating}"
