r"""Trusted verdicts: the nbgrader autograde preprocessor that decides every graded test cell.

It runs in the grader's process, right after nbgrader's ``Execute`` (see ``nbgrader_config.py``), and for
each graded code cell (``grade: true``, not a manually graded answer):

1. takes the probe records (:data:`autograder.probe.MIME`) that the kernel displayed and throws away
   everything else the kernel printed;
2. recomputes the reference outputs for the same cases (:mod:`autograder.probe.inputs`) from :mod:`solutions`
   (the grader's process is the only one that can import it);
3. compares them (:mod:`autograder.compare`) and names the mistake when the student's output is exactly what
   one of the question's known mistakes gives (:mod:`autograder.diagnostics`);
4. writes the verdict as the cell's only output, which nbgrader's own ``SaveAutoGrades`` then scores:
   a pass is no output (full points); a fail is an ``error`` output (0 points) saying which case, expected
   vs got and the likely mistake; partial credit (when the probe allows it and some but not all cases
   pass) is a stdout explanation plus an ``execute_result`` whose ``text/plain`` is the score, which
   is how nbgrader 0.9 reads partial credit (``nbgrader.utils.determine_grade``).

Why no notebook can forge a score: the points are decided only here, from values the student's function
returned, compared with references the kernel never sees. Decisions made inside the kernel (asserts,
``numpy.allclose``, printed tracebacks, custom exception handlers, AST transformers) never reach the
score, because the kernel's output for a graded cell is discarded.

**Decision: only hidden probe cells carry points.** The visible tests (literal asserts for the student)
are locked cells that are *not* graded: their outcome is decided inside the kernel and so could be forged.
Every graded cell is a question of the assignment's declaration (``autograder/assignments/<assignment>.py``);
a graded cell that is not gets a zero with an error saying so (fail closed).

The kernel-side facts a verdict takes on trust can only cost points, never win them: a case recorded as
raised, timed out or skipped fails. The one exception is the probe's *mutated input* flag: a notebook that
tampers with the probe can hide that its function changed an input in place (and so keep those points), but
it can never make a wrong value pass, because values are compared here.

A probe record that is missing (the cell raised before the probe ran, the function is undefined, the cell
timed out) is a fail that carries the cell's own error. Two records for one probe in one cell mean that
someone else displayed probe data: a fail, reported as tampering (:mod:`autograder.status`).
"""

from __future__ import annotations

import functools
import json

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import assignment as declared
from autograder import status
from autograder.compare import Mismatch, compare, describe
from autograder.diagnostics import ERROR, MUTATED_INPUT, NO_RESULT, diagnose, outcome
from autograder.probe import MAX_VALUE_BYTES, MIME
from autograder.sandbox import fmt_bytes
from autograder.probe.inputs import ProbeInputs, load

ENAME = "AutograderVerdict"
MAX_CASES_SHOWN = 3


@functools.lru_cache(maxsize=None)
def reference(assignment: str, function: str) -> tuple[ProbeInputs, tuple]:
    """The cases of probe ``<assignment>.<function>`` and the reference's outputs on them (as JSON data).
    Cached: the cases are deterministic, so a batch computes each reference once."""
    question = next(q for q in declared.load(assignment).questions if q.function == function)
    inputs = load(f"{assignment}.{function}")
    ref = question.resolve_reference()
    return inputs, tuple(outcome(ref, case, question.raises) for case in inputs.cases)


def _records(outputs, name):
    found = []
    for output in outputs:
        data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
        record = data.get(MIME)
        if isinstance(record, str):
            try:
                record = json.loads(record)
            except ValueError:
                record = None
        if isinstance(record, dict) and record.get("probe") == name:
            found.append(record)
    return found


def _cell_error(outputs) -> str:
    for output in outputs:
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return ""


def _student_value(record, raises: str | None):
    """A case record as comparable data: the value (``None`` too: a function that returned nothing),
    ``{"raised": raises}`` for the expected error, else :data:`ERROR` (raised something else) or
    :data:`NO_RESULT` (a timeout, a skipped case)."""
    if not isinstance(record, dict) or record.get("timeout") or record.get("skipped"):
        return NO_RESULT
    if record.get("ok"):
        return record.get("value")
    if raises and raises in (record.get("raised") or []):
        return {"raised": raises}
    return ERROR


def _mismatch_lines(reason) -> list[str]:
    where = f"{reason.path}: " if reason.path else ""
    if reason.detail.startswith("expected"):
        return [f"    {where}{reason.detail}"]
    return [f"    {where}expected: {describe(reason.expected)}",
            f"    {' ' * len(where)}got:      {describe(reason.got)}", f"    ({reason.detail})"]


def judge(a: declared.Assignment, q: declared.Question, outputs, cut: bool = False) -> dict:
    """The verdict for one question from its cell's kernel outputs (``cut``: the grader cut the cell's output
    at its size limit).

    Returns ``{"name", "passed", "total", "lines", "status"}``; status is ``pass``, ``fail``, ``missing``,
    ``timeout`` or ``tampered``.
    """
    name = f"{a.name}.{q.function}"
    inputs, expected = reference(a.name, q.function)
    records = _records(outputs, name)
    total = len(expected)
    head = f"{q.function}:"
    if not records and cut:
        return {"name": name, "passed": 0, "total": total, "status": "missing",
                "lines": [f"{head} not tested: this cell's output passed the grader's size limit, so the results "
                          f"of `{q.function}` were lost.",
                          "  Your function displayed too much while it was tested; remove its `display` calls."]}
    if not records:
        error = _cell_error(outputs)
        because = f" The cell stopped with {error}." if error else ""
        return {"name": name, "passed": 0, "total": total, "status": "missing",
                "lines": [f"{head} not tested: the probe did not run.{because}",
                          f"  Make sure `{q.function}` is defined (run its cell) and that the notebook runs "
                          f"from top to bottom without errors."]}
    if len(records) > 1:
        return {"name": name, "passed": 0, "total": total, "status": "tampered",
                "lines": [f"{head} {len(records)} probe records in one cell; only the probe may write them "
                          f"(tampering?). Scored as a fail."]}
    got_cases = records[0].get("cases")
    if not isinstance(got_cases, list) or len(got_cases) != total:
        return {"name": name, "passed": 0, "total": total, "status": "tampered",
                "lines": [f"{head} the probe record does not have the registered {total} cases (tampering?)."]}
    got = [_student_value(record, q.raises) for record in got_cases]
    passed, failures, status_, wrong_value = 0, [], "pass", False
    for i, (want, case, record, value) in enumerate(zip(expected, inputs.cases, got_cases, got)):
        lines = [f"  case {i + 1}: {case.label}"]
        if value is NO_RESULT:
            status_ = "timeout"
            lines.append(f"    {record.get('error', 'timeout') if isinstance(record, dict) else 'no record'}")
        elif value is ERROR:
            wrong_value = True
            lines.append(f"    raised {record.get('error', 'an error')}")
        elif isinstance(value, dict) and "too_large" in value:
            lines.append(f"    your result is {fmt_bytes(int(value['too_large']))} as data; the limit is "
                         f"{fmt_bytes(MAX_VALUE_BYTES)} per case (the expected one is {describe(want)})")
        else:
            try:
                reason = compare(want, value, q.rtol, q.atol, q.fields)
            except Exception as exc:  # noqa: BLE001 - data the comparison cannot take costs its case only
                reason = Mismatch("", want, value, f"expected {describe(want)} but got a value the grader "
                                  f"cannot compare ({type(exc).__name__})")
            if reason is None and not record.get("mutated"):
                passed += 1
                continue
            if reason is None:
                mistake, text = MUTATED_INPUT
                lines += [f"    correct value, but {mistake}: {', '.join(record['mutated'])}",
                          f"    {text.format(names=', '.join(record['mutated']))}"]
            else:
                wrong_value = True
                lines += _mismatch_lines(reason)
        failures.append(lines)
    if passed == total:
        return {"name": name, "passed": passed, "total": total, "status": "pass", "lines": []}
    lines = [f"{head} {total - passed} of {total} cases wrong."]
    for block in failures[:MAX_CASES_SHOWN]:
        lines += block
    if len(failures) > MAX_CASES_SHOWN:
        lines.append(f"  ... and {len(failures) - MAX_CASES_SHOWN} more")
    found = diagnose(a, q, inputs.cases, got) if wrong_value else []
    if len(found) > 1:
        lines.append("  likely mistake, one of these (they give the same results here):")
    for owner, mistake in found:
        where = "" if owner is q else f" in `{owner.function}`"
        lines.append(f"  likely mistake{where}: {mistake.name}: {mistake.explanation}")
    return {"name": name, "passed": passed, "total": total,
            "status": status_ if status_ != "pass" else "fail", "lines": lines}


def verdict_outputs(a: declared.Assignment | None, q: declared.Question | None, outputs,
                    max_points: float, cut: bool = False) -> tuple[list, dict | None]:
    """The outputs that replace a graded cell's kernel outputs, and the verdict (``None``: not gradable)."""
    if q is None:
        return [from_dict({"output_type": "error", "ename": ENAME,
                           "evalue": "not gradable: this graded cell is not a question of the assignment",
                           "traceback": ["This graded cell is not declared in autograder/assignments/; it "
                                         "scores 0."]})], None
    v = judge(a, q, outputs, cut)
    if v["status"] == "pass":
        return [], v
    lines = v["lines"]
    if q.partial and v["status"] != "tampered" and v["passed"] > 0:
        score = round(max_points * v["passed"] / max(1, v["total"]), 2)
        text = "\n".join([f"Partial credit: {score:g} of {max_points:g} points ({v['passed']} of "
                          f"{v['total']} cases right)."] + lines) + "\n"
        return [from_dict({"output_type": "stream", "name": "stdout", "text": text}),
                from_dict({"output_type": "execute_result", "execution_count": None, "metadata": {},
                           "data": {"text/plain": f"{score:g}"}})], v
    evalue = f"{q.function}: {v['total'] - v['passed']} of {v['total']} cases wrong"
    return [from_dict({"output_type": "error", "ename": ENAME, "evalue": evalue, "traceback": lines})], v


class TrustedVerdicts(NbGraderPreprocessor):
    """Replace the kernel's output of every graded test cell by a verdict computed here."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        name = resources["nbgrader"]["assignment"]
        try:
            self._assignment = declared.load(name)
        except KeyError as exc:
            self.log.error("autograder: %s; every graded cell scores 0", exc)
            self._assignment = None
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        grade_id = cell.metadata["nbgrader"].get("grade_id")
        q = self._assignment.question(grade_id) if self._assignment else None
        cut = index in resources.get("autograder", {}).get("cut_cells", ())
        try:
            cell.outputs, v = verdict_outputs(self._assignment, q, cell.get("outputs", []),
                                              float(cell.metadata["nbgrader"].get("points", 0)), cut)
        except Exception as exc:  # noqa: BLE001 - a grader bug scores 0 and says so, it never passes
            self.log.exception("autograder: could not judge cell %s", grade_id)
            cell.outputs = [from_dict({"output_type": "error", "ename": ENAME,
                                       "evalue": f"grader error: {type(exc).__name__}: {exc}",
                                       "traceback": ["The autograder could not judge this cell; please ask "
                                                     "your instructor to review it."]})]
            status.report(resources, status.Outcome(status.GRADER_ERROR, f"the grader could not judge cell "
                                                    f"{grade_id} ({type(exc).__name__}: {exc})", index + 1))
            return cell, resources
        if v is not None and v["status"] == "tampered":
            status.report(resources, status.Outcome(status.TAMPERED, "forged or duplicated probe records", index + 1))
        elif v is not None and v["status"] == "timeout":
            status.report(resources, status.Outcome("probe-timeout", f"{q.function}: a case ran over its time "
                                                    f"limit of {q.time_limit:g} s", index + 1))
        return cell, resources
