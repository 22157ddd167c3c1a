"""The trusted verdict: from probe records (as the kernel would display them) to nbgrader's score."""

import json

import numpy as np
from nbformat.notebooknode import from_dict
from nbgrader.utils import determine_grade

import solutions
from autograder import status, verdicts
from autograder.assignment import load
from autograder.probe import MIME, collect
from autograder.verdicts import ENAME, TrustedVerdicts, verdict_outputs

SEARCH = load("search")


def display(record):
    return {"output_type": "display_data", "metadata": {}, "data": {MIME: record, "text/plain": "probe"}}


def graded_cell(grade_id, outputs, points):
    return from_dict({"cell_type": "code", "execution_count": 1, "source": "probe(...)", "id": grade_id,
                      "outputs": outputs, "metadata": {"nbgrader": {
                          "grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                          "points": points, "schema_version": 3, "task": False}}})


def score(grade_id, outputs):
    q = SEARCH.question(grade_id)
    cell = graded_cell(grade_id, verdict_outputs(SEARCH, q, outputs, q.points)[0], q.points)
    return determine_grade(cell)[0], cell


def sum_cost(w, x, y):
    return np.sum((np.asarray(w, float)[..., None] * x - y) ** 2, axis=-1)


def test_reference_functions_pass_with_full_points():
    for q in SEARCH.questions:
        got, cell = score(q.hidden_id, [display(collect(f"search.{q.function}", q.resolve_reference()))])
        assert got == q.points and cell.outputs == []


def test_a_wrong_function_fails_with_case_expected_got_and_mistake():
    got, cell = score("cost_hidden", [display(collect("search.cost", sum_cost))])
    assert got == 0
    (out,) = cell.outputs
    assert out.output_type == "error" and out.ename == ENAME
    text = "\n".join(out.traceback)
    assert "cost: 4 of 4 cases wrong." in text
    assert "case 1: cost(w=1, x=[1, 2, 3], y=[2, 4, 6])" in text
    assert "expected: 4.66667" in text and "got:      14" in text
    assert "likely mistake: sum instead of mean (missing 1/N)" in text


def test_partial_credit_by_case_is_an_execute_result_nbgrader_reads():
    def scalar_only(w, x, y):  # right for a scalar w, not vectorized
        return float(np.mean((float(np.ravel(w)[0]) * x - y) ** 2))

    got, cell = score("cost_hidden", [display(collect("search.cost", scalar_only))])
    assert got == 0.5  # 1 of 4 cases (2 points)
    assert [o.output_type for o in cell.outputs] == ["stream", "execute_result"]
    assert cell.outputs[0].text.startswith("Partial credit: 0.5 of 2 points (1 of 4 cases right).")


def test_kernel_output_is_discarded_whatever_it_claims():
    fake_pass = [{"output_type": "stream", "name": "stdout", "text": "All tests passed!\n"}]
    got, cell = score("cost_hidden", fake_pass)
    assert got == 0 and "the probe did not run" in "\n".join(cell.outputs[0].traceback)
    # an execute_result claiming full points is ignored too
    forged = [{"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "2"}}]
    assert score("cost_hidden", forged)[0] == 0


def test_a_missing_probe_carries_the_cells_own_error():
    err = {"output_type": "error", "ename": "NameError", "evalue": "name 'cost' is not defined", "traceback": []}
    got, cell = score("cost_hidden", [err])
    assert got == 0
    assert "The cell stopped with NameError: name 'cost' is not defined." in "\n".join(cell.outputs[0].traceback)


def test_forged_or_duplicated_records_fail_as_tampering():
    record = collect("search.cost", solutions.cost)
    got, cell = score("cost_hidden", [display(record), display(record)])
    assert got == 0 and "probe records in one cell" in "\n".join(cell.outputs[0].traceback)
    short = dict(record, cases=record["cases"][:1])
    assert score("cost_hidden", [display(short)])[0] == 0
    made_up = dict(record, cases=[{"ok": True, "value": 0.0, "mutated": []}] * len(record["cases"]))
    got, cell = score("cost_hidden", [display(made_up)])
    assert got == 0  # made-up values are judged by value like any other
    as_text = dict(display(record), data={MIME: json.dumps(record)})  # JSON as a string is read too
    assert score("cost_hidden", [as_text])[0] == 2


def test_a_mutated_input_fails_even_with_the_right_value():
    def in_place(w, x, y):
        out = solutions.cost(w, x, y)
        x *= 1.5
        return out

    got, cell = score("cost_hidden", [display(collect("search.cost", in_place))])
    assert got == 0
    assert "correct value, but mutated an input: x" in "\n".join(cell.outputs[0].traceback)


def test_a_graded_cell_that_is_no_question_scores_zero():
    (out,), verdict = verdict_outputs(SEARCH, None, [], 5)
    assert out.ename == ENAME and "not gradable" in out.evalue and verdict is None


def test_preprocessor_only_touches_graded_code_cells():
    record = collect("search.cost", sum_cost)
    visible = from_dict({"cell_type": "code", "execution_count": 1, "source": "assert False", "id": "v",
                         "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "",
                                      "traceback": []}],
                         "metadata": {"nbgrader": {"grade": False, "solution": False, "locked": True,
                                                   "grade_id": "cost_visible", "schema_version": 3}}})
    nb = from_dict({"cells": [visible, graded_cell("cost_hidden", [display(record)], 2)], "metadata": {},
                    "nbformat": 4, "nbformat_minor": 5})
    nb, _ = TrustedVerdicts().preprocess(nb, {"nbgrader": {"assignment": "search", "student": "ann"}})
    assert nb.cells[0].outputs[0].ename == "AssertionError"
    assert nb.cells[1].outputs[0].ename == ENAME
    assert status.take("search", "ann") == []


def test_tampering_is_reported_as_data_not_as_text():
    """The status comes from the verdict, in the grader's process; a notebook printing "tampered" or
    raising an error named like the grader's changes nothing."""
    record = collect("search.cost", solutions.cost)
    fake = {"output_type": "error", "ename": "KernelDied", "evalue": "[timeout] tampered", "traceback": []}
    nb = from_dict({"cells": [graded_cell("cost_hidden", [display(record), display(record)], 2),
                              graded_cell("grid_search_hidden", [fake], 3)],
                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    TrustedVerdicts().preprocess(nb, {"nbgrader": {"assignment": "search", "student": "ann"}})
    assert [o.kind for o in status.take("search", "ann")] == ["tampered"]


def test_a_function_that_returns_nothing_is_told_so_and_is_no_timeout():
    def forgets_return(w, x, y):
        np.mean((np.asarray(w, float)[..., None] * x - y) ** 2, axis=-1)

    got, cell = score("cost_hidden", [display(collect("search.cost", forgets_return))])
    text = "\n".join(cell.outputs[0].traceback)
    assert got == 0 and "got None (does the function `return` its result?)" in text
    v = verdicts.judge(SEARCH, SEARCH.question("cost_hidden"), [display(collect("search.cost", forgets_return))])
    assert v["status"] == "fail"


def test_values_the_comparison_cannot_take_cost_their_case_only():
    def huge_int_once(w, x, y):
        value = solutions.cost(w, x, y)
        return 10**400 if np.ndim(w) == 0 else value

    got, cell = score("cost_hidden", [display(collect("search.cost", huge_int_once))])
    assert got == 1.5 and "Partial credit" in cell.outputs[0].text  # 3 of 4 cases, no grader error


def test_a_grader_error_asks_for_a_review(monkeypatch):
    monkeypatch.setattr(verdicts, "verdict_outputs", lambda *a, **k: 1 / 0)
    nb = from_dict({"cells": [graded_cell("cost_hidden", [], 2)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    TrustedVerdicts().preprocess(nb, {"nbgrader": {"assignment": "search", "student": "ann"}})
    assert [o.kind for o in status.take("search", "ann")] == ["grader-error"]
    assert "grader error" in nb.cells[0].outputs[0].evalue
