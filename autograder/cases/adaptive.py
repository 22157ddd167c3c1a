"""Cases for assignment ``adaptive``: the AdaGrad, RMSProp and Adam steps with explicit states (torch.optim's
conventions: eps outside the square root, RMSProp's s started at 0, Adam's bias correction with t counted
from 1), and the learning-rate schedules.

Fixed numbers. Each step has a case with tiny gradients or a large eps, where eps inside the square root
gives a visibly different step, and cases that start from non-zero states (Adam at t = 3 and t = 10, where a
missing bias correction or an off-by-one t still shows). States are compared by their field values (a
student's own NamedTuples with the same fields are fine). The schedules are functions t → lr; the notebook's
locked ``schedule_values(name, args, ts)`` evaluates one at given steps, which is what the grader records.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case, Probe


class AdaGradState(NamedTuple):
    s: np.ndarray


class RMSPropState(NamedTuple):
    s: np.ndarray


class AdamState(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    t: int


THETA = np.array([1.0, -2.0])
GRAD = np.array([0.5, 3.0])
THETA3 = np.array([0.5, 1.5, -1.0])
GRAD3 = np.array([2.0, -1.0, 0.5])
THETA22 = np.array([[1.0, 2.0], [-1.0, 0.0]])
GRAD22 = np.array([[0.5, -1.0], [2.0, 1.0]])
TINY = np.array([2e-5, -1e-5])


def _adagrad_cases():
    names = ("theta", "grad", "state", "lr", "eps")
    return [
        Case((THETA.copy(), GRAD.copy(), AdaGradState(np.zeros(2)), 0.1), names=names,
             label="adagrad_step(theta=[1, -2], grad=[0.5, 3], state s=[0, 0], lr=0.1)"),
        Case((THETA3.copy(), GRAD3.copy(), AdaGradState(np.array([1.0, 4.0, 0.25])), 0.5), names=names,
             label="adagrad_step(theta=[0.5, 1.5, -1], grad=[2, -1, 0.5], state s=[1, 4, 0.25], lr=0.5)"),
        Case((THETA22.copy(), 1e-3 * GRAD22, AdaGradState(np.zeros((2, 2))), 0.1, 1e-4), names=names,
             label="adagrad_step(theta=[[1, 2], [-1, 0]], grad=[[5e-4, -1e-3], [2e-3, 1e-3]], state s=0 "
                   "(shape (2, 2)), lr=0.1, eps=1e-4)"),
        Case((THETA.copy(), TINY.copy(), AdaGradState(np.array([1e-10, 0.0]))), names=names,
             label="adagrad_step(theta=[1, -2], grad=[2e-5, -1e-5], state s=[1e-10, 0])  (defaults lr=0.01, "
                   "eps=1e-10)"),
    ]


def _rmsprop_cases():
    names = ("theta", "grad", "state", "lr", "alpha", "eps")
    return [
        Case((THETA.copy(), GRAD.copy(), RMSPropState(np.zeros(2))), names=names,
             label="rmsprop_step(theta=[1, -2], grad=[0.5, 3], state s=[0, 0])  (defaults lr=0.01, alpha=0.99, "
                   "eps=1e-8)"),
        Case((THETA3.copy(), GRAD3.copy(), RMSPropState(np.array([1.0, 4.0, 0.25])), 0.05, 0.9), names=names,
             label="rmsprop_step(theta=[0.5, 1.5, -1], grad=[2, -1, 0.5], state s=[1, 4, 0.25], lr=0.05, "
                   "alpha=0.9)"),
        Case((THETA.copy(), 10 * TINY, RMSPropState(np.zeros(2)), 0.01), names=names,
             label="rmsprop_step(theta=[1, -2], grad=[2e-4, -1e-4], state s=[0, 0], lr=0.01)  (tiny gradients)"),
        Case((THETA22.copy(), GRAD22.copy(), RMSPropState(np.array([[0.5, 0.0], [2.0, 1.0]])), 0.1, 0.5),
             {"eps": 1e-3}, names=names,
             label="rmsprop_step(theta=[[1, 2], [-1, 0]], grad=[[0.5, -1], [2, 1]], state s=[[0.5, 0], [2, 1]], "
                   "lr=0.1, alpha=0.5, eps=1e-3)"),
    ]


def _adam_cases():
    names = ("theta", "grad", "state", "lr", "beta1", "beta2", "eps")
    return [
        Case((THETA.copy(), GRAD.copy(), AdamState(np.zeros(2), np.zeros(2), 0), 0.1), names=names,
             label="adam_step(theta=[1, -2], grad=[0.5, 3], state m=[0, 0], v=[0, 0], t=0, lr=0.1)"),
        Case((THETA3.copy(), GRAD3.copy(), AdamState(np.array([0.1, -0.2, 0.3]), np.array([0.5, 1.0, 0.2]), 3),
              0.01), names=names,
             label="adam_step(theta=[0.5, 1.5, -1], grad=[2, -1, 0.5], state m=[0.1, -0.2, 0.3], v=[0.5, 1, 0.2], "
                   "t=3, lr=0.01)"),
        Case((THETA.copy(), TINY.copy(), AdamState(np.zeros(2), np.zeros(2), 0)), names=names,
             label="adam_step(theta=[1, -2], grad=[2e-5, -1e-5], state zeros, t=0)  (defaults lr=1e-3, "
                   "beta1=0.9, beta2=0.999, eps=1e-8)"),
        Case((THETA22.copy(), GRAD22.copy(),
              AdamState(np.array([[0.2, -0.5], [1.0, 0.3]]), np.array([[0.1, 0.4], [2.0, 0.5]]), 10), 0.05, 0.8,
              0.99, 1e-3), names=names,
             label="adam_step(theta=[[1, 2], [-1, 0]], grad=[[0.5, -1], [2, 1]], state m=[[0.2, -0.5], [1, 0.3]], "
                   "v=[[0.1, 0.4], [2, 0.5]], t=10, lr=0.05, beta1=0.8, beta2=0.99, eps=1e-3)"),
    ]


def _schedule_cases():
    names = ("name", "args", "ts")
    ts = [0, 1, 2, 3, 4, 7, 10, 15]
    return [
        Case(("step_decay", (0.1, 3, 0.5), ts), names=names,
             label=f"step_decay(lr0=0.1, step_size=3, gamma=0.5) at t = {ts}"),
        Case(("step_decay", (1.0, 5), ts), names=names,
             label=f"step_decay(lr0=1, step_size=5) (default gamma=0.1) at t = {ts}"),
        Case(("exponential_decay", (0.2, 0.9), ts), names=names,
             label=f"exponential_decay(lr0=0.2, gamma=0.9) at t = {ts}"),
        Case(("exponential_decay", (1.0, 0.5), [0, 1, 2, 6]), names=names,
             label="exponential_decay(lr0=1, gamma=0.5) at t = [0, 1, 2, 6]"),
        Case(("inverse_sqrt_decay", (0.3,), ts), names=names,
             label=f"inverse_sqrt_decay(lr0=0.3) at t = {ts}"),
        Case(("inverse_sqrt_decay", (1.0,), [0, 3, 8, 99]), names=names,
             label="inverse_sqrt_decay(lr0=1) at t = [0, 3, 8, 99]"),
        Case(("cosine_decay", (0.1, 10, 0.01), ts), names=names,
             label=f"cosine_decay(lr0=0.1, t_max=10, lr_min=0.01) at t = {ts}"),
        Case(("cosine_decay", (1.0, 4), [0, 1, 2, 3, 4]), names=names,
             label="cosine_decay(lr0=1, t_max=4) (default lr_min=0) at t = [0, 1, 2, 3, 4]"),
    ]


LR_TWICE = dx.lr_applied_twice("lr")
STEP_FIELDS = ("theta", "state")

PROBES = [
    Probe("adaptive.adagrad_step", grade_id="adagrad_step_hidden", cases=_adagrad_cases,
          reference="solutions:adagrad_step", points=2, fields=STEP_FIELDS,
          mistakes=(dx.eps_inside_sqrt("adagrad"), LR_TWICE, dx.step_reversed())),
    Probe("adaptive.rmsprop_step", grade_id="rmsprop_step_hidden", cases=_rmsprop_cases,
          reference="solutions:rmsprop_step", points=2, fields=STEP_FIELDS,
          mistakes=(dx.eps_inside_sqrt("rmsprop"), dx.decayed_sum("rmsprop"), LR_TWICE, dx.step_reversed())),
    Probe("adaptive.adam_step", grade_id="adam_step_hidden", cases=_adam_cases,
          reference="solutions:adam_step", points=3, fields=STEP_FIELDS,
          mistakes=(dx.missing_bias_correction(), dx.adam_step_count(), dx.eps_inside_sqrt("adam"),
                    dx.decayed_sum("adam"), LR_TWICE, dx.step_reversed())),
    Probe("adaptive.schedule_values", grade_id="schedules_hidden", cases=_schedule_cases,
          reference="solutions:schedule_values", points=4,
          mistakes=(dx.changed_args("off by one in t", "your schedule is one step ahead: t counts from 0, "
                                    "so the first learning rate (t = 0) is lr0 itself",
                                    ts=lambda b: [t + 1 for t in b["ts"]]),
                    dx.changed_args("off by one in t", "your schedule is one step behind: t counts from 0 and "
                                    "the schedule is used as given, lr(t) at step t (no t − 1)",
                                    ts=lambda b: [t - 1 for t in b["ts"]]))),
]
