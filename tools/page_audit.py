"""What a reader's browser fetches and sees on a page of the built book (headless Chromium, playwright).

Shared by the browser tests (``tests/browser/test_reading.py``, pass/fail) and ``bench/bench_pages.py``
(prints the numbers):

* :func:`first_view`: every resource a page loads until the network is idle, with its size as sent and
  gzipped as a static host sends it (:data:`COMPRESSIBLE` types; images and WOFF fonts are compressed
  already); :func:`read_through` does the same for a reader who scrolls to the end, every demo started;
* :data:`FIGURES`: each image of the article, its natural width and the width it is shown at;
* :data:`MATH`: each formula that does not fit, with why;
* :func:`png_text`: the text chunks of a PNG (``demos/style.py`` writes its smallest text there).
"""

from __future__ import annotations

import functools
import gzip
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}
FIRST_VIEW_BUDGET = 1_000_000  # bytes, gzipped (DESIGN.md)
PAGE_BUDGET = 5_000_000  # bytes: no page over 5 MB
# What a static host (GitHub Pages, nginx's gzip_types, Netlify) compresses: text, and uncompressed fonts.
COMPRESSIBLE = {".html", ".htm", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".ttf", ".otf",
                ".eot", ".ico", ".map"}


@dataclass(frozen=True)
class Resource:
    url: str
    size: int  # bytes as stored
    gzipped: int  # bytes as a static host sends them


def sent_size(url: str, body: bytes) -> int:
    """Bytes on the wire: gzip (level 6) for the :data:`COMPRESSIBLE` types, the file itself otherwise."""
    path = urlsplit(url).path
    suffix = Path(path).suffix.lower() if not path.endswith("/") else ".html"
    return len(gzip.compress(body, 6)) if suffix in COMPRESSIBLE else len(body)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(html: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.wait_for_load_state("networkidle")


def _collect(responses) -> list[Resource]:
    found = {}
    for r in responses:
        if r.url.startswith("data:") or r.status != 200:
            continue
        try:
            body = r.body()
        except Exception:  # a response without a body (the page navigated on)
            continue
        found[r.url] = Resource(r.url, len(body), sent_size(r.url, body))
    return list(found.values())


def _fetched(browser, url: str, viewport: str, scroll: bool) -> list[Resource]:
    """Every resource that opening ``url`` fetches in a fresh browser context (no cache), and with ``scroll``
    all that scrolling to its end fetches too."""
    w, h = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": w, "height": h}, service_workers="block")
    try:
        page = context.new_page()
        responses = []
        page.on("response", lambda r: responses.append(r))
        page.goto(url, wait_until="load")
        _settle(page)
        if scroll:
            height = page.evaluate("() => document.documentElement.scrollHeight")
            for y in range(0, height + h, h // 2):
                page.evaluate(f"() => window.scrollTo(0, {y})")
                page.wait_for_timeout(50)
            _settle(page)
        return _collect(responses)
    finally:
        context.close()


def first_view(browser, url: str, viewport: str = "laptop") -> list[Resource]:
    """Every resource that opening ``url`` fetches, in a fresh browser context (no cache)."""
    return _fetched(browser, url, viewport, scroll=False)


def read_through(browser, url: str, viewport: str = "laptop") -> list[Resource]:
    """Every resource a reader fetches who opens ``url`` and scrolls to its end (every demo starts)."""
    return _fetched(browser, url, viewport, scroll=True)


def total(resources: list[Resource]) -> tuple[int, int]:
    """(bytes as stored, bytes gzipped as sent) of ``resources``."""
    return sum(r.size for r in resources), sum(r.gzipped for r in resources)


# Each image of the article that the page shows (after it loaded): src, natural and shown width.
FIGURES = """() => [...document.querySelectorAll('article.bd-article img')]
  .filter(img => img.getClientRects().length > 0)
  .map(img => ({src: img.currentSrc || img.src, alt: img.alt, natural: img.naturalWidth,
                shown: img.getBoundingClientRect().width, demo: !!img.closest('.gdh-demo-static')}))"""

# Load every image of the article (they are lazy): scroll each into view and wait for it.
LOAD_IMAGES = """async () => {
  for (const img of document.querySelectorAll('article.bd-article img')) {
    img.scrollIntoView({block: 'center'});
    if (!img.complete || !img.naturalWidth) {
      await new Promise(done => { img.addEventListener('load', done, {once: true});
                                  img.addEventListener('error', done, {once: true}); setTimeout(done, 5000); });
    }
  }
  window.scrollTo(0, 0);
}"""

# Open every toggled block (the "Check yourself" answers), so that their formulas are laid out too.
OPEN_TOGGLES = """() => {
  for (const el of document.querySelectorAll('.toggle-hidden')) el.classList.remove('toggle-hidden');
  for (const d of document.querySelectorAll('details')) d.open = true;
}"""

# Each formula of the article that does not fit. `phone`: a display formula wider than the column may
# scroll inside its own box; on a laptop none may be wider than the column. An inline formula must lie
# inside the column, except in a block that scrolls on its own (a wide table).
MATH = """(phone) => {
  const article = document.querySelector('article.bd-article');
  const a = article.getBoundingClientRect(), cs = getComputedStyle(article);
  const left = a.left + parseFloat(cs.paddingLeft) - 1, right = a.right - parseFloat(cs.paddingRight) + 1;
  const tex = m => (m.querySelector('mjx-assistive-mml') || m).textContent.replace(/\\s+/g, ' ').slice(0, 80);
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const bad = [];
  for (const m of article.querySelectorAll('mjx-container')) {
    const math = m.querySelector(':scope > mjx-math');
    if (!math || m.getClientRects().length === 0) continue;
    let box = m.parentElement, inScroller = false;
    for (; box && box !== article; box = box.parentElement) if (scrolls(box)) { inScroller = true; break; }
    if (m.getAttribute('display') === 'true') {
      const wide = math.getBoundingClientRect().width, room = m.clientWidth;
      const r = m.getBoundingClientRect();
      if (!inScroller && (r.left < left || r.right > right)) bad.push({tex: tex(m), why: 'display box outside the column'});
      else if (wide > room + 1 && !phone) bad.push({tex: tex(m), why: `display formula ${Math.round(wide)} px in a ${room} px column`});
      else if (wide > room + 1 && !scrolls(m)) bad.push({tex: tex(m), why: `cut off: ${Math.round(wide)} px in ${room} px, no scrolling`});
    } else if (!inScroller) {
      for (const part of math.children) {
        for (const r of part.getClientRects()) {
          if (r.width > 0 && (r.left < left || r.right > right)) {
            bad.push({tex: tex(m), why: `inline formula runs out of the column (${Math.round(r.left)}..${Math.round(r.right)} px, column ${Math.round(left)}..${Math.round(right)})`});
            break;
          }
        }
        if (bad.length && bad[bad.length - 1].tex === tex(m)) break;
      }
    }
  }
  return bad;
}"""


def png_text(data: bytes) -> dict[str, str]:
    """The tEXt and zTXt chunks of a PNG, as a dict."""
    out, pos = {}, 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            out[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"IEND":
            break
        pos += 12 + length
    return out
