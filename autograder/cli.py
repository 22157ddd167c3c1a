r"""``python -m autograder``: one command per step of a course, a thin layer over nbgrader's own apps.

==========================  ==========================================================================
``release [ASSIGNMENT..]``  ``nbgrader generate_assignment`` + a zip per assignment for an LMS
                            (``release/<assignment>.zip``); checks that no release mentions ``solutions``
``collect PATH``            an LMS download (Canvas, Moodle, Blackboard) or a folder of
                            ``<student>_<notebook>.ipynb`` → ``submitted/<student>/<assignment>/`` with
                            ``nbgrader zip_collect`` and :mod:`autograder.collect`'s plugins: the LMS's
                            student ids, times and late flags; each student's newest copy; every file
                            skipped is reported with its reason (``--lms``, ``--roster``)
``deadline``, ``extend``,   show or set due dates, extensions and the late policy in ``course.toml``
``late-policy``             (:mod:`autograder.deadlines`), then recompute the penalties
``grade [ASSIGNMENT]``      ``nbgrader autograde`` per submission (trusted verdicts, see
                            :mod:`autograder.verdicts`) in the sandbox, ``--workers N`` at once, a
                            progress bar, and a summary table (:mod:`autograder.grading`)
``feedback [ASSIGNMENT]``   ``nbgrader generate_feedback`` (assignments with no graded work skipped), and
                            ``export/feedback-<assignment>.zip`` named for the LMS's bulk upload
``export``                  ``export/grades.csv`` (status, lateness and penalty for every student), the
                            LMS's import file (Canvas, Moodle) and one PNG per assignment
                            (:mod:`autograder.plots`)
==========================  ==========================================================================

``--course-dir DIR`` (default: ``$AUTOGRADER_COURSE_DIR``, else the ``autograder/`` folder) holds the
generated state (release/, downloaded/, submitted/, autograded/, feedback/, export/, gradebook.db), all
ignored by git, and ``course.toml``, the instructor's. A course dir other than ``autograder/`` gets, once, a
``nbgrader_config.py`` that loads ``autograder/nbgrader_config.py``, so plain ``nbgrader`` commands (and
formgrader) work there too; the CLI never rewrites it.
``--db-url URL`` (or ``c.CourseDirectory.db_url``) puts the gradebook in any SQLAlchemy database, e.g.
``postgresql://grader@/course``; the default is the course dir's SQLite ``gradebook.db``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import warnings
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "source")
DEFAULT_REGEXP = r"(?:.*/)?(?P<student_id>[A-Za-z0-9][A-Za-z0-9.\-]*)_(?P<file_id>[^/]+\.ipynb)$"
CONFIG_STUB = '''# The nbgrader configuration of this course directory, written once by `python -m autograder` and never
# rewritten: add your own settings below. The course's pipeline comes from the repository's configuration.
import os
load_subconfig({repo_config!r})
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
'''
LMS_CHOICES = ("canvas", "moodle", "blackboard", "plain")


class CliError(Exception):
    """A problem with the command's input, reported as one clear line (exit status 2)."""


def default_course_dir() -> str:
    return os.path.abspath(os.environ.get("AUTOGRADER_COURSE_DIR") or HERE)


def prepare_course_dir(course_dir: str) -> str:
    """The course dir, created if need be, with an ``nbgrader_config.py`` that loads the repository's (so plain
    ``nbgrader`` commands and formgrader work there too). An existing one is the instructor's and is never
    rewritten; if it does not load the repository's configuration, a warning says so."""
    course_dir = os.path.abspath(course_dir)
    os.makedirs(course_dir, exist_ok=True)
    if os.path.realpath(course_dir) == os.path.realpath(HERE):
        return course_dir
    repo_config = os.path.join(HERE, "nbgrader_config.py")
    path = os.path.join(course_dir, "nbgrader_config.py")
    if not os.path.exists(path):
        with open(path, "w") as handle:
            handle.write(CONFIG_STUB.format(repo_config=repo_config))
    elif repo_config not in open(path, errors="replace").read():
        print(f"warning: {path} does not load {repo_config}: nbgrader there runs without the course's "
              f"pipeline (add `load_subconfig({repo_config!r})` at its top)", file=sys.stderr)
    return course_dir


def source_assignments() -> list[str]:
    return sorted(name for name in os.listdir(SOURCE)
                  if os.path.isfile(os.path.join(SOURCE, name, f"{name}.ipynb")))


def check_assignment(name: str) -> str:
    if name not in source_assignments():
        raise CliError(f"no assignment {name!r}: expected autograder/source/{name}/{name}.ipynb "
                       f"(known: {', '.join(source_assignments()) or 'none'})")
    return name


def quiet_warnings() -> None:
    """nbgrader's api.py makes SQLAlchemy warn (``SAWarning: Object of type <SubmittedNotebook> not in
    session``) on every autograde; they say nothing to an instructor."""
    try:
        from sqlalchemy.exc import SAWarning
    except ImportError:  # pragma: no cover - nbgrader depends on SQLAlchemy
        return
    warnings.filterwarnings("ignore", category=SAWarning)


def normalize_db_url(db_url: str) -> str:
    """``postgresql://...`` means psycopg2 (requirements.txt) unless psycopg 3 is installed: SQLAlchemy 2.1
    picks psycopg 3 for a bare ``postgresql://``."""
    import importlib.util

    if db_url.startswith("postgresql://") and importlib.util.find_spec("psycopg") is None \
            and importlib.util.find_spec("psycopg2") is not None:
        return "postgresql+psycopg2://" + db_url[len("postgresql://"):]
    return db_url


def api(course_dir: str, db_url: str | None = None, **config_overrides):
    """nbgrader's own Python API, configured from the course dir's nbgrader_config.py.

    Unless the configuration names an exchange, the exchange lives in ``<course dir>/exchange`` (nbgrader's
    default, /usr/local/share/nbgrader/exchange, is usually missing or unwritable, and nbgrader then logs a
    CRITICAL line on every start)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config, PyFileConfigLoader

    quiet_warnings()
    # nbgrader runs the `alembic` command when it creates a gradebook: find the one installed beside this
    # Python even when its environment is not activated (e.g. `.venv/bin/python -m autograder ...`).
    bindir = os.path.dirname(sys.executable)
    if shutil.which("alembic") is None and os.path.exists(os.path.join(bindir, "alembic")):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    config = PyFileConfigLoader("nbgrader_config.py", path=course_dir).load_config()
    config.merge(Config(config_overrides))
    config.CourseDirectory.root = course_dir
    if db_url:
        config.CourseDirectory.db_url = db_url
    if "db_url" in config.CourseDirectory:
        config.CourseDirectory.db_url = normalize_db_url(config.CourseDirectory.db_url)
    if "root" not in config.Exchange:
        config.Exchange.root = os.path.join(course_dir, "exchange")
        os.makedirs(config.Exchange.root, exist_ok=True)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


# ----------------------------------------------------------------------------------------------- release
def release(course_dir: str, assignments: list[str], db_url: str | None = None) -> list[str]:
    zips = []
    names = [check_assignment(name) for name in assignments or source_assignments()]
    nbapi = api(course_dir, db_url)
    for name in names:
        result = nbapi.generate_assignment(name, force=True, create=True)
        if not result["success"]:
            raise CliError(f"nbgrader generate_assignment {name} failed:\n{result.get('log', '')}"
                           f"{result.get('error', '')}")
        folder = os.path.join(course_dir, "release", name)
        for root, _, files in os.walk(folder):
            for file in files:
                text = open(os.path.join(root, file), errors="replace").read()
                if re.search(r"\bsolutions\b|BEGIN SOLUTION|BEGIN HIDDEN TESTS", text):
                    raise CliError(f"the release of {name} mentions the reference or a hidden test: "
                                   f"{os.path.join(root, file)}")
        path = os.path.join(course_dir, "release", f"{name}.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for root, _, files in os.walk(folder):
                for file in sorted(files):
                    full = os.path.join(root, file)
                    archive.write(full, os.path.join(name, os.path.relpath(full, folder)))
        zips.append(path)
        print(f"released {name}: {folder} and {path}")
    return zips


# ----------------------------------------------------------------------------------------------- collect
def _assignment_named(notebook: str, known: list[str]) -> str | None:
    """The known assignment a notebook's name names (``search.ipynb``, a renamed ``search-Copy1.ipynb``)."""
    stem = notebook[:-len(".ipynb")] if notebook.endswith(".ipynb") else notebook
    found = [a for a in known if stem == a or re.match(rf"{re.escape(a)}[^A-Za-z0-9_]", stem)]
    return max(found, key=len) if found else None


def assignment_of(file_name: str, known: list[str], regexp: str = DEFAULT_REGEXP) -> str | None:
    """The known assignment a submission's file name names (``<student>_<assignment>.ipynb``, also a
    renamed ``<student>_<assignment>-Copy1.ipynb``), else ``None``."""
    match = re.match(regexp, file_name.replace(os.sep, "/"))
    file_id = match.group("file_id") if match and "file_id" in match.groupdict() else os.path.basename(file_name)
    return _assignment_named(file_id, known)


def _files_in(path: str) -> list[str]:
    from autograder.collect import files_in

    return files_in(path)


def collect(course_dir: str, path: str, assignment: str | None, regexp: str = DEFAULT_REGEXP,
            verbose: bool = False, db_url: str | None = None, lms: str | None = None,
            roster: str | None = None) -> dict:
    """Collect submissions of ``assignment`` from an LMS download or a folder (:mod:`autograder.collect`;
    formats in :mod:`autograder.lms`, detected unless ``lms`` says). Without ``assignment``, it comes from the
    notebooks' names when every one names a known assignment (the files are then collected per assignment;
    the result has ``"assignments": {name: result}``), or is the only assignment there is."""
    from autograder import collect as collecting

    if not os.path.exists(path):
        raise CliError(f"no such file or folder: {path}")
    if not (os.path.isdir(path) or zipfile.is_zipfile(path)):
        raise CliError(f"{path} is neither a folder nor a zip file")
    if roster and not os.path.isfile(roster):
        raise CliError(f"no such roster: {roster}")
    custom = "" if regexp == DEFAULT_REGEXP else regexp
    if assignment is None:
        known = source_assignments()
        names = collecting.notebook_names(path, known, lms or "", custom)
        named = {f: _assignment_named(n, known) if n else assignment_of(f, known) for f, n in names.items()}
        groups = sorted({a for a in named.values() if a})
        if groups and all(named.values()):
            if len(groups) == 1:
                return collect(course_dir, path, groups[0], regexp, verbose, db_url, lms, roster)
            return _collect_grouped(course_dir, path, named, regexp, verbose, db_url, lms, roster)
        if len(known) != 1:
            unknown = [f for f, a in named.items() if not a][:3]
            raise CliError(f"say which assignment these submissions are for: --assignment "
                           f"({', '.join(known)})" + (f"; these file names name none: {', '.join(unknown)}"
                                                      if unknown else ""))
        assignment = known[0]
    check_assignment(assignment)
    if not os.path.isdir(os.path.join(course_dir, "release", assignment)):
        release(course_dir, [assignment], db_url)
    nbapi = api(course_dir, db_url, FileNameCollectorPlugin={"named_regexp": custom},
                LmsCollector={"lms": lms or "", "roster": os.path.abspath(roster) if roster else ""},
                ZipCollectApp={"strict": False, "force": True}, ExtractorPlugin={"force": True})
    try:
        return collecting.collect(course_dir, path, assignment, nbapi, verbose=verbose)
    except (RuntimeError, ValueError) as exc:
        raise CliError(str(exc)) from None


def _collect_grouped(course_dir, path, named, regexp, verbose, db_url, lms=None, roster=None) -> dict:
    import tempfile

    from autograder.collect import unpack

    out = {}
    with tempfile.TemporaryDirectory(prefix="collect-") as tmp:
        root, failures = path, []
        if not os.path.isdir(path):
            root = os.path.join(tmp, "all")
            unpack(path, root, failures)
        for file, why in failures:
            print(f"  SKIPPED ({why}): {file}")
        named = {f: a for f, a in named.items() if os.path.exists(os.path.join(root, f))}
        for name in sorted(set(named.values())):
            folder = os.path.join(tmp, name)
            for file, a in named.items():
                if a == name:
                    os.makedirs(os.path.dirname(os.path.join(folder, file)), exist_ok=True)
                    shutil.copy(os.path.join(root, file), os.path.join(folder, file))
            out[name] = collect(course_dir, folder, name, regexp, verbose, db_url, lms, roster)
    others = [f for f in _files_in(path) if not f.endswith(".ipynb")]
    for file in others:
        print(f"  NOT COLLECTED (not a notebook): {file}")
    return {"assignments": out, "not_notebooks": others}


# --------------------------------------------------------------------------------------------- deadlines
def _penalty_of(nbapi, assignment: str, student: str) -> float | None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        try:
            return float(gb.find_submission(assignment, student).late_submission_penalty or 0)
        except MissingEntry:
            return None


def deadlines_command(course_dir: str, command: str, args, db_url: str | None = None) -> None:
    """``deadline [A [WHEN | --none]]``, ``extend STUDENT A (--until WHEN | --days N | --hours N | --none)``,
    ``late-policy [PENALTY] [--assignment A] [--cap P]``: edit course.toml (:mod:`autograder.deadlines`), then
    recompute the penalties of what is graded (:mod:`autograder.penalties`)."""
    from datetime import timedelta

    from autograder import deadlines, penalties

    assignment = check_assignment(args.assignment) if getattr(args, "assignment", None) else None
    try:
        course = deadlines.load(course_dir)
        students = None
        if command == "deadline" and (args.when or args.none):
            if not assignment:
                raise CliError("say which assignment: deadline ASSIGNMENT WHEN")
            course = deadlines.set_due(course_dir, assignment,
                                       None if args.none else deadlines.parse_when(args.when, course.tz, "due"))
        elif command == "extend":
            due = course.rules(assignment).due
            until = None if args.none else deadlines.parse_when(args.until, course.tz, "--until") if args.until \
                else due + timedelta(days=args.days or 0, hours=args.hours or 0) if due else None
            if not args.none and not (args.until or args.days or args.hours):
                raise CliError("say until when: --until WHEN, --days N or --hours N (or --none)")
            before = _penalty_of(api(course_dir, db_url), assignment, args.student)
            course = deadlines.set_extension(course_dir, assignment, args.student, until)
            students = [args.student]
        elif command == "late-policy" and args.penalty:
            course = deadlines.set_policy(course_dir, assignment, args.penalty, args.cap)
        else:
            print(deadlines.describe(course, [assignment] if assignment else source_assignments()))
            return
        nbapi = api(course_dir, db_url)
        count = penalties.recompute(nbapi, assignment, students)
    except deadlines.CourseFileError as exc:
        raise CliError(str(exc)) from None
    print(f"wrote {os.path.join(course_dir, deadlines.COURSE_FILE)}")
    print(deadlines.describe(course, [assignment] if assignment else source_assignments()))
    if command == "extend":
        after = _penalty_of(nbapi, assignment, args.student)
        if after is not None:
            print(f"  {args.student}'s late penalty on {assignment}: {before or 0:g} -> {after:g} points")
    elif count:
        print(f"  late penalties recomputed for {count} graded submission{'s' if count != 1 else ''}")


# ---------------------------------------------------------------------------------------------- feedback
def graded_students(nbapi, assignment: str) -> list[str]:
    """Students with an autograded submission of ``assignment`` on disk."""
    root = os.path.join(nbapi.coursedir.root, nbapi.coursedir.autograded_directory)
    if not os.path.isdir(root):
        return []
    return sorted(s for s in os.listdir(root) if os.path.isdir(os.path.join(root, s, assignment)))


def feedback(course_dir: str, assignment: str | None, db_url: str | None = None) -> list[str]:
    """Feedback pages for every assignment (or ``assignment``) with autograded work, after recomputing late
    penalties from course.toml; the others are skipped with a note (nbgrader would fail on them). Each
    assignment's pages are also zipped, one file per student named for their LMS
    (``export/feedback-<assignment>.zip``)."""
    from autograder import deadlines, penalties
    from autograder.export import feedback_zip

    nbapi = api(course_dir, db_url)
    names = [check_assignment(assignment)] if assignment else source_assignments()
    try:
        penalties.recompute(nbapi, assignment)
    except deadlines.CourseFileError as exc:
        raise CliError(str(exc)) from None
    done = []
    for name in names:
        if not graded_students(nbapi, name):
            print(f"feedback for {name}: skipped (no autograded submissions; run grade first)")
            continue
        result = nbapi.generate_feedback(name, force=True)
        if not result["success"]:
            raise CliError(f"nbgrader generate_feedback {name} failed:\n{result.get('log', '')}"
                           f"{result.get('error', '')}")
        path, count = feedback_zip(course_dir, name, os.path.join(course_dir, "export", f"feedback-{name}.zip"))
        print(f"feedback for {name}: {os.path.join(course_dir, 'feedback')}; for the LMS: {path} "
              f"({count} page{'s' if count != 1 else ''})")
        done.append(name)
    return done


# ------------------------------------------------------------------------------------------------ export
def export(course_dir: str, db_url: str | None = None) -> list[str]:
    """``export/grades.csv`` (status, lateness and penalty for every student), the LMS's import file, and a
    PNG per assignment; late penalties are recomputed from course.toml first."""
    from nbgrader.api import Gradebook

    from autograder import deadlines, penalties
    from autograder.export import CourseCsvExport, LmsExport

    out = os.path.join(course_dir, "export")
    os.makedirs(out, exist_ok=True)
    csv_path = os.path.join(out, "grades.csv")
    nbapi = api(course_dir, db_url)
    try:
        penalties.recompute(nbapi)
        with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
            CourseCsvExport(to=csv_path, parent=nbapi).export(gb)
            lms = LmsExport(to=out, parent=nbapi)
            lms.export(gb)
    except deadlines.CourseFileError as exc:
        raise CliError(str(exc)) from None
    written = [csv_path] + lms.written
    from autograder.plots import plot_assignments

    written += plot_assignments(course_dir, out, db_url)
    for path in written:
        print(f"wrote {path}")
    if lms.left_out:
        print(f"  not in {os.path.basename(lms.written[0])} (anonymous ids Canvas cannot match; grade them in "
              f"SpeedGrader): {', '.join(lms.left_out)}")
    return written


# -------------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    from autograder.grading import default_workers, grade

    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--course-dir", default=default_course_dir(),
                        help="where generated course state lives (default: %(default)s)")
    parser.add_argument("--db-url", default=os.environ.get("AUTOGRADER_DB_URL") or None,
                        help="the gradebook as an SQLAlchemy URL, e.g. postgresql://grader@/course "
                             "(default: $AUTOGRADER_DB_URL, else c.CourseDirectory.db_url, else "
                             "<course dir>/gradebook.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="generate the student notebooks and an LMS zip per assignment")
    p.add_argument("assignments", nargs="*")
    p = sub.add_parser("collect", help="collect submissions from a folder or an LMS download (zip)")
    p.add_argument("path")
    p.add_argument("--assignment", help="default: from the notebooks' names")
    p.add_argument("--lms", choices=LMS_CHOICES, help="the download's naming (default: detected from the names)")
    p.add_argument("--roster", help="the LMS's CSV export of the class (default: course.toml's roster)")
    p.add_argument("--regexp", default=DEFAULT_REGEXP, help="file name pattern (nbgrader named_regexp)")
    p.add_argument("--verbose", action="store_true", help="show nbgrader's log of every file")
    p = sub.add_parser("deadline", help="show or set due dates (course.toml)")
    p.add_argument("assignment", nargs="?")
    p.add_argument("when", nargs="?", help="e.g. '2026-01-15 23:59', in course.toml's timezone")
    p.add_argument("--none", action="store_true", help="remove the assignment's due date")
    p = sub.add_parser("extend", help="give a student an extension (course.toml)")
    p.add_argument("student")
    p.add_argument("assignment")
    p.add_argument("--until", help="the student's own due date, e.g. '2026-01-17 23:59'")
    p.add_argument("--days", type=float, help="this many days after the due date")
    p.add_argument("--hours", type=float, help="this many hours after the due date")
    p.add_argument("--none", action="store_true", help="remove the extension")
    p = sub.add_parser("late-policy", help="show or set the late penalty (course.toml)")
    p.add_argument("penalty", nargs="?", help="none, zero, or like 10%%/day, 2%%/hour")
    p.add_argument("--assignment", help="this assignment's own policy (default: every assignment's)")
    p.add_argument("--cap", help="never more than this in all, e.g. 50%%")
    p = sub.add_parser("grade", help="autograde with trusted verdicts; prints a summary")
    p.add_argument("assignment", nargs="?")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--timeout", type=int, help="seconds per cell (default 30; AUTOGRADER_CELL_TIMEOUT)")
    p.add_argument("--workers", type=int, default=default_workers(),
                   help="submissions graded at once, each in its own process (default: the number of "
                        "cores, %(default)s)")
    p.add_argument("--allow-unsandboxed", action="store_true",
                   help="grade even where the sandbox (bubblewrap) cannot run: student code then runs as "
                        "you, with your files and network (sets AUTOGRADER_ALLOW_UNSANDBOXED=1)")
    p.add_argument("--report", help="also write the summary rows as JSON to this file")
    p.add_argument("--no-progress", action="store_true")
    p = sub.add_parser("feedback", help="generate feedback pages")
    p.add_argument("assignment", nargs="?")
    sub.add_parser("export", help="grades CSV, the LMS's import file and one PNG per assignment")
    args = parser.parse_args(argv)
    quiet_warnings()
    try:
        course_dir = prepare_course_dir(args.course_dir)
        if args.command == "release":
            release(course_dir, args.assignments, args.db_url)
        elif args.command == "collect":
            collect(course_dir, args.path, args.assignment, args.regexp, args.verbose, args.db_url, args.lms,
                    args.roster)
        elif args.command in ("deadline", "extend", "late-policy"):
            deadlines_command(course_dir, args.command, args, args.db_url)
        elif args.command == "grade":
            if args.workers < 1:
                raise CliError("--workers must be at least 1")
            if args.timeout:
                os.environ["AUTOGRADER_CELL_TIMEOUT"] = str(args.timeout)
            grade(course_dir, args.assignment, args.student, args.report, not args.no_progress,
                  args.workers, args.db_url, args.allow_unsandboxed)
        elif args.command == "feedback":
            feedback(course_dir, args.assignment, args.db_url)
        elif args.command == "export":
            export(course_dir, args.db_url)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
