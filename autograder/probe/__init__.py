r"""The kernel side of trusted grading: record what a student's function returns, never judge it.

This package is the only course code the grading kernel can see (the sandbox binds it, and nothing else of
``autograder``): the probe (here), the input cases (:mod:`autograder.probe.inputs`, with the test problems
of :mod:`autograder.probe.objects`) and :mod:`autograder.probe.hide`. It holds no solution, no reference
and no re-implementation of one, and imports nothing from the grader's side of ``autograder``.

A hidden test cell calls ``probe("search.cost", cost)``. The probe reads the input cases of that name
(:func:`autograder.probe.inputs.load`), calls the student's function on each, and displays one record as
plain JSON under the MIME type :data:`MIME` in the cell's output::

    {"probe": "search.cost", "version": 1, "cases": [
        {"ok": true,  "value": {...}, "mutated": [], "seconds": 0.0001},
        {"ok": false, "error": "ValueError: ...", "raised": ["ValueError", "Exception"], "mutated": ["x"], ...},
        {"ok": false, "timeout": true, ...}]}

Nothing here decides pass or fail and nothing here knows the reference outputs: the verdict is computed
later, in the grader's own process (:mod:`autograder.verdicts`), from these records. So patching
``numpy.allclose``, deleting asserts or swallowing exceptions in the kernel changes nothing: the only way
to pass is for the student's function to return the right values.

Per case the probe

* gives the function fresh inputs and records which of them it changed (``mutated``);
* catches any exception (including ``SystemExit``) and records it as text, with the names of its classes
  (``raised``: a ``LinAlgError`` is also a ``ValueError``);
* stops the call after ``time_limit`` seconds (``SIGALRM``), serialising its result included, and records a
  timeout; after a timeout the remaining cases of that probe are skipped, so a looping function costs one
  time limit, not one per case;
* discards what the function prints, and records a result larger than :data:`MAX_VALUE_BYTES` as data by its
  size only (``{"too_large": bytes}``), so that the record always fits in the cell's output.

This module must not import :mod:`solutions` (the grading kernel cannot see it) and uses only numpy and
the standard library.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import inspect
import json
import math
import signal
import sys
import threading
import time

import numpy as np

MIME = "application/vnd.gdho.probe+json"
VERSION = 1
DEFAULT_TIME_LIMIT = 2.0
MAX_ELEMENTS = 100_000  # a larger array is recorded as unsupported (no case needs one)
MAX_VALUE_BYTES = 64 * 1024  # a case's result as JSON: a larger one is recorded by its size only


class ProbeTimeout(BaseException):
    """Raised inside the student's function when a case exceeds its time limit.

    A ``BaseException`` so that a student's ``except Exception`` cannot swallow it.
    """


def to_jsonable(value, _depth=0):
    """Convert a function's result to plain JSON data, keeping what a comparison needs.

    Arrays keep their shape and dtype kind; lists and tuples become lists; a NamedTuple or a dataclass
    keeps its field names (``{"fields": {...}, "type": name}``); non-finite floats become the strings
    ``"nan"``, ``"inf"``, ``"-inf"``; anything else is recorded by type and repr.

    >>> to_jsonable((np.array([1.0, 2.0]), np.float64(0.5), 3))
    [{'array': [1.0, 2.0], 'shape': [2], 'kind': 'f'}, 0.5, 3]
    >>> from collections import namedtuple
    >>> to_jsonable(namedtuple("State", "v t")(np.zeros(1), 2))
    {'fields': {'v': {'array': [0.0], 'shape': [1], 'kind': 'f'}, 't': 2}, 'type': 'State'}
    >>> to_jsonable(float("nan"))
    'nan'
    """
    if _depth > 20:
        return {"unsupported": "too deeply nested"}
    if value is None or isinstance(value, (bool, np.bool_)):
        return None if value is None else bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, np.ndarray):
        if value.size > MAX_ELEMENTS:
            return {"unsupported": f"array of shape {value.shape}: too large to record"}
        if value.dtype.kind in "biuf":
            flat = [to_jsonable(v) for v in value.astype(float if value.dtype.kind == "f" else value.dtype)
                    .ravel().tolist()]
            nested = np.array(flat, dtype=object).reshape(value.shape).tolist() if value.ndim else flat[0]
            return {"array": nested, "shape": list(value.shape), "kind": value.dtype.kind}
        return {"unsupported": f"array of dtype {value.dtype}"}
    if isinstance(value, tuple) and hasattr(value, "_fields") or \
            dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = value._fields if isinstance(value, tuple) else [f.name for f in dataclasses.fields(value)]
        return {"fields": {str(n): to_jsonable(getattr(value, n), _depth + 1) for n in names},
                "type": type(value).__name__}
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ELEMENTS:
            return {"unsupported": f"{type(value).__name__} of length {len(value)}: too large to record"}
        return [to_jsonable(v, _depth + 1) for v in value]
    if isinstance(value, dict):
        return {"dict": {str(k): to_jsonable(v, _depth + 1) for k, v in value.items()}}
    if isinstance(value, range):  # numpy takes a range as the array of its numbers
        if len(value) > MAX_ELEMENTS:
            return {"unsupported": f"range of length {len(value)}: too large to record"}
        return list(value)
    if inspect.isgenerator(value) or type(value).__name__ in ("map", "filter", "zip"):
        return {"unsupported": f"a {type(value).__name__} object (an iterator, not its values): return a list "
                               f"or an array, e.g. list(...)"}
    return {"unsupported": f"{type(value).__name__}: {repr(value)[:200]}"}


_OPAQUE = (np.random.Generator, np.random.RandomState, np.random.BitGenerator)


def _same(a, b, _depth: int = 0) -> bool:
    """Structural equality of an input before and after the call, to detect in-place mutation.

    Arrays, lists, tuples, dicts and the attributes of plain objects (a problem instance, a NamedTuple
    state, a callable test function with parameters) are compared; functions and random generators are
    not (drawing from a generator it was given is the function's job).
    """
    if a is b or _depth > 20:
        return True
    if type(a) is not type(b):
        return False
    if inspect.ismethod(a):  # a test problem's method: the problem itself must not change
        return a.__func__ is b.__func__ and _same(a.__self__, b.__self__, _depth + 1)
    if isinstance(a, _OPAQUE) or isinstance(a, (type, type(len), type(_same))) or inspect.ismodule(a):
        return True
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y, _depth + 1) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k], _depth + 1) for k in a)
    if isinstance(a, (int, float, complex, str, bytes, bool, np.generic)) or a is None:
        return bool(a == b) or (a != a and b != b)  # nan stays nan
    if hasattr(a, "__dict__"):
        return _same(vars(a), vars(b), _depth + 1)
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - not comparable: assume unchanged
        return True


def load_spec(name: str):
    """The input cases of probe ``name`` (``"<assignment>.<function>"``)."""
    from autograder.probe.inputs import load

    return load(name)


def _call_with_limit(fn, args, kwargs, time_limit):
    use_alarm = (time_limit and hasattr(signal, "setitimer")
                 and threading.current_thread() is threading.main_thread())
    if not use_alarm:
        return fn(*args, **kwargs)

    def on_alarm(signum, frame):
        raise ProbeTimeout(f"took longer than {time_limit:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        return fn(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Unrecordable(Exception):
    """The function returned, but its result cannot be recorded as data."""


class _Quiet(io.TextIOBase):
    """Where a tested function's prints go: nowhere (they are not part of its result)."""

    def write(self, text):
        return len(text)


def _record(student_fn, args, kwargs):
    """The function's result as JSON data; a result over :data:`MAX_VALUE_BYTES` as ``{"too_large": bytes}``.
    Runs under the case's time limit, serialisation included."""
    with contextlib.redirect_stdout(_Quiet()), contextlib.redirect_stderr(_Quiet()):
        value = student_fn(*args, **kwargs)
    try:
        data = to_jsonable(value)
        size = len(json.dumps(data, allow_nan=False))
    except ProbeTimeout:
        raise
    except BaseException as exc:  # noqa: BLE001 - e.g. a result whose __repr__ raises
        raise _Unrecordable(f"{type(exc).__name__}: {str(exc)[:200]}") from None
    return data if size <= MAX_VALUE_BYTES else {"too_large": size}


def run_case(student_fn, case, time_limit=DEFAULT_TIME_LIMIT) -> dict:
    """Call ``student_fn`` on one case and return its record (see the module docstring)."""
    args, kwargs = case.fresh()
    before = copy.deepcopy((args, kwargs))
    record: dict = {"ok": False, "mutated": []}
    start = time.perf_counter()
    try:
        value = _call_with_limit(_record, (student_fn, args, kwargs), {}, time_limit)
    except ProbeTimeout as exc:
        record.update(timeout=True, error=f"timeout: the call {exc}")
    except KeyboardInterrupt:
        record.update(timeout=True, error="interrupted: the cell ran out of time")
    except _Unrecordable as exc:
        record["error"] = f"the result could not be recorded: {exc}"
    except BaseException as exc:  # noqa: BLE001 - a student's SystemExit is recorded like any error
        record["error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
        record["raised"] = [cls.__name__ for cls in type(exc).__mro__[:-1]]
    else:
        record.update(ok=True, value=value)
    record["seconds"] = round(time.perf_counter() - start, 6)
    names = case.names
    for i, (old, new) in enumerate(zip(before[0], args)):
        if not _same(old, new):
            record["mutated"].append(names[i] if i < len(names) else f"argument {i + 1}")
    for key in before[1]:
        if not _same(before[1][key], kwargs.get(key)):
            record["mutated"].append(key)
    return record


def collect(name: str, student_fn, time_limit: float | None = None) -> dict:
    """Run every registered case of ``name`` and return the full record (no output)."""
    spec = load_spec(name)
    limit = spec.time_limit if time_limit is None else time_limit
    cases = []
    timed_out = False
    for case in spec.cases:
        if timed_out:
            cases.append({"ok": False, "skipped": True, "mutated": [],
                          "error": "skipped after an earlier case timed out"})
            continue
        if not callable(student_fn):
            cases.append({"ok": False, "mutated": [],
                          "error": f"{name.split('.')[-1]} is not a function (got {type(student_fn).__name__})"})
            continue
        record = run_case(student_fn, case, limit)
        timed_out = bool(record.get("timeout"))
        cases.append(record)
    return {"probe": name, "version": VERSION, "cases": cases}


def probe(name: str, student_fn, time_limit: float | None = None) -> None:
    """Record ``student_fn``'s outputs on the registered cases of ``name`` in the cell's output.

    Returns nothing and never raises because of the student's code: the verdict is not decided here.
    """
    record = collect(name, student_fn, time_limit)
    payload = json.dumps(record, allow_nan=False)
    summary = f"probe {name}: {len(record['cases'])} cases recorded (graded by the instructor)"
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({MIME: json.loads(payload), "text/plain": summary}, raw=True)
            return
    except ImportError:
        pass
    sys.stdout.write(f"{summary}\n{MIME} {payload}\n")
