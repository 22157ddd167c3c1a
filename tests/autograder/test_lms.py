"""Reading LMS download names and rosters (no course dir): ids, notebooks, late flags, times."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from autograder import lms

CTX = lms.Context(["search", "second_order"], "search", timezone.utc)


@pytest.mark.parametrize("name, student, notebook, late, name_part", [
    ("smithbob_12345_67890_search.ipynb", "12345", "search.ipynb", False, "smithbob"),
    ("smithbob_LATE_12345_67890_search.ipynb", "12345", "search.ipynb", True, "smithbob"),
    ("smithbob_late_12345_67890_search.ipynb", "12345", "search.ipynb", True, "smithbob"),  # older Canvas
    ("smithbob_12345_67890_search-2.ipynb", "12345", "search.ipynb", False, "smithbob"),   # uploaded again
    ("smithbob_12345_67890_search-Copy1.ipynb", "12345", "search-Copy1.ipynb", False, "smithbob"),
    ("anon_8f3a9_67890_search.ipynb", "anon_8f3a9", "search.ipynb", False, ""),
    ("LATE_anon_Q7w2E_67890_search.ipynb", "anon_Q7w2E", "search.ipynb", True, ""),
    ("müllerjürgen_777_1_my_search_v2.ipynb", "777", "my_search_v2.ipynb", False, "müllerjürgen"),
    ("o2neilbob_5_6_second_order-1.ipynb", "5", "second_order.ipynb", False, "o2neilbob"),
])
def test_canvas_names(name, student, notebook, late, name_part):
    entry = lms.canvas(f"download/{name}", CTX)
    assert (entry.student, entry.notebook, entry.late, entry.name) == (student, notebook, late, name_part)


def test_canvas_orders_copies_by_resubmission_then_attachment():
    first, again = (lms.canvas(n, CTX) for n in ("smithbob_12345_67890_search.ipynb",
                                                "smithbob_12345_67891_search-1.ipynb"))
    assert first.order < again.order
    assert again.prefix == "smithbob_12345_67891"
    assert lms.canvas("search.ipynb", CTX) is None and lms.canvas("smithbob_search.ipynb", CTX) is None


@pytest.mark.parametrize("path, student, notebook, name", [
    ("Bob Smith_12345_assignsubmission_file_search.ipynb", "12345", "search.ipynb", "Bob Smith"),
    ("x/Bob Smith_12399_assignsubmission_file_/search.ipynb", "12399", "search.ipynb", "Bob Smith"),
    ("Bob Smith_12399_assignsubmission_file/sub/search.ipynb", "12399", "search.ipynb", "Bob Smith"),
    ("Participant_555_assignsubmission_file_search.ipynb", "555", "search.ipynb", ""),
    ("Group A-Ann Lee_556_assignsubmission_file_search (1).ipynb", "556", "search (1).ipynb", "Group A-Ann Lee"),
])
def test_moodle_names(path, student, notebook, name):
    entry = lms.moodle(path, CTX)
    assert (entry.student, entry.notebook, entry.name) == (student, notebook, name)


def test_moodle_online_text_is_not_a_file():
    assert lms.moodle("Ann Jones_1_assignsubmission_onlinetext_onlinetext.html", CTX) is None


def test_blackboard_reads_attempt_times_and_receipts():
    receipt = ("Name: Bob Smith (b_smith)\nAssignment: Search 1\n\nFiles:\n\tOriginal filename: search.ipynb\n"
               "\tFilename: Search 1_b_smith_attempt_2026-01-02-09-30-00_search(1).ipynb\n").encode()
    ctx = lms.Context(["search"], "search", ZoneInfo("Europe/Berlin"),
                      lms.blackboard_receipts({"Search 1_b_smith_attempt_2026-01-02-09-30-00.txt": receipt}))
    entry = lms.blackboard("Search 1_b_smith_attempt_2026-01-02-09-30-00_search(1).ipynb", ctx)
    assert (entry.student, entry.notebook, entry.name) == ("b_smith", "search.ipynb", "Bob Smith")
    assert entry.timestamp == datetime(2026, 1, 2, 8, 30, tzinfo=timezone.utc)  # 09:30 in Berlin
    # no receipt: the assignment's title, learned from another receipt, splits the name
    other = lms.blackboard("Search 1_a_jones_attempt_2026-01-01-12-00-00_search.ipynb", ctx)
    assert other.student == "a_jones" and other.timestamp.astimezone(timezone.utc).hour == 11
    assert lms.blackboard("Search 1_bsmith_attempt_2026-01-01-12-00-00.txt", ctx) is None
    # the student's own file name cannot choose the student or the time
    sly = lms.blackboard("Search 1_a_jones_attempt_2026-01-20-09-30-00_my_attempt_2026-01-01-00-00-00_search.ipynb",
                         ctx)
    assert sly.student == "a_jones" and sly.timestamp.astimezone(timezone.utc).day == 20


def test_parse_time_is_not_nbgraders_misreading():
    from nbgrader.utils import parse_utc

    assert parse_utc("2026-01-02-09-30-00") != datetime(2026, 1, 2, 9, 30)  # what went wrong before
    assert lms.parse_time("2026-01-02-09-30-00", timezone.utc) == datetime(2026, 1, 2, 9, 30, tzinfo=timezone.utc)
    assert lms.parse_time("2026-01-02T09:30:00+01:00", None) == datetime(2026, 1, 2, 8, 30, tzinfo=timezone.utc)
    assert lms.parse_time("Friday, 2 January 2026, 9:30 AM", timezone.utc).hour == 9
    assert lms.parse_time("not a time", timezone.utc) is None


@pytest.mark.parametrize("path, student, notebook", [
    ("j_smith_search.ipynb", "j_smith", "search.ipynb"),
    ("j_doe_search.ipynb", "j_doe", "search.ipynb"),
    ("renamed_search-Copy1.ipynb", "renamed", "search-Copy1.ipynb"),
    ("ann_second_order.ipynb", "ann", "second_order.ipynb"),
    ("bob_homework.ipynb", "bob", "homework.ipynb"),
    ("submitted/ann/search/search.ipynb", "ann", "search.ipynb"),   # nbgrader's own layout
])
def test_plain_names(path, student, notebook):
    entry = lms.plain(path, CTX)
    assert (entry.student, entry.notebook) == (student, notebook)


@pytest.mark.parametrize("path", ["search.ipynb", "second_order.ipynb", "search-Copy1.ipynb", "x/.hidden_search.ipynb"])
def test_plain_names_without_a_student(path):
    assert lms.plain(path, CTX) is None


def test_detect_picks_the_lms_most_names_fit():
    assert lms.detect(["a/smithbob_1_2_search.ipynb", "anon_x1_3_search.ipynb", "readme.txt"], CTX) == "canvas"
    assert lms.detect(["Bob_1_assignsubmission_file_/search.ipynb"], CTX) == "moodle"
    assert lms.detect(["S_bob_attempt_2026-01-01-00-00-00_search.ipynb"], CTX) == "blackboard"
    assert lms.detect(["ann_search.ipynb", "cells-tampered_search.ipynb"], CTX) == "plain"


def test_regexp_without_a_timestamp_group():
    ctx = lms.Context(["search"], "search", regexp=r"(?:.*/)?(?P<student_id>[^_/]+)_try\d_(?P<file_id>\w+)\.ipynb")
    entry = lms.regexp("dl/ann_try2_search.ipynb", ctx)
    assert (entry.student, entry.notebook, entry.timestamp, entry.order) == ("ann", "search.ipynb", None, ())


def test_rosters_of_each_lms(tmp_path):
    canvas = tmp_path / "canvas.csv"
    canvas.write_text('Student,ID,SIS User ID,SIS Login ID,Section,search (77)\n'
                      '    Points Possible,,,,,8\n"Smith, Bob",12345,S1,bob@uni.edu,A,\n"Smith, Bob",12399,S2,bsmith2,A,\n')
    people = lms.read_roster(str(canvas))
    assert sorted(people) == ["12345", "12399"]
    assert (people["12345"].name, people["12345"].email, people["12345"].sortable) == ("Bob Smith", "bob@uni.edu",
                                                                                        "Smith, Bob")
    moodle = tmp_path / "worksheet.csv"
    moodle.write_text('Identifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed",'
                      '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
                      '"Participant 101","Bob Smith",bob@uni.edu,"Submitted for grading - 1 day 2 hours late",,8,Yes,'
                      '"Friday, 2 January 2026, 9:30 AM",-,\n'
                      '"Participant 102","Ann Lee",ann@uni.edu,"No submission",,8,Yes,-,-,\n')
    people = lms.read_roster(str(moodle), ZoneInfo("Europe/Berlin"))
    assert people["101"].late and not people["102"].late and people["102"].timestamp is None
    assert people["101"].timestamp == datetime(2026, 1, 2, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    blackboard = tmp_path / "gc.xls"  # Blackboard's Grade Centre download: UTF-16, tabs
    blackboard.write_bytes("Last Name\tFirst Name\tUsername\tStudent ID\nSmith\tBob\tb_smith\t9\n".encode("utf-16"))
    assert lms.read_roster(str(blackboard))["b_smith"].name == "Bob Smith"
    plain = tmp_path / "plain.csv"
    plain.write_text("student,name,email\nj_smith,Jo Smith,jo@x.org\n")
    assert lms.read_roster(str(plain))["j_smith"].email == "jo@x.org"
    assert people["101"].timestamp == datetime(2026, 1, 2, 8, 30, tzinfo=timezone.utc)  # the same instant
