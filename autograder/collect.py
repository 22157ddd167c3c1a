"""``collect``: an LMS download (or a folder) → ``submitted/<student>/<assignment>/``, with nbgrader's
``ZipCollectApp`` and two plugins of ours, configured in ``nbgrader_config.py`` (so plain ``nbgrader
zip_collect`` in the course dir does the same):

- :class:`SafeExtractor` (an ``ExtractorPlugin``) unpacks the zips member by member: a member that cannot be
  read (a bad CRC, encryption, an unknown compression, a path leaving the folder) is reported and skipped;
- :class:`LmsCollector` (a ``FileNameCollectorPlugin``) first reads every name in the download
  (:func:`plan`, formats in :mod:`autograder.lms`), keeps each student's newest copy of each notebook and
  tells nbgrader only about those, with the LMS's time as nbgrader's submission timestamp. So nbgrader never
  sees a duplicate it would fail on, and one bad file costs only itself.

What the LMS says beyond a time (its late flag, the student's name, the prefix its own file names use) is
kept per assignment in ``downloaded/<assignment>/collected.json`` (:func:`read_manifest`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import timezone

from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin
from traitlets import Unicode

from autograder import lms as formats

UNREADABLE, NOT_NOTEBOOK, SYSTEM, NO_ID = "unreadable", "not a notebook", "system file", "no student id in the name"


# ----------------------------------------------------------------------------------------------- unpacking
def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; a zip without the UTF-8 flag stored by a tool that wrote UTF-8 anyway is read as
    UTF-8, not as cp437 mojibake."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def unpack(archive: str, dest: str, failures: list, label: str = "") -> None:
    """Extract ``archive`` into ``dest`` member by member, keeping each member's time; what fails goes to
    ``failures`` as (``<label>/<member>``, reason), ``label`` being where the member would have gone."""
    label = label or os.path.basename(dest)
    try:
        handle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        failures.append((label, f"{UNREADABLE}: not a readable zip ({exc})"))
        return
    with handle:
        for info in handle.infolist():
            name = _member_name(info)
            if info.is_dir():
                continue
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
            if not parts or ".." in parts or name.startswith("/"):
                failures.append((f"{label}/{name}", f"{UNREADABLE}: unsafe path"))
                continue
            target = os.path.join(dest, *parts)
            n = 1
            while os.path.exists(target):  # a zip may hold one name twice: keep both
                n += 1
                target = os.path.join(f"{dest}~{n}", *parts)
            try:
                data = handle.read(info)
            except Exception as exc:  # noqa: BLE001 - CRC errors, encryption, unsupported compression, ...
                failures.append((f"{label}/{name}", f"{UNREADABLE}: {type(exc).__name__}: {exc}"))
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(data)
            try:
                stamp = time.mktime(info.date_time + (0, 0, -1))
                os.utime(target, (stamp, stamp))
            except (OverflowError, ValueError):
                pass


class SafeExtractor(ExtractorPlugin):
    """nbgrader's extractor, member by member: a bad member is reported (``failures``), not fatal."""

    def extract(self, archive_path: str, extracted_path: str) -> None:
        self.failures = getattr(self, "failures", [])
        for root, _, files in os.walk(archive_path):
            for file in sorted(files):
                source = os.path.join(root, file)
                rel = os.path.relpath(source, archive_path)
                if file.lower().endswith(".zip"):
                    stem = os.path.splitext(rel)[0]
                    unpack(source, os.path.join(extracted_path, stem), self.failures, stem.replace(os.sep, "/"))
                    continue
                target = os.path.join(extracted_path, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                try:
                    shutil.copy2(source, target)
                except OSError as exc:
                    self.failures.append((rel, f"{UNREADABLE}: {exc.strerror or exc}"))


# ------------------------------------------------------------------------------------------------ the plan
@dataclass
class Plan:
    """What a download holds: the copy kept per student and notebook (by absolute path), the copies it
    replaced (kept, older, why), and every other file with the reason it was skipped."""
    lms: str
    kept: dict = field(default_factory=dict)
    replaced: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    receipts: int = 0


def _why(kept: formats.Entry, older: formats.Entry, same: bool, mtimes: tuple) -> str:
    if same:
        return "an identical copy"
    if kept.order != older.order:
        return {"canvas": "a later upload (resubmission number, attachment id)"}.get(kept.lms, "a later attempt")
    if mtimes[0] != mtimes[1]:
        return "a newer file (the LMS gives no time to compare)"
    return "the same name and file time: the later path"


def plan(root: str, ctx: formats.Context, lms: str = "", roster: dict | None = None, failures=()) -> Plan:
    """Read every file under ``root`` (one folder per download: the zip's or folder's name) as ``lms``
    (detected when empty), keep each student's newest copy of each notebook (:class:`formats.Entry.order`,
    then the file's time), and give every other file its reason."""
    files = sorted(os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
                   for d, _, names in os.walk(root) for f in names)
    out = Plan(lms)
    out.skipped += list(failures) + [(f, SYSTEM) for f in files if formats.SYSTEM_FILE.search(f)]
    files = [f for f in files if not formats.SYSTEM_FILE.search(f)]

    def inner(path):  # the path inside its download
        return path.split("/", 1)[1] if "/" in path else path

    def read(path):
        try:
            with open(os.path.join(root, path), "rb") as handle:
                return handle.read()
        except OSError as exc:
            out.skipped.append((path, f"{UNREADABLE}: {exc.strerror or exc}"))
            return None

    receipts = {f: read(f) for f in files if f.endswith(".txt") and "_attempt_" in f}
    ctx.receipts = formats.blackboard_receipts({inner(f): d for f, d in receipts.items()})
    out.receipts = len(ctx.receipts)
    out.lms = lms or ("regexp" if ctx.regexp else formats.detect([inner(f) for f in files], ctx))
    parse = formats.PARSERS[out.lms]
    copies: dict = {}
    for path in files:
        if path in receipts and (receipts[path] is None or path.rsplit("/", 1)[-1][:-4] in ctx.receipts):
            continue  # a Blackboard receipt, read above (or reported unreadable)
        if not path.lower().endswith(".ipynb"):
            out.skipped.append((path, NOT_NOTEBOOK))
            continue
        entry = parse(inner(path), ctx)
        if entry is None:
            out.skipped.append((path, NO_ID if out.lms == "plain" else f"{NO_ID} ({out.lms}'s form)"))
            continue
        data = read(path)
        if data is None:
            continue
        entry.path = path
        person = (roster or {}).get(entry.student)
        if person:
            entry.name = person.name or entry.name
            entry.timestamp = entry.timestamp or person.timestamp
            entry.late = entry.late or person.late
        mtime = os.path.getmtime(os.path.join(root, path))
        copies.setdefault((entry.student, entry.notebook), []).append(
            (entry.order, mtime, path, entry, hashlib.sha256(data).digest()))
    for group in copies.values():
        group.sort(key=lambda c: c[:3])
        *older, kept = group
        out.kept[os.path.abspath(os.path.join(root, kept[2]))] = kept[3]
        for copy in older:
            out.replaced.append((kept[3], copy[3], _why(kept[3], copy[3], copy[4] == kept[4], (kept[1], copy[1]))))
    return out


class LmsCollector(FileNameCollectorPlugin):
    """nbgrader's collector plugin for LMS downloads (see the module docstring). ``named_regexp``, when set,
    is nbgrader's own file-name pattern instead of an LMS's naming."""

    lms = Unicode("", help="canvas, moodle, blackboard or plain; empty: detected from the file names").tag(config=True)
    roster = Unicode("", help="the LMS's CSV export of the class; empty: course.toml's roster").tag(config=True)

    plan = None

    def make_plan(self) -> Plan:
        from nbgrader.utils import find_all_notebooks

        from autograder import deadlines

        app = self.parent
        coursedir = app.coursedir
        assignment = coursedir.assignment_id
        course = deadlines.load(coursedir.root)
        released = coursedir.format_path(coursedir.release_directory, ".", assignment)
        notebooks = [os.path.splitext(n)[0] for n in find_all_notebooks(released)] or [assignment]
        ctx = formats.Context(notebooks, assignment, course.tz, regexp=self.named_regexp)
        roster_path = self.roster or course.roster_for(assignment)
        roster = formats.read_roster(roster_path, course.tz) if roster_path else None
        failures = getattr(app.extractor_plugin_inst, "failures", [])
        return plan(app._format_collect_path(app.extracted_directory), ctx, self.lms, roster, failures)

    def collect(self, submitted_file: str):
        if self.plan is None:
            self.plan = self.make_plan()
        entry = self.plan.kept.get(os.path.abspath(submitted_file))
        if entry is None:
            return None  # reported by the plan
        info = {"student_id": entry.student, "file_id": entry.notebook}
        if entry.timestamp is not None:
            info["timestamp"] = entry.timestamp.astimezone(timezone.utc)
        return info


# ------------------------------------------------------------------------------------------------ manifest
def manifest_path(root: str, assignment: str) -> str:
    return os.path.join(root, "downloaded", assignment, "collected.json")


def read_manifest(root: str, assignment: str) -> dict:
    """Student → what the LMS said about their collected submission: ``lms``, ``file``, ``name``,
    ``timestamp`` (ISO), ``late``, ``prefix``."""
    path = manifest_path(root, assignment)
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_manifest(root: str, assignment: str, entries: list) -> None:
    manifest = read_manifest(root, assignment)
    for entry in entries:
        record = asdict(entry)
        record["timestamp"] = entry.timestamp.isoformat() if entry.timestamp else None
        record.pop("order")
        manifest[entry.student] = record
    path = manifest_path(root, assignment)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(manifest.items())), handle, indent=1, ensure_ascii=False)


# ------------------------------------------------------------------------------------------------- collect
def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def collect(course_dir: str, path: str, assignment: str, nbapi, lms: str = "", roster: str = "",
            verbose: bool = False) -> dict:
    """Collect ``path`` (a zip or a folder) as submissions of ``assignment`` with nbgrader's ZipCollectApp;
    print what was collected, replaced and skipped, and why; never stops at a bad file."""
    from nbgrader.apps.api import temp_attrs
    from nbgrader.apps.zipcollectapp import ZipCollectApp
    from nbgrader.utils import capture_log

    downloaded = os.path.join(course_dir, "downloaded", assignment)
    for step in ("archive", "extracted"):
        shutil.rmtree(os.path.join(downloaded, step), ignore_errors=True)
    archive = os.path.join(downloaded, "archive")
    os.makedirs(archive)
    copy_failures = []
    if os.path.isdir(path):
        base = os.path.basename(os.path.abspath(path))
        for folder, _, files in os.walk(path):
            for file in files:
                rel = os.path.relpath(os.path.join(folder, file), path)
                os.makedirs(os.path.join(archive, base, os.path.dirname(rel)), exist_ok=True)
                try:
                    shutil.copy2(os.path.join(folder, file), os.path.join(archive, base, rel))
                except OSError as exc:
                    copy_failures.append((f"{base}/{rel}", f"{UNREADABLE}: {exc.strerror or exc}"))
    else:
        shutil.copy2(path, archive)
    with temp_attrs(nbapi.coursedir, assignment_id=assignment):
        app = ZipCollectApp(coursedir=nbapi.coursedir, parent=nbapi)
        handlers = [(h, h.level) for h in app.log.handlers]
        if not verbose:  # nbgrader logs every file; the summary below says what matters
            for handler, _ in handlers:
                handler.setLevel(100)
        try:
            result = capture_log(app)
        finally:
            for handler, level in handlers:
                handler.setLevel(level)
        plugin = app.collector_plugin_inst
        if isinstance(plugin, LmsCollector) and plugin.plan is None and app.extractor_plugin_inst is not None:
            plugin.plan = plugin.make_plan()  # nbgrader found no file at all: still say why
    log = (result.get("log") or "") + (result.get("error") or "")
    if not result["success"]:
        raise RuntimeError(f"nbgrader zip_collect failed:\n{log}")
    found = plugin.plan if isinstance(plugin, LmsCollector) else Plan("nbgrader")
    found.skipped = copy_failures + found.skipped
    kept = sorted(found.kept.values(), key=lambda e: (e.student, e.notebook))
    write_manifest(course_dir, assignment, kept)
    _name_students(nbapi, kept)
    return report(course_dir, assignment, found, kept)


def _name_students(nbapi, entries: list) -> None:
    """Names from the LMS into nbgrader's gradebook (formgrader shows them), where it has none yet."""
    from nbgrader.api import Gradebook, MissingEntry

    named = {e.student: e.name for e in entries if e.name}
    if not named:
        return
    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        for student, name in named.items():
            try:
                record = gb.find_student(student)
            except MissingEntry:
                gb.add_student(student, first_name=name)
                continue
            if not (record.first_name or record.last_name):
                gb.update_or_create_student(student, first_name=name)


def report(course_dir: str, assignment: str, found: Plan, kept: list) -> dict:
    submitted = os.path.join(course_dir, "submitted")
    students = sorted(s for s in os.listdir(submitted) if os.path.isdir(os.path.join(submitted, s, assignment))) \
        if os.path.isdir(submitted) else []
    released = os.path.join(course_dir, "release", assignment)
    notebooks = {f for f in os.listdir(released) if f.endswith(".ipynb")} if os.path.isdir(released) else set()
    renamed = [e for e in kept if e.notebook not in notebooks]
    unrecognized = [p for p, why in found.skipped if why.startswith(NO_ID)]
    reasons: dict = {}
    for _, why in found.skipped:
        reasons.setdefault(why.split(":")[0].split(" (")[0], 0)
        reasons[why.split(":")[0].split(" (")[0]] += 1
    print(f"{assignment}: collected {_plural(len(kept), 'file')}; {_plural(len(students), 'submission')} in "
          f"{submitted}; {len(unrecognized)} not recognised; {_plural(len(renamed), 'renamed notebook')}")
    print(f"  read as {found.lms}: {_plural(len({e.student for e in kept}), 'student')} collected, "
          f"{len(found.replaced)} older cop{'y' if len(found.replaced) == 1 else 'ies'} replaced, "
          f"{_plural(len(found.skipped), 'file')} skipped"
          + (f" ({', '.join(f'{n} {why}' for why, n in sorted(reasons.items()))})" if reasons else "")
          + (f"; {_plural(found.receipts, 'Blackboard receipt')} read" if found.receipts else ""))
    for entry, older, why in sorted(found.replaced, key=lambda r: (r[0].student, r[1].path)):
        print(f"  REPLACED {older.path} by {entry.path} ({entry.student}: {why})")
    for path, why in found.skipped:
        if why.startswith(NO_ID):
            print(f"  NOT COLLECTED ({why}; rename it <student>_<notebook>.ipynb and collect again): {path}")
        elif why != SYSTEM:
            print(f"  SKIPPED ({why}): {path}")
    for entry in renamed:
        print(f"  renamed notebook (graded as missing unless renamed back): {entry.student}: {entry.notebook}")
    late = [e for e in kept if e.late]
    if late:
        print(f"  late per the LMS: {', '.join(e.student for e in late)}")
    return {"assignment": assignment, "lms": found.lms, "students": students, "collected": kept,
            "unrecognized": unrecognized, "renamed": sorted(e.notebook for e in renamed),
            "replaced": found.replaced, "skipped": found.skipped}


# ------------------------------------------------------------------------------- which assignment, by name
def files_in(path: str) -> list[str]:
    """The files of a zip, or of a folder and the zips in it (as ``<zip's name>/<member>``)."""
    if not os.path.isdir(path):
        with zipfile.ZipFile(path) as archive:
            return sorted(_member_name(i) for i in archive.infolist() if not i.is_dir())
    out = []
    for root, _, files in os.walk(path):
        for file in files:
            rel = os.path.relpath(os.path.join(root, file), path).replace(os.sep, "/")
            out.append(rel)
            if file.lower().endswith(".zip") and zipfile.is_zipfile(os.path.join(root, file)):
                try:
                    out += [f"{rel[:-4]}/{m}" for m in files_in(os.path.join(root, file))]
                except (zipfile.BadZipFile, OSError):
                    pass
    return sorted(out)


def notebook_names(path: str, known: list[str], lms: str = "", regexp: str = "") -> dict:
    """Each notebook of a download → the notebook's own name as its LMS's naming gives it (``None``: no
    student id in its name), to tell which assignment it belongs to."""
    paths = [p for p in files_in(path) if p.lower().endswith(".ipynb") and not formats.SYSTEM_FILE.search(p)]
    ctx = formats.Context(known, regexp=regexp)
    fmt = lms or ("regexp" if regexp else formats.detect(paths, ctx))
    out = {}
    for p in paths:
        entry = formats.PARSERS[fmt](p, ctx)
        out[p] = entry.notebook if entry else None
    return out
