"""Builds the sample submissions in ``autograder/examples/search/``: ``python -m autograder.builders.search_examples``.

Each file is named ``<student>_search.ipynb`` (what ``python -m autograder collect`` expects). All but
``correct`` start from the *released* notebook (nbgrader's student version), as a student's would:

=====================  ==================================================================================
correct                the source notebook itself (solutions and hidden tests): full marks
blank                  the release, untouched: 0
sum-instead-of-mean    cost sums the squared errors
sign-error             grid_search keeps the largest value
off-by-one             coarse_to_fine runs levels − 1 levels
mutates-input          cost computes the residual inside y's memory for a scalar w
raises                 cost refers to an undefined name (NameError)
infinite-loop          coarse_to_fine forgets to advance its level counter
tampering              no solutions, but patches numpy's comparisons, deletes asserts with an AST
                       transformer, swallows exceptions with set_custom_exc and forges probe records
cells-tampered         correct solutions, but deletes, duplicates, retypes and edits locked cells
kernel-exit            correct cost and grid_search; coarse_to_fine calls os._exit when probed
renamed                correct, saved as search-Copy1.ipynb (collected as a missing notebook)
invalid-json           not a notebook at all
=====================  ==================================================================================
"""

from __future__ import annotations

import copy
import os
import tempfile

import nbformat

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(HERE, "examples", "search")
SOURCE = os.path.join(HERE, "source", "search", "search.ipynb")


def _solution_code(nb, grade_id):
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    lines = [line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
             and "### END SOLUTION" not in line]
    return "\n".join(lines)


CORRECT = {}  # grade_id -> correct solution code without the markers (filled in by build())

VARIANTS = {
    "sum-instead-of-mean": {"cost": lambda c: c.replace("np.mean((w[..., None] * x - y) ** 2, axis=-1)",
                                                        "np.sum((w[..., None] * x - y) ** 2, axis=-1)")},
    "sign-error": {"grid_search": lambda c: c.replace("np.argmin(values)", "np.argmax(values)")},
    "off-by-one": {"coarse_to_fine": lambda c: c.replace("for _ in range(levels):", "for _ in range(1, levels):")},
    "mutates-input": {"cost": lambda c: c.replace(
        "    return np.mean(",
        "    if w.ndim == 0:\n        y -= w * x  # reuse y's memory for the residuals\n"
        "        return np.mean(y ** 2)\n    return np.mean(")},
    "raises": {"cost": lambda c: c.replace("axis=-1)", "axis=-1) * N / n_samples")},
    "infinite-loop": {"coarse_to_fine": lambda c: c.replace(
        "    for _ in range(levels):", "    level = 0\n    while level < levels:  # forgot level += 1")},
    "kernel-exit": {"coarse_to_fine": lambda c: c.replace(
        "    box = np.array(bounds, dtype=float)",
        "    import os\n    os._exit(1)\n    box = np.array(bounds, dtype=float)")},
}

TAMPER = r'''
# "Make every test pass": nothing below solves the assignment.
import ast
import numpy as np
import numpy.testing
from IPython import get_ipython

np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None


class DropAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()


ip = get_ipython()
ip.ast_transformers.append(DropAsserts())
ip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)

try:  # forge the probe: claim every case passed with made-up values
    import json
    import autograder.probe as _probe
    from IPython.display import display

    def fake_probe(name, fn, time_limit=None):
        n = len(_probe.load_spec(name).cases())
        record = {"probe": name, "version": 1,
                  "cases": [{"ok": True, "value": 0.0, "mutated": []} for _ in range(n)]}
        display({_probe.MIME: record, "text/plain": "ok"}, raw=True)
        display({_probe.MIME: record, "text/plain": "ok"}, raw=True)

    _probe.probe = fake_probe
except ImportError:
    pass


def cost(w, x, y):
    return 0.0


def grid_search(f, bounds, points_per_dim):
    return np.zeros(len(bounds)), 0.0, 0


def coarse_to_fine(f, bounds, points_per_dim=4, levels=2):
    return np.zeros(len(bounds)), 0.0, 0
'''


def _released():
    from autograder import cli

    with tempfile.TemporaryDirectory() as course:
        cli.prepare_course_dir(course)
        cli.release(course, ["search"])
        return nbformat.read(os.path.join(course, "release", "search", "search.ipynb"), as_version=4)


def _fill(nb, solutions):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell.source = solutions[grade_id]
    return nb


def _write(nb, name):
    path = os.path.join(OUT, name)
    nbformat.write(nb, path)
    return path


def build():
    source = nbformat.read(SOURCE, as_version=4)
    for grade_id in ("cost", "grid_search", "coarse_to_fine"):
        CORRECT[grade_id] = _solution_code(source, grade_id)
    release = _released()
    os.makedirs(OUT, exist_ok=True)
    written = [_write(source, "correct_search.ipynb"), _write(release, "blank_search.ipynb")]
    for name, changes in VARIANTS.items():
        solutions = dict(CORRECT)
        for grade_id, change in changes.items():
            changed = change(solutions[grade_id])
            assert changed != solutions[grade_id], f"variant {name} did not change {grade_id}"
            solutions[grade_id] = changed
        written.append(_write(_fill(release, solutions), f"{name}_search.ipynb"))
    tampering = copy.deepcopy(release)
    tampering.cells.insert(2, nbformat.v4.new_code_cell(TAMPER.strip()))
    written.append(_write(tampering, "tampering_search.ipynb"))

    cells = _fill(release, CORRECT)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in cells.cells]
    cells.cells[ids.index("cost_visible")].source = "pass  # the visible test, edited away"
    dup = copy.deepcopy(cells.cells[ids.index("grid_search_visible")])
    dup["id"] = "duplicated-visible"
    cells.cells.insert(ids.index("grid_search_visible") + 1, dup)
    retyped = cells.cells[ids.index("coarse_to_fine_hidden") + 1]
    cells.cells[ids.index("coarse_to_fine_hidden") + 1] = nbformat.v4.new_markdown_cell(
        retyped.source, metadata=retyped.metadata, id=retyped.get("id"))
    del cells.cells[ids.index("cost_hidden")]
    written.append(_write(cells, "cells-tampered_search.ipynb"))

    written.append(_write(_fill(release, CORRECT), "renamed_search-Copy1.ipynb"))
    path = os.path.join(OUT, "invalid-json_search.ipynb")
    with open(path, "w") as handle:
        handle.write('{"cells": [{"cell_type": "code", "source": "def cost(w, x, y):\n    return 0"')
    written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"wrote {os.path.relpath(path)}")
