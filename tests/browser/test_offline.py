"""Issue "static book works offline": every page of the built book in headless Chromium, network blocked.

For every page in the toc: it loads; no request leaves 127.0.0.1; no console errors; every piece of
math is typeset by the site's own MathJax; every kernel-free demo steps to another frame; every
internal link and #anchor resolves; nothing overflows horizontally on a phone or a laptop.
Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_fixtures import VIEWPORTS, book_build, browser, site, visit  # noqa: F401 - fixtures; puts tests/book on sys.path
from book_build import ROOT, toc_docnames  # noqa: E402

SCREENSHOTS = ROOT / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser

PAGES = toc_docnames()
# The search page must find the word and list the page among the results (None: any page).
SEARCH_CASES = [("Nesterov", "book/07-momentum"), ("gradient", "book/intro")]

TYPESET = """async () => {
  if (!window.MathJax || !window.MathJax.startup || !window.MathJax.startup.promise) return null;
  await window.MathJax.startup.promise;
  const math = [...document.querySelectorAll('span.math, div.math')];
  return {
    math: math.length,
    untypeset: math.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 60)),
    containers: document.querySelectorAll('mjx-container').length,
    errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 60)),
  };
}"""
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _shot(page, docname: str, tag: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{docname.replace('/', '_')}-{tag}.png"))


def _ids(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        cache[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(errors="replace")))
    return cache[path]


def _broken_links(page, site, book_build) -> list[str]:
    """Every same-site link of the page whose file, or #anchor in that file, does not exist."""
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    cache: dict = {}
    broken = []
    for href in hrefs:
        if not href.startswith(site):
            continue  # external links (launch buttons, DOIs) are links, not resources
        parts = urlsplit(href)
        rel = unquote(parts.path)[len(urlsplit(site).path):] or "index.html"
        target = book_build.html / rel
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no file {rel})")
            continue
        if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _ids(target, cache):
            broken.append(f"{href} (no #{parts.fragment} in {rel})")
    return broken


@pytest.mark.parametrize("docname", PAGES)
def test_page_works_offline(visit, site, book_build, docname):
    v = visit(f"{docname}.html", "laptop")
    page = v.page
    # math: every math element typeset by the local MathJax, no TeX errors
    source = book_build.page(docname).read_text()
    has_math = bool(re.search(r'class="math notranslate', source))
    result = page.evaluate(TYPESET)
    if has_math:
        assert result is not None, f"{docname}: the page has math but MathJax did not load"
        assert result["math"] > 0 and not result["untypeset"], f"{docname}: math not typeset: {result['untypeset'][:5]}"
        assert result["containers"] >= result["math"]
        assert not result["errors"], f"{docname}: TeX errors: {result['errors'][:5]}"
    # kernel-free demos: stepping changes the frame
    anims = page.locator("div.animation")
    for i in range(anims.count()):
        anim = anims.nth(i)
        img = anim.locator("img").first
        anim.scroll_into_view_if_needed()  # a demo starts (loads its frames) when the reader reaches it
        page.wait_for_function("(a) => a.closest('.gdh-demo-static').dataset.started === 'true'",
                               arg=anim.element_handle())
        before = img.evaluate("(i) => i.src")
        anim.locator('button[title="Next frame"]').click()
        after = img.evaluate("(i) => i.src")
        assert before and after and after != before, f"{docname}: demo {i} did not step to another frame"
        slider = anim.locator('input[type="range"]')
        assert slider.input_value() == "1"
        anim.screenshot(path=str(SCREENSHOTS / f"{docname.replace('/', '_')}-demo{i}.png"))
    page.evaluate("() => window.scrollTo(0, 0)")
    widths = {"laptop": page.evaluate(OVERFLOW)}
    _shot(page, docname, "laptop")
    broken = _broken_links(page, site, book_build)
    # the same page on a phone: the layout is CSS-driven (media queries), so resizing the loaded
    # page shows what a phone shows, without loading and typesetting the page a second time
    w, h = VIEWPORTS["phone"]
    page.set_viewport_size({"width": w, "height": h})
    page.wait_for_timeout(200)
    page.evaluate("() => window.scrollTo(0, 0)")
    widths["phone"] = page.evaluate(OVERFLOW)
    _shot(page, docname, "phone")
    assert not broken, f"{docname}: broken internal links:\n" + "\n".join(broken)
    assert not v.external, f"{docname}: requests left the machine: {v.external}"
    assert not v.errors, f"{docname}: console errors: {v.errors}"
    for name, (width, inner) in widths.items():
        assert width <= inner, f"{docname}: horizontal overflow on a {name} ({width} > {inner} px)"


@pytest.mark.parametrize(("word", "expected"), SEARCH_CASES)
def test_search_finds(visit, word, expected):
    v = visit(f"search.html?q={word}", "laptop")
    page = v.page
    page.wait_for_selector("#search-results ul.search li a", timeout=15_000)
    links = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    assert links, f"no search results for {word!r}"
    if expected:
        assert any(f"/{expected}.html" in h for h in links), f"{expected} not among results for {word!r}: {links}"
    _shot(page, f"search-{word}", "laptop")
    assert not v.external, f"search: requests left the machine: {v.external}"
    assert not v.errors, f"search: console errors: {v.errors}"
