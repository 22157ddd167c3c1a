"""Every assignment is declared in one place (autograder/assignments/<a>.py); what is generated from it is up
to date, the solutions agree with the references that grade them, and every known mistake is what the grader
names when a student makes it."""

import contextlib
import io
import json
import os
import time
import warnings

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.utils import is_grade, is_solution

from autograder import authoring, cli, diagnostics, probe, verdicts
from autograder.assignment import apply_edits, load
from autograder.compare import compare

NAMES = authoring.names()


def test_every_source_notebook_is_declared():
    assert NAMES == cli.source_assignments() == ["adaptive", "gd", "momentum", "search", "second_order", "sgd"]


@pytest.mark.parametrize("name", NAMES)
def test_generated_files_are_up_to_date(name):
    a = load(name)
    stale = "is out of date: run `python -m autograder.authoring {}` and commit it".format(name)
    assert open(authoring.source_path(name)).read() == nbformat.writes(authoring.source_notebook(a)) + "\n", \
        f"source/{name}/{name}.ipynb {stale}"
    assert open(authoring.case_path(name)).read() == authoring.case_file(a), f"probe/data/{name}.json {stale}"
    folder = os.path.join(authoring.EXAMPLES, name)
    samples = authoring.sample_submissions(a)
    assert sorted(os.listdir(folder)) == sorted(samples), f"examples/{name}/ {stale}"
    for file, text in samples.items():
        assert open(os.path.join(folder, file)).read() == text, f"examples/{name}/{file} {stale}"


@pytest.mark.parametrize("name", NAMES)
def test_source_notebook(name):
    nb = nbformat.read(authoring.source_path(name), as_version=4)
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)
    a = load(name)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        assert "solutions" not in cell.source
        if "assert" in cell.source:
            assert not is_grade(cell), "visible asserts must not carry points (they run in the kernel)"
    graded = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells if is_grade(c) and not is_solution(c)}
    assert sorted(graded) == sorted(q.hidden_id for q in a.questions)
    for q in a.questions:
        assert float(graded[q.hidden_id].metadata.nbgrader["points"]) == q.points
        assert f"probe('{name}.{q.function}', {q.function})" in graded[q.hidden_id].source


@pytest.mark.parametrize("name", NAMES)
def test_solutions_agree_with_the_references_that_grade_them(name):
    """The source's answers (what the correct sample submits) give the reference's output on every case."""
    a = load(name)
    for q in a.questions:
        inputs, expected = verdicts.reference(name, q.function)
        assert len(inputs.cases) >= 3, q.function
        mine = [diagnostics.outcome(a.namespace()[q.function], c, q.raises) for c in inputs.cases]
        for case, want, got in zip(inputs.cases, expected, mine):
            assert want is not diagnostics.ERROR, f"the reference raises on {case.label}"
            assert got is not diagnostics.ERROR and compare(want, got, q.rtol, q.atol, q.fields) is None, case.label


def _mistaken_outputs(a, q, mistake):
    inputs, _ = verdicts.reference(a.name, q.function)
    fn = a.namespace(mistake)[q.function]
    return inputs.cases, [diagnostics.outcome(fn, c, q.raises) for c in inputs.cases]


@pytest.mark.parametrize("name", NAMES)
def test_each_mistake_is_named_for_what_it_gives(name):
    """A student whose answer is a declared mistake gets that mistake named for every function it makes
    wrong (with any other mistake that gives the very same results), and each mistake shows on its own
    question's cases."""
    a = load(name)
    for owner, mistake in a.mistakes:
        start = time.perf_counter()
        cases, got = _mistaken_outputs(a, owner, mistake)
        assert time.perf_counter() - start < 10, f"{mistake.slug} is slow to run"
        _, expected = verdicts.reference(name, owner.function)
        assert any(g is diagnostics.ERROR or compare(e, g, owner.rtol, owner.atol, owner.fields)
                   for e, g in zip(expected, got)), f"{owner.id}/{mistake.slug} changes no case of {owner.function}"
        for q in a.questions:
            cases, got = _mistaken_outputs(a, q, mistake)
            _, expected = verdicts.reference(name, q.function)
            if all(g is not diagnostics.ERROR and compare(e, g, q.rtol, q.atol, q.fields) is None
                   for e, g in zip(expected, got)):
                continue  # this function does not show the mistake
            named = diagnostics.diagnose(a, q, cases, got)
            assert (owner, mistake) in named, (q.function, mistake.slug, [m.slug for _, m in named])
            for _, other in named:  # anything named beside it gives the same results
                theirs = _mistaken_outputs(a, q, other)[1]
                assert all((t is diagnostics.ERROR) == (g is diagnostics.ERROR) and (
                    g is diagnostics.ERROR or compare(t, g, q.rtol, q.atol, q.fields) is None)
                    for t, g in zip(theirs, got)), (q.function, mistake.slug, other.slug)


def _alternative_samples(a) -> dict[str, dict[str, str]]:
    """Slug -> the answers (by question id) of each sample made of correct answers written differently."""
    samples: dict[str, dict[str, str]] = {}
    for q in a.questions:
        for alt in q.alternatives:
            answers = samples.setdefault(alt.slug, {})
            answers[q.id] = alt.code.strip() if alt.code else apply_edits(answers.get(q.id, q.answer), alt.edits)
    return samples


@pytest.mark.parametrize("name", NAMES)
def test_alternatives_pass_the_visible_tests_and_the_grader(name):
    """Every sample of correct answers written differently runs as its notebook does (the setup, then each
    question's answer, visible tests and probe, in order): every visible test passes, and the probe's records
    get full marks from the trusted verdicts (right values, no input changed, within the time limits). The
    end-to-end tests then hold the real pipeline to the same."""
    a = load(name)
    assert _alternative_samples(a), f"{name} declares no alternative"
    for slug, answers in _alternative_samples(a).items():
        kernel = {"__name__": "__main__"}
        exec(a.setup, kernel)  # noqa: S102
        for q in a.questions:
            exec(answers.get(q.id, q.answer), kernel)  # noqa: S102
            try:
                with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    exec(q.visible, kernel)  # noqa: S102
            except AssertionError as exc:
                pytest.fail(f"{slug}: a visible test of {q.id} fails a correct answer: {exc}")
            record = probe.collect(f"{name}.{q.function}", kernel[q.function])
            verdict = verdicts.judge(a, q, [{"output_type": "display_data", "data": {probe.MIME: record}}])
            assert verdict["status"] == "pass", (slug, "\n".join(verdict["lines"]))


@pytest.mark.parametrize("name", NAMES)
def test_edits_apply_exactly_where_declared(name):
    a = load(name)
    for q in a.questions:
        for edit in list(q.mistakes) + [v for v in list(q.variants) + list(q.alternatives) if v.code is None]:
            changed = apply_edits(q.answer, edit.edits)
            assert changed != q.answer
            for old, _ in edit.edits:
                assert q.answer.count(old) == 1, f"{q.id}/{edit.slug}: {old!r} is ambiguous"


def test_expected_results_cover_every_sample_and_name_their_mistakes():
    """examples/expected.json (written by `python -m autograder.authoring --expected`, held to the real
    pipeline by the end-to-end tests) has every sample; the correct one has full marks, and each mistake's
    sample names that mistake."""
    expected = json.load(open(authoring.EXPECTED))
    assert sorted(expected) == NAMES
    for name in NAMES:
        a = load(name)
        students = {f[: f.rindex(f"_{name}")] for f in os.listdir(os.path.join(authoring.EXAMPLES, name))}
        assert set(expected[name]) == students
        full = sum(q.points for q in a.questions)
        assert expected[name]["correct"]["score"] == expected[name]["correct"]["max_score"] == full
        assert expected[name]["correct"]["notes"] == [] and expected[name]["blank"]["score"] == 0
        assert expected[name]["steals-answers"]["score"] == 0, "a submission that looked for answers found some"
        for _, mistake in a.mistakes:
            assert mistake.name in expected[name][mistake.slug]["named"], (name, mistake.slug)
        for alt in {alt.slug for q in a.questions for alt in q.alternatives}:
            assert expected[name][alt]["score"] == full and expected[name][alt]["notes"] == [], (name, alt)
