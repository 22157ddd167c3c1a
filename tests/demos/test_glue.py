"""demos.glue emits exactly what myst-nb's glue emits, so the book reads the values it records, and a
chapter runs without myst-nb (a student's Jupyter, Binder, Colab)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

import demos

ROOT = Path(__file__).resolve().parents[2]
VALUES = [("n", 3), ("x", 0.1 + 0.2), ("big", np.float64(1e-12)), ("s", "the same point"), ("arr", np.arange(3))]


def published(glue, monkeypatch):
    shell = InteractiveShell.instance()
    out = []
    monkeypatch.setattr(shell.display_pub, "publish",
                        lambda data, metadata=None, **kw: out.append((data, metadata)))
    for name, value in VALUES:
        glue(name, value, display=False)
        glue(name, value)
    return out


def test_same_outputs_as_myst_nb(monkeypatch):
    from myst_nb import glue as myst_glue

    ours = published(demos.glue, monkeypatch)
    assert len(ours) == 2 * len(VALUES)
    assert ours == published(myst_glue, monkeypatch)
    data, metadata = ours[0]
    assert data == {"application/papermill.record/text/plain": "3"}
    assert metadata["scrapbook"] == {"name": "n", "mime_prefix": "application/papermill.record/"}


def test_no_chapter_imports_myst_nb_or_sphinx():
    for path in sorted((ROOT / "book").glob("*.md")):
        assert "myst_nb" not in path.read_text(), f"{path.name} imports myst_nb: use `from demos import glue`"
    code = "import demos, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in ('myst_nb', 'sphinx')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


@pytest.fixture(autouse=True)
def _clear_shell():
    yield
    InteractiveShell.clear_instance()
