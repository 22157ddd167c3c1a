"""The kernel side: probe records values, errors, timeouts and mutations, and never judges."""

import doctest
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from autograder import compare as compare_module
from autograder import probe as probe_module
from autograder.probe import ProbeTimeout, collect, probe, run_case, to_jsonable
from autograder.probe.inputs import Case, ProbeInputs, decode, describe, encode, load
from autograder.probe.objects import Bowl, Quadratic, Rosenbrock, SeededRng, state


def test_doctests():
    for module in (probe_module, compare_module):
        assert doctest.testmod(module).failed == 0


def test_to_jsonable_keeps_shape_and_specials():
    assert to_jsonable(np.zeros((2, 0))) == {"array": [[], []], "shape": [2, 0], "kind": "f"}
    assert to_jsonable(np.array(3.0)) == {"array": 3.0, "shape": [], "kind": "f"}
    assert to_jsonable([np.inf, -np.inf, np.nan]) == ["inf", "-inf", "nan"]
    assert to_jsonable(np.array([1, 2])) == {"array": [1, 2], "shape": [2], "kind": "i"}
    assert to_jsonable(object())["unsupported"].startswith("object")
    json.dumps(to_jsonable((np.ones(3), 1.5, 2)), allow_nan=False)


def test_run_case_records_value_and_mutation():
    case = Case((np.array([1.0, 2.0]),), names=("x",))

    def doubles_in_place(x):
        x *= 2
        return x.sum()

    record = run_case(doubles_in_place, case)
    assert record["ok"] and record["value"] == 6.0 and record["mutated"] == ["x"]
    record = run_case(lambda x: x.sum(), case)
    assert record["ok"] and record["mutated"] == []
    # every call gets fresh inputs: the earlier mutation did not leak into the case
    assert case.args[0].tolist() == [1.0, 2.0]


def test_run_case_catches_errors_including_system_exit():
    case = Case((1.0,), names=("w",))

    def raises(w):
        raise ValueError("bad w")

    assert run_case(raises, case) | {"seconds": 0} == {"ok": False, "mutated": [], "error": "ValueError: bad w",
                                                      "raised": ["ValueError", "Exception", "BaseException"],
                                                      "seconds": 0}
    assert run_case(lambda w: sys.exit(3), case)["error"] == "SystemExit: 3"


def test_run_case_stops_an_infinite_loop_even_through_except_exception():
    def loops(w):
        while True:
            try:
                pass
            except Exception:
                pass

    record = run_case(loops, Case((1.0,), names=("w",)), time_limit=0.2)
    assert record["timeout"] and not record["ok"] and record["seconds"] < 2
    assert issubclass(ProbeTimeout, BaseException) and not issubclass(ProbeTimeout, Exception)


def test_collect_skips_the_cases_after_a_timeout(monkeypatch):
    spec = ProbeInputs("demo.f", 0.2, [Case((i,), names=("i",)) for i in range(3)])
    monkeypatch.setattr(probe_module, "load_spec", lambda name: spec)
    calls = []

    def slow(i):
        calls.append(i)
        while True:
            pass

    record = collect("demo.f", slow)
    assert calls == [0]
    assert [c.get("skipped", False) for c in record["cases"]] == [False, True, True]
    record = collect("demo.f", "not a function")
    assert all("is not a function" in c["error"] for c in record["cases"])


def test_probe_prints_json_outside_ipython(capsys):
    probe("search.cost", lambda w, x, y: 0.0)
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith(probe_module.MIME))
    record = json.loads(line.split(" ", 1)[1])
    assert record["probe"] == "search.cost" and len(record["cases"]) == len(load("search.cost").cases)


def test_unknown_names_say_what_is_missing():
    with pytest.raises(KeyError, match="no cases for assignment 'nope'"):
        load("nope.f")
    with pytest.raises(KeyError, match="no probe named 'search.nope'"):
        load("search.nope")


def test_errors_are_recorded_with_their_classes():
    record = run_case(lambda h: np.linalg.solve(h, np.ones(2)), Case((np.zeros((2, 2)),), names=("h",)))
    assert not record["ok"] and record["raised"][:2] == ["LinAlgError", "ValueError"]


def test_case_inputs_round_trip_through_json():
    rng = SeededRng(3)
    values = [1, 2.5, True, None, "step_decay", (0.1, 3), [np.array([1.0, 2.0]), np.zeros((2, 2))],
              np.array([1, 2]), Bowl([0.3, -0.6]), Bowl([2.0], [14 / 3]), Quadratic([[2.0, 0.0], [0.0, 1.0]], [1.0, 0.0]).grad,
              Rosenbrock(2.0, 10.0).hess, rng, state("AdamState", m=np.zeros(2), v=np.ones(2), t=3)]
    for value in values:
        data = json.loads(json.dumps(encode(value)))
        back = decode(data)
        assert encode(back) == encode(value), value
        assert type(back) is type(value) or callable(value)
    assert decode(encode(rng)).random() == SeededRng(3).random()
    assert type(decode(encode(1))) is int and type(decode(encode(1.0))) is float
    with pytest.raises(TypeError):
        encode(lambda t: t)


def test_labels_show_the_arguments():
    assert describe(np.array([[1.0, 0.5], [-1.0, 2.0]])) == "[[1, 0.5], [-1, 2]]"
    assert describe(np.full((8, 2), 0.25)) == "array of shape (8, 2)"
    assert describe(Bowl([0.3, -0.6])) == "Bowl(centre=[0.3, -0.6])"
    assert describe(Quadratic([[1.0, 0.0], [0.0, 10.0]], [0.0, 0.0]).grad) == "Quadratic(A=[[1, 0], [0, 10]], b=[0, 0]).grad"
    assert describe(state("MomentumState", v=np.array([0.5, 1.0]))) == "MomentumState(v=[0.5, 1])"
    assert describe((0.1, 3)) == "(0.1, 3)" and describe((0.3,)) == "(0.3,)"
    assert describe(SeededRng(0)) == "np.random.default_rng(0)"


def test_kernel_side_never_needs_solutions():
    """probe and the cases run in a process where `import solutions` fails (as in the grading kernel), and
    they stay light: no nbgrader, no jupyter_client, no plotting in the student's kernel."""
    code = ("import sys\n"
            "class Block:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'solutions':\n"
            "            raise ModuleNotFoundError(name)\n"
            "sys.meta_path.insert(0, Block())\n"
            "from autograder.probe import collect\n"
            "import os, json\n"
            "from autograder.probe.inputs import DATA\n"
            "for file in sorted(os.listdir(DATA)):\n"
            "    for function in json.load(open(os.path.join(DATA, file)))['probes']:\n"
            "        collect(file[:-5] + '.' + function, lambda *a, **k: 0.0)\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'solutions', 'nbgrader', 'jupyter_client', "
            "'matplotlib', 'nbformat', 'scipy'})\n"
            "grader = sorted(m for m in sys.modules if m.startswith('autograder.') and not m.startswith('autograder.probe'))\n"
            "assert not grader, grader\n"
            "print('loaded:', heavy)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONWARNINGS="ignore"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "loaded: []"


class Problem:
    def __init__(self):
        self.X = np.eye(2)


def test_mutation_check_looks_inside_objects_but_not_at_generators():
    def touches_problem(problem, rng):
        rng.random()  # drawing from the generator is fine
        problem.X[0, 0] = 5.0
        return 0.0

    case = Case((Problem(), np.random.default_rng(0)), names=("problem", "rng"))
    assert run_case(touches_problem, case)["mutated"] == ["problem"]
    assert run_case(lambda problem, rng: rng.random(), case)["mutated"] == []
    nan_case = Case((np.array([np.nan]), float("nan")), names=("a", "b"))
    assert run_case(lambda a, b: 0.0, nan_case)["mutated"] == []


def test_ranges_are_their_numbers_and_iterators_say_what_to_return():
    assert to_jsonable(range(3)) == [0, 1, 2]
    for lazy in ((x for x in range(3)), map(float, range(3)), zip(range(2), range(2))):
        assert "return a list or an array" in to_jsonable(lazy)["unsupported"]


def test_a_change_to_a_test_problem_through_its_method_is_a_mutation():
    def pokes(grad_fn, theta):
        grad_fn.__self__.params["A"][0, 0] = 99.0
        return grad_fn(theta)

    case = Case((Quadratic([[2.0, 0.0], [0.0, 1.0]], [0.0, 0.0]).grad, np.ones(2)), names=("grad_fn", "theta"))
    assert run_case(pokes, case)["mutated"] == ["grad_fn"]
    assert run_case(lambda grad_fn, theta: grad_fn(theta), case)["mutated"] == []
