"""Benchmark of what a reader's browser fetches: the weight of every page of the built book.

    python bench/bench_pages.py [--html _build/html] [--viewport laptop|phone]

For each page of the toc, in headless Chromium (tools/page_audit.py): the first view (every resource the
page loads until the network is idle, raw and gzipped as a static host sends it) and a read-through (the
reader scrolls to the end, every demo starts and fetches its frames); then the whole site's size. Prints
each against the design's budgets (DESIGN.md): first view <= 1 MB gzipped, no page over 5 MB, site
<= 40 MB; a ratio <= 1 is within budget. Builds the book first (tools/build_book.py) if there is no
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
