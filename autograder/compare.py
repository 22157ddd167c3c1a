"""Compare a probe's recorded value with the reference value, both as :func:`autograder.probe.to_jsonable`
data. Runs in the grader's process. :func:`compare` returns ``None`` when they agree within the tolerance
and otherwise a short reason ("shape (3,) instead of (2, 3)", "best_value: expected 0 but got 3.5")."""

from __future__ import annotations

import numpy as np

_SPECIAL = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


def _number(x):
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str) and x in _SPECIAL:
        return _SPECIAL[x]
    return None


def _floats(data):
    if isinstance(data, list):
        return [_floats(v) for v in data]
    number = _number(data)
    if number is None:
        raise TypeError(f"not a number: {data!r}")
    return number


def as_array(data):
    """Numeric data (a number, an array record, or a nested list of numbers) as a float array, else None."""
    if isinstance(data, dict) and "array" in data:
        data = data["array"]
        if not isinstance(data, list):
            return np.array(_number(data) if _number(data) is not None else np.nan)
    if _number(data) is not None:
        return np.array(_number(data))
    if isinstance(data, list):
        try:
            return np.array(_floats(data), dtype=float)
        except (TypeError, ValueError):  # not numbers, or ragged
            return None
    return None


def describe(data, digits: int = 6) -> str:
    """A short human-readable form of recorded data."""
    arr = as_array(data)
    if arr is not None:
        with np.printoptions(precision=digits, suppress=True, threshold=12, edgeitems=3):
            text = np.array2string(arr, separator=", ") if arr.ndim else f"{float(arr):.{digits}g}"
        return text
    if isinstance(data, list):
        return "(" + ", ".join(describe(v, digits) for v in data) + ")"
    if isinstance(data, dict) and "unsupported" in data:
        return f"<{data['unsupported']}>"
    if isinstance(data, dict) and "dict" in data:
        return "{" + ", ".join(f"{k}: {describe(v, digits)}" for k, v in data["dict"].items()) + "}"
    return repr(data)


def compare(expected, got, rtol: float = 1e-6, atol: float = 1e-9, fields: tuple = (), _path: str = ""):
    """``None`` if ``got`` matches ``expected``, else the reason it does not.

    >>> compare({"array": [1.0, 2.0], "shape": [2], "kind": "f"}, [1.0, 2.0 + 1e-12])
    >>> compare({"array": [1.0, 2.0], "shape": [2], "kind": "f"}, {"array": [1.0], "shape": [1], "kind": "f"})
    'shape (1,) instead of (2,)'
    >>> compare([1.0, 3], [1.0, 4], fields=("value", "evaluations"))
    'evaluations: expected 3 but got 4'
    """
    prefix = f"{_path}: " if _path else ""
    if isinstance(expected, list) and not isinstance(expected, dict) and _tuple_like(expected, fields):
        if not isinstance(got, list):
            return f"{prefix}expected a tuple of {len(expected)} values but got {describe(got)}"
        if len(got) != len(expected):
            return f"{prefix}expected a tuple of {len(expected)} values but got {len(got)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            name = fields[i] if i < len(fields) else f"element {i}"
            reason = compare(e, g, rtol, atol, (), f"{_path}.{name}" if _path else name)
            if reason:
                return reason
        return None
    if isinstance(expected, dict) and "dict" in expected:
        if not (isinstance(got, dict) and "dict" in got) or set(got["dict"]) != set(expected["dict"]):
            return f"{prefix}expected a dict with keys {sorted(expected['dict'])} but got {describe(got)}"
        for key in expected["dict"]:
            reason = compare(expected["dict"][key], got["dict"][key], rtol, atol, (), f"{_path}[{key}]")
            if reason:
                return reason
        return None
    want = as_array(expected)
    if want is None:
        return None if expected == got else f"{prefix}expected {describe(expected)} but got {describe(got)}"
    have = as_array(got)
    if have is None:
        return f"{prefix}expected a number or an array but got {describe(got)}"
    if have.shape != want.shape:
        if have.size == 1 and want.size == 1:
            pass  # 0-d array vs number vs 1-element array: accept
        else:
            return f"{prefix}shape {have.shape} instead of {want.shape}"
    if not np.allclose(have.reshape(want.shape), want, rtol=rtol, atol=atol, equal_nan=True):
        return f"{prefix}expected {describe(expected)} but got {describe(got)}"
    return None


def _tuple_like(expected: list, fields: tuple) -> bool:
    """A list recorded from a tuple (a result with several parts), as opposed to a list of numbers."""
    if fields:
        return True
    return any(isinstance(v, (list, dict)) for v in expected)
