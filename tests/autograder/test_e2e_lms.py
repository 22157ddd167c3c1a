"""One course's round trip with the real pipeline: a Blackboard download with two attempts by one student →
collect → grade (the late attempt loses 10%) → export → an extension → export again; then nbgrader's
formgrader, started headless on the course dir, opens a submission for manual review."""

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from autograder import cli

from downloads import notebook, write_zip

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("lms")
    course = str(root / "course")
    assert cli.main(["--course-dir", course, "release", "search"]) == 0
    with open(os.path.join(course, "course.toml"), "w") as handle:
        handle.write('timezone = "UTC"\n[late]\npenalty = "10%/day"\n[assignments.search]\n'
                     'due = 2026-01-01T13:00:00\n')
    download = write_zip(root / "gradebook_search.zip", [
        ("search_bsmith_attempt_2026-01-01-12-00-00_search.ipynb", notebook("blank")),
        ("search_bsmith_attempt_2026-01-02-09-30-00_search.ipynb", notebook("correct")),  # 20 h 30 min late
        ("search_b_smith_attempt_2026-01-01-12-30-00_search.ipynb", notebook("sign-error")),
        ("search_b_smith_attempt_2026-01-01-12-30-00.txt",
         b"Name: Bo Smith (b_smith)\nFiles:\n\tOriginal filename: search.ipynb\n"
         b"\tFilename: search_b_smith_attempt_2026-01-01-12-30-00_search.ipynb\n"),
    ])
    old = os.environ.get("AUTOGRADER_CELL_TIMEOUT")
    os.environ["AUTOGRADER_CELL_TIMEOUT"] = "12"
    try:
        collected = cli.collect(course, download, None)
        assert cli.main(["--course-dir", course, "grade", "search", "--no-progress", "--workers", "2",
                         "--report", str(root / "report.json")]) == 0
    finally:
        if old is None:
            os.environ.pop("AUTOGRADER_CELL_TIMEOUT", None)
        else:
            os.environ["AUTOGRADER_CELL_TIMEOUT"] = old
    rows = {r["student"]: r for r in json.load(open(root / "report.json"))}
    return {"dir": course, "collected": collected, "rows": rows}


def grades(course):
    assert cli.main(["--course-dir", course, "export"]) == 0
    with open(os.path.join(course, "export", "grades.csv"), newline="") as handle:
        return {r["student"]: r for r in csv.DictReader(handle)}


def test_round_trip(course):
    assert course["collected"]["lms"] == "blackboard" and course["collected"]["students"] == ["b_smith", "bsmith"]
    rows = course["rows"]
    assert (rows["bsmith"]["score"], rows["bsmith"]["late"], rows["bsmith"]["late_by"], rows["bsmith"]["penalty"]) \
        == (8, True, 20.5 * 3600, pytest.approx(0.8))
    assert (rows["b_smith"]["score"], rows["b_smith"]["late"]) == (5, False)
    got = grades(course["dir"])
    assert {s: (r["status"], r["timestamp"], r["late by"], r["penalty"], r["final score"]) for s, r in got.items()} \
        == {"bsmith": ("graded", "2026-01-02T09:30:00+00:00", "20:30:00", "0.8", "7.2"),
            "b_smith": ("graded", "2026-01-01T12:30:00+00:00", "", "0", "5")}
    assert cli.main(["--course-dir", course["dir"], "extend", "bsmith", "search", "--until", "2026-01-02 10:00"]) == 0
    assert grades(course["dir"])["bsmith"]["final score"] == "8"
    assert cli.main(["--course-dir", course["dir"], "feedback", "search"]) == 0
    import zipfile

    with zipfile.ZipFile(os.path.join(course["dir"], "export", "feedback-search.zip")) as archive:
        assert sorted(archive.namelist()) == ["b_smith_search-feedback.html", "bsmith_search-feedback.html"]


def test_formgrader_opens_a_submission(course, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
                               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=formgrader-test", "--allow-root",
                               f"--ServerApp.root_dir={course['dir']}"],
                              cwd=course["dir"], env=env, stdout=log, stderr=subprocess.STDOUT)

    def get(path):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={"Authorization": "token formgrader-test"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode()

    try:
        for _ in range(240):
            try:
                get("/api/status")
                break
            except OSError:
                assert server.poll() is None, open(tmp_path / "server.log").read()
                time.sleep(0.5)
        submissions = json.loads(get("/formgrader/api/submitted_notebooks/search/search"))
        assert sorted(s["student"] for s in submissions) == ["b_smith", "bsmith"]
        chosen = next(s for s in submissions if s["student"] == "b_smith")
        page = get(f"/formgrader/submissions/{chosen['id']}/")
        assert "b_smith" in page and "grid_search" in page   # the student's notebook, rendered for grading
        assert "likely mistake: sign error" in page          # with the grader's verdicts
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
