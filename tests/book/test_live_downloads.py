"""Each chapter's download (.ipynb) is its live notebook: it reads in Jupyter as the page reads in the book
(the same values, figure and equation numbers, answers closed), carries its own install step, and shows
no Jupyter Book markup. (That it runs in a fresh environment with only that step: tests/live/.)"""

import re

import nbformat
import pytest

from book_build import book  # noqa: F401 - the module-scoped fixture
from demos.live import course_requirement
from test_reader_conveniences import chapters

pytestmark = pytest.mark.book

MYST_LEFT = re.compile(r"\{[a-z][a-z:-]*\}`|^\s*(:::|```)\{|^\s*\([^()\s]+\)=\s*$|^\$\$ *\(", re.M)


def download(book, docname):
    return nbformat.read(book.html / "_sources" / f"{docname}.ipynb", as_version=4)


def html_text(html):
    return re.sub(r"\s+", " ", html)


def test_download_reads_like_the_page(book):
    for docname in chapters(book):
        nb = download(book, docname)
        page = book.page(docname).read_text()
        md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not MYST_LEFT.findall(md), f"{docname}: Jupyter Book markup left: {MYST_LEFT.findall(md)[:5]}"
        flat = html_text(md)
        for value in re.findall(r'class="pasted-text">([^<]*)<', page):
            assert value.strip() in flat, f"{docname}: the page's glued value {value!r} is not in the notebook"
        assert (re.findall(r"\*\*Fig\. (\d+)\.\*\*", md)
                == re.findall(r'caption-number">Fig\. (\d+)', page)), f"{docname}: figure numbers differ"
        assert (re.findall(r"\\tag\{(\d+)\}", md)
                == re.findall(r'class="eqno">\((\d+)\)', page)), f"{docname}: equation numbers differ"
        assert md.count("<details><summary>") == page.count('class="dropdown admonition"') > 0, docname


def test_download_installs_the_course_and_nothing_else_is_needed(book):
    requirement = course_requirement()
    for docname in chapters(book):
        nb = download(book, docname)
        first = nb.cells[0]
        assert first.cell_type == "code" and f'%pip install --quiet "{requirement}"' in first.source, docname
        text = nbformat.writes(nb)
        assert "myst_nb" not in text, f"{docname}: imports myst_nb"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{docname}: has outputs"
        hidden = [c for c in nb.cells if c.cell_type == "code" and "remove-cell" in c.metadata.get("tags", [])]
        assert hidden and all(c.metadata["jupyter"]["source_hidden"] for c in hidden), docname
