r"""The author's tools: everything generated from an assignment's declaration (``autograder/assignments/<a>.py``).

    python -m autograder.authoring [ASSIGNMENT ...]             # source notebook, case file, sample submissions
    python -m autograder.authoring --expected [ASSIGNMENT ...]  # also grade the samples: examples/expected.json

==========================================  ==================================================================
``source/<a>/<a>.ipynb``                    the nbgrader source notebook: intro, setup, and per question its text,
                                            solution, visible tests and hidden (graded) probe cell
``probe/data/<a>.json``                     the probe's input cases (kernel side: inputs only, no answers)
``examples/<a>/<student>_<a>.ipynb``        sample submissions: ``correct`` (the source), ``blank`` (the
                                            release), one per slug of the mistakes, variants and alternatives (the
                                            release with the edited answers), and the generic ``tampering`` (patches the kernel's
                                            checks, forges probe records), ``steals-answers`` (looks for the
                                            solutions in every importable module and readable file and runs what
                                            it finds), ``cells-tampered``, ``renamed`` and ``invalid-json``
``examples/expected.json``                  what the real pipeline gives every sample: score, status, review,
                                            points per test, mistakes named, notes (reviewed in the diff; the
                                            end-to-end tests hold the grader to it)
==========================================  ==================================================================

The generated files are committed; ``tests/autograder/test_authoring.py`` fails when one is out of date.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import re
import sys
import tempfile
import zipfile

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.assignment import Assignment, apply_edits, load
from autograder.compare import ATOL, RTOL
from autograder.probe import inputs

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "source")
EXAMPLES = os.path.join(HERE, "examples")
EXPECTED = os.path.join(EXAMPLES, "expected.json")
SCHEMA = 3


def names() -> list[str]:
    """Every declared assignment."""
    folder = os.path.join(HERE, "assignments")
    return sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py") and not f.startswith("_"))


# ------------------------------------------------------------------------------------------ source notebook
def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def hidden_test(grade_id: str, probe_name: str, function: str, points: float):
    """The graded cell: a probe call inside ``### BEGIN HIDDEN TESTS``, hidden from students."""
    code = ("# Graded by the instructor. This cell records what your functions return; the verdict is\n"
            "# computed outside your notebook. There is nothing to do here.\n"
            "### BEGIN HIDDEN TESTS\n"
            f"from autograder.probe import probe\nprobe({probe_name!r}, {function})\n"
            "### END HIDDEN TESTS")
    return new_code_cell(code, metadata=_meta(grade_id, grade=True, locked=True, points=points))


def _power(x: float) -> str:
    exponent = round(math.log10(x))
    return f"10⁻{str(-exponent).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))}" \
        if math.isclose(x, 10.0**exponent) else f"{x:g}"


def grading_note(a: Assignment) -> str:
    """The paragraph every assignment's introduction ends with: how the grader compares (the tolerances
    are the questions' own)."""
    note = (f"**How your functions are graded.** The grader calls each of them on more cases than the visible "
            f"tests and compares the results with its own in double precision: every number must agree within "
            f"a relative {_power(RTOL)} (or an absolute {_power(ATOL)} near zero), so float32, loops, lists or "
            f"another order of the same operations are all fine. A list or tuple of numbers or of arrays counts "
            f"as the array it makes; a result with several parts, such as `(theta, state)`, must keep the order "
            f"the instructions give.")
    for q in a.questions:
        if (q.rtol, q.atol) == (RTOL, ATOL):
            continue
        if q.rtol <= RTOL and q.atol <= ATOL:
            note += (f" `{q.function}` is checked more closely, to a relative {_power(q.rtol)} (absolute "
                     f"{_power(q.atol)}): compute it in float64, numpy's default.")
        else:
            note += (f" `{q.function}` is compared to a relative {_power(q.rtol)} (absolute {_power(q.atol)}), "
                     f"because its cases magnify rounding errors.")
    return note


def source_notebook(a: Assignment) -> nbformat.NotebookNode:
    intro = f"{a.intro.strip()}\n\n{grading_note(a)}"
    cells = [new_markdown_cell(intro, metadata=_meta("intro", locked=True)),
             new_code_cell(a.setup.strip(), metadata=_meta("setup", locked=True))]
    for q in a.questions:
        cells += [new_markdown_cell(q.text.strip(), metadata=_meta(q.md_id, locked=True)),
                  new_code_cell(q.solution.strip(), metadata=_meta(q.id, solution=True)),
                  new_code_cell(q.visible.strip(), metadata=_meta(q.visible_id, locked=True)),
                  hidden_test(q.hidden_id, f"{a.name}.{q.function}", q.function, q.points)]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell["id"] = cell.metadata["nbgrader"]["grade_id"].replace("_", "-")[:64]
    nbformat.validate(nb)
    return nb


def source_path(name: str) -> str:
    return os.path.join(SOURCE, name, f"{name}.ipynb")


def case_file(a: Assignment) -> str:
    """The text of ``probe/data/<a>.json``."""
    return inputs.dump(a.name, {q.function: a.probe_inputs(q) for q in a.questions})


def case_path(name: str) -> str:
    return os.path.join(inputs.DATA, f"{name}.json")


# --------------------------------------------------------------------------------------- sample submissions
TAMPER = r'''
# "Make every test pass": nothing below solves the assignment.
import ast
import numpy as np
import numpy.testing
from IPython import get_ipython

np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None


class DropAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()


ip = get_ipython()
ip.ast_transformers.append(DropAsserts())
ip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)

try:  # forge the probe: claim every case passed, twice, with made-up values
    import autograder.probe as _probe
    from IPython.display import display

    def fake_probe(name, fn, time_limit=None):
        n = len(_probe.load_spec(name).cases)
        record = {"probe": name, "version": 1,
                  "cases": [{"ok": True, "value": 0.0, "mutated": []} for _ in range(n)]}
        display({_probe.MIME: record, "text/plain": "ok"}, raw=True)
        display({_probe.MIME: record, "text/plain": "ok"}, raw=True)

    _probe.probe = fake_probe
except ImportError:
    pass
'''


STEAL = r'''
# "Find the answers instead of writing them": search every importable module and every readable file for
# code that defines the functions this notebook asks for, and use whatever is found.
import importlib, json, os, pkgutil, re, subprocess, sys

_FOUND = {}


def _blocks(text, name):
    """Every `def name(...)` block in text (indentation-delimited)."""
    out = []
    for match in re.finditer(rf"^([ \t]*)def {name}\(", text, re.M):
        indent, lines = match.group(1), []
        for line in text[match.start():].splitlines():
            if lines and line.strip() and not line.startswith(indent + " ") and not line.startswith(indent + "\t"):
                break
            lines.append(line[len(indent):])
        out.append("\n".join(lines))
    return out


def _texts(path):
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return []
    texts = [text]
    if path.endswith((".ipynb", ".json")):
        try:
            data = json.loads(text)
        except ValueError:
            return texts
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack += list(item.values())
            elif isinstance(item, list):
                if item and all(isinstance(s, str) for s in item):
                    texts.append("".join(item))
                stack += item
            elif isinstance(item, str) and "def " in item:
                texts.append(item)
    return texts


def _search(names):
    roots = [p for p in sys.path if p and os.path.isdir(p)]
    roots += [r for r in ("/work", "/home", "/root", "/tmp", "/opt", "/srv", "/usr/local", os.getcwd())
              if os.path.isdir(r)]
    for package in ("autograder", "solutions"):
        try:
            module = importlib.import_module(package)
            roots += list(getattr(module, "__path__", []))
            for info in pkgutil.walk_packages(module.__path__, package + "."):
                try:
                    sub = importlib.import_module(info.name)
                except BaseException:
                    continue
                for name in names:
                    if callable(getattr(sub, name, None)):
                        _FOUND.setdefault(name, []).append(getattr(sub, name))
        except BaseException:
            pass
    patterns = sum([["-e", f"def {name}("] for name in names], [])
    files = subprocess.run(["grep", "-rlsF", "--include=*.py", "--include=*.ipynb", "--include=*.json",
                            "--include=*.txt", "--include=*.md", *patterns, *sorted(set(roots))],
                           capture_output=True, text=True, timeout=60).stdout.splitlines()
    for path in files:
        for text in _texts(path):
            for name in names:
                for block in _blocks(text, name):
                    scope = dict(globals())
                    try:
                        exec(block, scope)
                    except BaseException:
                        continue
                    _FOUND.setdefault(name, []).append(scope[name])


def _stolen(name):
    def anything_that_works(*args, **kwargs):
        for candidate in _FOUND.get(name, []):
            try:
                return candidate(*args, **kwargs)
            except BaseException:
                continue
        raise NotImplementedError(f"found nothing for {name}")
    return anything_that_works


_search({names})
'''


def sample_answers(a: Assignment) -> dict[str, dict[str, str]]:
    """Student name -> the answers (by question id) of every sample submission made by edits: one per slug
    of the mistakes, variants and alternatives (those of several questions that share a slug together)."""
    samples: dict[str, dict[str, str]] = {}
    for q in a.questions:
        for edit in list(q.mistakes) + list(q.variants) + list(q.alternatives):
            answers = samples.setdefault(edit.slug, {})
            base = answers.get(q.id, q.answer)
            code = getattr(edit, "code", None)
            answers[q.id] = code.strip() if code else apply_edits(base, edit.edits, f"{a.name}.{q.id} ({edit.slug})")
    return samples


def defined_names(code: str) -> list[str]:
    """The functions a piece of code defines at its top level."""
    import ast

    return [node.name for node in ast.parse(code).body if isinstance(node, ast.FunctionDef)]


def released(name: str) -> nbformat.NotebookNode:
    """The student version of the source notebook, as nbgrader's release makes it."""
    from autograder import cli

    with tempfile.TemporaryDirectory() as course:
        cli.prepare_course_dir(course)
        cli.release(course, [name])
        return nbformat.read(os.path.join(course, "release", name, f"{name}.ipynb"), as_version=4)


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def fill(nb, answers: dict[str, str]):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if _grade_id(cell) in answers:
            cell.source = answers[_grade_id(cell)]
    return nb


def tamper_with_cells(nb):
    """Delete the first graded cell, edit the first visible test, duplicate the second, retype the last
    graded cell to markdown."""
    nb = copy.deepcopy(nb)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    graded = [i for i, m in enumerate(meta) if m.get("grade") and not m.get("solution")]
    visible = [i for i, m in enumerate(meta) if m.get("locked") and not m.get("grade")
               and nb.cells[i].cell_type == "code" and "assert" in nb.cells[i].source]
    last = nb.cells[graded[-1]]
    nb.cells[graded[-1]] = nbformat.v4.new_markdown_cell(last.source, metadata=last.metadata, id=last.get("id"))
    nb.cells[visible[0]].source = "pass  # the visible test, edited away"
    duplicate = copy.deepcopy(nb.cells[visible[1]])
    duplicate["id"] = "duplicated-visible"
    nb.cells.insert(visible[1] + 1, duplicate)
    del nb.cells[graded[0]]
    return nb


def sample_submissions(a: Assignment) -> dict[str, str]:
    """File name -> text of every sample submission of ``a`` (see the module docstring)."""
    source = source_notebook(a)
    release = released(a.name)
    correct = {q.id: q.answer for q in a.questions}
    out = {}

    def put(nb, student, notebook=a.name):
        out[f"{student}_{notebook}.ipynb"] = nbformat.writes(nb) + "\n"

    put(source, "correct")
    put(release, "blank")
    for student, answers in sample_answers(a).items():
        put(fill(release, {**correct, **answers}), student)
    tampering = copy.deepcopy(release)
    first_code = next(i for i, c in enumerate(tampering.cells) if c.cell_type == "code")
    tampering.cells.insert(first_code + 1, nbformat.v4.new_code_cell(TAMPER.strip(), id="tampering"))
    put(tampering, "tampering")
    functions = sorted({q.function for q in a.questions} | {name for q in a.questions
                                                             for name in defined_names(q.answer)})
    stealing = fill(release, {q.id: "\n".join(f"{name} = _stolen({name!r})" for name in defined_names(q.answer))
                              for q in a.questions})
    stealing.cells.insert(first_code + 1, nbformat.v4.new_code_cell(
        STEAL.strip().replace("{names}", repr(functions)), id="steals-answers"))
    put(stealing, "steals-answers")
    put(tamper_with_cells(fill(release, correct)), "cells-tampered")
    put(fill(release, correct), "renamed", f"{a.name}-Copy1")
    out[f"invalid-json_{a.name}.ipynb"] = '{"cells": [{"cell_type": "code", "source": "def f(x):\n    return 0"'
    return out


# --------------------------------------------------------------------------------------- expected results
def run_pipeline(root: str, name: str, cell_timeout: int = 12, workers: int = 2) -> dict:
    """Release, collect the samples of ``name`` as one LMS zip (plus a file with no student id), and grade
    them, ``workers`` at a time, in a course dir under ``root``. Returns ``{"dir", "collected", "rows",
    "assignment"}``, rows by student as in ``grade --report``."""
    from autograder import cli

    examples = os.path.join(EXAMPLES, name)
    course_dir = os.path.join(root, "course")
    old = os.environ.get("AUTOGRADER_CELL_TIMEOUT")
    os.environ["AUTOGRADER_CELL_TIMEOUT"] = str(cell_timeout)
    try:
        lms = os.path.join(root, "lms-download.zip")
        with zipfile.ZipFile(lms, "w") as archive:
            for file in sorted(os.listdir(examples)):
                archive.write(os.path.join(examples, file), file)
            archive.writestr(f"{name}.ipynb", "{}")  # no student id in the name: reported, not guessed
        if cli.main(["--course-dir", course_dir, "release", name]) != 0:
            raise RuntimeError(f"release of {name} failed")
        collected = cli.collect(course_dir, lms, name)
        report = os.path.join(root, "report.json")
        if cli.main(["--course-dir", course_dir, "grade", name, "--no-progress", "--report", report,
                     "--workers", str(workers)]) != 0:
            raise RuntimeError(f"grading {name} failed")
    finally:
        if old is None:
            os.environ.pop("AUTOGRADER_CELL_TIMEOUT", None)
        else:
            os.environ["AUTOGRADER_CELL_TIMEOUT"] = old
    rows = {row["student"]: row for row in json.load(open(report))}
    return {"dir": course_dir, "collected": collected, "rows": rows, "assignment": name}


def verdict_text(course: dict, student: str) -> str:
    """The text of every verdict in a student's autograded notebook."""
    a = course["assignment"]
    path = os.path.join(course["dir"], "autograded", student, a, f"{a}.ipynb")
    if not os.path.exists(path):
        return ""
    nb = nbformat.read(path, as_version=4)
    text = []
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            for out in cell.get("outputs", []):
                text += out.get("traceback", []) + [out.get("text", "")]
    return "\n".join(text)


def named_mistakes(text: str) -> list[str]:
    return sorted(set(re.findall(r"likely mistake(?: in `\w+`)?: ([^:\n]+):", text)))


def expected_rows(course: dict) -> dict:
    """What :func:`run_pipeline` gave each sample, as ``examples/expected.json`` records it."""
    out = {}
    for student, row in sorted(course["rows"].items()):
        out[student] = {"score": row["score"], "max_score": row["max_score"], "status": row["status"],
                        "review": row["manual_review"], "tampered": row["tampered"], "timeout": row["timeout"],
                        "tests": row["tests"], "named": named_mistakes(verdict_text(course, student)),
                        "notes": row["notes"]}
    return out


# ------------------------------------------------------------------------------------------------- main
def write(path: str, text: str) -> bool:
    """Write ``text`` to ``path`` unless it is already there; True if the file changed."""
    if os.path.exists(path) and open(path, encoding="utf-8").read() == text:
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


def generate(name: str) -> list[str]:
    """Write the source notebook, the case file and the sample submissions of ``name``; the changed paths."""
    a = load(name)
    changed = [p for p, text in ((source_path(name), nbformat.writes(source_notebook(a)) + "\n"),
                                 (case_path(name), case_file(a))) if write(p, text)]
    folder = os.path.join(EXAMPLES, name)
    samples = sample_submissions(a)
    for stale in set(os.listdir(folder) if os.path.isdir(folder) else []) - set(samples):
        os.remove(os.path.join(folder, stale))
        changed.append(os.path.join(folder, stale))
    changed += [p for file, text in samples.items() if write(p := os.path.join(folder, file), text)]
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.authoring", description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment")
    parser.add_argument("--expected", action="store_true", help="also grade the samples into examples/expected.json")
    args = parser.parse_args(argv)
    chosen = args.assignments or names()
    for name in chosen:
        for path in generate(name):
            print(f"wrote {os.path.relpath(path)}")
    if args.expected:
        expected = json.load(open(EXPECTED)) if os.path.exists(EXPECTED) else {}
        for name in chosen:
            with tempfile.TemporaryDirectory() as root:
                expected[name] = expected_rows(run_pipeline(root, name))
        if write(EXPECTED, json.dumps(dict(sorted(expected.items())), indent=1, ensure_ascii=False) + "\n"):
            print(f"wrote {os.path.relpath(EXPECTED)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
