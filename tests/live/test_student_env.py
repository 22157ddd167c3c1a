"""The student environment (binder/: what the launch buttons build) installs in a fresh venv, holds none of
the instructor's, the book's or the tests' tools, runs every chapter, and leaves each as its live notebook."""

import re
import sys
from pathlib import Path

import jupytext
import pytest
from environments import student_env

pytestmark = pytest.mark.live

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import chapter_format  # noqa: E402

MYST_LEFT = re.compile(r"\{[a-z][a-z:-]*\}`|^\s*(:::|```)\{admonition|^\s*\([^()\s]+\)=\s*$|^\$\$ *\(", re.M)
NOT_FOR_STUDENTS = {"nbgrader", "jupyter-book", "sphinx", "myst-nb", "myst-parser", "pytest", "playwright",
                    "psycopg2-binary", "sphinx-book-theme"}


@pytest.fixture(scope="module")
def env():
    env = student_env()
    assert env.install.returncode == 0, f"pip install -r binder/requirements.txt failed:\n{env.install.stderr}"
    return env


def test_installs_the_course_and_no_instructor_tools(env):
    packages = env.packages()
    assert {"gradient-descent-hands-on", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "notebook",
            "jupytext"} <= packages
    assert not packages & NOT_FOR_STUDENTS, f"in a student's environment: {packages & NOT_FOR_STUDENTS}"


def test_post_build_runs_every_chapter_and_writes_its_live_notebook(env):
    assert env.post_build.returncode == 0, (
        f"binder/postBuild failed:\n{env.post_build.stdout[-3000:]}\n{env.post_build.stderr[-5000:]}")
    print(f"postBuild (every chapter run and rewritten): {env.post_build_seconds:.0f} s")
    pages = [env.repo / p.relative_to(chapter_format.ROOT) for p in chapter_format.notebook_pages()]
    assert len(pages) >= 10 and f"{len(pages)} pages executed" in env.post_build.stdout
    for page in pages:
        text = page.read_text(encoding="utf-8")
        nb = jupytext.reads(text, fmt="md:myst")
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not MYST_LEFT.findall(markdown), f"{page.name}: {MYST_LEFT.findall(markdown)[:5]}"
        if page.name[:2].isdigit():
            assert "<details><summary>Answer</summary>" in markdown, page.name
        # what the launch opens is stored as Jupyter saves it too: opening it rewrites nothing
        assert chapter_format.saved_by_jupyter(page) == text, page.name
