"""The comparison accepts what numpy accepts as an array, compares in float64 within a tolerance, and says why
two values differ."""

import numpy as np

from autograder.compare import canon, compare, describe
from autograder.probe import to_jsonable as J


def test_numbers_arrays_and_scalars_interchange():
    assert compare(J(4.0), J(np.float64(4.0 + 1e-12))) is None
    assert compare(J(4.0), J(np.array(4.0))) is None
    assert compare(J(4.0), J(np.array([4.0]))) is None
    assert compare(J(np.array([1.0, 2.0])), [1.0, 2.0]) is None
    assert compare(J(np.array([1.0, 2.0])), J((1, 2))) is None
    assert compare(J(np.float32(0.1)), J(0.1)) is None
    assert str(compare(J(4.0), J(4.1))).startswith("expected 4 but got 4.1 (1 of 1 value differs")


def test_lists_of_arrays_are_the_array_they_stack_into():
    trajectory = [np.array([1.0, 2.0]), np.array([0.5, 1.5]), np.array([0.25, 1.0])]
    assert compare(J(np.stack(trajectory)), J(trajectory)) is None
    assert compare(J(np.stack(trajectory)), J(tuple(trajectory))) is None
    assert compare(J(np.stack(trajectory)), J([list(t) for t in trajectory])) is None
    theta = np.array([[1.0, 2.0], [-1.0, 0.0]])
    assert compare(J(theta), J(list(theta))) is None  # a list of a 2-D array's rows
    assert compare(J([np.array([0, 1]), np.array([2])]), J([[0, 1], [2]])) is None  # ragged: item by item
    assert compare(J([np.array([0, 1]), np.array([2, 3])]), J(np.array([[0, 1], [2, 3]]))) is None


def test_float32_of_the_same_math_passes():
    x = np.linspace(-3, 3, 7)
    exact = np.cumsum(np.exp(x) / 3.0)
    single = np.cumsum(np.exp(x.astype(np.float32)) / np.float32(3.0))
    assert single.dtype == np.float32 and not np.array_equal(single, exact)
    assert compare(J(exact), J(single)) is None


def test_shape_is_checked():
    assert str(compare(J(np.zeros((2, 3))), J(np.zeros(6)))).endswith("(shape (6,) instead of (2, 3))")
    assert str(compare(J(np.zeros(3)), "text")).startswith("expected a number or an array")
    assert "items of different shapes" in str(compare(J(np.zeros((2, 2))), J([np.zeros(2), np.zeros(3)])))


def test_a_difference_says_where_how_much_and_what_is_allowed():
    reason = compare(J(np.array([[18.666666666666668, 1.0], [2.0, 3.0]])),
                     J(np.array([[18.6666, 1.0], [2.0, 3.0]])), rtol=1e-6, atol=1e-9)
    text = str(reason)
    assert reason.path == "" and "1 of 4 values differ first at index (0, 0)" in text
    assert "largest error 6.67e-05 (relative 3.57e-06)" in text
    assert "allowed: |got − expected| ≤ 1e-09 + 1e-06·|expected|" in text
    assert "not finite" in str(compare(J(np.array([1.0])), J(np.array([np.inf]))))


def test_tuples_name_their_fields():
    fields = ("best_theta", "best_value", "evaluations")
    want = J((np.array([2.0]), 0.0, 6))
    assert compare(want, J((np.array([2.0]), 0.0, 6)), fields=fields) is None
    assert compare(want, J([[2.0], 0.0, 6.0]), fields=fields) is None
    reason = compare(want, J((np.array([2.0]), 0.0, 7)), fields=fields)
    assert reason.path == "evaluations" and str(reason).startswith("evaluations: expected 6 but got 7")
    assert str(compare(want, J((np.array([2.0]), 0.0)), fields=fields)) == (
        "expected a tuple of 3 values (best_theta, best_value, evaluations) but got 2")
    assert str(compare(want, J(0.0), fields=fields)).startswith("expected a tuple of 3 values")
    state = J((np.array([1.0, 2.0]), (np.array([0.5, 0.5]), np.array([0.1, 0.2]), 3)))
    assert compare(state, J((np.array([1.0, 2.0]), [np.array([0.5, 0.5]), np.array([0.1, 0.2]), 3.0])),
                   fields=("theta", "state")) is None
    assert compare(state, J((np.array([1.0, 2.0]), [np.array([0.5, 0.5]), np.array([0.1, 0.2]), 4])),
                   fields=("theta", "state")).path == "state[2]"


def test_nan_and_inf():
    assert compare(J(np.array([np.nan, np.inf])), J(np.array([np.nan, np.inf]))) is None
    assert compare(J(np.inf), J(1e308)) is not None
    assert canon(["nan", 1]).shape == (2,)
    assert isinstance(canon([[1], [1, 2]]), list)  # ragged: a list of arrays, not an array


def test_expected_errors_and_other_values():
    assert compare({"raised": "ValueError"}, {"raised": "ValueError"}) is None
    assert str(compare({"raised": "ValueError"}, J(np.zeros(2)))).startswith("expected raises ValueError")
    assert compare("step_decay", "step_decay") is None and compare(None, None) is None


def test_describe_is_short():
    assert describe(J(np.arange(100.0))).count(",") < 10
    assert describe(J((np.array([1.5]), 2.0, 3))) == "([1.5], 2, 3)"
    assert describe(J(np.array([1.0, 2.5]))) == "[1, 2.5]"


def test_states_compare_by_field_name():
    from collections import namedtuple
    from dataclasses import dataclass

    Adam = namedtuple("AdamState", "m v t")
    want = J((np.array([1.0, 2.0]), Adam(np.array([0.1, 0.2]), np.array([0.3, 0.4]), 3)))
    fields = ("theta", "state")
    mine = namedtuple("MyAdam", "t m v")  # the student's own order
    assert compare(want, J((np.array([1.0, 2.0]), mine(3, np.array([0.1, 0.2]), np.array([0.3, 0.4])))),
                   fields=fields) is None
    extra = namedtuple("Counted", "m v t steps")  # an extra field is the student's business
    assert compare(want, J((np.array([1.0, 2.0]), extra(np.array([0.1, 0.2]), np.array([0.3, 0.4]), 3, 99))),
                   fields=fields) is None

    @dataclass
    class AdamData:
        m: np.ndarray
        v: np.ndarray
        t: int

    assert compare(want, J((np.array([1.0, 2.0]), AdamData(np.array([0.1, 0.2]), np.array([0.3, 0.4]), 3))),
                   fields=fields) is None
    assert compare(want, J((np.array([1.0, 2.0]), (np.array([0.1, 0.2]), np.array([0.3, 0.4]), 3))),
                   fields=fields) is None  # a plain tuple, in the reference's order
    wrong = compare(want, J((np.array([1.0, 2.0]), mine(4, np.array([0.1, 0.2]), np.array([0.3, 0.4])))),
                    fields=fields)
    assert wrong.path == "state.t" and str(wrong).startswith("state.t: expected 3 but got 4")
    missing = namedtuple("NoT", "m v")
    assert "without t" in str(compare(want, J((np.array([1.0, 2.0]), missing(np.zeros(2), np.zeros(2)))),
                                      fields=fields))
    one = J(namedtuple("MomentumState", "v")(np.array([5.0, 5.0, 0.5])))
    assert str(compare(one, J(namedtuple("S", "v")(np.array([5.0, 5.0, 1.5]))))).startswith(
        "v: expected [5, 5, 0.5] but got [5, 5, 1.5] (1 of 3 values differ first at index 2")


def test_tuple_results_by_the_students_own_field_names():
    from collections import namedtuple

    fields = ("best_theta", "best_value", "evaluations")
    want = J((np.array([2.0]), 0.0, 6))
    Result = namedtuple("Result", "best_value best_theta evaluations")  # named as the instructions name them
    assert compare(want, J(Result(0.0, np.array([2.0]), 6)), fields=fields) is None
    Other = namedtuple("Other", "a b c")  # other names: by position
    assert compare(want, J(Other(np.array([2.0]), 0.0, 6)), fields=fields) is None


def test_odd_values_are_mismatches_not_crashes():
    assert "does the function `return`" in str(compare(J(4.0), None))
    assert compare(J(4.0), J(10**400)) is not None  # a huge int is inf, not an OverflowError
    state = J((np.zeros(2), __import__("collections").namedtuple("S", "v")(np.zeros(2))))
    assert str(compare(state, J((np.zeros(2), 0.0)), fields=("theta", "state"))).startswith(
        "state: expected a state with the fields (v)")
