"""The sample submissions of ``adaptive``: ``python -m autograder.builders.adaptive_examples``.

Besides the generic ones (:mod:`autograder.builders.examples`: correct, blank, tampering, cells-tampered,
renamed, invalid-json), one per named mistake, each a string replacement in the source's correct answer
(the generic faults, an error, an infinite loop and a dead kernel, are shown by ``search``):

=========================  ==============================================================================
eps-inside-sqrt            Adam divides by √(v̂ + ε)
missing-bias-correction    Adam steps with m and v themselves
t-not-incremented          Adam uses and returns t = state.t (the first step divides by 1 − β⁰ = 0)
lr-twice                   RMSProp multiplies its step by the learning rate again
sum-instead-of-mean        RMSProp accumulates s ← αs + g² (no 1 − α)
mutates-input              AdaGrad adds g² into the input state's array
off-by-one                 exponential_decay is one step ahead, η₀γ^(t+1)
=========================  ==============================================================================
"""

from __future__ import annotations

import os

from autograder.builders.examples import build

VARIANTS = {
    "eps-inside-sqrt": {"adam_step": lambda c: c.replace("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)")},
    "missing-bias-correction": {"adam_step": lambda c: c.replace("m_hat = m / (1 - beta1**t)", "m_hat = m").replace(
        "v_hat = v / (1 - beta2**t)", "v_hat = v")},
    "t-not-incremented": {"adam_step": lambda c: c.replace("t = state.t + 1", "t = state.t")},
    "lr-twice": {"rmsprop_step": lambda c: c.replace("theta - lr * grad", "theta - lr * lr * grad")},
    "sum-instead-of-mean": {"rmsprop_step": lambda c: c.replace("(1 - alpha) * grad**2", "grad**2")},
    "mutates-input": {"adagrad_step": lambda c: c.replace(
        "s = state.s + grad**2", "s = state.s  # reuse the state's array\n    s += grad**2")},
    "off-by-one": {"schedules": lambda c: c.replace("lr0 * gamma**t", "lr0 * gamma ** (t + 1)")},
}

if __name__ == "__main__":
    for path in build("adaptive", VARIANTS):
        print(f"wrote {os.path.relpath(path)}")
