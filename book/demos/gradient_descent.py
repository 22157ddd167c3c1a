r"""Demos of chapter 4 (gradient descent).

* :func:`build_cost_curve` — gradient descent stepping down the lecture's cost curve
  :math:`\mathrm{cost}(\omega) = \frac1N\sum_n (x_n\omega - y_n)^2`. Controls: the learning rate
  :math:`\alpha` and the step (with a play button). Left: the cost curve, the iterates so far, the tangent
  at the current point (its slope is the gradient) and the next step as an arrow. Right: the cost against
  the step, on a log scale.
* :func:`build_contour` — gradient descent in two parameters :math:`\theta = (\theta_1, \theta_2) = (w, b)`
  on the model :math:`\hat y = w\cdot x + b` fitted to the lecture's data. Controls: :math:`\eta` and the
  step. Left: contours of :math:`L(\theta)` and the trajectory; right: the cost against the step.

Both redraw by changing existing artists (``set_data``, annotation positions, text), and both are built
on :class:`demos.Demo`, so the static book shows the same ``update`` swept over a few learning rates as a
scrubbable animation.

The helpers :func:`lecture_bias_problem` and :func:`noisy_costs` are used by the chapter's figures too.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib import ticker

import solutions
from demos import Demo, figure, play, slider



class _Demo(Demo):
    """A :class:`Demo` with one more safeguard for robustness.

    ``FuncAnimation`` connects a ``draw_event`` callback (its ``_start``) to the figure's canvas. If
    the animation object outlives ``to_html`` (for example through a reference cycle), the next full
    draw of the live view calls it, and it fails because ``to_html`` has removed its timer.
    Disconnecting the callbacks that ``to_html`` added keeps the live view safe whatever the garbage
    collector does. (:class:`Demo` itself removes the layout engine once the figure is laid out.)
    """

    def to_html(self) -> str:
        registry = self.fig.canvas.callbacks
        before = set(registry.callbacks.get("draw_event", {}))
        try:
            return super().to_html()
        finally:
            for cid in set(registry.callbacks.get("draw_event", {})) - before:
                registry.disconnect(cid)


# --------------------------------------------------------------------------- the 1-D demo


def _plain_log_axis(ax) -> None:
    """Few ticks and no minor ticks on a log axis: tick labels are most of a small figure's drawing time."""
    ax.yaxis.set_major_locator(ticker.LogLocator(numticks=5))
    ax.yaxis.set_minor_locator(ticker.NullLocator())


W0 = 1.0  # the lecture's initial guess
N_STEPS = 20  # the play control runs over steps 0..N_STEPS
W_LIM = (-0.5, 4.5)
COST_LIM = (-1.0, 30.0)
LOG_LIM = (1e-12, 1e4)
#: the static animation: the lecture's α = 0.01 (crawls), 0.1 (close to the best, 3/28), 0.2 (oscillates
#: but converges) and 0.23 (beyond 3/14: diverges), 8 steps each
STATIC_ALPHAS = (0.01, 0.1, 0.2, 0.23)
STATIC_STEPS = 8


@lru_cache(maxsize=256)
def _path_1d(alpha: float, n_steps: int = N_STEPS):
    x, y = solutions.hours_points()
    traj = solutions.run(solutions.gd_step, W0, lambda w: solutions.gradient(w, x, y), n_steps,
                         lambda w: solutions.cost(w, x, y), lr=alpha)
    return traj.thetas.astype(float), traj.costs


def gd_path_1d(alpha: float, n_steps: int = N_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """The iterates :math:`\\omega_0 = 1, \\omega_1, \\dots` of GD on the lecture's cost and their costs."""
    w, c = _path_1d(round(float(alpha), 10), int(n_steps))
    return w.copy(), c.copy()


def build_cost_curve(frames=None) -> Demo:
    """GD on the lecture's cost curve, with a learning-rate slider and a play button over the steps."""
    x, y = solutions.hours_points()
    ws = np.linspace(*W_LIM, 201)
    fig, (ax, ax_log) = figure(1, 2, figsize=(7.4, 3.2), width_ratios=(1.35, 1))

    ax.plot(ws, solutions.cost(ws, x, y), color="C0", lw=1.5)
    ax.axvline(2.0, color="0.85", lw=1, zorder=0)
    (trail,) = ax.plot([], [], "o-", color="C1", ms=4, lw=0.8, alpha=0.6, animated=True)
    (tangent,) = ax.plot([], [], "-", color="C2", lw=2, animated=True)
    (dot,) = ax.plot([], [], "o", color="C3", ms=7, zorder=4, animated=True)
    (nxt,) = ax.plot([], [], "o", color="C3", ms=7, mfc="white", zorder=4, animated=True)
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), annotation_clip=False, animated=True,
                        arrowprops=dict(arrowstyle="->", color="C3", lw=1.8))
    ax.set(xlim=W_LIM, ylim=COST_LIM, xlabel=r"$\omega$", ylabel=r"cost$(\omega)$")
    title = ax.set_title("", fontsize=9, animated=True)
    note = ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top", fontsize=8, color="C3",
                   animated=True)

    (curve,) = ax_log.semilogy([], [], "o-", color="C1", ms=3, lw=1, animated=True)
    ax_log.set(xlim=(-0.5, N_STEPS + 0.5), ylim=LOG_LIM, xlabel="step (epoch)", ylabel="cost")
    _plain_log_axis(ax_log)
    factor_text = ax_log.set_title("", fontsize=9, animated=True)

    def update(alpha, step):
        w, c = gd_path_1d(alpha)
        step = int(step)
        wk, ck = w[step], c[step]
        g = float(solutions.gradient(wk, x, y))
        trail.set_data(w[: step + 1], c[: step + 1])
        dot.set_data([wk], [ck])
        half = 0.6
        tangent.set_data([wk - half, wk + half], [ck - g * half, ck + g * half])
        w_next = wk - alpha * g
        c_next = float(solutions.cost(w_next, x, y))
        nxt.set_data([w_next], [c_next])
        arrow.xy = (float(np.clip(w_next, *W_LIM)), 0.0)
        arrow.set_position((float(np.clip(wk, *W_LIM)), 0.0))
        title.set_text(f"α = {alpha:.3g}, step {step}: ω = {wk:.3g}, slope g = {g:.3g}")
        off = not (W_LIM[0] <= w_next <= W_LIM[1])
        note.set_text(f"next ω = {w_next:.3g} is off the plot: diverging" if off else "")
        curve.set_data(np.arange(step + 1), np.maximum(c[: step + 1], LOG_LIM[0]))
        factor = 1 - alpha * 2 * float(np.mean(x**2))
        factor_text.set_text(f"each step: ω − 2 ← ({factor:.3g})·(ω − 2)")

    controls = {
        "alpha": slider(0.005, 0.25, 0.005, value=0.01, label="α (learning rate)"),
        "step": play(N_STEPS + 1, label="step", interval=400),
    }
    if frames is None:
        frames = [{"alpha": a, "step": k} for a in STATIC_ALPHAS for k in range(STATIC_STEPS)]
    return _Demo(fig, update, controls, frames=frames, fps=2)


# --------------------------------------------------------------------------- the 2-D demo

THETA0 = (0.0, 3.0)  # (w, b) at the start
N_STEPS_2D = 60
#: the static animation: η = 0.05 (smooth but slow along the valley) and η = 0.17 (zig-zags across it)
STATIC_ETAS = (0.05, 0.17)
STATIC_STEPS_2D = tuple(range(0, 60, 5))  # 12 frames per η


def lecture_bias_problem() -> solutions.LinearRegression:
    r"""The lecture's data with a bias: :math:`\hat y = w\cdot x + b`, :math:`\theta = (w, b)`,
    :math:`L(\theta) = \frac1N\sum_n (w x_n + b - y_n)^2`, minimised at :math:`(2, 0)`."""
    x, y = solutions.hours_points()
    return solutions.LinearRegression(np.column_stack([x, np.ones_like(x)]), y)


@lru_cache(maxsize=256)
def _path_2d(eta: float, n_steps: int):
    p = lecture_bias_problem()
    traj = solutions.run(solutions.gd_step, np.array(THETA0), p.grad, n_steps, p.f, lr=eta)
    return traj.thetas, traj.costs


def gd_path_2d(eta: float, n_steps: int = N_STEPS_2D) -> tuple[np.ndarray, np.ndarray]:
    """The iterates :math:`\\theta^0, \\theta^1, \\dots` (rows) of GD on :func:`lecture_bias_problem`."""
    t, c = _path_2d(round(float(eta), 10), int(n_steps))
    return t.copy(), c.copy()


def stable_eta_2d() -> float:
    """The largest stable learning rate of GD on :func:`lecture_bias_problem`: 2 / λ_max(H)."""
    return float(2 / np.linalg.eigvalsh(lecture_bias_problem().hess(None)).max())


def build_contour(frames=None) -> Demo:
    """GD in two parameters on contours of L(w, b), with a learning-rate slider and a play button."""
    p = lecture_bias_problem()
    W, B = np.meshgrid(np.linspace(-0.5, 4.0, 81), np.linspace(-3.0, 4.0, 81))
    L = p.f(np.stack([W, B], axis=-1))
    fig, (ax, ax_log) = figure(1, 2, figsize=(7.4, 3.3), width_ratios=(1.2, 1))
    ax.contour(W, B, L, levels=np.geomspace(0.02, 60, 14), colors="0.6", linewidths=0.8)
    ax.plot(*p.theta_star, "*", color="k", ms=10)
    (path,) = ax.plot([], [], "o-", color="C3", ms=3, lw=1, animated=True)
    (head,) = ax.plot([], [], "o", color="C3", ms=7, animated=True)
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), annotation_clip=False, animated=True,
                        arrowprops=dict(arrowstyle="->", color="C1", lw=1.8))
    ax.set(xlim=(-0.5, 4.0), ylim=(-3.0, 4.0), xlabel=r"$\theta_1 = w$", ylabel=r"$\theta_2 = b$",
           aspect="equal")
    title = ax.set_title("", fontsize=9, animated=True)
    (curve,) = ax_log.semilogy([], [], "-", color="C3", lw=1.2, animated=True)
    ax_log.set(xlim=(0, N_STEPS_2D), ylim=(1e-4, 1e3), xlabel="step t", ylabel=r"$L(\theta^t)$")
    _plain_log_axis(ax_log)
    cost_title = ax_log.set_title("", fontsize=9, animated=True)

    def update(eta, step):
        thetas, costs = gd_path_2d(eta)
        step = int(step)
        path.set_data(thetas[: step + 1, 0], thetas[: step + 1, 1])
        head.set_data([thetas[step, 0]], [thetas[step, 1]])
        nxt = thetas[step] - eta * p.grad(thetas[step])
        arrow.xy = tuple(np.clip(nxt, (-0.5, -3.0), (4.0, 4.0)))
        arrow.set_position(tuple(thetas[step]))
        w, b = thetas[step]
        title.set_text(f"η = {eta:.3g}, t = {step}: θ = ({w:.2f}, {b:.2f})")
        curve.set_data(np.arange(step + 1), np.maximum(costs[: step + 1], 1e-4))
        cost_title.set_text(f"L(θ) at step {step} = {costs[step]:.3g}")

    controls = {
        "eta": slider(0.01, 0.2, 0.005, value=0.17, label="η (learning rate)"),
        "step": play(N_STEPS_2D + 1, label="t", interval=200),
    }
    if frames is None:
        frames = [{"eta": e, "step": k} for e in STATIC_ETAS for k in STATIC_STEPS_2D]
    return _Demo(fig, update, controls, frames=frames, fps=4)


# --------------------------------------------------------------------------- a noisy cost curve


def noisy_costs(n_steps: int = 300, batch_size: int = 4, lr: float = 0.02, seed: int = 0) -> np.ndarray:
    r"""A realistic, noisy training curve: the mini-batch cost :math:`C_i` recorded at each step of
    mini-batch SGD on a synthetic regression problem (``solutions.make_regression(200, 2, noise=1)``)."""
    problem = solutions.make_regression(n=200, d=2, noise=1.0, seed=seed)
    rng = np.random.default_rng(seed)
    theta = np.zeros(2)
    costs = []
    while len(costs) < n_steps:
        for idx in solutions.batches(problem.n_samples, batch_size, rng):
            residual = problem.X[idx] @ theta - problem.y[idx]
            costs.append(float(np.mean(residual**2)))
            theta = solutions.gd_step(theta, problem.batch_gradient(theta, idx), lr)
            if len(costs) == n_steps:
                break
    return np.array(costs)
