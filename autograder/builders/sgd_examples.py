"""The sample submissions of ``sgd``: ``python -m autograder.builders.sgd_examples``.

Besides the generic ones (:mod:`autograder.builders.examples`: correct, blank, tampering, cells-tampered,
renamed, invalid-json), one per mistake, each a string replacement in the source's correct answer (a
mistake in ``batches`` or ``sgd_epoch`` also reaches the functions that call them, as it would for a
student):

=====================  ==================================================================================
sum-instead-of-mean    sgd_epoch sums the batch's gradients (no 1/|B|)
not-shuffled           batches ignores rng (in order every epoch)
shuffled-once          run_epochs makes a new generator every epoch, so every epoch has the same order
off-by-one             run_epochs runs epochs + 1 epochs
drops-last-batch       batches leaves out the smaller last batch
sign-error             sgd_epoch steps along the gradient (θ + η g)
mutates-input          sgd_epoch updates theta in place (theta -= ...)
=====================  ==================================================================================
"""

from __future__ import annotations

import os

from autograder.builders.examples import build

VARIANTS = {
    "sum-instead-of-mean": {"sgd_epoch": lambda c: c.replace("(Xb @ theta - yb) / len(batch)", "(Xb @ theta - yb)")},
    "not-shuffled": {"batches": lambda c: c.replace(
        "rng.permutation(n_samples) if rng is not None else np.arange(n_samples)", "np.arange(n_samples)")},
    "shuffled-once": {"run_epochs": lambda c: c.replace(
        "        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)",
        "        if seed is not None:\n            rng = np.random.default_rng(seed)  # a new generator every epoch\n"
        "        theta = sgd_epoch(theta, X, y, lr, batch_size, rng)")},
    "off-by-one": {"run_epochs": lambda c: c.replace("range(epochs)", "range(epochs + 1)")},
    "drops-last-batch": {"batches": lambda c: c.replace(
        "range(0, n_samples, batch_size)", "range(0, n_samples - batch_size + 1, batch_size)")},
    "sign-error": {"sgd_epoch": lambda c: c.replace("theta = theta - lr * g", "theta = theta + lr * g")},
    "mutates-input": {"sgd_epoch": lambda c: c.replace(
        "theta = theta - lr * g", "theta -= lr * g  # in place: the first time, this is the caller's theta")},
}

if __name__ == "__main__":
    for path in build("sgd", VARIANTS):
        print(f"wrote {os.path.relpath(path)}")
