"""Fixtures for the browser tests (imported by them; not a conftest.py, see tests/book/book_build.py).

Serve the built book on 127.0.0.1 and drive Debian's Chromium over it, with the network blocked."""

from __future__ import annotations

import functools
import os
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))
from book_build import build_book  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def book_build():
    book = build_book()
    # Build warnings fail tests/book/test_build.py; the pages are still written (--keep-going),
    # and the browser tests check them on their own.
    if not (book.html / "index.html").is_file():
        pytest.fail("the book did not build; see tests/book/test_build.py")
    return book


@pytest.fixture(scope="session")
def site(book_build):
    """The base URL of the built book, served by a thread on 127.0.0.1."""
    handler = functools.partial(_Quiet, directory=str(book_build.html))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


_BROWSER: dict = {"users": 0}  # one Chromium per test process, however many modules import the fixture


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium. Every test module that imports this fixture gets a session fixture of its own,
    and playwright's sync API runs only one instance per process: they all share this one."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    if _BROWSER["users"] == 0:
        _BROWSER["playwright"] = sync_playwright().start()
        _BROWSER["browser"] = _BROWSER["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    _BROWSER["users"] += 1
    yield _BROWSER["browser"]
    _BROWSER["users"] -= 1
    if _BROWSER["users"] == 0:
        _BROWSER["browser"].close()
        _BROWSER["playwright"].stop()


@dataclass
class Visit:
    """A page opened with every request that leaves 127.0.0.1 aborted and recorded."""

    page: object
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser, site):
    contexts = []

    def open_page(path: str, viewport: str = "laptop") -> Visit:
        w, h = VIEWPORTS[viewport]
        ctx = browser.new_context(viewport={"width": w, "height": h}, service_workers="block")
        contexts.append(ctx)
        page = ctx.new_page()
        v = Visit(page)

        def route(r):
            if r.request.url.startswith(site):
                r.continue_()
            else:
                v.external.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page.on("console",
                lambda m: v.errors.append(f"{m.text} ({m.location['url']})") if m.type == "error" else None)
        page.on("pageerror", lambda e: v.errors.append(f"pageerror: {e}"))
        page.on("requestfailed",
                lambda r: None if not r.url.startswith(site) else v.errors.append(f"failed: {r.url}"))
        response = page.goto(site + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return v

    yield open_page
    for ctx in contexts:
        ctx.close()


# Font files that carry CJK glyphs on common Linux systems (Debian's fonts-noto-cjk, fonts-wqy-*,
# fonts-arphic-*, fonts-droid-fallback, Source Han); fontconfig ignores them in ``browser_without_cjk``.
CJK_FONT_GLOBS = ("*NotoSansCJK*", "*NotoSerifCJK*", "*NotoSansMonoCJK*", "*wqy*", "*uming*", "*ukai*",
                  "*DroidSansFallback*", "*SourceHan*", "*Noto*SC*", "*Noto*TC*", "*Noto*JP*", "*Noto*KR*")


@pytest.fixture(scope="module")
def browser_without_cjk(tmp_path_factory):
    """Chromium as on a machine with no CJK font: the page must bring its own."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    folder = tmp_path_factory.mktemp("fontconfig")
    rejects = "".join(f"<glob>{g}</glob>" for g in CJK_FONT_GLOBS)
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"
        f"<selectfont><rejectfont>{rejects}</rejectfont></selectfont>"
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                    env={**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")})
        yield browser
        browser.close()
