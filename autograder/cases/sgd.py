"""Cases for assignment ``sgd``: mini-batches that are reshuffled every epoch, one epoch of mini-batch SGD on
least squares, and the loop over epochs.

Shuffling must be reproducible: a case that needs randomness carries a :class:`SeededRng`, a
``np.random.Generator`` that copies itself *fresh from its seed* (the probe and the verdict give every call
a deep copy of the inputs), so the student's function and the reference draw the same permutations, and a
used generator does not count as a mutated input. ``run_epochs`` takes the ``seed`` itself.
"""

from __future__ import annotations

import numpy as np

from autograder import diagnostics as dx
from autograder.cases import Case, Probe


class SeededRng(np.random.Generator):
    """``np.random.default_rng(seed)`` (the same stream: PCG64) whose copies start again from the seed."""

    def __init__(self, seed: int):
        super().__init__(np.random.PCG64(seed))
        self.seed = seed

    def __deepcopy__(self, memo):
        return SeededRng(self.seed)

    def __eq__(self, other):
        return isinstance(other, SeededRng) and other.seed == self.seed

    __hash__ = None

    def __repr__(self):
        return f"np.random.default_rng({self.seed})"


HOURS_X = np.array([[1.0], [2.0], [3.0]])
POINTS = np.array([2.0, 4.0, 6.0])


def regression(n, d, seed):
    """A small least-squares data set with 2-decimal numbers: X (n, d), y = X [1, -2, 3, ...] + noise."""
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, d)), 2)
    y = np.round(X @ (np.arange(1, d + 1) * (-1.0) ** np.arange(d)) + 0.1 * rng.normal(size=n), 2)
    return X, y


def _batches_cases():
    names = ("n_samples", "batch_size", "rng")
    return [
        Case((5, 2), names=names, label="batches(5, 2)  (no rng: in order)"),
        Case((10, 4, SeededRng(0)), names=names, label="batches(10, 4, np.random.default_rng(0))"),
        Case((6, 3, SeededRng(42)), names=names, label="batches(6, 3, np.random.default_rng(42))"),
        Case((7, 7, SeededRng(1)), names=names, label="batches(7, 7, np.random.default_rng(1))  (one full batch)"),
        Case((7, 1), names=names, label="batches(7, 1)  (SGD in order)"),
    ]


def _epoch_cases():
    names = ("theta", "X", "y", "lr", "batch_size", "rng")
    X6, y6 = regression(6, 2, 1)
    X8, y8 = regression(8, 2, 2)
    X10, y10 = regression(10, 3, 3)
    return [
        Case((np.array([1.0]), HOURS_X.copy(), POINTS.copy(), 0.01, 1), names=names,
             label="sgd_epoch(theta=[1], X=[[1], [2], [3]], y=[2, 4, 6], lr=0.01, batch_size=1)  (the lecture's SGD)"),
        Case((np.zeros(2), X6, y6, 0.05, 6, SeededRng(5)), names=names,
             label="sgd_epoch(theta=[0, 0], X (6, 2), y, lr=0.05, batch_size=6, rng=np.random.default_rng(5))  "
                   "(a full batch: one GD step)"),
        Case((np.array([0.5, -0.5]), X8, y8, 0.05, 4, SeededRng(3)), names=names,
             label="sgd_epoch(theta=[0.5, -0.5], X (8, 2), y, lr=0.05, batch_size=4, rng=np.random.default_rng(3))"),
        Case((np.zeros(3), X10, y10, 0.02, 4, SeededRng(7)), names=names,
             label="sgd_epoch(theta=[0, 0, 0], X (10, 3), y, lr=0.02, batch_size=4, rng=np.random.default_rng(7))  "
                   "(last batch of 2)"),
        Case((np.array([1.0]), HOURS_X.copy(), POINTS.copy(), 0.01, 2), names=names,
             label="sgd_epoch(theta=[1], X=[[1], [2], [3]], y=[2, 4, 6], lr=0.01, batch_size=2)  (in order)"),
    ]


def _run_cases():
    names = ("theta0", "X", "y", "lr", "epochs", "batch_size", "seed")
    X6, y6 = regression(6, 2, 1)
    X8, y8 = regression(8, 2, 2)
    X10, y10 = regression(10, 3, 3)
    return [
        Case((np.array([1.0]), HOURS_X.copy(), POINTS.copy(), 0.01, 5, 1), names=names,
             label="run_epochs(theta0=[1], X=[[1], [2], [3]], y=[2, 4, 6], lr=0.01, epochs=5, batch_size=1)  "
                   "(the lecture's SGD, in order)"),
        Case((np.zeros(2), X6, y6, 0.05, 4, 6, 0), names=names,
             label="run_epochs(theta0=[0, 0], X (6, 2), y, lr=0.05, epochs=4, batch_size=6, seed=0)  (full batch = GD)"),
        Case((np.zeros(2), X8, y8, 0.05, 3, 4, 3), names=names,
             label="run_epochs(theta0=[0, 0], X (8, 2), y, lr=0.05, epochs=3, batch_size=4, seed=3)"),
        Case((np.zeros(3), X10, y10, 0.02, 3, 4, 11), names=names,
             label="run_epochs(theta0=[0, 0, 0], X (10, 3), y, lr=0.02, epochs=3, batch_size=4, seed=11)"),
    ]


SUM_NOT_MEAN = dx.changed_args(
    "sum instead of mean over the batch (missing 1/|B|)",
    "your steps are |B| times too large: the mini-batch gradient is the MEAN (2/|B|) X_Bᵀ(X_Bθ − y_B) of the "
    "batch's gradients, not their sum",
    lr=lambda b: b["lr"] * b["batch_size"])


def _not_shuffled(arg):
    return dx.changed_args("not shuffled", f"your result matches the samples taken in order: when `{arg}` is "
                           "given, draw the order with rng.permutation(n_samples) (a fresh permutation each "
                           "epoch) and cut it into batches", **{arg: None})


PROBES = [
    Probe("sgd.batches", grade_id="batches_hidden", cases=_batches_cases, reference="solutions:batches", points=2,
          mistakes=(_not_shuffled("rng"), dx.drops_last_batch())),
    Probe("sgd.sgd_epoch", grade_id="sgd_epoch_hidden", cases=_epoch_cases, reference="solutions:sgd_epoch",
          points=3, mistakes=(SUM_NOT_MEAN, dx.step_sign_error("lr"), dx.lr_applied_twice("lr"),
                              _not_shuffled("rng"))),
    Probe("sgd.run_epochs", grade_id="run_epochs_hidden", cases=_run_cases, reference="solutions:minibatch_sgd",
          points=3, fields=("thetas", "costs"),
          mistakes=(dx.off_by_one("epochs"), dx.reused_permutation(), _not_shuffled("seed"), SUM_NOT_MEAN,
                    dx.step_sign_error("lr"), dx.lr_applied_twice("lr"))),
]
