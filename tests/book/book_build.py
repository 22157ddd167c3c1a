"""Build the book once per test session and describe what was built (shared by tests/book and tests/browser)."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"


@dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    html: Path
    docnames: tuple[str, ...]
    skipped: bool = False

    def page(self, docname: str) -> Path:
        return self.html / f"{docname}.html"


def toc_docnames() -> tuple[str, ...]:
    """Every page listed in _toc.yml, root first."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(str(ROOT / "_toc.yml"))
    return tuple(site)


@functools.cache
def build_book() -> Build:
    """Build the book as ``python3 tasks.py book`` does (``tools/build_book.py``: the chapters executed
    in parallel into the execution cache, then ``jupyter-book build . -W -n --keep-going``), with
    ``--all`` into _build/html.

    ``--all`` re-reads every page so that every warning is reported again (an incremental build
    would stay silent about pages it skips); notebooks still come from the execution cache, so a
    warm build takes seconds. ``BOOK_SKIP_BUILD=1`` reuses an existing _build/html as it is.
    """
    if os.environ.get("BOOK_SKIP_BUILD") == "1" and (HTML / "index.html").exists():
        return Build(0, "", HTML, toc_docnames(), skipped=True)
    cmd = [sys.executable, str(ROOT / "tools" / "build_book.py"), "--all"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    return Build(proc.returncode, proc.stdout + proc.stderr, HTML, toc_docnames())


@pytest.fixture(scope="module")
def book() -> Build:
    """The built book (built once per session, shared with the browser tests).

    Imported by the test modules rather than defined in a conftest.py: the suite runs with
    --doctest-modules, under which two sibling conftest.py files collide.
    """
    return build_book()
