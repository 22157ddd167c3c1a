"""The recognizers added for the ``momentum`` and ``adaptive`` assignments: each names its mistake on a
buggy step and stays quiet on the right one (references from ``solutions``, as in the grader)."""

from typing import NamedTuple

import numpy as np
import pytest

import solutions as S
from autograder import diagnostics as dx
from autograder.cases import Case
from autograder.compare import compare
from autograder.probe import to_jsonable


def agree(alternative, got):
    return compare(to_jsonable(alternative), to_jsonable(got)) is None


def recognized(mistake, ref, case, got):
    return dx.recognize([mistake], ref, case, case.call(ref), got, agree) is not None


class V(NamedTuple):  # a student's own state type: only the field values count
    v: np.ndarray


class S1(NamedTuple):
    s: np.ndarray


class Adam(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    t: int


THETA, G = np.array([1.0, -2.0, 0.5]), np.array([0.5, 3.0, -1.0])
MOM = ("theta", "grad", "state", "lr", "momentum", "nesterov")


def mom_case(nesterov):
    return Case((THETA, G, V(np.array([1.0, -1.0, 2.0])), 0.1, 0.8, nesterov), names=MOM)


def buggy_momentum(kind):
    def step(theta, grad, state, lr, momentum=0.9, nesterov=False):
        g = lr * grad if kind == "lr-in-v" else grad
        v = momentum * state.v - lr * grad if kind == "mixed" else momentum * state.v + g
        direction = g + momentum * (state.v if kind == "old-v" else v) if nesterov else v
        sign = 1 if kind == "sign" else -1
        return theta + sign * lr * direction, V(v)
    return step


@pytest.mark.parametrize("nesterov", [False, True])
def test_step_reversed(nesterov):
    case = mom_case(nesterov)
    assert recognized(dx.step_reversed(), S.momentum_step, case, case.call(buggy_momentum("sign")))
    assert not recognized(dx.step_reversed(), S.momentum_step, case, case.call(S.momentum_step))


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_lr_in_velocity(nesterov):
    case = mom_case(nesterov)
    assert recognized(dx.momentum_lr_in_velocity(), S.momentum_step, case, case.call(buggy_momentum("lr-in-v")))
    assert not recognized(dx.momentum_lr_in_velocity(), S.momentum_step, case, case.call(S.momentum_step))


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_lecture_velocity(nesterov):
    case = mom_case(nesterov)
    mistake = dx.momentum_lecture_velocity()
    assert recognized(mistake, S.momentum_step, case, case.call(buggy_momentum("mixed")))
    assert not recognized(mistake, S.momentum_step, case, case.call(S.momentum_step))
    assert not recognized(mistake, S.momentum_step, case, case.call(buggy_momentum("lr-in-v")))


def test_nesterov_old_velocity_only_with_nesterov():
    case = mom_case(True)
    assert recognized(dx.nesterov_old_velocity(), S.momentum_step, case, case.call(buggy_momentum("old-v")))
    assert not recognized(dx.nesterov_old_velocity(), S.momentum_step, case, case.call(S.momentum_step))
    plain = mom_case(False)
    assert dx.nesterov_old_velocity().alternatives(S.momentum_step, plain, plain.call(S.momentum_step)) == []


ADAM = ("theta", "grad", "state", "lr", "beta1", "beta2", "eps")


def adam_case(t):
    return Case((THETA, G, Adam(np.array([0.1, -0.2, 0.3]), np.array([0.5, 1.0, 0.2]), t), 0.01), names=ADAM)


def adam_variant(used_offset, kept_offset, weights=True):
    def step(theta, grad, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        w1, w2 = (1 - beta1, 1 - beta2) if weights else (1, 1)
        m, v = beta1 * state.m + w1 * grad, beta2 * state.v + w2 * grad**2
        t = state.t + used_offset
        with np.errstate(all="ignore"):
            m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
            return theta - lr * m_hat / (np.sqrt(v_hat) + eps), Adam(m, v, state.t + kept_offset)
    return step


@pytest.mark.parametrize("used, kept", [(0, 0), (0, 1), (2, 2), (1, 0)])
def test_adam_step_count(used, kept):
    case = adam_case(3)
    assert recognized(dx.adam_step_count(), S.adam_step, case, case.call(adam_variant(used, kept)))
    assert not recognized(dx.adam_step_count(), S.adam_step, case, case.call(S.adam_step))


def test_adam_step_count_at_the_first_step_gives_nan():
    """t not incremented at t = 0 divides by 1 − β⁰ = 0: the NaN/inf result is still recognized."""
    case = adam_case(0)
    got = case.call(adam_variant(0, 0))
    assert not np.all(np.isfinite(got[0]))
    assert recognized(dx.adam_step_count(), S.adam_step, case, got)


def test_decayed_sum_rmsprop_and_adam():
    def rms_sum(theta, grad, state, lr=0.01, alpha=0.99, eps=1e-8):
        s = alpha * state.s + grad**2
        return theta - lr * grad / (np.sqrt(s) + eps), S1(s)

    case = Case((THETA, G, S1(np.array([0.5, 1.0, 0.2])), 0.01, 0.9), names=("theta", "grad", "state", "lr", "alpha"))
    assert recognized(dx.decayed_sum("rmsprop"), S.rmsprop_step, case, case.call(rms_sum))
    assert not recognized(dx.decayed_sum("rmsprop"), S.rmsprop_step, case, case.call(S.rmsprop_step))
    case = adam_case(2)
    assert recognized(dx.decayed_sum("adam"), S.adam_step, case, case.call(adam_variant(1, 1, weights=False)))
    assert not recognized(dx.decayed_sum("adam"), S.adam_step, case, case.call(S.adam_step))
    with pytest.raises(ValueError):
        dx.decayed_sum("adagrad")
