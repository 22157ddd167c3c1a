"""The gradebook in PostgreSQL (``--db-url``): a throwaway cluster of Debian's PostgreSQL server (initdb and
pg_ctl, listening only on a unix socket in a temporary folder), and two grading workers writing to it at once.
Skipped, saying why, where the server is not installed or cannot start."""

import csv
import glob
import json
import os
import pwd
import shutil
import subprocess
import tempfile

import pytest

from autograder import cli

pytestmark = pytest.mark.e2e

EXPECTED = {"correct": 8, "sum-instead-of-mean": 6, "blank": 0, "sign-error": 5}


def server_program(name: str) -> str | None:
    return shutil.which(name) or (sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [None])[-1]


@pytest.fixture(scope="module")
def postgres():
    pytest.importorskip("psycopg2", reason="psycopg2-binary (requirements.txt) talks to PostgreSQL")
    initdb, pg_ctl = server_program("initdb"), server_program("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("no PostgreSQL server here (Debian/Ubuntu: apt-get install -y postgresql)")
    root = tempfile.mkdtemp(prefix="gd-pg-")
    os.chmod(root, 0o755)
    as_user = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres (or nobody) user
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            user = pwd.getpwnam("nobody")
        os.chown(root, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", user.pw_name, "--"]
    data = os.path.join(root, "data")
    steps = [[initdb, "-D", data, "-U", "grader", "-A", "trust", "-E", "UTF8", "--no-sync"],
             [pg_ctl, "-D", data, "-l", os.path.join(root, "server.log"), "-w", "-t", "60",
              "-o", f"-k {root} -c listen_addresses='' -F", "start"]]
    for step in steps:
        proc = subprocess.run(as_user + step, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = open(os.path.join(root, "server.log")).read()[-500:] if os.path.exists(
                os.path.join(root, "server.log")) else ""
            shutil.rmtree(root, ignore_errors=True)
            pytest.skip(f"PostgreSQL could not start ({os.path.basename(step[0])}): "
                        f"{(proc.stderr or proc.stdout).strip()[-300:]} {log}")
    try:
        import psycopg2

        connection = psycopg2.connect(host=root, user="grader", dbname="postgres")
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE course")
        connection.close()
        yield f"postgresql://grader@/course?host={root}"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def test_parallel_grading_into_postgresql(postgres, tmp_path, capfd):
    course = str(tmp_path / "course")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for student in EXPECTED:
        shutil.copy(os.path.join(cli.HERE, "examples", "search", f"{student}_search.ipynb"), downloads)
    db = ["--course-dir", course, "--db-url", postgres]
    assert cli.main(db + ["release", "search"]) == 0
    assert cli.main(db + ["collect", str(downloads), "--assignment", "search"]) == 0
    report = str(tmp_path / "report.json")
    assert cli.main(db + ["grade", "search", "--workers", "2", "--timeout", "12", "--no-progress",
                          "--report", report]) == 0
    out, err = capfd.readouterr()
    assert "SAWarning" not in out + err and "Traceback" not in out + err
    rows = {row["student"]: row for row in json.load(open(report))}
    assert {s: rows[s]["score"] for s in rows} == EXPECTED
    assert all(rows[s]["status"] == "ok" and rows[s]["notes"] == [] for s in rows)
    assert not os.path.exists(os.path.join(course, "gradebook.db"))  # everything went to PostgreSQL

    from nbgrader.api import Gradebook

    with Gradebook(cli.normalize_db_url(postgres)) as gb:
        assert {s.student.id: s.score for s in gb.find_assignment("search").submissions} == EXPECTED
    assert cli.main(db + ["export"]) == 0
    with open(os.path.join(course, "export", "grades.csv")) as handle:
        assert {r["student"]: float(r["final score"]) for r in csv.DictReader(handle)} == EXPECTED
