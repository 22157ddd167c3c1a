"""The sample submissions of ``search``: ``python -m autograder.builders.search_examples``.

Besides the generic ones (:mod:`autograder.builders.examples`: correct, blank, tampering, cells-tampered,
renamed, invalid-json), one per mistake, each a string replacement in the source's correct answer:

=====================  ==================================================================================
sum-instead-of-mean    cost sums the squared errors
sign-error             grid_search keeps the largest value
off-by-one             coarse_to_fine runs levels − 1 levels
mutates-input          cost computes the residual inside y's memory for a scalar w
raises                 cost refers to an undefined name (NameError)
infinite-loop          coarse_to_fine forgets to advance its level counter
kernel-exit            coarse_to_fine calls os._exit when run
=====================  ==================================================================================
"""

from __future__ import annotations

import os

from autograder.builders.examples import build

VARIANTS = {
    "sum-instead-of-mean": {"cost": lambda c: c.replace("np.mean((w[..., None] * x - y) ** 2, axis=-1)",
                                                        "np.sum((w[..., None] * x - y) ** 2, axis=-1)")},
    "sign-error": {"grid_search": lambda c: c.replace("np.argmin(values)", "np.argmax(values)")},
    "off-by-one": {"coarse_to_fine": lambda c: c.replace("for _ in range(levels):", "for _ in range(1, levels):")},
    "mutates-input": {"cost": lambda c: c.replace(
        "    return np.mean(",
        "    if w.ndim == 0:\n        y -= w * x  # reuse y's memory for the residuals\n"
        "        return np.mean(y ** 2)\n    return np.mean(")},
    "raises": {"cost": lambda c: c.replace("axis=-1)", "axis=-1) * N / n_samples")},
    "infinite-loop": {"coarse_to_fine": lambda c: c.replace(
        "    for _ in range(levels):", "    level = 0\n    while level < levels:  # forgot level += 1")},
    "kernel-exit": {"coarse_to_fine": lambda c: c.replace(
        "    box = np.array(bounds, dtype=float)",
        "    import os\n    os._exit(1)\n    box = np.array(bounds, dtype=float)")},
}

if __name__ == "__main__":
    for path in build("search", VARIANTS):
        print(f"wrote {os.path.relpath(path)}")
