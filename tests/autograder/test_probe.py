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
from autograder.cases import Case, Probe, get_probe, probes_for
from autograder.probe import ProbeTimeout, collect, probe, run_case, to_jsonable


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

    assert run_case(raises, case) | {"seconds": 0} == {"ok": False, "mutated": [],
                                                      "error": "ValueError: bad w", "seconds": 0}
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
    spec = Probe("demo.f", "g", cases=lambda: [Case((i,), names=("i",)) for i in range(3)], reference="x:y",
                 points=1, time_limit=0.2)
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
    assert record["probe"] == "search.cost" and len(record["cases"]) == len(get_probe("search.cost").cases())


def test_unknown_names_say_what_is_missing():
    with pytest.raises(KeyError, match="no cases registered for assignment 'nope'"):
        probes_for("nope")
    with pytest.raises(KeyError, match="no probe named 'search.nope'"):
        get_probe("search.nope")


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
            "from autograder.cases import probes_for\n"
            "for spec in probes_for('search'):\n"
            "    collect(spec.name, lambda *a, **k: 0.0)\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'solutions', 'nbgrader', 'jupyter_client', "
            "'matplotlib', 'nbformat', 'scipy'})\n"
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
