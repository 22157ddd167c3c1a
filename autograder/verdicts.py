r"""Trusted verdicts: the nbgrader autograde preprocessor that decides every graded test cell.

It runs in the grader's process, right after nbgrader's ``Execute`` (see ``nbgrader_config.py``), and for
each graded code cell (``grade: true``, not a manually graded answer):

1. takes the probe records (:data:`autograder.probe.MIME`) that the kernel displayed and throws away
   everything else the kernel printed;
2. recomputes the reference outputs for the same cases from :mod:`solutions` (the grader's process is the
   only one that can import it);
3. compares them (:mod:`autograder.compare`) and names the likely mistake (:mod:`autograder.diagnostics`);
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
Every graded cell must be registered in ``autograder/cases/<assignment>.py``; a graded cell without a
probe registration gets a zero with an error saying so (fail closed), and ``tests/autograder`` checks that
every graded cell of every source notebook is registered.

The one kernel-side fact a verdict takes on trust is the probe's *mutated input* flag: a notebook that
tampers with the probe can hide that its function changed an input in place (and so keep those points),
but it can never make a wrong value pass, because values are compared here.

A probe record that is missing (the cell raised before the probe ran, the function is undefined, the cell
timed out) is a fail that carries the cell's own error. Two records for one probe in one cell mean that
someone else displayed probe data: a fail, flagged as tampering.
"""

from __future__ import annotations

import functools
import json

from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import cases as registry
from autograder import diagnostics
from autograder.compare import compare, describe
from autograder.probe import MIME, to_jsonable

ENAME = "AutograderVerdict"
MAX_CASES_SHOWN = 3


@functools.lru_cache(maxsize=None)
def reference_outputs(name: str) -> tuple:
    """The reference outputs of every case of probe ``name`` (as JSON data), with the raw values.

    Cached: the cases are deterministic, so a batch computes each reference once.
    """
    spec = registry.get_probe(name)
    ref = spec.resolve_reference()
    out = []
    for case in spec.cases():
        value = case.call(ref)
        out.append((value, to_jsonable(value)))
    return tuple(out)


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


def judge(spec: registry.Probe, outputs) -> dict:
    """The verdict for one probe from a cell's kernel outputs.

    Returns ``{"name", "passed", "total", "lines", "status"}``; status is ``pass``, ``fail``, ``missing``,
    ``timeout`` or ``tampered``.
    """
    records = _records(outputs, spec.name)
    expected = reference_outputs(spec.name)
    total = len(expected)
    head = f"{spec.function}:"
    if not records:
        error = _cell_error(outputs)
        timeout = "Timeout" in error or "timeout" in error
        because = f" The cell stopped with {error}." if error else ""
        return {"name": spec.name, "passed": 0, "total": total, "status": "timeout" if timeout else "missing",
                "lines": [f"{head} not tested: the probe did not run.{because}",
                          f"  Make sure `{spec.function}` is defined (run its cell) and that the notebook runs "
                          f"from top to bottom without errors."]}
    if len(records) > 1:
        return {"name": spec.name, "passed": 0, "total": total, "status": "tampered",
                "lines": [f"{head} {len(records)} probe records in one cell; only the probe may write them "
                          f"(tampering?). Scored as a fail."]}
    got_cases = records[0].get("cases")
    if not isinstance(got_cases, list) or len(got_cases) != total:
        return {"name": spec.name, "passed": 0, "total": total, "status": "tampered",
                "lines": [f"{head} the probe record does not have the registered {total} cases (tampering?)."]}
    passed, failures, status = 0, [], "pass"
    for i, ((raw, want), case, got) in enumerate(zip(expected, spec.cases(), got_cases)):
        reason, mistake = None, None
        if not isinstance(got, dict):
            reason = "no record"
        elif got.get("timeout") or got.get("skipped"):
            reason = got.get("error", "timeout")
            status = "timeout"
        elif not got.get("ok"):
            reason = f"raised {got.get('error', 'an error')}"
        else:
            reason = compare(want, got.get("value"), spec.rtol, spec.atol, spec.fields)
            if reason:
                mistake = diagnostics.recognize(
                    spec.mistakes, spec.resolve_reference(), case, raw, got.get("value"),
                    lambda alt, g: compare(to_jsonable(alt), g, spec.rtol, spec.atol, spec.fields) is None)
            elif got.get("mutated"):
                name, text = diagnostics.MUTATED_INPUT
                reason = f"correct value, but {name}: {', '.join(got['mutated'])}"
                mistake = diagnostics.Mistake(name, text.format(names=", ".join(got["mutated"])), None)
        if reason is None:
            passed += 1
            continue
        lines = [f"  case {i + 1}: {case.label}"]
        if isinstance(got, dict) and got.get("ok") and "expected" in reason:
            lines += [f"    expected: {describe(want)}", f"    got:      {describe(got.get('value'))}"]
            if not reason.startswith("expected"):
                lines.append(f"    ({reason})")
        else:
            lines.append(f"    {reason}")
        if mistake is not None:
            lines.append(f"    likely mistake: {mistake.name}: {mistake.explanation}")
        failures.append(lines)
    if passed == total:
        return {"name": spec.name, "passed": passed, "total": total, "status": "pass", "lines": []}
    lines = [f"{head} {total - passed} of {total} cases wrong."]
    for block in failures[:MAX_CASES_SHOWN]:
        lines += block
    if len(failures) > MAX_CASES_SHOWN:
        lines.append(f"  ... and {len(failures) - MAX_CASES_SHOWN} more")
    return {"name": spec.name, "passed": passed, "total": total,
            "status": status if status != "pass" else "fail", "lines": lines}


def verdict_outputs(specs, outputs, max_points: float) -> list:
    """The outputs that replace a graded cell's kernel outputs."""
    if not specs:
        return [from_dict({"output_type": "error", "ename": ENAME,
                           "evalue": "not gradable: no probe registered for this graded cell",
                           "traceback": ["This graded cell has no probe in autograder/cases/; it scores 0 "
                                         "until the assignment's author registers one."]})]
    verdicts = [judge(spec, outputs) for spec in specs]
    if all(v["status"] == "pass" for v in verdicts):
        return []
    lines = [line for v in verdicts for line in v["lines"]]
    if all(spec.partial for spec in specs) and not any(v["status"] == "tampered" for v in verdicts):
        fraction = sum(v["passed"] for v in verdicts) / max(1, sum(v["total"] for v in verdicts))
        if fraction > 0:
            score = round(max_points * fraction, 2)
            text = "\n".join([f"Partial credit: {score:g} of {max_points:g} points "
                              f"({sum(v['passed'] for v in verdicts)} of {sum(v['total'] for v in verdicts)} "
                              f"cases right)."] + lines) + "\n"
            return [from_dict({"output_type": "stream", "name": "stdout", "text": text}),
                    from_dict({"output_type": "execute_result", "execution_count": None, "metadata": {},
                               "data": {"text/plain": f"{score:g}"}})]
    statuses = sorted({v["status"] for v in verdicts if v["status"] != "pass"})
    evalue = "; ".join(f"{v['name'].split('.', 1)[1]}: {v['total'] - v['passed']} of {v['total']} cases "
                       f"wrong" for v in verdicts if v["status"] != "pass") + f" [{', '.join(statuses)}]"
    return [from_dict({"output_type": "error", "ename": ENAME, "evalue": evalue, "traceback": lines})]


class TrustedVerdicts(NbGraderPreprocessor):
    """Replace the kernel's output of every graded test cell by a verdict computed here."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        assignment = resources["nbgrader"]["assignment"]
        try:
            self._probes = registry.by_grade_id(assignment)
        except KeyError as exc:
            self.log.error("autograder: %s; every graded cell scores 0", exc)
            self._probes = {}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        grade_id = cell.metadata["nbgrader"].get("grade_id")
        specs = self._probes.get(grade_id, [])
        try:
            cell.outputs = verdict_outputs(specs, cell.get("outputs", []),
                                           float(cell.metadata["nbgrader"].get("points", 0)))
        except Exception as exc:  # noqa: BLE001 - a grader bug scores 0 and says so, it never passes
            self.log.exception("autograder: could not judge cell %s", grade_id)
            cell.outputs = [from_dict({"output_type": "error", "ename": ENAME,
                                       "evalue": f"grader error: {type(exc).__name__}: {exc}",
                                       "traceback": ["The autograder could not judge this cell; please ask "
                                                     "your instructor to review it."]})]
        return cell, resources
