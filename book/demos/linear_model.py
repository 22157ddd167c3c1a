r"""Demo of chapter 1 (the linear model and its cost): a slider on the weight :math:`\omega`.

Left: the data (hours → points), the line :math:`\hat y = x \cdot \omega`, the residuals
:math:`\hat y_n - y_n` as vertical segments, and the prediction at :math:`x = 4`.
Right: the cost curve :math:`\mathrm{cost}(\omega)` with the current point on it.

In a kernel the slider moves the line; in the static book the same ``update`` is swept over
:math:`\omega` as a scrubbable animation.
"""

from __future__ import annotations

import numpy as np

import solutions
from demos import Demo, figure, slider

W_MIN, W_MAX, W_STEP = 0.0, 4.0, 0.05
#: the static animation's frames: ω = 0, 0.125, ..., 4 (33 frames, ω = 2 included)
STATIC_WS = np.linspace(W_MIN, W_MAX, 33)
X_NEW = 4.0  # the lecture's question: how many points after 4 hours?


def build(w0: float = 1.0, frames=None) -> Demo:
    """The demo: a figure with the fit and the cost curve, and a slider on ω (starts at ``w0``)."""
    x, y = solutions.hours_points()
    ws = np.linspace(W_MIN, W_MAX, 201)
    costs = solutions.cost(ws, x, y)

    fig, (ax_fit, ax_cost) = figure(1, 2, figsize=(7.2, 3.2))
    # the artists that update() changes are animated: the live view blits them over a cached background

    # left: data, fitted line, residual segments, prediction at x = 4
    xs_line = np.array([0.0, 4.5])
    ax_fit.plot(x, y, "o", color="C0", zorder=3, label="data $(x_n, y_n)$")
    (line,) = ax_fit.plot([], [], "-", color="C1", label=r"$\hat y = x\cdot\omega$", animated=True)
    residuals = [ax_fit.plot([], [], "-", color="C3", lw=1.5, animated=True)[0] for _ in x]
    residuals[0].set_label(r"residual $\hat y_n - y_n$")
    (pred,) = ax_fit.plot([], [], "s", color="C1", mfc="white", zorder=3, label=r"prediction at $x=4$",
                         animated=True)
    ax_fit.set(xlim=(0, 4.5), ylim=(0, 18.5), xlabel="x (hours)", ylabel="y (points)")
    ax_fit.legend(loc="upper left", fontsize=8, frameon=False)
    fit_title = ax_fit.set_title("", fontsize=10, animated=True)

    # right: the cost curve and the current point
    ax_cost.plot(ws, costs, color="C0")
    ax_cost.axvline(2.0, color="0.8", lw=1, zorder=0)
    (dot,) = ax_cost.plot([], [], "o", color="C3", zorder=3, animated=True)
    (drop,) = ax_cost.plot([], [], ":", color="C3", lw=1, animated=True)
    ax_cost.set(xlim=(W_MIN, W_MAX), ylim=(-1, costs.max() * 1.05), xlabel=r"$\omega$",
                ylabel=r"cost$(\omega)$")
    cost_title = ax_cost.set_title("", fontsize=10, animated=True)

    def update(w):
        y_hat = solutions.forward(x, w)
        line.set_data(xs_line, solutions.forward(xs_line, w))
        for seg, xn, yn, yh in zip(residuals, x, y, y_hat):
            seg.set_data([xn, xn], [yn, yh])
        pred.set_data([X_NEW], [solutions.forward(X_NEW, w)])
        c = float(solutions.cost(w, x, y))
        dot.set_data([w], [c])
        drop.set_data([w, w], [0, c])
        fit_title.set_text(f"ω = {w:.3g}:  ŷ(4) = {4 * w:.3g}")
        cost_title.set_text(f"cost(ω) = {c:.3g}")

    demo = Demo(fig, update, {"w": slider(W_MIN, W_MAX, W_STEP, value=w0, label="ω")},
                frames={"w": [float(v) for v in STATIC_WS]} if frames is None else frames, fps=4)
    demo.artists = {"line": line, "residuals": residuals, "prediction": pred, "dot": dot}
    return demo
