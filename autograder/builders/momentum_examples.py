"""The sample submissions of ``momentum``: ``python -m autograder.builders.momentum_examples``.

Besides the generic ones (:mod:`autograder.builders.examples`: correct, blank, tampering, cells-tampered,
renamed, invalid-json), one per named mistake, each a string replacement in the source's correct answer
(the generic faults, an error, an infinite loop and a dead kernel, are shown by ``search``):

======================  =================================================================================
other-convention        lecture 004's form v ← μv − αg, θ ← θ + v in place of torch's
mixed-convention        lecture 004's velocity v ← μv − αg with torch's step θ ← θ − αv
dampening               v ← μv + (1 − μ)g (an EMA of the gradients)
lr-twice                v ← μv + αg, then θ ← θ − αv
sign-error              θ + α·direction
mutates-input           the velocity updated inside the input state's array (v = state.v; v *= μ; v += g)
nesterov-old-velocity   Nesterov's step θ − α(g + μv) with the velocity before its update
off-by-one              minimize takes n_steps − 1 steps
======================  =================================================================================
"""

from __future__ import annotations

import os

from autograder.builders.examples import build

V_LINE = "v = momentum * np.asarray(state.v, dtype=float) + grad"
VARIANTS = {
    "other-convention": {"momentum_step": lambda c: c.replace(
        V_LINE, "v = momentum * np.asarray(state.v, dtype=float) - lr * grad  # lecture 004").replace(
        "return theta - lr * direction, MomentumState(v)", "return theta + v, MomentumState(v)")},
    "mixed-convention": {"momentum_step": lambda c: c.replace(
        V_LINE, "v = momentum * np.asarray(state.v, dtype=float) - lr * grad  # lecture 004's velocity")},
    "dampening": {"momentum_step": lambda c: c.replace(V_LINE, V_LINE.replace("+ grad", "+ (1 - momentum) * grad"))},
    "lr-twice": {"momentum_step": lambda c: c.replace(V_LINE, "grad = lr * grad\n    " + V_LINE)},
    "sign-error": {"momentum_step": lambda c: c.replace("theta - lr * direction", "theta + lr * direction")},
    "mutates-input": {"momentum_step": lambda c: c.replace(
        V_LINE, "v = state.v  # reuse the state's array\n    v *= momentum\n    v += grad")},
    "nesterov-old-velocity": {"momentum_step": lambda c: c.replace(
        "grad + momentum * v if nesterov", "grad + momentum * state.v if nesterov")},
    "off-by-one": {"minimize": lambda c: c.replace("for _ in range(n_steps):", "for _ in range(1, n_steps):")},
}

if __name__ == "__main__":
    for path in build("momentum", VARIANTS):
        print(f"wrote {os.path.relpath(path)}")
