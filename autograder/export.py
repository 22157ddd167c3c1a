"""``export`` and the feedback zip: what goes back to the LMS. Two nbgrader ``ExportPlugin`` subclasses
(``nbgrader export`` in the course dir uses :class:`CourseCsvExport` too):

- :class:`CourseCsvExport`: ``grades.csv``, one row per student and assignment: student, assignment, status,
  timestamp, late by, raw score, penalty, final score. Every student gets a row for every assignment (the
  roster's, the gradebook's, whoever submitted); with no submission the status is ``missing``;
- :class:`LmsExport`: the scores in the LMS's own import format: Canvas's gradebook CSV ("Student", "ID",
  "SIS User ID", "SIS Login ID", "Section", one column per assignment, a "Points Possible" row), Moodle's
  grading worksheet per assignment ("Identifier" = "Participant <id>", "Grade");

and :func:`feedback_zip`, each student's feedback page named as their LMS named their download, so the LMS's
own bulk upload (Canvas "Upload submission comments", Moodle "Upload multiple feedback files in a zip")
gives each page back to its student.
"""

from __future__ import annotations

import csv
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone

from nbgrader.plugins import ExportPlugin

from autograder import deadlines, penalties
from autograder.collect import read_manifest
from autograder.lms import read_roster

COLUMNS = ["student", "assignment", "status", "timestamp", "late by", "raw score", "penalty", "final score"]
SCORED = ("graded", "needs review", "missing notebook", "invalid notebook")


@dataclass
class GradeRow:
    student: str
    assignment: str
    status: str                       # graded | needs review | missing notebook | invalid notebook | not graded | missing
    timestamp: datetime | None = None
    late: bool = False
    late_by: float | None = None      # seconds; None and late: the LMS says late, not by how much
    raw: float | None = None
    penalty: float | None = None
    max_score: float = 0.0

    @property
    def final(self) -> float | None:
        return None if self.raw is None else self.raw - (self.penalty or 0.0)


def _notebook_status(folder: str, notebooks: list[str]) -> str | None:
    import nbformat

    for name in notebooks:
        path = os.path.join(folder, f"{name}.ipynb")
        if not os.path.exists(path):
            return "missing notebook"
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception:  # noqa: BLE001 - nbformat raises several kinds for a broken file
            return "invalid notebook"
    return None


def roster_of(course: deadlines.Course, assignment: str | None = None, path: str = "") -> dict:
    path = path or (course.roster_for(assignment) if assignment else course.roster_for(""))
    return read_roster(path, course.tz) if path else {}


def grade_rows(gb, root: str, roster: str = "") -> list[GradeRow]:
    """One row per student and assignment of the gradebook (see the module docstring)."""
    from nbgrader.api import MissingEntry

    course = deadlines.load(root)
    everyone = {s.id for s in gb.students}
    submitted = os.path.join(root, "submitted")
    out = []
    for assignment in gb.assignments:
        name = assignment.name
        people = roster_of(course, name, roster)
        folders = {s for s in os.listdir(submitted) if os.path.isdir(os.path.join(submitted, s, name))} \
            if os.path.isdir(submitted) else set()
        own_roster = bool(course.rules(name).roster) and not roster
        students = set(people) | folders | {s.student.id for s in assignment.submissions} | \
            (set() if own_roster else everyone)
        manifest = read_manifest(root, name)
        notebooks = [n.name for n in assignment.notebooks]
        for student in sorted(students):
            try:
                sub = gb.find_submission(name, student)
            except MissingEntry:
                sub = None
            folder = os.path.join(submitted, student, name)
            row = GradeRow(student, name, "missing", max_score=float(assignment.max_score or 0))
            if os.path.isdir(folder):
                graded = sub is not None and all(os.path.exists(os.path.join(
                    root, "autograded", student, name, f"{n}.ipynb")) for n in notebooks)
                row.status = _notebook_status(folder, notebooks) or (
                    ("needs review" if sub.needs_manual_grade else "graded") if graded else "not graded")
            elif sub is not None:  # graded, its folder gone since
                row.status = "needs review" if sub.needs_manual_grade else "graded"
            if sub is not None and row.status in SCORED:
                row.raw, row.penalty = float(sub.score or 0), float(sub.late_submission_penalty or 0)
                row.late, row.late_by, _ = penalties.late_fields(root, name, student, sub)
            if sub is not None and sub.timestamp is not None:
                row.timestamp = sub.timestamp.replace(tzinfo=timezone.utc).astimezone(course.tz)
            elif manifest.get(student, {}).get("timestamp"):
                row.timestamp = datetime.fromisoformat(manifest[student]["timestamp"]).astimezone(course.tz)
            if sub is None and row.status != "missing":
                due = course.due_for(name, student)
                if row.timestamp and due and row.timestamp > due:
                    row.late, row.late_by = True, (row.timestamp - due).total_seconds()
                elif manifest.get(student, {}).get("late") and student not in course.rules(name).extensions:
                    row.late = True
            out.append(row)
    return out


def _number(x: float | None) -> str:
    return "" if x is None else f"{round(x, 4):g}"


def _hms(seconds: float) -> str:
    minutes, s = divmod(round(seconds), 60)
    h, m = divmod(minutes, 60)
    return f"{h}:{m:02d}:{s:02d}"


def write_grades(rows: list[GradeRow], path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in rows:
            late = "" if not r.late else ("unknown" if r.late_by is None else _hms(r.late_by))
            writer.writerow([r.student, r.assignment, r.status,
                             r.timestamp.isoformat(timespec="seconds") if r.timestamp else "", late,
                             _number(r.raw), _number(r.penalty if r.raw is not None else None), _number(r.final)])


class CourseCsvExport(ExportPlugin):
    """``grades.csv`` with status, lateness and penalty for every student (``to``: the file)."""

    def export(self, gradebook) -> None:
        from nbgrader.coursedir import CourseDirectory

        root = CourseDirectory(config=self.config).root
        rows = grade_rows(gradebook, root)
        if self.assignment:
            rows = [r for r in rows if r.assignment in self.assignment]
        if self.student:
            rows = [r for r in rows if r.student in self.student]
        write_grades(rows, self.to or "grades.csv")


def lms_of(root: str, assignments: list[str]) -> str:
    """The LMS the course's downloads came from (the most common among the collected)."""
    counts: dict = {}
    for name in assignments:
        for entry in read_manifest(root, name).values():
            counts[entry["lms"]] = counts.get(entry["lms"], 0) + 1
    return max(counts, key=counts.get) if counts else ""


def write_canvas(rows: list[GradeRow], course: deadlines.Course, roster: dict, path: str) -> list[str]:
    """Canvas's gradebook import CSV; returns the students left out (anonymous ids Canvas cannot match)."""
    assignments = list(dict.fromkeys(r.assignment for r in rows))
    maxima = {r.assignment: r.max_score for r in rows}
    by = {(r.student, r.assignment): r for r in rows}
    names = {}
    for name in assignments:
        for student, entry in read_manifest(course.root, name).items():
            names.setdefault(student, entry.get("name", ""))
    students = sorted({r.student for r in rows}, key=lambda s: (roster[s].sortable if s in roster else s, s))
    left_out = [s for s in students if not s.isdigit()]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
                        + [course.rules(a).lms_column or a for a in assignments])
        writer.writerow(["    Points Possible", "", "", "", ""] + [_number(maxima[a]) for a in assignments])
        for s in students:
            if not s.isdigit():
                continue
            p = roster.get(s)
            writer.writerow([p.sortable if p else names.get(s, ""), s, p.sis_user_id if p else "",
                             p.sis_login_id if p else "", p.section if p else ""]
                            + [_number(by[(s, a)].final) if (s, a) in by else "" for a in assignments])
    return left_out


def write_moodle(rows: list[GradeRow], roster: dict, path: str) -> None:
    """Moodle's offline grading worksheet for one assignment ("Upload grading worksheet")."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Identifier", "Full name", "Email address", "Grade", "Maximum Grade"])
        for r in rows:
            p = roster.get(r.student)
            writer.writerow([f"Participant {r.student}", p.name if p else "", p.email if p else "",
                             _number(r.final), _number(r.max_score)])


class LmsExport(ExportPlugin):
    """The scores in the LMS's import format (``to``: the folder); Canvas's or Moodle's, by where the
    course's downloads came from. ``written`` and ``left_out`` say what it did."""

    def export(self, gradebook) -> None:
        from nbgrader.coursedir import CourseDirectory

        root = CourseDirectory(config=self.config).root
        course = deadlines.load(root)
        rows = grade_rows(gradebook, root)
        assignments = list(dict.fromkeys(r.assignment for r in rows))
        lms = lms_of(root, assignments)
        self.written, self.left_out = [], []
        folder = self.to or "."
        if lms == "canvas" or any(p.sortable for p in roster_of(course).values()):
            path = os.path.join(folder, "canvas.csv")
            self.left_out = write_canvas(rows, course, roster_of(course), path)
            self.written.append(path)
        elif lms == "moodle":
            for name in assignments:
                path = os.path.join(folder, f"moodle-{name}.csv")
                write_moodle([r for r in rows if r.assignment == name and r.student.isdigit()],
                             roster_of(course, name), path)
                self.written.append(path)


def feedback_name(student: str, assignment: str, notebook: str, entry: dict) -> str:
    """The feedback page's name for the LMS: its own prefix for the student's download (Canvas reads the user
    and attachment ids from it, Moodle the participant id), else ``<student>_...``."""
    stem = assignment if notebook == assignment else notebook
    prefix = entry.get("prefix") if entry.get("lms") in ("canvas", "moodle") else ""
    return f"{prefix or student}_{stem}-feedback.html"


def feedback_zip(root: str, assignment: str, out: str) -> tuple[str, int]:
    """Zip ``feedback/<student>/<assignment>/*.html`` into ``out`` (see :func:`feedback_name`)."""
    manifest = read_manifest(root, assignment)
    folder = os.path.join(root, "feedback")
    count = 0
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            pages = os.path.join(folder, student, assignment)
            if not os.path.isdir(pages):
                continue
            for page in sorted(p for p in os.listdir(pages) if p.endswith(".html")):
                archive.write(os.path.join(pages, page),
                              feedback_name(student, assignment, page[:-len(".html")], manifest.get(student, {})))
                count += 1
    return out, count
