"""The sample submissions of ``second_order``: ``python -m autograder.builders.second_order_examples``.

Besides the generic ones (:mod:`autograder.builders.examples`: correct, blank, tampering, cells-tampered,
renamed, invalid-json), one per mistake, each an edit of the source's correct answer:

======================  =================================================================================
sign-error              newton_step returns θ + H⁻¹g
hessian-not-inverted    newton_step returns θ − Hg
pinv                    newton_step uses np.linalg.pinv, so a singular Hessian gives a step, not an error
off-by-one              newton takes n_steps − 1 steps
reversed-loop           lbfgs_two_loop's second loop runs newest pair first
missing-gamma           lbfgs_two_loop leaves out the γ = sᵀy / yᵀy scaling
mutates-input           lbfgs_two_loop reverses the caller's history lists in place (right values)
======================  =================================================================================

The generic faults (raises, infinite loop, kernel exit) are exercised by ``search``'s examples.
"""

from __future__ import annotations

import os

from autograder.builders.examples import build

SOLVE = "p = np.linalg.solve(np.asarray(hess, dtype=float), np.asarray(grad, dtype=float))"

MUTATING_TWO_LOOP = '''def lbfgs_two_loop(grad, s_history, y_history):
    """r ~ H^{-1} grad from the curvature pairs (s_i, y_i), oldest first (two-loop recursion)."""
    q = np.array(grad, dtype=float)
    s_history.reverse()  # newest first, for the first loop
    y_history.reverse()
    a = []
    for s, y in zip(s_history, y_history):
        a.append((s @ q) / (y @ s))
        q = q - a[-1] * y
    if s_history:
        q = (s_history[0] @ y_history[0]) / (y_history[0] @ y_history[0]) * q
    for s, y, a_i in zip(reversed(s_history), reversed(y_history), reversed(a)):
        q = q + (a_i - (y @ q) / (y @ s)) * s
    return q'''

VARIANTS = {
    "sign-error": {"newton_step": lambda c: c.replace("return theta - p", "return theta + p")},
    "hessian-not-inverted": {"newton_step": lambda c: c.replace(
        SOLVE, "p = np.asarray(hess, dtype=float) @ np.asarray(grad, dtype=float)")},
    "pinv": {"newton_step": lambda c: c.replace(
        SOLVE, "p = np.linalg.pinv(np.asarray(hess, dtype=float)) @ np.asarray(grad, dtype=float)")},
    "off-by-one": {"newton": lambda c: c.replace("for _ in range(n_steps):", "for _ in range(1, n_steps):")},
    "reversed-loop": {"lbfgs_two_loop": lambda c: c.replace("    for i in range(m):  # oldest pair first",
                                                            "    for i in reversed(range(m)):")},
    "missing-gamma": {"lbfgs_two_loop": lambda c: c.replace(
        "        q = (s @ y) / (y @ y) * q  # gamma, from the newest pair\n", "        pass\n")},
    "mutates-input": {"lbfgs_two_loop": lambda c: MUTATING_TWO_LOOP},
}

if __name__ == "__main__":
    for path in build("second_order", VARIANTS):
        print(f"wrote {os.path.relpath(path)}")
