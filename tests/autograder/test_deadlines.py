"""course.toml (due dates, extensions, late policy), the penalties nbgrader records from it, and the export:
recomputed after an extension, CSV columns and rows, a roster with a missing student, Canvas's import file,
the feedback zip. Submissions are put in the gradebook directly (no kernel)."""

import csv
import os
import zipfile
from datetime import datetime, timezone

import pytest

from autograder import cli, deadlines
from autograder.deadlines import CourseFileError, Policy

from courses import course, released  # noqa: F401 - fixtures


@pytest.mark.parametrize("policy, late, penalty", [
    ("none", 86400 * 3, 0), ("zero", 1, 6), ("10%/day", 1, 0.6), ("10%/day", 86400, 0.6),
    ("10%/day", 86401, 1.2), ("2.5%/hour", 3600 * 2.5, 0.45), ("10%/day", 0, 0)])
def test_policy(policy, late, penalty):
    assert Policy.parse(policy).penalty(6, late) == pytest.approx(penalty)


def test_policy_cap_and_errors():
    assert Policy.parse("10%/day", "50%").penalty(8, 86400 * 9) == pytest.approx(4)
    assert str(Policy.parse("10 % / day", 50)) == "10%/day, at most 50%"
    for bad in ("10%", "ten%/day", "10%/week"):
        with pytest.raises(CourseFileError, match="late penalty"):
            Policy.parse(bad)
    with pytest.raises(CourseFileError, match="cap"):
        Policy.parse("10%/day", "150%")


def test_course_file_edits_keep_the_instructors_text(tmp_path):
    (tmp_path / "course.toml").write_text(
        '# my course\ntimezone = "Europe/Berlin"  # where we teach\n\n[late]\npenalty = "zero"  # strict!\n')
    deadlines.set_due(str(tmp_path), "search", deadlines.parse_when("2026-01-15 23:59", timezone.utc))
    deadlines.set_extension(str(tmp_path), "search", "12345", deadlines.parse_when("2026-01-17 23:59", timezone.utc))
    course = deadlines.set_policy(str(tmp_path), "gd", "10%/day", "50%")
    text = (tmp_path / "course.toml").read_text()
    assert text.startswith('# my course\ntimezone = "Europe/Berlin"  # where we teach\n')
    assert 'penalty = "zero"  # strict!' in text
    berlin = course.tz
    assert course.rules("search").due == datetime(2026, 1, 16, 0, 59, tzinfo=berlin)  # given in UTC
    assert course.due_for("search", "12345") == datetime(2026, 1, 18, 0, 59, tzinfo=berlin)
    assert course.due_for("search", "other") == course.rules("search").due
    assert str(course.policy_for("gd")) == "10%/day, at most 50%" and str(course.policy_for("search")) == "zero"
    deadlines.set_extension(str(tmp_path), "search", "12345", None)
    assert deadlines.load(str(tmp_path)).rules("search").extensions == {}


@pytest.mark.parametrize("text, message", [
    ('[assignments.search]\ndue = 2026-01-15\n', "give a time too"),
    ('[late]\npenality = "zero"\n', "unknown key 'penality'"),
    ('[late]\npenalty = "half"\n', "late penalty 'half'"),
    ('timezone = "Mars/Olympus"\n', "no IANA zone"),
    ('[assignments.search.extensions]\nann = 2026-01-15T10:00:00\n', "extensions without a due date"),
    ('[assignments.search\n', "course.toml"),
])
def test_course_file_errors_are_one_line(text, message):
    with pytest.raises(CourseFileError, match=message):
        deadlines.parse(text, "/c")


# ------------------------------------------------------------------------------- in a course with a gradebook
def submit(course, student, when, points, late_flag=False):
    """A graded submission of ``points`` (of 8) submitted at ``when`` (UTC), as autograde leaves it."""
    from nbgrader.api import Gradebook

    nbapi = cli.api(course)
    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        gb.update_or_create_student(student)
        submission = gb.add_submission("search", student, timestamp=when)
        left = points
        for grade in submission.notebooks[0].grades:
            grade.auto_score, grade.needs_manual_grade = min(left, grade.max_score), False
            left -= grade.auto_score
        gb.db.commit()
    if late_flag:
        from autograder.collect import write_manifest
        from autograder.lms import Entry

        write_manifest(course, "search", [Entry("x", student, "search.ipynb", "canvas", late=True,
                                                prefix=f"x_LATE_{student}_1")])


def grades(course):
    with open(os.path.join(course, "export", "grades.csv"), newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}


def test_penalty_recomputed_after_an_extension(course, capsys):
    submit(course, "ann", datetime(2026, 1, 16, 10, 0), 8)         # 10 h 1 min late
    submit(course, "bob", datetime(2026, 1, 15, 23, 0), 6)          # on time
    submit(course, "cy", datetime(2026, 1, 18, 0, 0), 5)            # 2 days 1 min late
    submit(course, "12345", None, 8, late_flag=True)                 # Canvas: LATE, no time
    main = ["--course-dir", course]
    assert cli.main(main + ["late-policy", "10%/day", "--cap", "15%"]) == 0
    assert cli.main(main + ["deadline", "search", "2026-01-15 23:59"]) == 0
    assert cli.main(main + ["export"]) == 0
    header, rows = grades(course)
    assert header == ["student", "assignment", "status", "timestamp", "late by", "raw score", "penalty",
                      "final score"]
    got = {s: (r["late by"], r["raw score"], r["penalty"], r["final score"]) for s, r in rows.items()}
    assert got == {"ann": ("10:01:00", "8", "0.8", "7.2"), "bob": ("", "6", "0", "6"),
                   "cy": ("48:01:00", "5", "0.75", "4.25"),   # 2 days 1 minute: 3 days' 30%, capped at 15%
                   "12345": ("unknown", "8", "0.8", "7.2")}
    assert rows["ann"]["timestamp"] == "2026-01-16T10:00:00+00:00" and rows["ann"]["status"] == "graded"
    capsys.readouterr()
    assert cli.main(main + ["extend", "ann", "search", "--until", "2026-01-16 12:00"]) == 0
    assert "ann's late penalty on search: 0.8 -> 0 points" in capsys.readouterr().out
    assert cli.main(main + ["extend", "12345", "search", "--days", "1"]) == 0  # excuses the LMS's flag
    assert cli.main(main + ["export"]) == 0
    _, rows = grades(course)
    assert (rows["ann"]["late by"], rows["ann"]["final score"]) == ("", "8")
    assert (rows["12345"]["late by"], rows["12345"]["final score"]) == ("", "8")
    # an edit of course.toml by hand is seen by the next export, and so is a manual regrade
    text = open(os.path.join(course, "course.toml")).read().replace('penalty = "10%/day"', 'penalty = "zero"')
    open(os.path.join(course, "course.toml"), "w").write(text.replace('cap = "15%"\n', ""))
    from nbgrader.api import Gradebook

    with Gradebook(cli.api(course).coursedir.db_url) as gb:
        gb.find_submission("search", "cy").notebooks[0].grades[0].manual_score = 0
        gb.db.commit()
    assert cli.main(main + ["export"]) == 0
    _, rows = grades(course)
    assert (rows["cy"]["raw score"], rows["cy"]["penalty"], rows["cy"]["final score"]) == ("3", "3", "0")


def test_every_roster_student_gets_a_row(course, tmp_path):
    submit(course, "12345", datetime(2026, 1, 10), 7)
    roster = tmp_path / "canvas-export.csv"
    roster.write_text('Student,ID,SIS User ID,SIS Login ID,Section,Search (991)\n    Points Possible,,,,,8\n'
                      '"Smith, Bob",12345,S1,bob@uni.edu,A,\n"Smith, Bob",12399,S2,bob2@uni.edu,B,\n')
    with open(os.path.join(course, "course.toml"), "w") as handle:
        handle.write(f'roster = "{roster}"\n[assignments.search]\nlms_column = "Search (991)"\n')
    assert cli.main(["--course-dir", course, "export"]) == 0
    _, rows = grades(course)
    assert {s: (r["status"], r["final score"]) for s, r in rows.items()} == {
        "12345": ("graded", "7"), "12399": ("missing", "")}
    with open(os.path.join(course, "export", "canvas.csv"), newline="") as handle:
        canvas = list(csv.reader(handle))
    assert canvas == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Search (991)"],
                      ["    Points Possible", "", "", "", "", "8"],
                      ["Smith, Bob", "12345", "S1", "bob@uni.edu", "A", "7"],
                      ["Smith, Bob", "12399", "S2", "bob2@uni.edu", "B", ""]]


def test_statuses_from_the_submitted_folder(course):
    from downloads import notebook

    for student, files in {"ren": {"search-Copy1.ipynb": notebook("correct")},
                           "inv": {"search.ipynb": b"{not json"}, "new": {"search.ipynb": notebook("blank")}}.items():
        folder = os.path.join(course, "submitted", student, "search")
        os.makedirs(folder)
        for name, data in files.items():
            open(os.path.join(folder, name), "wb").write(data)
    assert cli.main(["--course-dir", course, "export"]) == 0
    _, rows = grades(course)
    assert {s: r["status"] for s, r in rows.items()} == {"ren": "missing notebook", "inv": "invalid notebook",
                                                        "new": "not graded"}


def test_formgraders_due_date_is_kept_without_one_in_course_toml(course):
    """The course file gives search no due date: the gradebook's own (set in formgrader) stands."""
    from nbgrader.api import Gradebook

    with Gradebook(cli.api(course).coursedir.db_url) as gb:
        gb.update_or_create_assignment("search", duedate=datetime(2026, 1, 15, 12, 0))
    submit(course, "ann", datetime(2026, 1, 15, 13, 0), 8)
    with open(os.path.join(course, "nbgrader_config.py"), "a") as handle:
        handle.write("c.LateSubmissionPlugin.penalty_method = 'zero'\n")   # nbgrader's own way, respected
    assert cli.main(["--course-dir", course, "export"]) == 0
    _, rows = grades(course)
    assert (rows["ann"]["late by"], rows["ann"]["final score"]) == ("1:00:00", "0")
    with Gradebook(cli.api(course).coursedir.db_url) as gb:
        assert gb.find_assignment("search").duedate == datetime(2026, 1, 15, 12, 0)


def test_course_config_is_never_rewritten(tmp_path, capsys):
    course = cli.prepare_course_dir(str(tmp_path / "c"))
    path = os.path.join(course, "nbgrader_config.py")
    with open(path, "a") as handle:
        handle.write("c.AssignLatePenalties.plugin_class = 'my.Plugin'\n")
    mine = open(path).read()
    assert cli.main(["--course-dir", course, "deadline"]) == 0
    assert open(path).read() == mine
    open(path, "w").write("c = get_config()\n")
    cli.prepare_course_dir(course)
    assert open(path).read() == "c = get_config()\n"
    assert "does not load" in capsys.readouterr().err


def test_feedback_zip_names_go_back_to_the_lms(course):
    from autograder.collect import write_manifest
    from autograder.export import feedback_zip
    from autograder.lms import Entry

    write_manifest(course, "search", [
        Entry("a", "12345", "search.ipynb", "canvas", prefix="smithbob_LATE_12345_67891"),
        Entry("b", "101", "search.ipynb", "moodle", prefix="Bob Smith_101_assignsubmission_file"),
        Entry("c", "bsmith", "search.ipynb", "blackboard", prefix="bsmith")])
    for student in ("12345", "101", "bsmith", "j_doe"):
        os.makedirs(os.path.join(course, "feedback", student, "search"))
        open(os.path.join(course, "feedback", student, "search", "search.html"), "w").write(f"<p>{student}</p>")
    path, count = feedback_zip(course, "search", os.path.join(course, "export", "feedback-search.zip"))
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["Bob Smith_101_assignsubmission_file_search-feedback.html",
                                              "bsmith_search-feedback.html", "j_doe_search-feedback.html",
                                              "smithbob_LATE_12345_67891_search-feedback.html"]
        assert archive.read("bsmith_search-feedback.html") == b"<p>bsmith</p>"
    assert count == 4
