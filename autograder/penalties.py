"""Late penalties in nbgrader, from course.toml (:mod:`autograder.deadlines`).

nbgrader does the bookkeeping: the gradebook holds the due date (``Assignment.duedate``), each extension
(``SubmittedAssignment.extension``) and each notebook's ``late_submission_penalty``.
:class:`CourseLatePenalties` (nbgrader's ``AssignLatePenalties``, in the autograde pipeline) copies the course
file's due date and the student's extension into the gradebook before it computes the penalty with
:class:`CoursePenalty` (a ``LateSubmissionPlugin``), so every regrade recomputes it (nbgrader #723 kept stale
ones). :func:`recompute` does the same without running a notebook, after ``extend``, ``deadline`` and
``late-policy`` and before ``feedback`` and ``export``: a hand edit of course.toml, a new extension or a
manual grade in formgrader never leaves a stale penalty. An assignment the course file gives no due date
keeps the gradebook's own (set in formgrader, say) untouched.
"""

from __future__ import annotations

from nbgrader.plugins import BasePlugin, LateSubmissionPlugin
from nbgrader.preprocessors import AssignLatePenalties
from traitlets import Type

from autograder.deadlines import Course, load, utc_naive


class CoursePenalty(LateSubmissionPlugin):
    """nbgrader's late-submission plugin, with course.toml's policy for the assignment; where the file states
    none, nbgrader's own ``LateSubmissionPlugin.penalty_method`` ('none', 'zero') as configured."""

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float):
        from nbgrader.coursedir import CourseDirectory

        assignment = getattr(self.parent, "assignment_id", "")
        policy = load(CourseDirectory(config=self.config).root).policy_for(assignment)
        if policy is None:
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        return policy.penalty(score, total_seconds_late)


class CourseLatePenalties(AssignLatePenalties):
    """nbgrader's ``AssignLatePenalties`` after copying course.toml's due date and the student's extension into
    the gradebook, counting an LMS late flag without a time (see :func:`penalize`)."""

    plugin_class = Type(CoursePenalty, klass=BasePlugin,
                        help="The plugin class for assigning the late penalty for each notebook.").tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook
        from nbgrader.coursedir import CourseDirectory

        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.student_id = resources["nbgrader"]["student"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.init_plugin()
        course = load(CourseDirectory(config=self.config).root)
        with Gradebook(self.db_url) as gb:
            penalize(self, gb, course, self.assignment_id, self.student_id, [self.notebook_id])
        return nb, resources


def lms_flags(root: str, assignment: str) -> dict:
    """Student → the LMS's late flag, as collected (see :mod:`autograder.collect`)."""
    from autograder.collect import read_manifest

    return {s: bool(e.get("late")) for s, e in read_manifest(root, assignment).items()}


def sync(gb, course: Course, assignment: str, students) -> None:
    """Copy the assignment's due date and the students' extensions from course.toml into the gradebook
    (nothing when the file gives the assignment no due date)."""
    from nbgrader.api import MissingEntry

    rules = course.rules(assignment)
    if rules.due is None:
        return
    due = utc_naive(rules.due)
    record = gb.find_assignment(assignment)
    if record.duedate != due:
        record.duedate = due
    for student in students:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            continue
        until = rules.extensions.get(student)
        extension = utc_naive(until) - due if until else None
        if submission.extension != extension:
            submission.extension = extension
    gb.db.commit()


def late_seconds(submission, flagged: bool) -> float:
    """How late nbgrader counts the submission (timestamp against due date plus extension); an LMS late flag
    without a time, and without an extension to excuse it, is one second."""
    seconds = float(submission.total_seconds_late or 0)
    if seconds <= 0 and flagged and submission.extension is None:
        return 1.0
    return seconds


def penalize(pp: AssignLatePenalties, gb, course: Course, assignment: str, student: str, notebooks=None,
             flagged: bool | None = None) -> None:
    """Sync the gradebook (:func:`sync`), then set each notebook's ``late_submission_penalty`` from its
    current score with ``pp``'s plugin, clamped to [0, score] by nbgrader's ``_check_late_penalty``."""
    sync(gb, course, assignment, [student])
    submission = gb.find_submission(assignment, student)
    if flagged is None:
        flagged = lms_flags(course.root, assignment).get(student, False)
    seconds = late_seconds(submission, flagged)
    pp.assignment_id = assignment
    for notebook in submission.notebooks:
        if notebooks is not None and notebook.notebook.name not in notebooks:
            continue
        notebook.late_submission_penalty = None
        if seconds > 0:
            penalty = pp.plugin_inst.late_submission_penalty(student, notebook.score, seconds)
            if penalty is not None:
                notebook.late_submission_penalty = pp._check_late_penalty(notebook, penalty)
    gb.db.commit()


def recompute(nbapi, assignment: str | None = None, students=None) -> int:
    """Recompute every graded submission's penalty (of ``assignment``, of ``students``) from course.toml and
    the current scores; returns how many submissions."""
    from nbgrader.api import Gradebook

    course = load(nbapi.coursedir.root)
    pp = CourseLatePenalties(config=nbapi.config)
    pp.init_plugin()
    count = 0
    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        for record in gb.assignments:
            if assignment and record.name != assignment:
                continue
            flags = lms_flags(course.root, record.name)
            for submission in list(record.submissions):
                student = submission.student.id
                if students and student not in students:
                    continue
                penalize(pp, gb, course, record.name, student, flagged=flags.get(student, False))
                count += 1
    return count


def late_fields(root: str, assignment: str, student: str, submission) -> tuple[bool, float | None, float]:
    """(late, seconds late or ``None`` if the LMS gives no time, penalty) of a graded submission."""
    flagged = lms_flags(root, assignment).get(student, False)
    seconds = float(submission.total_seconds_late or 0)
    penalty = float(submission.late_submission_penalty or 0)
    if seconds > 0:
        return True, seconds, penalty
    if late_seconds(submission, flagged) > 0:
        return True, None, penalty
    return False, None, penalty
