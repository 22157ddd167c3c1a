"""A diagnostic names a mistake only when that mistake gives exactly the student's output. Unlisted mistakes,
some of which an earlier grader named wrongly, get the generic expected-vs-got message."""

import numpy as np

from autograder import diagnostics, verdicts
from autograder.assignment import apply_edits, load
from autograder.probe import collect


def student(name: str, question: str, *edits):
    """The functions a student defines whose answer to ``question`` is the solution with ``edits``."""
    a = load(name)
    q = next(q for q in a.questions if q.id == question)
    namespace = {}
    exec(a.code({q.id: apply_edits(q.answer, edits)}), namespace)  # noqa: S102
    return a, namespace


def named(name: str, function: str, namespace) -> list[str]:
    a = load(name)
    q = next(q for q in a.questions if q.function == function)
    inputs, _ = verdicts.reference(name, function)
    got = [diagnostics.outcome(namespace[function], case, q.raises) for case in inputs.cases]
    return [m.name for _, m in diagnostics.diagnose(a, q, inputs.cases, got)]


def test_a_declared_mistake_is_named_in_the_functions_that_inherit_it():
    a, ns = student("gd", "gradient", ("np.mean(2 * x", "np.sum(2 * x"))
    assert named("gd", "gradient", ns) == ["sum instead of mean (missing 1/N)"]
    assert named("gd", "train", ns) == ["sum instead of mean (missing 1/N)"]  # train calls gradient


def test_the_same_mistake_written_differently_is_named():
    _, ns = student("search", "grid_search", ("best = int(np.argmin(values))", "best = int(np.argmax(values))"))
    assert named("search", "grid_search", ns) == ["sign error (maximizes)"]
    _, ns = student("search", "grid_search", ("best = int(np.argmin(values))", "best = int(np.argmin(-values))"))
    assert named("search", "grid_search", ns) == ["sign error (maximizes)"]


def test_a_missing_nesterov_branch_is_named_for_what_it_is():
    """Without the branch the step is plain momentum, which is exactly what Nesterov with the old velocity
    gives (g + μv_old is the new v): one mistake, whose explanation names both causes."""
    _, ns = student("momentum", "momentum_step",
                    ("direction = grad + momentum * v if nesterov else v", "direction = v"))
    assert named("momentum", "momentum_step", ns) == ["Nesterov step is plain momentum"]


def test_unlisted_mistakes_are_not_named():
    # γ from the oldest pair instead of the newest (an earlier grader said "missing γ scaling")
    _, ns = student("second_order", "lbfgs_two_loop",
                    ("q = (s @ y) / (y @ y) * q", "q = (s_history[0] @ y_history[0]) / (y_history[0] @ y_history[0]) * q"))
    assert named("second_order", "lbfgs_two_loop", ns) == []
    # the output layer's gradient divided by the number of units, not of samples ("missing factor 2")
    a = load("gd")
    q = next(q for q in a.questions if q.id == "last_layer_gradient")
    assert "len(y)" in q.answer
    _, ns = student("gd", "last_layer_gradient", ("len(y)", "n.shape[1]"))
    assert named("gd", "last_layer_gradient", ns) == []
    # a step decay that is right at t = 0 and one step ahead after ("one step ahead")
    _, ns = student("adaptive", "schedules", ("lr0 * gamma ** (t // step_size)", "lr0 * gamma ** ((t + 1) // step_size)"))
    assert named("adaptive", "schedule_values", ns) == []
    # eps inside the square root of RMSProp: declared for Adam only
    _, ns = student("adaptive", "rmsprop_step", ("np.sqrt(s) + eps", "np.sqrt(s + eps)"))
    assert named("adaptive", "rmsprop_step", ns) == []


def test_nothing_is_named_when_a_case_gave_no_result():
    a = load("search")
    q = a.questions[0]
    inputs, expected = verdicts.reference("search", q.function)
    got = [diagnostics.NO_RESULT] + list(expected[1:])
    assert diagnostics.diagnose(a, q, inputs.cases, got) == []


def test_feedback_says_where_an_inherited_mistake_is():
    _, ns = student("gd", "gradient", ("np.mean(2 * x", "np.sum(2 * x"))
    a = load("gd")
    q = next(q for q in a.questions if q.function == "train")
    record = collect("gd.train", ns["train"])
    verdict = verdicts.judge(a, q, [{"output_type": "display_data", "metadata": {},
                                     "data": {"application/vnd.gdho.probe+json": record}}])
    assert verdict["passed"] == 0
    assert any(line.startswith("  likely mistake in `gradient`: sum instead of mean") for line in verdict["lines"])


def test_mistakes_leave_the_cases_alone():
    """Running the edited solutions in the grader never changes the cases they are run on."""
    a = load("second_order")
    inputs, _ = verdicts.reference("second_order", "lbfgs_two_loop")
    before = [np.array(c.args[0]).copy() for c in inputs.cases]
    q = next(q for q in a.questions if q.function == "lbfgs_two_loop")
    for _, mistake in a.mistakes:
        for case in inputs.cases:
            diagnostics.outcome(a.namespace(mistake)[q.function], case, q.raises)
    assert all(np.array_equal(b, np.array(c.args[0])) for b, c in zip(before, inputs.cases))
