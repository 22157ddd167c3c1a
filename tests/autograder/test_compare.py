import numpy as np

from autograder.compare import as_array, compare, describe
from autograder.probe import to_jsonable as J


def test_numbers_arrays_and_scalars_interchange():
    assert compare(J(4.0), J(np.float64(4.0 + 1e-12))) is None
    assert compare(J(4.0), J(np.array(4.0))) is None
    assert compare(J(np.array([1.0, 2.0])), [1.0, 2.0]) is None
    assert compare(J(4.0), J(4.1)) == "expected 4 but got 4.1"


def test_shape_is_checked():
    assert compare(J(np.zeros((2, 3))), J(np.zeros(6))) == "shape (6,) instead of (2, 3)"
    assert compare(J(np.zeros(3)), "text").startswith("expected a number or an array")


def test_tuples_name_their_fields():
    fields = ("best_theta", "best_value", "evaluations")
    want = J((np.array([2.0]), 0.0, 6))
    assert compare(want, J((np.array([2.0]), 0.0, 6)), fields=fields) is None
    assert compare(want, J((np.array([2.0]), 0.0, 7)), fields=fields) == "evaluations: expected 6 but got 7"
    assert compare(want, J((np.array([2.0]), 0.0)), fields=fields) == "expected a tuple of 3 values but got 2"
    assert compare(want, J(0.0), fields=fields).startswith("expected a tuple of 3 values but got 0")


def test_nan_and_inf():
    assert compare(J(np.array([np.nan, np.inf])), J(np.array([np.nan, np.inf]))) is None
    assert compare(J(np.inf), J(1e308)) is not None
    assert as_array(["nan", 1]).shape == (2,)
    assert as_array([[1], [1, 2]]) is None  # ragged


def test_describe_is_short():
    assert describe(J(np.arange(100.0))).count(",") < 10
    assert describe(J((np.array([1.5]), 2.0, 3))) == "([1.5], 2, 3)"
