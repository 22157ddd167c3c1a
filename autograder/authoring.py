"""Helpers to write an assignment's source notebook as Python (one builder per assignment in
``autograder/builders/``), so that sources stay text-diffable and their nbgrader metadata correct.

Cell kinds: :func:`markdown` (locked instructions), :func:`solution` (the student's answer region),
:func:`visible_test` (locked, *ungraded* asserts for the student) and :func:`hidden_test` (the graded cell:
a probe call inside ``### BEGIN HIDDEN TESTS``; its points must equal the probe's in ``autograder/cases``).
"""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SCHEMA = 3


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(grade_id: str, text: str):
    return new_markdown_cell(text.strip(), metadata=_meta(grade_id, locked=True))


def setup(grade_id: str, code: str):
    """A locked, ungraded code cell (imports, data)."""
    return new_code_cell(code.strip(), metadata=_meta(grade_id, locked=True))


def solution(grade_id: str, code: str):
    return new_code_cell(code.strip(), metadata=_meta(grade_id, solution=True))


def visible_test(grade_id: str, code: str):
    return new_code_cell(code.strip(), metadata=_meta(grade_id, locked=True))


def hidden_test(grade_id: str, probes: list[tuple[str, str]], points: float):
    """The graded cell: one ``probe(name, function)`` per (name, function) pair, hidden from students."""
    calls = "\n".join(f"probe({name!r}, {function})" for name, function in probes)
    code = ("# Graded by the instructor. This cell records what your functions return; the verdict is\n"
            "# computed outside your notebook. There is nothing to do here.\n"
            "### BEGIN HIDDEN TESTS\n"
            f"from autograder.probe import probe\n{calls}\n"
            "### END HIDDEN TESTS")
    return new_code_cell(code, metadata=_meta(grade_id, grade=True, locked=True, points=points))


def notebook(cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")[:64] or f"cell-{i}"
    return nb


def write(nb, path) -> None:
    nbformat.validate(nb)
    with open(path, "w", encoding="utf-8") as handle:
        nbformat.write(nb, handle)
