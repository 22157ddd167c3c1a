r"""What an LMS download says: which student submitted which notebook, when, and whether the LMS calls it late.

Each LMS names the files of its "download all submissions" zip its own way (read from their sources):

==============  ===========================================================================================
``canvas``      ``<sortable name>[_LATE]_<user id>_<attachment id>_<file>``, the name lower-cased with its
                non-word characters removed; anonymous grading: ``[LATE_]anon_<anonymous id>_<attachment
                id>_<file>``; a file uploaded again is stored as ``<file>-N`` (``search-1.ipynb``)
``moodle``      ``<Full Name>_<participant id>_assignsubmission_file_<file>``, or, downloaded "in folders",
                ``<Full Name>_<participant id>_assignsubmission_file[_]/<file>``; blind marking names every
                student ``Participant``
``blackboard``  ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>``, and per attempt a receipt
                ``<...>_attempt_<...>.txt`` ("Name: First Last (username)", "Original filename: ...")
``plain``       ``<student>_<notebook>.ipynb``, or nbgrader's own ``<student>/<assignment>/<notebook>.ipynb``
``regexp``      an nbgrader ``named_regexp`` with ``student_id`` and ``file_id`` (and ``timestamp``) groups
==============  ===========================================================================================

The student id is the LMS's stable id wherever the name carries one (Canvas's user id, Moodle's participant
id, Blackboard's username), never a name: two Bob Smiths stay two students. A roster (:func:`read_roster`,
the LMS's own CSV export) maps ids to names and e-mails, and Moodle's grading worksheet adds submission times
and late flags.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

FORMATS = ("canvas", "moodle", "blackboard", "plain")
SYSTEM_FILE = re.compile(r"(^|/)(__MACOSX/|\.ipynb_checkpoints/|\._)|(^|/)(\.DS_Store|Thumbs\.db|desktop\.ini)$")


@dataclass
class Entry:
    """One notebook of a download, read from its name. ``order`` sorts one student's copies of one notebook,
    the newest last; ``prefix`` is the LMS's own name for the student's files (feedback goes back under it)."""
    path: str                       # relative to the download, '/'-separated
    student: str
    notebook: str                   # its name in the assignment, e.g. search.ipynb
    lms: str
    name: str = ""
    timestamp: datetime | None = None
    late: bool = False
    order: tuple = ()
    prefix: str = ""


@dataclass
class Context:
    """What parsing a name needs: the released notebooks (``search``), the assignment, the course's time zone,
    and Blackboard's receipts (:func:`blackboard_receipts`)."""
    notebooks: list[str]
    assignment: str = ""
    tz: tzinfo | None = None
    receipts: dict = field(default_factory=dict)
    regexp: str = ""


def parse_time(text: str, tz: tzinfo | None) -> datetime | None:
    """An LMS time as an aware datetime: ``2026-01-02-09-30-00`` (Blackboard), ISO 8601, or what dateutil
    reads (Moodle's "Friday, 2 January 2026, 9:30 AM"); a time without a zone is in ``tz``. ``None`` if it
    is no time at all. (nbgrader's ``parse_utc`` reads ``2026-01-02-09-30-00`` as 09:30 *minus 30 hours*.)"""
    from datetime import timezone

    import dateutil.parser

    text = text.strip()
    when = None
    for fmt in ("%Y-%m-%d-%H-%M-%S", "%Y%m%d%H%M%S", "%Y%m%d-%H%M%S"):
        try:
            when = datetime.strptime(text, fmt)
            break
        except ValueError:
            pass
    if when is None:
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                when = dateutil.parser.parse(text)
            except (ValueError, OverflowError):
                return None
    return when if when.tzinfo else when.replace(tzinfo=tz or timezone.utc)


def _strip_resubmission(file: str, notebooks: list[str]) -> tuple[str, int]:
    """Canvas stores a file uploaded again as ``<stem>-N<ext>``: (the file's own name, N)."""
    m = re.fullmatch(r"(.+)-(\d+)(\.ipynb)", file)
    if m and m.group(1) in notebooks and file[:-len(".ipynb")] not in notebooks:
        return m.group(1) + m.group(3), int(m.group(2))
    return file, 0


CANVAS = re.compile(r"(?:(?P<name>\w*?)_)??(?:(?P<late>late)_)?(?P<id>anon_[0-9A-Za-z]+|\d+)_(?P<attachment>\d+)_"
                    r"(?P<file>.+)", re.IGNORECASE)


def canvas(path: str, ctx: Context) -> Entry | None:
    base = path.rsplit("/", 1)[-1]
    m = CANVAS.fullmatch(base)
    if not m or (m.group("id").lower().startswith("anon_") and not m.group("id").startswith("anon_")):
        return None
    file, resubmission = _strip_resubmission(m.group("file"), ctx.notebooks)
    return Entry(path, m.group("id"), file, "canvas", name=m.group("name") or "", late=bool(m.group("late")),
                 order=(resubmission, int(m.group("attachment"))), prefix=base[:m.start("file") - 1])


MOODLE = re.compile(r"(?P<name>[^/]*?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:_(?P<file>.*))?")


def moodle(path: str, ctx: Context) -> Entry | None:
    parts = path.split("/")
    for i, part in enumerate(parts):
        m = MOODLE.fullmatch(part)
        if not m:
            continue
        if i == len(parts) - 1:   # file form: the prefix and the file's name in one
            file = m.group("file") or ""
        elif m.group("file"):     # folder form: `..._file_/search.ipynb`, `..._file/search.ipynb`
            return None
        else:
            file = parts[-1]
        if m.group("plugin") != "file" or not file:
            return None
        name = m.group("name")
        return Entry(path, m.group("id"), file, "moodle", name="" if name == "Participant" else name,
                     prefix=f"{name}_{m.group('id')}_assignsubmission_file")
    return None


BLACKBOARD = re.compile(r"(?P<head>.+?)_attempt_(?P<ts>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?:_(?P<file>.+))?")


def blackboard_receipts(files: dict[str, bytes | None]) -> dict:
    """Blackboard's receipt per attempt (``<head>_attempt_<time>.txt``): ``{"<head>_attempt_<time>":
    {"name", "user", "files": {saved name: original name}}}``."""
    out = {}
    for path, data in files.items():
        base = path.rsplit("/", 1)[-1]
        m = BLACKBOARD.fullmatch(base[:-len(".txt")]) if base.endswith(".txt") else None
        if not m or m.group("file") or data is None:
            continue
        text = data.decode("utf-8", errors="replace")
        key = base[:-len(".txt")]
        who = re.search(r"^\s*Name:\s*(.*?)\s*\(([^()]+)\)\s*$", text, re.M)
        originals = re.findall(r"Original filename:\s*(.+?)\s*\n\s*Filename:\s*(.+?)\s*$", text, re.M)
        out[key] = {"name": who.group(1) if who else "", "user": who.group(2) if who else "",
                    "files": {saved: original for original, saved in originals}}
    return out


def blackboard(path: str, ctx: Context) -> Entry | None:
    base = path.rsplit("/", 1)[-1]
    m = BLACKBOARD.fullmatch(base)
    if not m or not m.group("file"):
        return None
    head, stamp = m.group("head"), m.group("ts")
    receipt = ctx.receipts.get(f"{head}_attempt_{stamp}", {})
    user = receipt.get("user", "")
    if not (user and head.endswith("_" + user)):
        titles = [ctx.assignment] + [k.split("_attempt_")[0][:-len(r["user"]) - 1] for k, r in ctx.receipts.items()
                                     if r["user"] and k.split("_attempt_")[0].endswith("_" + r["user"])]
        known = [t for t in titles if t and head.startswith(t + "_") and len(head) > len(t) + 1]
        user = head[len(max(known, key=len)) + 1:] if known else head.rsplit("_", 1)[-1]
    file = receipt.get("files", {}).get(base, m.group("file"))
    name = receipt.get("name") or next((r["name"] for r in ctx.receipts.values() if r["user"] == user), "")
    when = parse_time(stamp, ctx.tz)
    return Entry(path, user, file, "blackboard", name=name, timestamp=when, order=(when,) if when else (),
                 prefix=user)


def plain(path: str, ctx: Context) -> Entry | None:
    parts = path.split("/")
    if len(parts) >= 3 and parts[-2] == ctx.assignment and parts[-1].endswith(".ipynb"):  # nbgrader's layout
        return Entry(path, parts[-3], parts[-1], "plain", prefix=parts[-3])
    base = parts[-1]
    for notebook in sorted(ctx.notebooks, key=len, reverse=True):
        m = re.fullmatch(rf"(?P<student>.+)_(?P<file>{re.escape(notebook)}(?:[^A-Za-z0-9_][^/]*)?\.ipynb)", base)
        if m:
            break
    else:
        if any(re.fullmatch(rf"{re.escape(n)}(?:[^A-Za-z0-9_].*)?\.ipynb", base) for n in ctx.notebooks):
            return None  # a released notebook's own name: no student in it
        m = re.fullmatch(r"(?P<student>.+)_(?P<file>[^_]+\.ipynb)", base)
    if not m or m.group("student").startswith("."):
        return None
    return Entry(path, m.group("student"), m.group("file"), "plain", prefix=m.group("student"))


def regexp(path: str, ctx: Context) -> Entry | None:
    """nbgrader's ``FileNameCollectorPlugin.named_regexp``, matched from the start of the path."""
    m = re.match(ctx.regexp, path)
    if not m or not m.groupdict().get("student_id") or not m.groupdict().get("file_id"):
        return None
    groups = m.groupdict()
    when = parse_time(groups["timestamp"], ctx.tz) if groups.get("timestamp") else None
    name = " ".join(groups[k] for k in ("first_name", "last_name") if groups.get(k))
    file = os.path.basename(groups["file_id"])
    return Entry(path, groups["student_id"], file if file.endswith(".ipynb") else file + ".ipynb", "regexp",
                 name=name, timestamp=when, order=(when,) if when else (), prefix=groups["student_id"])


PARSERS = {"canvas": canvas, "moodle": moodle, "blackboard": blackboard, "plain": plain, "regexp": regexp}


def detect(paths: list[str], ctx: Context) -> str:
    """The format most of the notebooks' names are in (a tie goes to the more specific format); ``plain``
    when no LMS's naming fits any."""
    notebooks = [p for p in paths if p.endswith(".ipynb") and not SYSTEM_FILE.search(p)] or paths
    counts = {lms: sum(1 for p in notebooks if PARSERS[lms](p, ctx)) for lms in ("moodle", "blackboard", "canvas")}
    best = max(counts, key=counts.get)
    return best if counts[best] else "plain"


# ------------------------------------------------------------------------------------------------- rosters
@dataclass
class Person:
    """A student on the roster. Canvas's gradebook import wants ``sortable`` ("Smith, Bob"), the SIS ids and
    the section back as they were; Moodle's worksheet adds ``timestamp`` and ``late``."""
    id: str
    name: str = ""
    email: str = ""
    sortable: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    timestamp: datetime | None = None
    late: bool = False


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):   # Blackboard's "xls" download: UTF-16 with tabs
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_roster(path: str, tz: tzinfo | None = None) -> dict[str, Person]:
    """The students of an LMS's CSV export, by the id the LMS's downloads use:

    - Canvas's gradebook export ("Student", "ID", "SIS User ID", "SIS Login ID", "Section"): the user id;
    - Moodle's grading worksheet ("Identifier" = "Participant 12345", "Full name", "Email address", "Status",
      "Last modified (submission)"): the participant id, with the submission's time and late flag;
    - Blackboard's Grade Centre ("Last Name", "First Name", "Username", ...; UTF-16 and tabs as downloaded):
      the username;
    - any other CSV with a "student" (or "id", "username") column and "name", "email".
    """
    text = _decode(open(path, "rb").read())
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    keys = {(k or "").strip().lower(): k for k in reader.fieldnames or []}

    def get(row, *names):
        for name in names:
            if name in keys and (row.get(keys[name]) or "").strip():
                return row[keys[name]].strip()
        return ""

    canvas_export = "sis user id" in keys or "sis login id" in keys
    out = {}
    for row in reader:
        if canvas_export:
            if get(row, "student").strip().lower().endswith("points possible") or not get(row, "id"):
                continue
            sortable = get(row, "student")
            last, _, first = sortable.partition(", ")
            login = get(row, "sis login id")
            person = Person(get(row, "id"), f"{first} {last}".strip() if first else sortable,
                            login if "@" in login else "", sortable, get(row, "sis user id"), login,
                            get(row, "section"))
        elif "identifier" in keys:  # Moodle's grading worksheet
            ident = re.search(r"(\d+)\s*$", get(row, "identifier"))
            if not ident:
                continue
            modified = get(row, "last modified (submission)")
            person = Person(ident.group(1), get(row, "full name"), get(row, "email address"),
                            timestamp=parse_time(modified, tz) if modified not in ("", "-") else None,
                            late=bool(re.search(r"\blate\b", get(row, "status"), re.I)))
        else:
            student = get(row, "username", "student", "id", "student id", "login", "user")
            if not student:
                continue
            name = get(row, "name", "full name") or " ".join(
                x for x in (get(row, "first name"), get(row, "last name")) if x)
            person = Person(student, name, get(row, "email", "email address", "e-mail"))
        out[person.id] = person
    return out
