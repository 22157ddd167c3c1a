"""``python -m autograder grade``: every submission through nbgrader's own ``autograde`` (trusted verdicts,
see :mod:`autograder.verdicts`, in the sandbox), ``--workers N`` at once, a progress bar, and a summary row
per student (:class:`Row`): score, status, lateness, who needs a manual look, locked cells edited, what the
grader's preprocessors reported (:mod:`autograder.status`).

Parallel grading: each worker is a separate process running nbgrader's own ``autograde`` on one submission
at a time. PostgreSQL takes concurrent writers as it is; SQLite takes them in turns, each gradebook session
waiting for the database's lock (sessions last milliseconds while a notebook runs for seconds outside any
session).
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field

from autograder.cli import CliError, SOURCE, api, check_assignment, quiet_warnings, release, source_assignments


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
        lines = [line.strip() for line in log.splitlines() if line.strip()]
        cause = next((line for line in lines if re.search(r"\w+(Error|Exception)\b:", line)), lines[-1] if lines
                     else "unknown error")  # the exception's own line, not nbgrader's "see the traceback"
        row.status = "error"
        row.notes.append(f"nbgrader autograde failed: {cause[:200]}")
        row.manual_review = True
    for outcome in outcomes:
        if outcome.kind == status.DIED and row.status == "ok":
            row.status = "kernel died"
            row.manual_review = True
        row.timeout |= outcome.kind in status.TIMEOUT_KINDS
        row.tampered |= outcome.kind == status.TAMPERED
        row.manual_review |= outcome.kind == status.GRADER_ERROR
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


def _grade_in_workers(course_dir: str, db_url: str | None, name: str, students: list[str], workers: int,
                      bar, work=None) -> dict:
    """Grade ``students`` in ``workers`` processes. A worker that dies (the grader's process killed, out of
    memory) breaks the whole pool, and with it every submission not yet graded: those are graded again,
    each in a process of its own, so that a submission that kills its worker costs only itself."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    def pool(n):
        return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(course_dir, db_url))

    def failed(student, exc):
        return Row(student, status="error", manual_review=True, notes=[f"grader error: {type(exc).__name__}: {exc}"])

    work = work or _worker_grade  # (a module-level function of the same signature, in the tests)
    by_student, broken = {}, []
    with pool(min(workers, len(students))) as executor:
        futures = {executor.submit(work, name, student): student for student in students}
        for future in as_completed(futures):
            student = futures[future]
            try:
                by_student[student] = Row(**future.result())
            except BrokenProcessPool:
                broken.append(student)
                continue
            except Exception as exc:  # noqa: BLE001 - the grader's own error on this submission
                by_student[student] = failed(student, exc)
            bar.update(1)
    for student in broken:  # alone, so that only the one that breaks its worker fails
        with pool(1) as executor:
            try:
                by_student[student] = Row(**executor.submit(work, name, student).result())
            except Exception as exc:  # noqa: BLE001 - this one kills the grader's process itself
                by_student[student] = failed(student, exc)
        bar.update(1)
    return by_student


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
            by_student = _grade_in_workers(course_dir, db_url, name, found, workers, bar)
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
