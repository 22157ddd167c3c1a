"""The sample submissions of ``gd``: ``python -m autograder.builders.gd_examples``.

Besides the generic ones (:mod:`autograder.builders.examples`: correct, blank, tampering, cells-tampered,
renamed, invalid-json), one per mistake, each a string replacement in the source's correct answer:

=====================  ==================================================================================
sum-instead-of-mean    gradient sums over the samples (train, which calls it, goes wrong too)
off-by-one             train runs n_steps − 1 updates
sign-error             last_layer_gradient uses +2(y − ŷ); train steps along the gradient (w + lr·g)
ema-slide-typo         ema uses the slide's C'ᵢ = βCᵢ + (1 − β)Cᵢ₋₁ (and ignores bias_correction)
hessian-factor         max_stable_lr returns 2/λ_max(XᵀX/N), forgetting the Hessian's factor 2
forward-difference     numerical_gradient uses (f(θ + h eᵢ) − f(θ))/h
mutates-input          train updates its array in place (w -= ...), changing the caller's w0
=====================  ==================================================================================
"""

from __future__ import annotations

import os

from autograder.builders.examples import build

VARIANTS = {
    "sum-instead-of-mean": {"gradient": lambda c: c.replace("np.mean(2 * x", "np.sum(2 * x")},
    "off-by-one": {"train": lambda c: c.replace("range(n_steps)", "range(n_steps - 1)")},
    "sign-error": {
        "last_layer_gradient": lambda c: c.replace("dl_dyhat = -2 * (y", "dl_dyhat = 2 * (y"),
        "train": lambda c: c.replace("w = w - lr * gradient", "w = w + lr * gradient"),
    },
    "ema-slide-typo": {"ema": lambda c: c.replace(
        "    out = np.empty_like(values)",
        "    return np.concatenate([values[:1], beta * values[1:] + (1 - beta) * values[:-1]])\n"
        "    out = np.empty_like(values)")},
    "hessian-factor": {"max_stable_lr": lambda c: c.replace("float(X.shape[0] /", "float(2 * X.shape[0] /")},
    "forward-difference": {"numerical_gradient": lambda c: c.replace(
        "(float(f(theta + step)) - float(f(theta - step))) / (2 * h)", "(float(f(theta + step)) - float(f(theta))) / h")},
    "mutates-input": {"train": lambda c: c.replace("ws = [w]", "ws = [w.copy()]").replace(
        "        w = w - lr * gradient(w, x, y)\n        ws.append(w)",
        "        w -= lr * gradient(w, x, y)  # in place: w is w0 itself when w0 is a float array\n"
        "        ws.append(w.copy())")},
}

if __name__ == "__main__":
    for path in build("gd", VARIANTS):
        print(f"wrote {os.path.relpath(path)}")
