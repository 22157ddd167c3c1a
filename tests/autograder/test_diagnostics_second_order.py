"""The second-order recognizers (Newton's step, the singular Hessian, the two-loop recursion) name their
mistake on a buggy output and stay quiet on the right one."""

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case
from autograder.compare import compare
from autograder.probe import to_jsonable


def agree(alternative, got):
    return compare(to_jsonable(alternative), to_jsonable(got)) is None


def recognized(mistake, ref, case, got):
    return dx.recognize([mistake], ref, case, case.call(ref), got, agree) is not None


# small local references (numpy only), written from the update rules
def newton_step(theta, grad, hess):
    try:
        return theta - np.linalg.solve(hess, grad)
    except np.linalg.LinAlgError as exc:
        raise ValueError("singular") from exc


def singular_outcome(theta, grad, hess):
    try:
        return newton_step(theta, grad, hess)
    except ValueError:
        return "raised ValueError"


def two_loop(grad, s_history, y_history):
    q, m = np.array(grad, dtype=float), len(s_history)
    rho = [1 / (y_history[i] @ s_history[i]) for i in range(m)]
    a = [0.0] * m
    for i in reversed(range(m)):
        a[i] = rho[i] * (s_history[i] @ q)
        q = q - a[i] * y_history[i]
    if m:
        q = (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1]) * q
    for i in range(m):
        q = q + (a[i] - rho[i] * (y_history[i] @ q)) * s_history[i]
    return q


THETA, G, H = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]), np.array([[4.0, 1, 0], [1, 3, 1], [0, 1, 2]])
STEP = Case((THETA, G, H), names=("theta", "grad", "hess"))
SINGULAR = Case((np.array([0.5, -1.0]), np.array([1.0, 2.0]), np.array([[1.0, 2.0], [2.0, 4.0]])),
                names=("theta", "grad", "hess"))
TWO_LOOP_NAMES = ("grad", "s_history", "y_history")


def history(m, d=4, seed=3):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((d, d))
    A = M @ M.T + d * np.eye(d)
    s = [rng.standard_normal(d) for _ in range(m)]
    return rng.standard_normal(d), s, [A @ v + 0.1 * rng.standard_normal(d) for v in s]


def test_newton_sign_error():
    mistake = dx.newton_sign_error()
    assert recognized(mistake, newton_step, STEP, THETA + np.linalg.solve(H, G))
    assert not recognized(mistake, newton_step, STEP, newton_step(THETA, G, H))
    assert not recognized(mistake, newton_step, STEP, THETA - H @ G)


def test_hessian_not_inverted():
    mistake = dx.hessian_not_inverted()
    assert recognized(mistake, newton_step, STEP, THETA - H @ G)
    assert not recognized(mistake, newton_step, STEP, newton_step(THETA, G, H))
    assert not recognized(mistake, newton_step, STEP, THETA - np.linalg.inv(H) @ G + 1e-3)


def test_singular_not_raised():
    mistake = dx.singular_not_raised()
    theta, g, h = SINGULAR.args
    assert recognized(mistake, singular_outcome, SINGULAR, theta - np.linalg.pinv(h) @ g)
    assert recognized(mistake, singular_outcome, SINGULAR, theta - np.linalg.lstsq(h, g, rcond=None)[0])
    assert not recognized(mistake, singular_outcome, SINGULAR, "raised ValueError")
    assert not recognized(mistake, singular_outcome, SINGULAR, theta - g)


def manual(grad, s, y, order=(False, False), gamma=True):
    """The recursion written out with the first / second loop's order flipped, or without γ."""
    m = len(s)
    q, a = np.array(grad, float), {}
    for i in (range(m) if order[0] else reversed(range(m))):
        a[i] = (s[i] @ q) / (y[i] @ s[i])
        q = q - a[i] * y[i]
    if m and gamma:
        q = q * (s[-1] @ y[-1]) / (y[-1] @ y[-1])
    for i in (reversed(range(m)) if order[1] else range(m)):
        q = q + (a[i] - (y[i] @ q) / (y[i] @ s[i])) * s[i]
    return q


def test_two_loop_helper_is_the_recursion():
    g, s, y = history(5)
    assert np.allclose(dx._two_loop(g, s, y), two_loop(g, s, y))
    assert np.allclose(manual(g, s, y), two_loop(g, s, y))


def test_two_loop_order():
    mistake = dx.two_loop_order()
    g, s, y = history(4)
    case = Case((g, s, y), names=TWO_LOOP_NAMES)
    for order in ((False, True), (True, False), (True, True)):
        assert recognized(mistake, two_loop, case, manual(g, s, y, order))
    assert not recognized(mistake, two_loop, case, two_loop(g, s, y))
    assert not recognized(mistake, two_loop, case, manual(g, s, y, gamma=False))
    one = Case((g, s[:1], y[:1]), names=TWO_LOOP_NAMES)  # with one pair the order cannot matter
    assert not recognized(mistake, two_loop, one, two_loop(g, s[:1], y[:1]))


def test_two_loop_unscaled():
    mistake = dx.two_loop_unscaled()
    g, s, y = history(3)
    case = Case((g, s, y), names=TWO_LOOP_NAMES)
    assert recognized(mistake, two_loop, case, manual(g, s, y, gamma=False))
    assert not recognized(mistake, two_loop, case, two_loop(g, s, y))
    assert not recognized(mistake, two_loop, case, manual(g, s, y, order=(False, True)))
    empty = Case((g, [], []), names=TWO_LOOP_NAMES)
    assert not recognized(mistake, two_loop, empty, g)


def test_two_loop_negated():
    mistake = dx.two_loop_negated()
    g, s, y = history(2)
    case = Case((g, s, y), names=TWO_LOOP_NAMES)
    assert recognized(mistake, two_loop, case, -two_loop(g, s, y))
    assert not recognized(mistake, two_loop, case, two_loop(g, s, y))


def test_recognizers_leave_their_inputs_alone():
    g, s, y = history(3)
    before = (g.copy(), [v.copy() for v in s], [v.copy() for v in y])
    case = Case((g, s, y), names=TWO_LOOP_NAMES)
    for mistake in (dx.two_loop_order(), dx.two_loop_unscaled(), dx.two_loop_negated()):
        mistake.alternatives(two_loop, case, case.call(two_loop))
    assert np.array_equal(g, before[0]) and all(np.array_equal(a, b) for a, b in zip(s, before[1]))
    assert all(np.array_equal(a, b) for a, b in zip(y, before[2]))
