"""autograder/execute.py's CheckCellMetadataOnce decides exactly as nbgrader's CheckCellMetadata does."""

import copy
import os

import nbformat
import pytest
from nbgrader.preprocessors import CheckCellMetadata

from autograder import cli
from autograder.execute import CheckCellMetadataOnce

SOURCE = nbformat.read(os.path.join(cli.SOURCE, "search", "search.ipynb"), as_version=4)


def graded(nb):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))


def points_as_text(nb):
    graded(nb).metadata.nbgrader.points = "ten"


def unknown_key(nb):
    graded(nb).metadata.nbgrader.color = "red"


def no_grade_id(nb):
    del graded(nb).metadata.nbgrader["grade_id"]


def old_schema(nb):
    graded(nb).metadata.nbgrader.schema_version = 1


def new_schema(nb):
    graded(nb).metadata.nbgrader.schema_version = 9


def duplicate_id(nb):
    nb.cells.append(copy.deepcopy(graded(nb)))


def untouched(nb):
    pass


@pytest.mark.parametrize("change", [untouched, points_as_text, unknown_key, no_grade_id, old_schema, new_schema,
                                    duplicate_id])
def test_same_verdict_as_nbgraders_check(change):
    outcomes = []
    for check in (CheckCellMetadata, CheckCellMetadataOnce):
        nb = copy.deepcopy(SOURCE)
        change(nb)
        try:
            check().preprocess(nb, {})
            outcomes.append("valid")
        except Exception as exc:  # noqa: BLE001 - the type and message are what is compared
            outcomes.append(f"{type(exc).__name__}: {exc}")
    assert outcomes[0] == outcomes[1]
    assert (outcomes[1] == "valid") == (change is untouched), outcomes[1]
