"""Reader conveniences on every chapter: launch buttons (Binder; JupyterHub only where a hub is configured)
on the chapter's own source in the repository, downloads as .ipynb and .md that exist in the site, the repository link, and alt text on
every figure, and a site icon (without one every browser asks the server for /favicon.ico and logs a
404)."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml

from book_build import book  # noqa: F401 - the module-scoped fixture

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO = CONFIG["repository"]["url"].rstrip("/")
HUB = (CONFIG.get("launch_buttons") or {}).get("jupyterhub_url")


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.icons = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "link" and "icon" in (attrs.get("rel") or "").split():
            self.icons.append(attrs.get("href"))


def parsed(book, docname):
    page = Page()
    page.feed(book.page(docname).read_text())
    return page


def chapters(book):
    return [d for d in book.docnames if re.fullmatch(r"book/\d\d-[a-z0-9-]+", d)]


def test_there_are_nine_chapters(book):
    assert len(chapters(book)) == 9


def test_launch_buttons_open_the_chapter_from_the_repository(book):
    owner_repo = urlparse(REPO).path.strip("/")
    for docname in chapters(book):
        links = parsed(book, docname).links
        binder = [h for h in links if h.startswith("https://mybinder.org/v2/gh/")]
        assert binder and f"/v2/gh/{owner_repo}/" in binder[0] and binder[0].endswith(f"{docname}.md"), docname
        hub = [unquote(h) for h in links if "/hub/user-redirect/git-pull" in h]
        if HUB:  # an instructor's hub, launched through nbgitpuller
            assert hub and hub[0].startswith(HUB) and f"repo={REPO}" in hub[0] and f"/{docname}.md" in hub[0]
        else:  # no hub configured: no button that leads nowhere
            assert not hub, f"{docname}: a JupyterHub button without a hub: {hub[0]}"
        assert REPO in links, f"{docname}: no repository link"


def test_downloads_exist_in_the_site(book):
    for docname in chapters(book):
        page_url = f"file://{book.page(docname)}"
        downloads = [h for h in parsed(book, docname).links if "/_sources/" in h]
        suffixes = {Path(h).suffix for h in downloads}
        assert {".ipynb", ".md"} <= suffixes, f"{docname}: downloads {downloads}"
        for href in downloads:
            target = Path(urlparse(urljoin(page_url, href)).path)
            assert target.is_file() and target.stat().st_size > 0, f"{docname}: {href} is missing"


def test_every_page_declares_a_site_icon_that_exists(book):
    for docname in book.docnames:
        icons = parsed(book, docname).icons
        assert icons, f"{docname}: no <link rel=icon>; browsers will request /favicon.ico and get a 404"
        for href in icons:
            target = Path(urlparse(urljoin(f"file://{book.page(docname)}", href)).path)
            assert target.is_file() and target.stat().st_size > 0, f"{docname}: icon {href} is missing"


def test_every_figure_has_alt_text(book):
    missing = []
    for docname in book.docnames:
        for img in parsed(book, docname).images:
            if not (img.get("alt") or "").strip():
                missing.append(f"{docname}: {img.get('src', '')[:60]}")
    assert not missing, "images without alt text:\n" + "\n".join(missing)


RAW_TEX = re.compile(r"\$|\\[A-Za-z]+|[_^]\{")
FILE_PATH = re.compile(r"\.(?:png|jpe?g|gif|svg|webp)\b|_images/|^\.{0,2}/", re.I)


def test_alt_text_has_no_raw_latex_and_no_file_paths(book):
    """A screen reader reads alt text aloud: "$\\theta_2$" or "../_images/3f2a….png" says nothing."""
    bad = []
    for docname in book.docnames:
        for img in parsed(book, docname).images:
            alt = img.get("alt") or ""
            if RAW_TEX.search(alt) or FILE_PATH.search(alt):
                bad.append(f"{docname}: {alt[:100]}")
    assert not bad, "alt text with TeX or a file path:\n" + "\n".join(bad)
