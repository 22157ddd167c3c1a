"""tools/build_book.py: chapters executed into myst-nb's cache once, and again after a library change.

A tiny book in a temporary folder (one chapter, a ``solutions/`` and a ``book/demos/`` file): the
first run executes the chapter, a second finds it cached, and a change to ``solutions/`` or
``book/demos/`` clears the cache so the chapter runs again (an author never sees stale numbers).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_book  # noqa: E402

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

```{code-cell} ipython3
print(6 * 7)
```
"""


def make_book(root: Path) -> None:
    (root / "book" / "demos").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "_config.yml").write_text("execute:\n  execute_notebooks: cache\n  timeout: 60\n")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n")
    (root / "book" / "intro.md").write_text(CHAPTER)
    (root / "solutions" / "__init__.py").write_text("ANSWER = 42\n")
    (root / "book" / "demos" / "__init__.py").write_text("")


def cached(root: Path) -> list:
    from jupyter_cache import get_cache

    return get_cache(str(root / "_build" / ".jupyter_cache")).list_cache_records()


def test_cache_filled_reused_and_cleared_on_library_change(tmp_path, capsys):
    make_book(tmp_path)
    assert build_book.prepare_cache(tmp_path) is False
    assert "executing 1 chapter" in capsys.readouterr().out
    records = cached(tmp_path)
    assert len(records) == 1
    outputs = build_book.read_notebook(tmp_path / "book" / "intro.md", {})
    from jupyter_cache import get_cache

    _, merged = get_cache(str(tmp_path / "_build" / ".jupyter_cache")).merge_match_into_notebook(outputs)
    code = [cell for cell in merged.cells if cell.cell_type == "code"]
    assert code[0].outputs[0]["text"].strip() == "42"

    assert build_book.prepare_cache(tmp_path) is False  # nothing changed: nothing executed
    assert "executing" not in capsys.readouterr().out

    (tmp_path / "book" / "demos" / "__init__.py").write_text("# an author's edit\n")
    assert build_book.prepare_cache(tmp_path) is True  # cleared: the build must re-read every page
    out = capsys.readouterr().out
    assert "clearing the execution cache" in out and "executing 1 chapter" in out
    assert len(cached(tmp_path)) == 1

    (tmp_path / "solutions" / "__init__.py").write_text("ANSWER = 43\n")
    assert build_book.prepare_cache(tmp_path) is True
    assert build_book.prepare_cache(tmp_path) is False


def test_the_figure_style_is_part_of_the_library(tmp_path):
    """A change to book/demos/book.mplstyle redraws every figure: it clears the cache like code does."""
    make_book(tmp_path)
    style = tmp_path / "book" / "demos" / "book.mplstyle"
    style.write_text("font.size: 10\n")
    before = build_book.library_digest(tmp_path)
    style.write_text("font.size: 11\n")
    assert build_book.library_digest(tmp_path) != before
