"""Sphinx extension: each chapter's download (``_sources/<page>.ipynb``) is its live notebook.

sphinx-book-theme's download button offers the executed notebook that myst-nb wrote: in Jupyter or
Colab it shows the book's markup raw, its demos carry a static animation, and nothing installs the
course's code it imports. At the end of the build this replaces it with :func:`demos.live.live_notebook`:
the chapter as Jupyter renders it, with the values of this build's run (myst-nb's ``<page>.glue.json``),
no outputs, and a first cell that installs the course from the repository of ``_config.yml``.
The pages' HTML is not touched.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from sphinx.application import Sphinx


def _write_live_downloads(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from demos.live import Book, course_requirement, live_notebook

    root = Path(app.srcdir)
    sources = Path(app.outdir) / "_sources"
    executed = Path(app.outdir).parent / "jupyter_execute"
    book = Book.read(root)
    requirement = course_requirement(root)
    for docname in sorted(app.env.found_docs):
        download = sources / f"{docname}.ipynb"
        source = root / f"{docname}.md"
        if not (download.is_file() and source.is_file()):
            continue
        glue = executed / f"{docname}.glue.json"
        values = ({k: v["data"]["text/plain"] for k, v in json.loads(glue.read_text()).items()}
                  if glue.is_file() else {})
        nbformat.write(live_notebook(source, values, book, requirement=requirement, root=root), download)


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _write_live_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
