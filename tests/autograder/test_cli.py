"""CLI pieces that need no kernel: tamper reports, the summary table, argument errors, example drift."""

import copy
import os

import nbformat
import pytest

from autograder import cli, grading, plots

from courses import released  # noqa: F401 - fixtures

SOURCE = nbformat.read(os.path.join(cli.SOURCE, "search", "search.ipynb"), as_version=4)
BLANK = nbformat.read(os.path.join(cli.HERE, "examples", "search", "blank_search.ipynb"), as_version=4)


def ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def test_untouched_release_and_source_are_not_tampering():
    assert grading.locked_cell_changes(BLANK, BLANK, SOURCE) == []
    assert grading.locked_cell_changes(BLANK, SOURCE, SOURCE) == []


def test_each_kind_of_locked_cell_tampering_is_named():
    nb = copy.deepcopy(BLANK)
    nb.cells[ids(nb).index("setup")].source = "x = y = None"
    del nb.cells[ids(nb).index("cost_hidden")]
    nb.cells.append(copy.deepcopy(nb.cells[ids(nb).index("grid_search_visible")]))
    i = ids(nb).index("intro")
    nb.cells[i] = nbformat.v4.new_code_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    assert grading.locked_cell_changes(BLANK, nb, SOURCE) == [
        "locked cell intro changed from markdown to code (graded as the source's version)",
        "locked cell setup edited (graded as the source's version)",
        "locked cell cost_hidden deleted (a deleted graded cell scores 0: put it back from the release and "
        "grade again)",
        "locked cell grid_search_visible duplicated (the copy is ignored)"]


def test_summary_table_lists_review_tampering_timeouts_errors():
    rows = [grading.Row("ann", score=8, max_score=8), grading.Row("bob", status="timeout", timeout=True, score=5, max_score=8),
            grading.Row("cy", status="invalid notebook", manual_review=True, notes=["not JSON"]),
            grading.Row("dee", status="tampered", tampered=True, manual_review=True, score=0, max_score=8)]
    table = grading.summary_table("search", rows)
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


def test_python_dash_m_autograder_runs():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for command in ("release", "collect", "grade", "feedback", "export", "--course-dir"):
        assert command in proc.stdout


def test_release_works_with_the_venv_not_activated(tmp_path):
    """nbgrader runs `alembic` to create a gradebook; `.venv/bin/python -m autograder` without the venv on
    PATH must still find it."""
    import subprocess
    import sys

    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "autograder", "--course-dir", str(tmp_path / "c"), "release",
                           "search"], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "c" / "gradebook.db").is_file()


# --------------------------------------------------------------------------- grade: sandbox, collect, export
def test_grade_refuses_early_without_the_sandbox(released, monkeypatch, capsys):
    from autograder import sandbox

    monkeypatch.setattr(sandbox, "sandbox_status", lambda bwrap="bwrap": (False, "bwrap not found"))
    monkeypatch.delenv(sandbox.ENV_ALLOW_UNSANDBOXED, raising=False)
    assert cli.main(["--course-dir", released, "grade", "search"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: refusing to grade without a sandbox: bwrap not found")
    assert "--allow-unsandboxed" in err
    assert len(err.strip().splitlines()) == 1


def test_allow_unsandboxed_warns_loudly_and_grades(released, monkeypatch, capsys):
    from autograder import sandbox

    monkeypatch.setattr(sandbox, "sandbox_status", lambda bwrap="bwrap": (False, "bwrap not found"))
    monkeypatch.setenv(sandbox.ENV_ALLOW_UNSANDBOXED, "0")
    with pytest.warns(RuntimeWarning, match="grading without a sandbox: bwrap not found"):
        assert cli.main(["--course-dir", released, "grade", "search", "--allow-unsandboxed"]) == 0
    assert os.environ[sandbox.ENV_ALLOW_UNSANDBOXED] == "1"
    assert "search: no submissions" in capsys.readouterr().out


def test_feedback_and_export_skip_assignments_with_nothing_graded(released, capsys):
    assert cli.feedback(released, "search") == []
    assert "feedback for search: skipped (no autograded submissions" in capsys.readouterr().out
    assert cli.main(["--course-dir", released, "export"]) == 0
    out = capsys.readouterr().out
    assert "export search: no graded submissions, no plot" in out and "grades.csv" in out


def test_collect_is_quiet_and_infers_the_assignment(released, tmp_path, capfd):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("blank_search.ipynb", "correct_search.ipynb"):
        (folder / name).write_bytes(open(os.path.join(cli.HERE, "examples", "search", name), "rb").read())
    (folder / "search.ipynb").write_text("{}")
    got = cli.collect(released, str(folder), None)  # several assignments exist; the file names say search
    assert got["assignment"] == "search" and got["students"] == ["blank", "correct"]
    out, err = capfd.readouterr()
    assert "search: collected 2 files; 2 submissions" in out and "1 not recognised; 0 renamed" in out
    assert "NOT COLLECTED" in out and "ZipCollectApp" not in out + err and "Unwritable" not in out + err
    assert cli.main(["--course-dir", released, "collect", str(folder), "--verbose"]) == 0
    assert "[ZipCollectApp | INFO]" in "".join(capfd.readouterr())


def test_collect_groups_files_by_assignment(tmp_path, monkeypatch):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("ann_search.ipynb", "bob_search-Copy1.ipynb", "ann_gd.ipynb", "notes.txt"):
        (folder / name).write_text("{}")
    known = ["gd", "search", "sgd"]
    assert cli.assignment_of("ann_search.ipynb", known) == "search"
    assert cli.assignment_of("bob_search-Copy1.ipynb", known) == "search"
    assert cli.assignment_of("ann_sgd.ipynb", known) == "sgd" and cli.assignment_of("ann_hw1.ipynb", known) is None
    seen = {}
    monkeypatch.setattr(cli, "source_assignments", lambda: known)
    monkeypatch.setattr(cli, "collect", lambda course, path, a, *rest: seen.setdefault(a, sorted(os.listdir(path))))
    named = {f: cli.assignment_of(f, known) for f in os.listdir(folder) if f.endswith(".ipynb")}
    got = cli._collect_grouped(str(tmp_path / "c"), str(folder), named, cli.DEFAULT_REGEXP, False, None)
    assert seen == {"gd": ["ann_gd.ipynb"], "search": ["ann_search.ipynb", "bob_search-Copy1.ipynb"]}
    assert got["not_notebooks"] == ["notes.txt"]


def test_collect_without_assignment_when_a_name_names_none(released, tmp_path, capsys):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "ann_search.ipynb").write_text("{}")
    (folder / "bob_homework.ipynb").write_text("{}")
    assert cli.main(["--course-dir", released, "collect", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "say which assignment" in err and "bob_homework.ipynb" in err


def test_export_figure_axes():
    from matplotlib.pyplot import close

    data = {"scores": [0, 8, 5, 5, 7.5], "max_score": 8.0,
            "pass_rates": {"cost_hidden": 0.6, "grid_search_hidden": 0.5, "coarse_to_fine_hidden": 0.4}}
    fig = plots.score_figure("search", data)
    scores, tests = fig.axes
    assert scores.get_xlim() == (0, 8)
    assert all(float(t).is_integer() for t in scores.get_yticks())
    screen_y = {t.get_text(): tests.transData.transform((0, t.get_position()[1]))[1] for t in tests.get_yticklabels()}
    assert sorted(screen_y, key=screen_y.get, reverse=True) == ["cost_hidden", "grid_search_hidden",
                                                                "coarse_to_fine_hidden"]  # top to bottom
    close(fig)


def test_exchange_lives_in_the_course_dir(tmp_path, caplog):
    """nbgrader's default exchange (/usr/local/share/nbgrader/exchange) is usually missing or unwritable,
    and NbGraderAPI then logs CRITICAL 'Unwritable directory' on every start."""
    import logging

    course = cli.prepare_course_dir(str(tmp_path / "c"))
    with caplog.at_level(logging.DEBUG):
        nbapi = cli.api(course)
    assert nbapi.exchange_root == os.path.join(course, "exchange") and not nbapi.exchange_missing
    assert not [r for r in caplog.records if "Unwritable" in r.getMessage() or r.levelno >= logging.CRITICAL]


def test_grading_patches_nothing_of_nbgrader(released):
    """The CLI configures and subclasses nbgrader; it replaces none of its functions or methods."""
    import nbgrader.api
    import sqlalchemy

    before = {name: getattr(nbgrader.api, name) for name in dir(nbgrader.api)}
    methods = dict(vars(nbgrader.api.Gradebook))
    cli.api(released)  # loads the course's nbgrader_config.py, which imports the grader's preprocessors

    assert {name: getattr(nbgrader.api, name) for name in dir(nbgrader.api)} == before
    assert dict(vars(nbgrader.api.Gradebook)) == methods
    assert nbgrader.api.create_engine is sqlalchemy.create_engine


class _Bar:
    def update(self, n):
        pass


def test_a_worker_that_dies_costs_only_its_submission(released):
    """A dead worker breaks the whole pool; the submissions it took with it are graded again, alone."""
    from workers import grade_or_die

    students = ["ann", "bob", "kills-the-grader", "cy", "dee", "eve"]
    rows = grading._grade_in_workers(released, None, "search", students, 2, _Bar(), work=grade_or_die)
    assert {s: r.status for s, r in rows.items()} == {**{s: "ok" for s in students}, "kills-the-grader": "error"}
    assert rows["kills-the-grader"].manual_review and "BrokenProcessPool" in rows["kills-the-grader"].notes[0]
