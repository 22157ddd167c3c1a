r"""Due dates, extensions and the late policy: one file the instructor edits, ``<course dir>/course.toml``.

.. code-block:: toml

    timezone = "Europe/Berlin"     # due dates, and LMS times without a zone, are in this zone (default UTC)
    roster = "roster.csv"          # the LMS's CSV export of the class (optional)

    [late]                         # every assignment's policy, unless its own table says otherwise
    penalty = "10%/day"            # "none", "zero", or "P%/day", "P%/hour"
    cap = "50%"                    # never more than this in all

    [assignments.search]
    due = 2026-01-15T23:59:00
    [assignments.search.extensions]
    12345 = 2026-01-17T23:59:00    # a student's own due date

A submission's penalty, with :math:`s` its score, :math:`t` how late it is, :math:`T` the period (a day or an
hour), :math:`p` the percentage per period and :math:`c` the cap:

.. math::

    \text{zero: } s \qquad\qquad \text{P\%/day: } s \cdot \min\!\left(c,\; p \left\lceil t / T \right\rceil\right) / 100

so each period *or part of one* costs :math:`p\%`. An LMS's late flag with no time (Canvas's ``LATE``)
counts as one second late, one period; an extension in this file excuses such a flag.

nbgrader applies it (:mod:`autograder.penalties`). The CLI's ``deadline``, ``extend`` and ``late-policy``
edit this file with tomlkit, changing only what they set.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo

COURSE_FILE = "course.toml"
TEMPLATE = """\
# Deadlines and late policy of this course. Edit it freely: `python -m autograder deadline`, `extend` and
# `late-policy` change only what they set and keep your comments. Times are in `timezone`.
#
# timezone = "Europe/Berlin"   # default UTC
# roster = "roster.csv"        # the LMS's CSV export of the class: ids to names and e-mails
#
# [late]                       # every assignment's policy ([assignments.X] may have its own)
# penalty = "10%/day"          # "none", "zero", "P%/day" or "P%/hour": each day (hour) or part of one costs P%
# cap = "50%"                  # never more than this in all
#
# [assignments.search]
# due = 2026-01-15T23:59:00
# [assignments.search.extensions]
# 12345 = 2026-01-17T23:59:00  # student id = their own due date
"""
PERIOD = {"day": 86400.0, "hour": 3600.0}


class CourseFileError(ValueError):
    """course.toml says something that cannot be right (one clear line)."""


@dataclass(frozen=True)
class Policy:
    kind: str = "none"          # none | zero | percent
    percent: float = 0.0        # per period
    per: str = "day"
    cap: float = 100.0

    @classmethod
    def parse(cls, penalty: str, cap=None) -> Policy:
        """``"none"``, ``"zero"``, ``"10%/day"``, ``"2.5%/hour"``; ``cap`` as ``"50%"`` or ``50``."""
        text = str(penalty).strip().lower().replace(" ", "")
        if text in ("none", "zero"):
            return cls(text)
        m = re.fullmatch(r"(\d+(?:\.\d+)?)%(?:/|per)(day|hour)", text)
        if not m:
            raise CourseFileError(f"late penalty {penalty!r}: say \"none\", \"zero\", or like \"10%/day\", \"2%/hour\"")
        capped = 100.0 if cap in (None, "") else float(str(cap).strip().rstrip("%"))
        if not 0 <= capped <= 100:
            raise CourseFileError(f"late penalty cap {cap!r}: a percentage from 0 to 100")
        return cls("percent", float(m.group(1)), m.group(2), capped)

    def __str__(self) -> str:
        if self.kind != "percent":
            return self.kind
        return f"{self.percent:g}%/{self.per}" + (f", at most {self.cap:g}%" if self.cap < 100 else "")

    def penalty(self, score: float, late_seconds: float) -> float:
        """The points a score loses for being ``late_seconds`` late (see the module's formula)."""
        if late_seconds <= 0 or self.kind == "none":
            return 0.0
        if self.kind == "zero":
            return float(score)
        periods = math.ceil(late_seconds / PERIOD[self.per])
        return float(score) * min(self.cap, self.percent * periods) / 100.0


@dataclass
class Rules:
    """One assignment's entries in course.toml."""
    due: datetime | None = None
    policy: Policy | None = None
    extensions: dict = field(default_factory=dict)
    roster: str = ""
    lms_column: str = ""


@dataclass
class Course:
    root: str
    tz: tzinfo = timezone.utc
    policy: Policy | None = None
    roster: str = ""
    assignments: dict = field(default_factory=dict)

    def rules(self, assignment: str) -> Rules:
        return self.assignments.get(assignment) or Rules()

    def due_for(self, assignment: str, student: str) -> datetime | None:
        rules = self.rules(assignment)
        return rules.extensions.get(student, rules.due) if rules.due else None

    def policy_for(self, assignment: str) -> Policy | None:
        """The assignment's own policy, else the course's; ``None`` when the file states none."""
        return self.rules(assignment).policy or self.policy

    def roster_for(self, assignment: str) -> str:
        path = self.rules(assignment).roster or self.roster
        return os.path.join(self.root, path) if path else ""


def _when(value, tz: tzinfo, where: str) -> datetime:
    if isinstance(value, str):
        value = parse_when(value, tz, where)
    elif isinstance(value, date) and not isinstance(value, datetime):
        raise CourseFileError(f"{where} = {value}: give a time too, e.g. {value}T23:59:00")
    if not isinstance(value, datetime):
        raise CourseFileError(f"{where} = {value!r}: not a date and time")
    return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)


def parse_when(text: str, tz: tzinfo, where: str = "time") -> datetime:
    """``2026-01-15 23:59``, ``2026-01-15T23:59:00``, with or without an offset, in ``tz`` unless it has one."""
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise CourseFileError(f"{where} {text!r}: write it like 2026-01-15 23:59") from None
    if len(str(text).strip()) <= 10:
        raise CourseFileError(f"{where} {text!r}: give a time too, e.g. {str(text).strip()} 23:59")
    return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)


def _policy(table: dict, where: str) -> Policy | None:
    if "penalty" not in table:
        if "cap" in table:
            raise CourseFileError(f"{where}: a cap without a penalty")
        return None
    try:
        return Policy.parse(table["penalty"], table.get("cap"))
    except CourseFileError as exc:
        raise CourseFileError(f"{where}: {exc}") from None


def _check_keys(table: dict, allowed: set, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CourseFileError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")


def parse(text: str, root: str, path: str = COURSE_FILE) -> Course:
    import tomllib
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CourseFileError(f"{path}: {exc}") from None
    _check_keys(data, {"timezone", "roster", "late", "assignments"}, path)
    try:
        tz = ZoneInfo(data.get("timezone", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseFileError(f"{path}: timezone {data['timezone']!r} is no IANA zone (e.g. Europe/Berlin)") from None
    late = data.get("late", {})
    _check_keys(late, {"penalty", "cap"}, f"{path} [late]")
    course = Course(root, tz, _policy(late, f"{path} [late]"), str(data.get("roster", "")))
    for name, table in data.get("assignments", {}).items():
        where = f"{path} [assignments.{name}]"
        _check_keys(table, {"due", "penalty", "cap", "extensions", "roster", "lms_column"}, where)
        rules = Rules(_when(table["due"], tz, f"{where} due") if "due" in table else None, _policy(table, where),
                      roster=str(table.get("roster", "")), lms_column=str(table.get("lms_column", "")))
        for student, until in table.get("extensions", {}).items():
            rules.extensions[str(student)] = _when(until, tz, f"{where} extension of {student}")
        if rules.extensions and rules.due is None:
            raise CourseFileError(f"{where}: extensions without a due date")
        course.assignments[name] = rules
    return course


def load(root: str) -> Course:
    """The course file of the course dir ``root`` (none: no deadlines, no policy)."""
    path = os.path.join(root, COURSE_FILE)
    if not os.path.exists(path):
        return Course(root)
    with open(path, encoding="utf-8") as handle:
        return parse(handle.read(), root, path)


def edit(root: str, change) -> Course:
    """Apply ``change(document)`` to course.toml with tomlkit, which keeps everything else as written
    (comments included); the result must still be a valid course file."""
    import tomlkit

    path = os.path.join(root, COURSE_FILE)
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else TEMPLATE
    doc = tomlkit.parse(text)
    change(doc)
    text = tomlkit.dumps(doc)
    course = parse(text, root, path)
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(path + ".tmp", path)
    return course


def _assignment_table(doc, assignment: str):
    import tomlkit

    if "assignments" not in doc:
        doc.add("assignments", tomlkit.table(is_super_table=True))
    if assignment not in doc["assignments"]:
        doc["assignments"].add(assignment, tomlkit.table())
    return doc["assignments"][assignment]


def _local(when: datetime, tz: tzinfo) -> datetime:
    return when.astimezone(tz).replace(tzinfo=None)


def set_due(root: str, assignment: str, when: datetime | None) -> Course:
    tz = load(root).tz

    def change(doc):
        table = _assignment_table(doc, assignment)
        if when is None:
            if table.get("extensions"):
                raise CourseFileError(f"{assignment} has extensions: remove them first (extend ... --none)")
            table.pop("due", None)
        else:
            table["due"] = _local(when, tz)
    return edit(root, change)


def set_extension(root: str, assignment: str, student: str, until: datetime | None) -> Course:
    import tomlkit

    course = load(root)
    due = course.rules(assignment).due
    if due is None:
        raise CourseFileError(f"{assignment} has no due date: set one first (deadline {assignment} WHEN)")
    if until is not None and until < due:
        raise CourseFileError(f"{until:%Y-%m-%d %H:%M} is before {assignment}'s due date {due:%Y-%m-%d %H:%M}")

    def change(doc):
        table = _assignment_table(doc, assignment)
        if until is None:
            table.get("extensions", {}).pop(student, None)
            return
        if "extensions" not in table:
            table.add("extensions", tomlkit.table())
        table["extensions"][student] = _local(until, course.tz)
    return edit(root, change)


def set_policy(root: str, assignment: str | None, penalty: str, cap=None) -> Course:
    policy = Policy.parse(penalty, cap)

    def change(doc):
        import tomlkit

        if assignment:
            table = _assignment_table(doc, assignment)
        else:
            if "late" not in doc:
                doc.add("late", tomlkit.table())
            table = doc["late"]
        table["penalty"] = str(policy).split(",")[0]
        if policy.kind == "percent" and policy.cap < 100:
            table["cap"] = f"{policy.cap:g}%"
        else:
            table.pop("cap", None)
    return edit(root, change)


def utc_naive(when: datetime) -> datetime:
    """nbgrader's convention: naive datetimes in UTC."""
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def format_late(seconds: float | None) -> str:
    """``1d 2h 30m`` (``None``: the LMS says late, not by how much)."""
    if seconds is None:
        return "late (time unknown)"
    minutes = math.ceil(seconds / 60)
    d, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    return " ".join(f"{v}{u}" for v, u in ((d, "d"), (h, "h"), (m, "m")) if v) or "0m"


def describe(course: Course, assignments: list[str]) -> str:
    """The course's deadlines and policies, one line per assignment."""
    lines = [f"times in {course.tz}; late policy: {course.policy or 'none (nbgrader: LateSubmissionPlugin)'}"]
    for name in assignments:
        rules = course.rules(name)
        due = f"due {rules.due:%Y-%m-%d %H:%M}" if rules.due else "no due date"
        own = f"; policy {rules.policy}" if rules.policy else ""
        ext = "".join(f"\n    {s}: until {u:%Y-%m-%d %H:%M}" for s, u in sorted(rules.extensions.items()))
        lines.append(f"  {name}: {due}{own}{ext}")
    return "\n".join(lines)
