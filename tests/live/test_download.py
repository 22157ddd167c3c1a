"""A chapter's downloaded notebook runs in a fresh Jupyter (a kernel and nothing else) with no step but the
install cell it carries. The cell points at the published repository; here it is pointed at the course's
wheel built from this tree, the only change (the machine has no route to the repository)."""

import sys
from pathlib import Path

import nbformat
import pytest
from environments import bare_jupyter, course_wheel, run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))
from book_build import book  # noqa: E402,F401 - the module-scoped fixture

from demos.core import WIDGET_VIEW_MIME  # noqa: E402
from demos.live import PACKAGE, course_requirement  # noqa: E402

pytestmark = [pytest.mark.live, pytest.mark.book]

RUN = """import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[3])
"""


def test_downloaded_chapter_runs_with_only_its_install_step(book, tmp_path):
    bin_dir = bare_jupyter()
    fresh = run([bin_dir / "python", "-c", "import numpy"], tmp_path, bin_dir)
    assert fresh.returncode != 0, "the bare Jupyter already has numpy: not fresh"
    nb = nbformat.read(book.html / "_sources" / "book" / "01-linear-model.ipynb", as_version=4)
    requirement = course_requirement()
    assert requirement in nb.cells[0].source
    nb.cells[0].source = nb.cells[0].source.replace(requirement, f"{PACKAGE} @ {course_wheel().as_uri()}")
    (tmp_path / "run.py").write_text(RUN)
    nbformat.write(nb, tmp_path / "chapter.ipynb")
    done = run([bin_dir / "python", tmp_path / "run.py", tmp_path / "chapter.ipynb", tmp_path,
                tmp_path / "executed.ipynb"], tmp_path, bin_dir)
    assert done.returncode == 0, f"the downloaded chapter failed:\n{done.stderr[-4000:]}"
    executed = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any(WIDGET_VIEW_MIME in o.get("data", {}) for o in outputs), "the demo showed no live widget"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure"
