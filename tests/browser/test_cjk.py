"""The lectures' Chinese terms render as characters even where no CJK font is installed.

Chromium is started with a fontconfig configuration that hides every installed CJK font, as on a
machine without one; the page must then fetch the site's subset font (book/_static/fonts/, declared
in book/_static/cjk.css) and draw the sidebar's 动量 with it. The screenshot of the sidebar is saved
in artifacts/screenshots/ for a human look.
"""

from __future__ import annotations


import pytest
from browser_fixtures import book_build, browser_without_cjk, site  # noqa: F401 - fixtures
from book_build import ROOT  # noqa: E402

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
FONT = "_static/fonts/NotoSansCJKsc-subset.woff"

GLYPH_CHECK = """async (word) => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'GDH CJK');
  const link = [...document.querySelectorAll('.bd-sidebar-primary a')].find(a => a.textContent.includes(word));
  const family = link ? getComputedStyle(link).fontFamily : 'serif';
  // Measure the word as the page drew it (text laid out before a late font load may keep empty boxes,
  // so this has to be the link's own text): Noto Sans CJK's ideographs are 1 em wide, an empty box
  // from a Latin font is narrower.
  let drawn = null, em = null;
  if (link) {
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      drawn = range.getBoundingClientRect().width;
      em = parseFloat(getComputedStyle(node.parentElement).fontSize);
      break;
    }
  }
  return {faces: faces.map(f => f.status), link: link ? link.textContent.trim() : null, family,
          drawn, em};
}"""



def test_sidebar_cjk_renders_with_the_site_font(browser_without_cjk, site):
    ctx = browser_without_cjk.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    try:
        page = ctx.new_page()
        fetched = []
        page.on("requestfinished", lambda r: fetched.append(r.url) if r.url.endswith(".woff") else None)
        errors = []
        page.on("console", lambda m: errors.append(f"{m.text} ({m.location['url']})") if m.type == "error" else None)
        page.goto(site + "book/07-momentum.html", wait_until="load")
        state = page.evaluate(GLYPH_CHECK, "动量")
        assert state["link"] and "动量" in state["link"], f"no sidebar link with 动量: {state}"
        assert "GDH CJK" in state["family"], f"the sidebar's font stack lacks the CJK font: {state['family']}"
        assert state["faces"] == ["loaded"], f"the CJK subset font did not load: {state['faces']}"
        assert state["drawn"] is not None and abs(state["drawn"] - 2 * state["em"]) < 1, (
            f"动量 in the sidebar is {state['drawn']} px wide at {state['em']} px font size, not two 1-em "
            f"ideographs: drawn as empty boxes? (font stack: {state['family']})")
        assert any(u.endswith(FONT) for u in fetched), f"the page never fetched {FONT}: {fetched}"
        assert not errors, f"console errors: {errors}"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".bd-sidebar-primary").screenshot(path=str(SCREENSHOTS / "cjk-sidebar-07-momentum.png"))
    finally:
        ctx.close()
