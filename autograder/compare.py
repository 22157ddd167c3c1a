r"""Compare a probe's recorded value with the reference's, both as :func:`autograder.probe.to_jsonable` data.
Runs in the grader's process.

What numpy accepts as an array is accepted as one: a number, a numpy scalar, a 0-d array, an array, and
lists or tuples of numbers or of arrays of one shape (a trajectory returned as a list of arrays is the array
they stack into), at any depth. A state (a NamedTuple or dataclass) is compared field by field by name, in
whatever order the student's own type declares them (extra fields are ignored); a plain tuple in the
reference's order is accepted too. Values are compared in float64, elementwise, with

    |got − expected| ≤ atol + rtol·|expected|

(``numpy.allclose``'s rule; NaN equals NaN). :func:`compare` returns ``None`` when the values agree and
otherwise a :class:`Mismatch` that says where (a field of a tuple result, an item of a list), what was
expected and what came back, and, for numbers, the largest absolute and relative errors, the first index
that differs and the tolerance, so that two lines that print alike never stand without a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_SPECIAL = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}
# The grader's default tolerance: what a float32 implementation of the same math, or another order of its
# operations, passes on every case (a question may ask for more, and its instructions then say so).
RTOL, ATOL = 1e-4, 1e-6


def _number(x):
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return float(x) if abs(x) < 1e308 else (np.inf if x > 0 else -np.inf)
    if isinstance(x, float):
        return x
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


def canon(data):
    """Recorded data in comparable form: numbers and array records as float64 arrays, a list whose items are
    arrays of one shape stacked into one array, other lists as lists (of canonical items), dicts by key;
    anything else (text, ``None``, an unsupported value, an expected error) as it is."""
    number = _number(data)
    if number is not None:
        return np.array(number)
    if isinstance(data, dict) and "array" in data:
        try:
            return np.array(_floats(data["array"]), dtype=float).reshape(data.get("shape", np.shape(data["array"])))
        except (TypeError, ValueError):
            return data
    if isinstance(data, dict) and "dict" in data:
        return {"dict": {k: canon(v) for k, v in data["dict"].items()}}
    if isinstance(data, dict) and "fields" in data:
        return {"fields": {k: canon(v) for k, v in data["fields"].items()}, "type": data.get("type", "")}
    if isinstance(data, list):
        items = [canon(v) for v in data]
        if items and all(isinstance(v, np.ndarray) for v in items) and len({v.shape for v in items}) == 1:
            return np.stack(items)
        return items
    return data


def describe(data, digits: int = 6) -> str:
    """A short human-readable form of recorded data."""
    value = canon(data)
    if isinstance(value, np.ndarray):
        with np.printoptions(threshold=12, edgeitems=3):
            return np.array2string(value, separator=", ", formatter={"float_kind": lambda x: f"{x:.{digits}g}"}) \
                if value.ndim else f"{float(value):.{digits}g}"
    if isinstance(data, list):
        return "(" + ", ".join(describe(v, digits) for v in data) + ")"
    if isinstance(data, dict) and "unsupported" in data:
        return f"<{data['unsupported']}>"
    if isinstance(data, dict) and "raised" in data:
        return f"raises {data['raised']}"
    if isinstance(data, dict) and "too_large" in data:
        return f"<a result of {data['too_large']} bytes as data>"
    if isinstance(data, dict) and "dict" in data:
        return "{" + ", ".join(f"{k}: {describe(v, digits)}" for k, v in data["dict"].items()) + "}"
    if isinstance(data, dict) and "fields" in data:
        return f"{data.get('type', '')}(" + ", ".join(f"{k}={describe(v, digits)}" for k, v in data["fields"].items()) + ")"
    return repr(data)


@dataclass
class Mismatch:
    """Where and how a value differs: ``path`` (``""``, ``"ws"``, ``"state[0]"``), the two values there,
    and what is wrong (``"shape (3,) instead of (2, 3)"``, or the errors against the tolerance)."""

    path: str
    expected: object
    got: object
    detail: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        if self.detail.startswith("expected"):
            return where + self.detail
        return f"{where}expected {describe(self.expected)} but got {describe(self.got)} ({self.detail})"


def _errors(want: np.ndarray, have: np.ndarray, rtol: float, atol: float) -> str:
    with np.errstate(all="ignore"):
        bad = ~np.isclose(have, want, rtol=rtol, atol=atol, equal_nan=True)
        diff = np.abs(have - want)
        rel = diff / np.abs(want)
    first = tuple(int(i) for i in np.argwhere(bad)[0]) if want.ndim else ()
    finite = np.isfinite(diff) & bad
    if not finite.any():
        worst = "a value that is not finite where a finite one was expected, or the other way round"
    else:
        worst = f"largest error {float(diff[finite].max()):.3g} (relative {float(np.nanmax(np.where(finite, rel, np.nan))):.3g})"
    at = f" first at index {first[0] if len(first) == 1 else first}" if first else ""
    return (f"{int(bad.sum())} of {want.size} value{'s' if want.size != 1 else ''} differ{'s' if want.size == 1 else ''}"
            f"{at}; {worst}; allowed: |got − expected| ≤ {atol:g} + {rtol:g}·|expected|")


def _compare(want, have, rtol, atol, path) -> Mismatch | None:
    if have is None:
        return _missing_return(want, have, path)
    if isinstance(want, np.ndarray):
        if isinstance(have, list):
            return Mismatch(path, want, have, f"expected an array of shape {want.shape} but got {len(have)} items "
                            "of different shapes or kinds")
        if not isinstance(have, np.ndarray):
            return Mismatch(path, want, have, f"expected a number or an array but got {describe(have)}")
        if have.shape != want.shape:
            if have.size == 1 and want.size == 1:
                have = have.reshape(want.shape)  # a number, a 0-d array and a 1-element array are one value
            else:
                return Mismatch(path, want, have, f"shape {have.shape} instead of {want.shape}")
        if np.allclose(have, want, rtol=rtol, atol=atol, equal_nan=True):
            return None
        return Mismatch(path, want, have, _errors(want, have, rtol, atol))
    if isinstance(want, list):
        if isinstance(have, np.ndarray) and have.ndim >= 1:
            have = list(have)
        if not isinstance(have, list):
            return Mismatch(path, want, have, f"expected {len(want)} values but got {describe(have)}")
        if len(have) != len(want):
            return Mismatch(path, want, have, f"expected {len(want)} values but got {len(have)}")
        for i, (w, h) in enumerate(zip(want, have)):
            found = _compare(w, h, rtol, atol, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(want, dict) and "fields" in want:  # a NamedTuple (an optimizer's state): by field name
        names = list(want["fields"])
        if isinstance(have, dict) and "fields" in have:
            missing = [n for n in names if n not in have["fields"]]
            if missing:
                return Mismatch(path, want, have, f"expected a state with the fields ({', '.join(names)}) but "
                                f"got one without {', '.join(missing)}: {describe(have)}")
            values = [have["fields"][n] for n in names]
        elif isinstance(have, list) and len(have) == len(names) or \
                isinstance(have, np.ndarray) and have.ndim >= 1 and len(have) == len(names):
            values = list(have)  # a plain tuple, in the fields' order
        else:
            return Mismatch(path, want, have, f"expected a state with the fields ({', '.join(names)}) but got "
                            f"{describe(have)}")
        for name, value in zip(names, values):
            found = _compare(want["fields"][name], value, rtol, atol, f"{path}.{name}" if path else name)
            if found:
                return found
        return None
    if isinstance(want, dict) and "dict" in want:
        if not (isinstance(have, dict) and "dict" in have) or set(have["dict"]) != set(want["dict"]):
            return Mismatch(path, want, have, f"expected a dict with keys {sorted(want['dict'])} but got {describe(have)}")
        for key in want["dict"]:
            found = _compare(want["dict"][key], have["dict"][key], rtol, atol, f"{path}[{key!r}]")
            if found:
                return found
        return None
    if not isinstance(have, np.ndarray) and want == have:
        return None
    return Mismatch(path, want, have, f"expected {describe(want)} but got {describe(have)}")


def _missing_return(want, have, path) -> Mismatch | None:
    if have is None and want is not None:
        return Mismatch(path, want, have, f"expected {describe(want)} but got None (does the function "
                                          "`return` its result?)")
    return None


def compare(expected, got, rtol: float = RTOL, atol: float = ATOL, fields: tuple = ()) -> Mismatch | None:
    """``None`` if ``got`` matches ``expected`` (see the module docstring), else the :class:`Mismatch`.
    ``fields`` names the parts of a tuple result, which are then compared one by one.

    >>> compare({"array": [1.0, 2.0], "shape": [2], "kind": "f"}, [1.0, 2.0 + 1e-12])
    >>> str(compare({"array": [1.0, 2.0], "shape": [2], "kind": "f"}, {"array": [1.0], "shape": [1], "kind": "f"}))
    'expected [1, 2] but got [1] (shape (1,) instead of (2,))'
    >>> str(compare([1.0, 3], [1.0, 4], fields=("value", "evaluations")))
    'evaluations: expected 3 but got 4 (1 of 1 value differs; largest error 1 (relative 0.333); allowed: |got − expected| ≤ 1e-06 + 0.0001·|expected|)'
    """
    if fields:  # a result of several parts: by position, or by name when the student's NamedTuple has them
        if isinstance(got, dict) and "fields" in got and set(fields) <= set(got["fields"]):
            got = [got["fields"][name] for name in fields]
        expected, got = (list(v["fields"].values()) if isinstance(v, dict) and "fields" in v else v
                         for v in (expected, got))
        if isinstance(got, dict) and "array" in got:
            got = canon(got)
            got = list(got) if got.ndim else got
        if not isinstance(got, list):
            return Mismatch("", expected, got, f"expected a tuple of {len(fields)} values "
                            f"({', '.join(fields)}) but got {describe(got)}")
        if len(got) != len(expected):
            return Mismatch("", expected, got, f"expected a tuple of {len(expected)} values "
                            f"({', '.join(fields)}) but got {len(got)}")
        for name, want, have in zip(fields, expected, got):  # ``have`` is data, or a row of a stacked result
            found = _compare(canon(want), have if isinstance(have, np.ndarray) else canon(have), rtol, atol, name)
            if found:
                return found
        return None
    return _compare(canon(expected), canon(got), rtol, atol, "")
