"""Benchmark of what a reader's browser fetches and sees: the weight and legibility of every page of the book.

    python bench/bench_pages.py [--html _build/html] [--viewport laptop|phone]

For each page of the toc, in headless Chromium (tools/page_audit.py): the first view (every resource the
page loads until the network is idle, raw and gzipped as a static host sends it) and a read-through (the
reader scrolls to the end, every demo starts and fetches its frames); then the whole site's size. Prints
each against the design's budgets (DESIGN.md): first view <= 1 MB gzipped, no page over 5 MB, site
<= 40 MB; a ratio <= 1 is within budget. Then, per chapter, legibility: the figures' pixels drawn per
pixel shown (at least 2), their smallest text as shown on a laptop (at least 11 px), and the formulas
that do not fit a phone (390 px) or a laptop (1280 px). Builds the book first (tools/build_book.py) if there is no
_build/html. Not part of pytest (tests/browser/test_reading.py holds the first-view budget).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import page_audit  # noqa: E402

SITE_BUDGET = 40 * 2**20


def legibility(browser, url: str, html: Path, site: str) -> tuple[int, float, float, int, int]:
    """(figures, lowest drawn/shown ratio, smallest text px on a laptop, formulas not fitting a phone, a laptop)."""
    from demos.style import SCALE, SMALLEST_TEXT_KEY

    misfits = []
    for viewport in ("phone", "laptop"):
        w, h = page_audit.VIEWPORTS[viewport]
        page = browser.new_page(viewport={"width": w, "height": h})
        page.goto(url, wait_until="load")
        page.evaluate("() => window.MathJax && MathJax.startup.promise")
        page.evaluate(page_audit.OPEN_TOGGLES)
        misfits.append(len(page.evaluate(page_audit.MATH, viewport == "phone")))
        if viewport == "laptop":
            page.evaluate(page_audit.LOAD_IMAGES)
            figures = page.evaluate(page_audit.FIGURES)
        page.close()
    ratios = [f["natural"] / f["shown"] for f in figures if f["shown"]]
    texts = []
    for f in figures:
        if not f["demo"]:
            data = (html / f["src"][len(site):].split("?")[0]).read_bytes()
            px = page_audit.png_text(data).get(SMALLEST_TEXT_KEY)
            if px:
                texts.append(float(px) * f["shown"] / (f["natural"] / SCALE))
    return len(figures), min(ratios, default=float("nan")), min(texts, default=float("nan")), *misfits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--viewport", choices=sorted(page_audit.VIEWPORTS), default="laptop")
    args = ap.parse_args()
    if not (args.html / "index.html").is_file():
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_book.py")], cwd=ROOT, check=True)
    from playwright.sync_api import sync_playwright
    from sphinx_external_toc.parsing import parse_toc_yaml

    pages = list(parse_toc_yaml(str(ROOT / "_toc.yml")))
    print(f"page weights at {args.viewport} size ({'x'.join(map(str, page_audit.VIEWPORTS[args.viewport]))}), "
          f"kB = 1000 bytes; gz = gzipped as a static host sends it")
    print(f"{'page':28s} {'html':>7s} | {'first view':>24s} {'ratio':>6s} | {'read through':>24s} {'ratio':>6s}")
    print(f"{'':28s} {'kB':>7s} | {'reqs':>4s} {'kB':>9s} {'kB gz':>9s} {'':>6s} | {'reqs':>4s} {'kB':>9s} "
          f"{'kB gz':>9s}")
    worst_first, worst_page = (0, ""), (0, "")
    with page_audit.serve(args.html) as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=page_audit.CHROMIUM, args=page_audit.CHROMIUM_ARGS)
        for docname in pages:
            url = f"{site}{docname}.html"
            html_kb = (args.html / f"{docname}.html").stat().st_size / 1e3
            first = page_audit.first_view(browser, url, args.viewport)
            full = page_audit.read_through(browser, url, args.viewport)
            f_raw, f_gz = page_audit.total(first)
            r_raw, r_gz = page_audit.total(full)
            worst_first = max(worst_first, (f_gz, docname))
            worst_page = max(worst_page, (r_raw, docname))
            print(f"{docname:28s} {html_kb:7.0f} | {len(first):4d} {f_raw / 1e3:9.0f} {f_gz / 1e3:9.0f} "
                  f"{f_gz / page_audit.FIRST_VIEW_BUDGET:6.2f} | {len(full):4d} {r_raw / 1e3:9.0f} {r_gz / 1e3:9.0f} "
                  f"{r_raw / page_audit.PAGE_BUDGET:6.2f}")
        print(f"\n{'chapter':28s} {'figures':>7s} {'drawn/shown':>11s} {'smallest text':>13s} "
              f"{'formulas cut at 390 / 1280 px':>30s}")
        for docname in pages:
            if not docname.startswith("book/0"):
                continue
            n, ratio, text, phone, laptop = legibility(browser, f"{site}{docname}.html", args.html, site)
            print(f"{docname:28s} {n:7d} {ratio:10.2f}x {text:10.1f} px {phone:17d} / {laptop}")
        browser.close()
    files = [f for f in args.html.rglob("*") if f.is_file()]
    site_bytes = sum(f.stat().st_size for f in files)
    print(f"\n{'measure':44s} {'value':>10s} {'budget':>10s} {'ratio':>6s}")
    rows = [
        (f"largest first view, gz [MB] ({worst_first[1]})", worst_first[0] / 1e6, page_audit.FIRST_VIEW_BUDGET / 1e6),
        (f"largest page read through [MB] ({worst_page[1]})", worst_page[0] / 1e6, page_audit.PAGE_BUDGET / 1e6),
        (f"site total [MB] ({len(files)} files)", site_bytes / 2**20, SITE_BUDGET / 2**20),
    ]
    for label, value, budget in rows:
        flag = "" if value <= budget else "  OVER BUDGET"
        print(f"{label:44s} {value:10.2f} {budget:10.1f} {value / budget:6.2f}{flag}")


if __name__ == "__main__":
    main()
