"""collect on each LMS's download: a zip with late, anonymous, resubmitted, duplicate and unreadable files
gives exactly the expected students, submission times and late flags, and says what it skipped and why."""

import json
import os
import shutil
import zipfile

import pytest

from autograder import cli

from courses import course, released  # noqa: F401 - fixtures

from downloads import notebook, write_zip


def run_collect(course, path, capsys, *args):
    capsys.readouterr()
    assert cli.main(["--course-dir", course, "collect", str(path), *args]) == 0
    out = capsys.readouterr().out
    submitted = os.path.join(course, "submitted")
    got = {}
    for student in sorted(os.listdir(submitted)):
        folder = os.path.join(submitted, student, "search")
        stamp = os.path.join(folder, "timestamp.txt")
        got[student] = (sorted(f for f in os.listdir(folder) if f != "timestamp.txt"),
                        open(stamp).read() if os.path.exists(stamp) else None)
    with open(os.path.join(course, "downloaded", "search", "collected.json")) as handle:
        manifest = json.load(handle)
    return out, got, {s: e["late"] for s, e in manifest.items()}, manifest


def test_canvas(course, tmp_path, capsys):
    download = write_zip(tmp_path / "submissions.zip", [
        ("smithbob_12345_67890_search.ipynb", notebook("blank")),
        ("smithbob_12345_67991_search-1.ipynb", notebook("correct")),     # uploaded again: kept
        ("smithbob_12399_67900_search.ipynb", notebook("sign-error")),    # another Bob Smith
        ("jonesann_LATE_23456_68000_search.ipynb", notebook("correct")),
        ("again/jonesann_LATE_23456_68000_search.ipynb", notebook("correct")),  # the same file twice
        ("anon_8f3a9_68100_search.ipynb", notebook("off-by-one")),
        ("LATE_anon_Q7w2E_68200_search.ipynb", notebook("raises")),
        ("anon_q7w2e_68201_search.ipynb", notebook("blank")),              # anonymous ids differ by case
        ("brownbo_34567_68300_search.ipynb", notebook("correct")),         # cannot be read
        ("smithbob_12345_text.html", b"<p>an online text entry</p>"),
        ("__MACOSX/._smithbob_12345_67890_search.ipynb", b"\x00\x05\x16\x07"),
    ], unreadable=["brownbo_34567_68300_search.ipynb"])
    out, got, late, manifest = run_collect(course, download, capsys)
    assert got == {s: (["search.ipynb"], None) for s in ("12345", "12399", "23456", "anon_8f3a9", "anon_Q7w2E",
                                                         "anon_q7w2e")}
    assert late == {"12345": False, "12399": False, "23456": True, "anon_8f3a9": False, "anon_Q7w2E": True,
                    "anon_q7w2e": False}
    assert manifest["12345"]["path"].endswith("smithbob_12345_67991_search-1.ipynb")
    assert manifest["12345"]["prefix"] == "smithbob_12345_67991" and manifest["12399"]["name"] == "smithbob"
    submitted = open(os.path.join(course, "submitted", "12345", "search", "search.ipynb"), "rb").read()
    assert submitted == notebook("correct")
    assert "read as canvas: 6 students collected, 2 older copies replaced, 3 files skipped " \
           "(1 not a notebook, 1 system file, 1 unreadable)" in out
    assert "REPLACED submissions/smithbob_12345_67890_search.ipynb by submissions/smithbob_12345_67991_search-1" \
           ".ipynb (12345: a later upload" in out
    assert "(23456: an identical copy)" in out
    assert "SKIPPED (unreadable: BadZipFile: Bad CRC-32" in out and "brownbo_34567_68300_search.ipynb" in out
    assert "late per the LMS: 23456, anon_Q7w2E" in out


@pytest.mark.parametrize("form", ["files", "folders"])
def test_moodle(course, tmp_path, capsys, form):
    def name(who, pid):
        return f"{who}_{pid}_assignsubmission_file_search.ipynb" if form == "files" \
            else f"{who}_{pid}_assignsubmission_file{'_' if pid % 2 else ''}/search.ipynb"
    first = write_zip(tmp_path / "first.zip", [
        (name("Bob Smith", 101), notebook("blank"), (2026, 1, 1, 10, 0, 0)),
        (name("Bob Smith", 102), notebook("correct")),                      # another Bob Smith
        (name("Participant", 103), notebook("sign-error")),                # blind marking
        (name("Cy Doe", 104), notebook("correct")),                         # cannot be read
        ("Ann Lee_105_assignsubmission_onlinetext_onlinetext.html", b"<p>text</p>"),
    ], unreadable=[name("Cy Doe", 104)])
    os.makedirs(tmp_path / "downloads")
    shutil.move(first, tmp_path / "downloads" / "first.zip")
    write_zip(tmp_path / "downloads" / "second.zip",                        # downloaded again after a resubmission
              [(name("Bob Smith", 101), notebook("correct"), (2026, 1, 3, 10, 0, 0))])
    worksheet = tmp_path / "worksheet.csv"  # Moodle's grading worksheet: the times and late flags
    worksheet.write_text(
        'Identifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed",'
        '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
        '"Participant 101","Bob Smith",b1@uni.edu,"Submitted for grading - 1 day 9 hours late",,8,Yes,'
        '"Saturday, 3 January 2026, 9:00 AM",-,\n'
        '"Participant 102","Bob Smith",b2@uni.edu,"Submitted for grading",,8,Yes,"Thursday, 1 January 2026, 8:15 PM",-,\n'
        '"Participant 106","Dee Fox",dee@uni.edu,"No submission",,8,Yes,-,-,\n')
    out, got, late, manifest = run_collect(course, tmp_path / "downloads", capsys, "--roster", str(worksheet))
    assert got == {"101": (["search.ipynb"], "2026-01-03 09:00:00+00:00"),
                   "102": (["search.ipynb"], "2026-01-01 20:15:00+00:00"), "103": (["search.ipynb"], None)}
    assert late == {"101": True, "102": False, "103": False}
    assert manifest["101"]["path"] == f"downloads/second/{name('Bob Smith', 101)}"
    assert manifest["101"]["prefix"] == "Bob Smith_101_assignsubmission_file" and manifest["103"]["name"] == ""
    assert "read as moodle: 3 students collected, 1 older copy replaced, 2 files skipped " \
           "(1 not a notebook, 1 unreadable)" in out
    assert "(101: a newer file (the LMS gives no time to compare))" in out


def test_blackboard(course, tmp_path, capsys):
    def receipt(user, stamp, saved):
        return (f"Name: Bob Smith ({user})\nAssignment: Search 1\nDate Submitted: {stamp}\n\nFiles:\n"
                f"\tOriginal filename: search.ipynb\n\tFilename: {saved}\n").encode()
    early = "Search 1_bsmith_attempt_2026-01-01-12-00-00_search.ipynb"
    late = "Search 1_bsmith_attempt_2026-01-02-09-30-00_search.ipynb"
    other = "Search 1_b_smith_attempt_2026-01-01-13-00-00_search(1).ipynb"
    (tmp_path / "course.toml").write_text('timezone = "Europe/Berlin"\n')
    shutil.copy(tmp_path / "course.toml", os.path.join(course, "course.toml"))
    download = write_zip(tmp_path / "gradebook_Search_1.zip", [
        (early, notebook("blank")),
        ("Search 1_bsmith_attempt_2026-01-01-12-00-00.txt", receipt("bsmith", "1 January", early)),
        (late, notebook("correct")),                                     # the second attempt: kept
        (other, notebook("sign-error")),                                 # a username with an underscore
        ("Search 1_b_smith_attempt_2026-01-01-13-00-00.txt", receipt("b_smith", "1 January", other)),
        ("copy/" + other, notebook("sign-error")),                       # the same file twice
        ("Search 1_cjones_attempt_2026-01-01-14-00-00_search.ipynb", notebook("correct")),  # cannot be read
    ], unreadable=["Search 1_cjones_attempt_2026-01-01-14-00-00_search.ipynb"])
    out, got, late_flags, manifest = run_collect(course, download, capsys)
    assert got == {"bsmith": (["search.ipynb"], "2026-01-02 08:30:00+00:00"),   # 09:30 in Berlin
                   "b_smith": (["search.ipynb"], "2026-01-01 12:00:00+00:00")}
    assert late_flags == {"bsmith": False, "b_smith": False}
    assert manifest["bsmith"]["name"] == "Bob Smith"  # from the first attempt's receipt
    assert "read as blackboard: 2 students collected, 2 older copies replaced, 1 file skipped (1 unreadable); " \
           "2 Blackboard receipts read" in out
    assert f"REPLACED gradebook_Search_1/{early} by gradebook_Search_1/{late} (bsmith: a later attempt)" in out


def test_plain_names_and_folders(course, tmp_path, capsys):
    download = write_zip(tmp_path / "mail.zip", [
        ("j_smith_search.ipynb", notebook("correct")),
        ("j_doe_search.ipynb", notebook("blank")),                      # not merged with j_smith into "j"
        ("ontime/carol_search.ipynb", notebook("blank"), (2026, 1, 1, 9, 0, 0)),
        ("late/carol_search.ipynb", notebook("correct"), (2026, 1, 2, 9, 0, 0)),  # newer: kept
        ("renamed_search-Copy1.ipynb", notebook("correct")),
        ("search.ipynb", notebook("correct")),                           # no student id
        ("dave_search.ipynb", notebook("correct")),                      # cannot be read
        ("notes.txt", b"hello"),
    ], unreadable=["dave_search.ipynb"])
    out, got, late, manifest = run_collect(course, download, capsys)
    assert got == {"carol": (["search.ipynb"], None), "j_doe": (["search.ipynb"], None),
                   "j_smith": (["search.ipynb"], None), "renamed": (["search-Copy1.ipynb"], None)}
    assert manifest["carol"]["path"] == "mail/late/carol_search.ipynb"
    assert "search: collected 4 files; 4 submissions" in out and "1 not recognised; 1 renamed notebook" in out
    assert "3 files skipped (1 no student id in the name, 1 not a notebook, 1 unreadable)" in out
    assert "NOT COLLECTED (no student id in the name; rename it" in out and "mail/search.ipynb" in out


def test_regexp_without_timestamps_and_two_attempts(course, tmp_path, capsys):
    """nbgrader's zip_collect failed on this ("Duplicate submission file. No timestamps for comparison")."""
    download = write_zip(tmp_path / "bb.zip", [
        ("hw_ann_attempt_1_search.ipynb", notebook("blank"), (2026, 1, 1, 9, 0, 0)),
        ("hw_ann_attempt_2_search.ipynb", notebook("correct"), (2026, 1, 1, 10, 0, 0)),
    ])
    out, got, _, manifest = run_collect(course, download, capsys, "--assignment", "search", "--regexp",
                                        r"(?:.*/)?hw_(?P<student_id>[^_]+)_attempt_\d+_(?P<file_id>\w+)\.ipynb")
    assert got == {"ann": (["search.ipynb"], None)}
    assert manifest["ann"]["path"] == "bb/hw_ann_attempt_2_search.ipynb"
    assert "read as regexp: 1 student collected, 1 older copy replaced" in out


def test_a_bad_zip_and_a_second_collect(course, tmp_path, capsys):
    """A zip inside the download that is no zip at all costs only itself; collecting a later download again
    replaces only the students in it."""
    os.makedirs(tmp_path / "in")
    (tmp_path / "in" / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "in" / "ann_search.ipynb").write_bytes(notebook("blank"))
    out, got, _, _ = run_collect(course, tmp_path / "in", capsys, "--assignment", "search")
    assert set(got) == {"ann"}
    assert "SKIPPED (unreadable: not a readable zip (File is not a zip file)): in/broken" in out
    later = write_zip(tmp_path / "later.zip", [("bob_search.ipynb", notebook("correct"))])
    _, got, _, manifest = run_collect(course, later, capsys, "--assignment", "search")
    assert set(got) == {"ann", "bob"} and set(manifest) == {"ann", "bob"}


def test_lms_forced(course, tmp_path, capsys):
    """--lms canvas: a name Canvas cannot have written is not guessed from another format."""
    download = write_zip(tmp_path / "d.zip", [("smithbob_12345_67890_search.ipynb", notebook("correct")),
                                              ("ann_search.ipynb", notebook("blank"))])
    out, got, _, _ = run_collect(course, download, capsys, "--lms", "canvas")
    assert set(got) == {"12345"} and "no student id in the name (canvas's form)" in out


def test_nbgrader_zip_collect_uses_the_same_plugins(course, tmp_path):
    """Plain `nbgrader zip_collect` in the course dir reads LMS names as the CLI does (nbgrader_config.py)."""
    import subprocess
    import sys

    folder = os.path.join(course, "downloaded", "search", "archive")
    os.makedirs(folder, exist_ok=True)
    with zipfile.ZipFile(os.path.join(folder, "canvas.zip"), "w") as archive:
        archive.writestr("smithbob_LATE_12345_67890_search-1.ipynb", notebook("correct"))
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "zip_collect", "search", "--force"], cwd=course,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]})
    assert proc.returncode == 0, proc.stderr
    assert os.listdir(os.path.join(course, "submitted", "12345", "search")) == ["search.ipynb"]
