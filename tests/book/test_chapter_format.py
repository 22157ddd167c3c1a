"""Chapters are stored in the form jupytext writes, so opening one in Jupyter and saving it (autosave does,
once the kernel has set the kernelspec) changes nothing on disk. Fix with `python tools/chapter_format.py`."""

import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import chapter_format  # noqa: E402


def test_every_chapter_round_trips_through_jupytext_byte_for_byte():
    pages = chapter_format.notebook_pages()
    assert len(pages) >= 10  # the intro and nine chapters
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert jupytext.writes(jupytext.reads(text, fmt="md:myst"), fmt="md:myst") == text, (
            f"{path.name}: not in jupytext's form; run python tools/chapter_format.py")
        assert chapter_format.saved_by_jupyter(path) == text, (
            f"{path.name}: Jupyter's save would rewrite it; run python tools/chapter_format.py")
