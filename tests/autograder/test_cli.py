"""CLI pieces that need no kernel: tamper reports, the summary table, argument errors, example drift."""

import copy
import os

import nbformat
import pytest

from autograder import cli
from autograder.builders import examples

SOURCE = nbformat.read(os.path.join(cli.SOURCE, "search", "search.ipynb"), as_version=4)
BLANK = nbformat.read(os.path.join(cli.HERE, "examples", "search", "blank_search.ipynb"), as_version=4)


def ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def test_untouched_release_and_source_are_not_tampering():
    assert cli.locked_cell_changes(BLANK, BLANK, SOURCE) == []
    assert cli.locked_cell_changes(BLANK, SOURCE, SOURCE) == []


def test_each_kind_of_locked_cell_tampering_is_named():
    nb = copy.deepcopy(BLANK)
    nb.cells[ids(nb).index("setup")].source = "x = y = None"
    del nb.cells[ids(nb).index("cost_hidden")]
    nb.cells.append(copy.deepcopy(nb.cells[ids(nb).index("grid_search_visible")]))
    i = ids(nb).index("intro")
    nb.cells[i] = nbformat.v4.new_code_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    assert cli.locked_cell_changes(BLANK, nb, SOURCE) == [
        "locked cell intro changed from markdown to code (graded as the source's version)",
        "locked cell setup edited (graded as the source's version)",
        "locked cell cost_hidden deleted (a deleted graded cell scores 0: put it back from the release and "
        "grade again)",
        "locked cell grid_search_visible duplicated (the copy is ignored)"]


def test_summary_table_lists_review_tampering_timeouts_errors():
    rows = [cli.Row("ann", score=8, max_score=8), cli.Row("bob", status="timeout", timeout=True, score=5, max_score=8),
            cli.Row("cy", status="invalid notebook", manual_review=True, notes=["not JSON"]),
            cli.Row("dee", status="tampered", tampered=True, manual_review=True, score=0, max_score=8)]
    table = cli.summary_table("search", rows)
    assert "search: 4 submissions" in table
    assert "needs manual review: cy, dee" in table
    assert "tampered: dee; timeouts: bob; errors: cy" in table
    assert "8/8" in table and "not JSON" in table


def test_bad_arguments_are_one_clear_line(tmp_path, capsys):
    assert cli.main(["--course-dir", str(tmp_path), "release", "nope"]) == 2
    assert capsys.readouterr().err.startswith("error: no assignment 'nope'")
    not_zip = tmp_path / "grades.txt"
    not_zip.write_text("hello")
    assert cli.main(["--course-dir", str(tmp_path), "collect", str(not_zip)]) == 2
    assert "neither a folder nor a zip file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["frobnicate"])


def test_course_dir_config_loads_the_repos(tmp_path):
    course = cli.prepare_course_dir(str(tmp_path / "c"))
    text = open(os.path.join(course, "nbgrader_config.py")).read()
    assert f"load_subconfig({os.path.join(cli.HERE, 'nbgrader_config.py')!r})" in text
    nbapi = cli.api(course)
    assert nbapi.coursedir.root == course
    assert nbapi.coursedir.source_directory == cli.SOURCE


@pytest.mark.parametrize("name", cli.source_assignments())
def test_examples_match_their_builder(name):
    """Each committed example's answers are the builder's variant of the source's current answers."""
    import importlib

    variants = importlib.import_module(f"autograder.builders.{name}_examples").VARIANTS
    source = nbformat.read(examples.source_path(name), as_version=4)
    folder = os.path.join(cli.HERE, "examples", name)
    for student, changes in variants.items():
        nb = nbformat.read(os.path.join(folder, f"{student}_{name}.ipynb"), as_version=4)
        answers = {examples.grade_id(c): c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}
        assert answers == examples.answers_for(source, changes), (
            f"{student}: run `python -m autograder.builders.{name}_examples` and commit")
    assert nbformat.read(os.path.join(folder, f"correct_{name}.ipynb"), as_version=4) == source


def test_python_dash_m_autograder_runs():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for command in ("release", "collect", "grade", "feedback", "export", "--course-dir"):
        assert command in proc.stdout
