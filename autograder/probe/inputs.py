r"""The input cases of every probe, read from ``autograder/probe/data/<assignment>.json``.

Those files are generated from the assignments' declarations (``python -m autograder.authoring``) and hold
inputs only: what a student's function is called with, never what it should return. Both sides read them
through :func:`load`: the probe in the student's kernel, the verdicts in the grader's process, so the two
always see the same numbers.

Values are plain JSON data:

==========================================  ================================================================
a number, a string, ``true``, ``null``      itself (an int stays an int, a float a float)
``[...]``                                    a list
``{"tuple": [...]}``                         a tuple
``{"array": [...], "dtype": "float64"}``     a numpy array
``{"object": "Bowl", "params": {...}}``      a test problem of :mod:`autograder.probe.objects`; with
                                             ``"method": "grad"``, that method of it
``{"rng": 0}``                               ``SeededRng(0)``, a generator that copies itself from its seed
``{"state": "AdamState", "fields": {...}}``  an optimizer state (a NamedTuple)
==========================================  ================================================================
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from autograder.probe import objects

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def encode(value):
    """The JSON form of a case input (see the module docstring)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, objects.SeededRng):
        return {"rng": value.seed}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"state": type(value).__name__, "fields": {k: encode(v) for k, v in value._asdict().items()}}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, objects.CaseObject):
        return {"object": type(value).__name__, "params": {k: encode(v) for k, v in value.params.items()}}
    owner = getattr(value, "__self__", None)
    if isinstance(owner, objects.CaseObject):
        return {**encode(owner), "method": value.__name__}
    raise TypeError(f"a case input must be plain data or an autograder.probe.objects object, not {value!r}")


def decode(data):
    """The case input whose JSON form is ``data``."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "array" in data:
        return np.array(data["array"], dtype=data["dtype"])
    if "tuple" in data:
        return tuple(decode(v) for v in data["tuple"])
    if "rng" in data:
        return objects.SeededRng(data["rng"])
    if "state" in data:
        return objects.state(data["state"], **{k: decode(v) for k, v in data["fields"].items()})
    if "object" in data:
        obj = objects.KINDS[data["object"]](**{k: decode(v) for k, v in data["params"].items()})
        return getattr(obj, data["method"]) if "method" in data else obj
    raise ValueError(f"not a case input: {data!r}")


def _number(x) -> str:
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def describe(value, limit: int = 90) -> str:
    """A short, readable form of a case input, for labels: ``[0.5, -1]``, ``array of shape (6, 2)``."""
    text = _full(value)
    if len(text) <= limit:
        return text
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        shapes = {np.shape(v) for v in value}
        kind = f" of shape {shapes.pop()}" if len(shapes) == 1 and () not in shapes else ""
        return f"{type(value).__name__} of {len(value)} values{kind}"
    return text


def _full(value) -> str:
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, str):
        return repr(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _number(value)
    if isinstance(value, np.ndarray):
        return _full(value.item() if value.ndim == 0 else value.tolist())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return f"{type(value).__name__}({', '.join(f'{k}={describe(v)}' for k, v in value._asdict().items())})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(describe(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    owner = getattr(value, "__self__", None)
    if isinstance(owner, objects.CaseObject):
        return f"{owner!r}.{value.__name__}"
    return repr(value)


@dataclass
class Case:
    """One call: positional ``args`` (named by ``names``), keyword ``kwargs``, and a ``label`` that shows them."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    names: tuple = ()
    label: str = ""

    def fresh(self) -> tuple[list, dict]:
        return list(copy.deepcopy(self.args)), copy.deepcopy(self.kwargs)

    def call(self, fn: Callable):
        """``fn`` on fresh copies of the inputs."""
        args, kwargs = self.fresh()
        return fn(*args, **kwargs)


@dataclass
class ProbeInputs:
    name: str
    time_limit: float
    cases: list[Case]


def _case(data: dict) -> Case:
    return Case(tuple(decode(data["args"])), {k: decode(v) for k, v in data["kwargs"].items()},
                tuple(data["names"]), data["label"])


def load(name: str) -> ProbeInputs:
    """The inputs of probe ``name`` (``"<assignment>.<function>"``), fresh objects on every call."""
    assignment, _, function = name.partition(".")
    path = os.path.join(DATA, f"{assignment}.json")
    if not assignment.isidentifier() or not os.path.exists(path):
        raise KeyError(f"no cases for assignment {assignment!r}")
    with open(path, encoding="utf-8") as handle:
        probes = json.load(handle)["probes"]
    if function not in probes:
        raise KeyError(f"no probe named {name!r}")
    spec = probes[function]
    return ProbeInputs(name, float(spec["time_limit"]), [_case(c) for c in spec["cases"]])


def dump(assignment: str, probes: dict[str, ProbeInputs]) -> str:
    """The JSON text of ``assignment``'s case file (see :func:`load`)."""
    data = {"assignment": assignment, "probes": {
        function: {"time_limit": spec.time_limit,
                   "cases": [{"label": c.label, "names": list(c.names), "args": encode(list(c.args)),
                              "kwargs": {k: encode(v) for k, v in c.kwargs.items()}} for c in spec.cases]}
        for function, spec in probes.items()}}
    return json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
