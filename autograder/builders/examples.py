"""Sample submissions for any assignment, written to ``autograder/examples/<assignment>/``.

An assignment's ``builders/<assignment>_examples.py`` declares only its mistakes, as string replacements in
the source's correct answers, and calls :func:`build`. Every assignment also gets the generic examples:

=====================  ==================================================================================
correct                the source notebook itself (solutions and hidden tests): full marks
blank                  the release, untouched: 0
tampering              the release plus a cell that patches numpy's comparisons, deletes asserts with an AST
                       transformer, swallows exceptions with set_custom_exc and forges probe records: 0
cells-tampered         correct answers, but the first graded cell deleted, the first visible test edited
                       and the second duplicated, the last graded cell retyped to markdown
renamed                correct, saved as ``<assignment>-Copy1.ipynb`` (graded as a missing notebook)
invalid-json           not a notebook at all
=====================  ==================================================================================

Files are named ``<student>_<assignment>.ipynb``, what ``python -m autograder collect`` expects. All but
``correct`` start from the *released* notebook (nbgrader's student version), as a student's would.
"""

from __future__ import annotations

import copy
import os
import tempfile
from typing import Callable

import nbformat

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

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

try:  # forge the probe: claim every case passed, twice, with made-up values
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
'''


def source_path(assignment: str) -> str:
    return os.path.join(HERE, "source", assignment, f"{assignment}.ipynb")


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def correct_answers(source) -> dict[str, str]:
    """The solution cells' code without the ``### BEGIN/END SOLUTION`` markers, by grade id."""
    return {grade_id(cell): "\n".join(line for line in cell.source.splitlines()
                                      if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
            for cell in source.cells if cell.metadata.get("nbgrader", {}).get("solution")}


def answers_for(source, changes: dict[str, Callable[[str], str]]) -> dict[str, str]:
    """The correct answers with ``changes`` (grade id -> edit of the code) applied."""
    answers = correct_answers(source)
    for key, change in changes.items():
        changed = change(answers[key])
        if changed == answers[key]:
            raise ValueError(f"the change to {key} does not apply to the source's answer any more")
        answers[key] = changed
    return answers


def released(assignment: str):
    from autograder import cli

    with tempfile.TemporaryDirectory() as course:
        cli.prepare_course_dir(course)
        cli.release(course, [assignment])
        return nbformat.read(os.path.join(course, "release", assignment, f"{assignment}.ipynb"), as_version=4)


def fill(nb, answers: dict[str, str]):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def tamper_with_cells(nb):
    """Delete the first graded cell, edit the first visible test, duplicate the second, retype the last
    graded cell to markdown."""
    nb = copy.deepcopy(nb)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    graded = [i for i, m in enumerate(meta) if m.get("grade") and not m.get("solution")]
    visible = [i for i, m in enumerate(meta) if m.get("locked") and not m.get("grade") and nb.cells[i].cell_type == "code"
               and "assert" in nb.cells[i].source]
    last = nb.cells[graded[-1]]
    nb.cells[graded[-1]] = nbformat.v4.new_markdown_cell(last.source, metadata=last.metadata, id=last.get("id"))
    nb.cells[visible[0]].source = "pass  # the visible test, edited away"
    duplicate = copy.deepcopy(nb.cells[visible[1]])
    duplicate["id"] = "duplicated-visible"
    nb.cells.insert(visible[1] + 1, duplicate)
    del nb.cells[graded[0]]
    return nb


def build(assignment: str, variants: dict[str, dict[str, Callable[[str], str]]]) -> list[str]:
    """Write the generic examples and one per variant (student name -> {grade id: edit})."""
    out = os.path.join(HERE, "examples", assignment)
    os.makedirs(out, exist_ok=True)
    source = nbformat.read(source_path(assignment), as_version=4)
    release = released(assignment)
    correct = correct_answers(source)

    def write(nb, student, name=assignment):
        path = os.path.join(out, f"{student}_{name}.ipynb")
        nbformat.write(nb, path)
        return path

    written = [write(source, "correct"), write(release, "blank")]
    for student, changes in variants.items():
        written.append(write(fill(release, answers_for(source, changes)), student))
    tampering = copy.deepcopy(release)
    first_code = next(i for i, c in enumerate(tampering.cells) if c.cell_type == "code")
    tampering.cells.insert(first_code + 1, nbformat.v4.new_code_cell(TAMPER.strip()))
    written.append(write(tampering, "tampering"))
    written.append(write(tamper_with_cells(fill(release, correct)), "cells-tampered"))
    written.append(write(fill(release, correct), "renamed", f"{assignment}-Copy1"))
    path = os.path.join(out, f"invalid-json_{assignment}.ipynb")
    with open(path, "w") as handle:
        handle.write('{"cells": [{"cell_type": "code", "source": "def f(x):\n    return 0"')
    written.append(path)
    return written
