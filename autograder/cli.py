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
                            progress bar, and a summary table
``feedback [ASSIGNMENT]``   ``nbgrader generate_feedback`` (assignments with no graded work skipped), and
                            ``export/feedback-<assignment>.zip`` named for the LMS's bulk upload
``export``                  ``export/grades.csv`` (status, lateness and penalty for every student), the
                            LMS's import file (Canvas, Moodle) and one PNG per assignment
==========================  ==========================================================================

``--course-dir DIR`` (default: ``$AUTOGRADER_COURSE_DIR``, else the ``autograder/`` folder) holds the
generated state (release/, downloaded/, submitted/, autograded/, feedback/, export/, gradebook.db), all
ignored by git, and ``course.toml``, the instructor's. A course dir other than ``autograder/`` gets, once, a
``nbgrader_config.py`` that loads ``autograder/nbgrader_config.py``, so plain ``nbgrader`` commands (and
formgrader) work there too; the CLI never rewrites it.
``--db-url URL`` (or ``c.CourseDirectory.db_url``) puts the gradebook in any SQLAlchemy database, e.g.
``postgresql://grader@/course``; the default is the course dir's SQLite ``gradebook.db``.

Parallel grading (:func:`grade`): each worker is a separate process running nbgrader's own
``autograde`` on one submission at a time. PostgreSQL takes concurrent writers as it is; SQLite takes them in
turns, each gradebook session waiting for the database's lock (sessions last milliseconds while a notebook
runs for seconds outside any session).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import warnings
import zipfile
from dataclasses import asdict, dataclass, field

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


# ------------------------------------------------------------------------------------------------- grade
@dataclass
class Row:
    student: str
    status: str = "ok"
    score: float = 0.0
    max_score: float = 0.0
    tests: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    manual_review: bool = False
    tampered: bool = False
    timeout: bool = False
    late: bool = False
    late_by: float | None = None   # seconds; None when late: the LMS says late, not by how much
    penalty: float = 0.0           # late penalty (points), already off `score`'s raw points in the export


def locked_cell_changes(released, submitted, source=None) -> list[str]:
    """How the submitted notebook's locked cells differ from the released ones. nbgrader grades edited or
    retyped locked cells as the source's version and ignores duplicates; a deleted graded cell is not put
    back (nbgrader's ``OverwriteCells.add_missing_cells`` is off) and scores 0. The source's own version of
    a cell (with its hidden tests) also counts as unchanged."""
    from nbgrader import utils

    def locked(nb):
        out = {}
        for cell in nb.cells:
            if "nbgrader" in cell.metadata and cell.metadata["nbgrader"].get("grade_id") and utils.is_locked(cell):
                out.setdefault(cell.metadata["nbgrader"]["grade_id"], []).append(cell)
        return out

    ours, theirs = locked(released), {}
    originals = {k: v[0].source for k, v in locked(source).items()} if source is not None else {}
    for cell in submitted.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            theirs.setdefault(grade_id, []).append(cell)
    notes = []
    for grade_id, (cell,) in ours.items():
        copies = theirs.get(grade_id, [])
        if not copies:
            graded = " (a deleted graded cell scores 0: put it back from the release and grade again)" \
                if utils.is_grade(cell) else ""
            notes.append(f"locked cell {grade_id} deleted{graded}")
            continue
        if len(copies) > 1:
            notes.append(f"locked cell {grade_id} duplicated (the copy is ignored)")
        if copies[0].cell_type != cell.cell_type:
            notes.append(f"locked cell {grade_id} changed from {cell.cell_type} to {copies[0].cell_type} "
                         f"(graded as the source's version)")
        elif copies[0].source not in (cell.source, originals.get(grade_id)):
            notes.append(f"locked cell {grade_id} edited (graded as the source's version)")
    return notes



def _submitted_students(course_dir: str, assignment: str) -> list[str]:
    root = os.path.join(course_dir, "submitted")
    if not os.path.isdir(root):
        return []
    return sorted(s for s in os.listdir(root) if os.path.isdir(os.path.join(root, s, assignment)))


def _precheck(course_dir: str, assignment: str, student: str, row: Row) -> None:
    import nbformat

    folder = os.path.join(course_dir, "submitted", student, assignment)
    path = os.path.join(folder, f"{assignment}.ipynb")
    if not os.path.exists(path):
        others = sorted(f for f in os.listdir(folder) if f.endswith(".ipynb"))
        row.status = "missing notebook"
        row.notes.append(f"no {assignment}.ipynb" + (f" (found {', '.join(others)}; rename it to "
                                                      f"{assignment}.ipynb and grade again)" if others else ""))
        row.manual_review = True
        return
    try:
        nbformat.validate(nbformat.read(path, as_version=4))
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds for a broken file
        row.status = "invalid notebook"
        row.notes.append(f"{assignment}.ipynb is not a valid notebook ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:120] if str(exc) else ''})")
        row.manual_review = True
        return
    released = nbformat.read(os.path.join(course_dir, "release", assignment, f"{assignment}.ipynb"), as_version=4)
    source = nbformat.read(os.path.join(SOURCE, assignment, f"{assignment}.ipynb"), as_version=4)
    changes = locked_cell_changes(released, nbformat.read(path, as_version=4), source)
    if changes:
        row.tampered = True
        row.notes += changes


def _scores(nbapi, assignment: str, student: str, row: Row) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return
        row.score, row.max_score = float(submission.score or 0), float(submission.max_score or 0)
        from autograder.penalties import late_fields
        row.late, row.late_by, row.penalty = late_fields(nbapi.coursedir.root, assignment, student, submission)
        if submission.needs_manual_grade:
            row.manual_review = True
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.cell_type == "code" and grade.max_score:
                    row.tests[grade.name] = round(float(grade.score or 0), 4)


def grade_one(nbapi, course_dir: str, assignment: str, student: str) -> Row:
    from autograder import status

    row = Row(student)
    _precheck(course_dir, assignment, student, row)
    status.take(assignment, student)  # nothing left over from an earlier run in this process
    result = nbapi.autograde(assignment, student, force=True, create=True)
    log = (result.get("log") or "") + (result.get("error") or "")
    outcomes = status.take(assignment, student)  # what the grader's preprocessors saw: no notebook text
    if not result["success"] and row.status == "ok":
        last = [line for line in log.strip().splitlines() if line.strip()][-1:] or ["unknown error"]
        row.status = "error"
        row.notes.append(f"nbgrader autograde failed: {last[0][:200]}")
        row.manual_review = True
    for outcome in outcomes:
        if outcome.kind == status.DIED and row.status == "ok":
            row.status = "kernel died"
            row.manual_review = True
        row.timeout |= outcome.kind in status.TIMEOUT_KINDS
        row.tampered |= outcome.kind == status.TAMPERED
        if str(outcome) not in row.notes:
            row.notes.append(str(outcome))
    _scores(nbapi, assignment, student, row)
    if row.status == "ok":
        row.status = "tampered" if row.tampered else "timeout" if row.timeout else "ok"
    if row.tampered:
        row.manual_review = True
    return row


def _grade_safely(nbapi, course_dir: str, assignment: str, student: str) -> Row:
    try:
        return grade_one(nbapi, course_dir, assignment, student)
    except Exception as exc:  # noqa: BLE001 - one submission never stops the batch
        return Row(student, status="error", manual_review=True, notes=[f"grader error: {type(exc).__name__}: {exc}"])


_WORKER: dict = {}


def _worker_start(course_dir: str, db_url: str | None) -> None:
    quiet_warnings()
    _WORKER["api"] = api(course_dir, db_url)
    _WORKER["course_dir"] = course_dir


def _worker_grade(assignment: str, student: str) -> dict:
    return asdict(_grade_safely(_WORKER["api"], _WORKER["course_dir"], assignment, student))


def default_workers() -> int:
    """One worker per core: each worker's next kernel boots while its current notebook runs (the sandbox's
    kernels started ahead), so a core seldom waits (on 2 cores, 0.56 s per submission with 2 workers,
    0.60 s with 3)."""
    return os.cpu_count() or 1


def grade(course_dir: str, assignment: str | None, students: list[str] | None = None,
          report: str | None = None, progress: bool = True, workers: int | None = None,
          db_url: str | None = None, allow_unsandboxed: bool = False) -> list[dict]:
    """Autograde every submission (of ``assignment``, or of every assignment), ``workers`` at a time
    (default: one per core), and print a summary per assignment. Refuses to start (:class:`CliError`)
    when student code could not run in the sandbox, unless ``allow_unsandboxed``."""
    from tqdm import tqdm

    from autograder import sandbox

    if allow_unsandboxed:
        os.environ[sandbox.ENV_ALLOW_UNSANDBOXED] = "1"
    try:
        sandbox.require_sandbox()
    except sandbox.SandboxUnavailable as exc:
        raise CliError(f"{exc} (or pass --allow-unsandboxed)") from None
    quiet_warnings()
    workers = max(1, workers or default_workers())
    assignments = [check_assignment(assignment)] if assignment else source_assignments()
    rows_all = []
    for name in assignments:
        if not os.path.isdir(os.path.join(course_dir, "release", name)):
            release(course_dir, [name], db_url)
        found = _submitted_students(course_dir, name)
        if students:
            missing = sorted(set(students) - set(found))
            if missing:
                raise CliError(f"no submission of {name} for: {', '.join(missing)}")
            found = [s for s in found if s in students]
        if not found:
            print(f"{name}: no submissions in {os.path.join(course_dir, 'submitted')}")
            continue
        nbapi = api(course_dir, db_url)
        bar = tqdm(total=len(found), desc=f"grading {name}", unit="submission", disable=not progress,
                   file=sys.stderr)
        by_student = {}
        if workers == 1 or len(found) == 1:
            try:
                for student in found:
                    by_student[student] = _grade_safely(nbapi, course_dir, name, student)
                    bar.update(1)
            finally:
                sandbox.discard_spare()  # the kernel started ahead for a next submission that is not coming
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=min(workers, len(found)),
                                     mp_context=multiprocessing.get_context("spawn"),
                                     initializer=_worker_start, initargs=(course_dir, db_url)) as pool:
                futures = {pool.submit(_worker_grade, name, student): student for student in found}
                for future in as_completed(futures):
                    student = futures[future]
                    try:
                        by_student[student] = Row(**future.result())
                    except Exception as exc:  # noqa: BLE001 - a worker that died takes only its submission
                        by_student[student] = Row(student, status="error", manual_review=True,
                                                  notes=[f"grader error: {type(exc).__name__}: {exc}"])
                    bar.update(1)
                bar.close()
        bar.close()
        rows = [by_student[s] for s in found]
        print(summary_table(name, rows))
        rows_all += [dict(asdict(r), assignment=name) for r in rows]
    if report:
        with open(report, "w") as handle:
            json.dump(rows_all, handle, indent=1)
    return rows_all


def summary_table(assignment: str, rows: list[Row]) -> str:
    from autograder.deadlines import format_late

    width = max([7] + [len(r.student) for r in rows])
    late = {r.student: format_late(r.late_by) + (f", -{r.penalty:g}" if r.penalty else "") for r in rows if r.late}
    late_width = max([len("late")] + [len(v) for v in late.values()])
    lines = [f"\n{assignment}: {len(rows)} submissions",
             f"{'student':<{width}}  {'score':>11}  {'status':<16}  review  "
             + (f"{'late':<{late_width}}  " if late else "") + "notes"]
    for r in rows:
        score = f"{r.score:g}/{r.max_score:g}" if r.max_score else "0"
        lines.append(f"{r.student:<{width}}  {score:>11}  {r.status:<16}  {'YES' if r.manual_review else '':<6}  "
                     + (f"{late.get(r.student, ''):<{late_width}}  " if late else "") + f"{'; '.join(r.notes)}")
    review = [r.student for r in rows if r.manual_review]
    lines.append(f"needs manual review: {', '.join(review) if review else 'none'}")
    lines.append(f"tampered: {', '.join(r.student for r in rows if r.tampered) or 'none'}; "
                 f"timeouts: {', '.join(r.student for r in rows if r.timeout) or 'none'}; "
                 f"errors: {', '.join(r.student for r in rows if r.status not in ('ok', 'tampered', 'timeout')) or 'none'}; "
                 f"late: {', '.join(late) or 'none'} (scores before late penalties)")
    return "\n".join(lines)


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
    written += plot_assignments(course_dir, out, db_url)
    for path in written:
        print(f"wrote {path}")
    if lms.left_out:
        print(f"  not in {os.path.basename(lms.written[0])} (anonymous ids Canvas cannot match; grade them in "
              f"SpeedGrader): {', '.join(lms.left_out)}")
    return written


def pass_rates(course_dir: str, db_url: str | None = None) -> dict:
    """Per assignment: the total scores, the maximum, and per graded cell (in notebook order) the mean
    fraction of its points earned."""
    import nbformat
    from nbgrader import utils
    from nbgrader.api import Gradebook

    nbapi = api(course_dir, db_url)
    out = {}
    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        for assignment in gb.assignments:
            scores, cells = [], {}
            for submission in assignment.submissions:
                scores.append(float(submission.score or 0))
                for notebook in submission.notebooks:
                    for g in notebook.grades:
                        if g.max_score:
                            cells.setdefault(g.name, []).append(float(g.score or 0) / float(g.max_score))
            order = []
            for notebook in assignment.notebooks:
                path = os.path.join(SOURCE, assignment.name, f"{notebook.name}.ipynb")
                if os.path.exists(path):
                    order += [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(path, as_version=4).cells
                              if utils.is_grade(c)]
            rates = {k: sum(v) / len(v) for k, v in cells.items()}
            out[assignment.name] = {
                "scores": scores, "max_score": float(assignment.max_score or 0),
                "pass_rates": {k: rates[k] for k in sorted(rates, key=lambda k: (k not in order,
                                                                               order.index(k) if k in order
                                                                               else 0, k))}}
    return out


def score_figure(name: str, data: dict):
    """The export figure of one assignment (``data`` as in :func:`pass_rates`): the score histogram (x from
    0 to the maximum, whole students on y) and each test's mean share of points, in notebook order from
    the top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    tests = list(data["pass_rates"])
    top = max([data["max_score"], 1] + data["scores"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, max(4, 0.45 * len(tests) + 1.5)), layout="constrained")
    left.hist(data["scores"], bins=max(1, int(round(top * 2))), range=(0, top), color="#4c72b0",
              edgecolor="white")
    left.set(title=f"{name}: scores ({len(data['scores'])} submissions)", xlabel="score (points)",
             ylabel="students", xlim=(0, top))
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.barh(range(len(tests)), [100 * data["pass_rates"][t] for t in tests], color="#55a868")
    right.set_yticks(range(len(tests)), tests)
    right.set_ylim(len(tests) - 0.5, -0.5)  # the notebook's first test on top
    right.set(title="per test: mean % of points earned", xlim=(0, 100), xlabel="% of the test's points")
    return fig


def plot_assignments(course_dir: str, out: str, db_url: str | None = None) -> list[str]:
    """One PNG per assignment with graded submissions (:func:`score_figure`)."""
    import matplotlib.pyplot as plt

    written = []
    for name, data in pass_rates(course_dir, db_url).items():
        if not data["scores"]:
            print(f"export {name}: no graded submissions, no plot")
            continue
        fig = score_figure(name, data)
        path = os.path.join(out, f"{name}.png")
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written


# -------------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
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
