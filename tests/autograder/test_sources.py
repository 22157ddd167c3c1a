"""Assignment sources: valid nbgrader metadata, no outputs, every graded cell registered with its points,
and the committed notebook in sync with its builder."""

import importlib
import os

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.utils import is_grade, is_solution

from autograder import cli
from autograder.cases import by_grade_id

ASSIGNMENTS = cli.source_assignments()


def test_there_are_assignments():
    assert "search" in ASSIGNMENTS


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_notebook(name):
    path = os.path.join(cli.SOURCE, name, f"{name}.ipynb")
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path}: commit without outputs"
        assert "import solutions" not in cell.source and "from solutions" not in cell.source
    graded = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if is_grade(c) and not is_solution(c)}
    registry = by_grade_id(name)
    assert set(graded) == set(registry), "every graded cell needs a probe, every probe a graded cell"
    for grade_id, cell in graded.items():
        assert float(cell.metadata.nbgrader["points"]) == sum(s.points for s in registry[grade_id])
        assert "### BEGIN HIDDEN TESTS" in cell.source and "assert" not in cell.source
        for spec in registry[grade_id]:
            assert f"probe({spec.name!r}, {spec.function})" in cell.source
    for cell in nb.cells:
        if "assert" in cell.source:
            assert not is_grade(cell), "visible asserts must not carry points (they run in the kernel)"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_notebook_matches_its_builder(name):
    builder = importlib.import_module(f"autograder.builders.{name}")
    committed = nbformat.read(os.path.join(cli.SOURCE, name, f"{name}.ipynb"), as_version=4)
    built = builder.build()
    assert [c.source for c in built.cells] == [c.source for c in committed.cells], (
        f"run `python -m autograder.builders.{name}` and commit the notebook")
    assert [c.metadata for c in built.cells] == [c.metadata for c in committed.cells]
