r"""Demos and helpers of chapter 6 (mini-batches).

* :func:`build` — the batch size against the path. Mini-batch SGD on a 2-D linear regression
  (:func:`solutions.make_regression` with ``d=2``) for a fixed number of epochs, for batch sizes
  :math:`B = 2^k`: the path on the contours of the cost (left) and the cost against the epoch (right).
  Small batches make many noisy updates per epoch; the full batch makes one clean update per epoch.
  Controls: :math:`k` (the batch size is :math:`2^k`) and the epoch (a play button).
* :func:`epoch_seconds` — the wall-clock time of one epoch of mini-batch SGD at a given batch size
  (lecture 004's speed experiment, scaled down).

Everything is computed by :mod:`solutions` (``run_epochs``, ``batches``, ``gd_step``).
"""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np

import solutions
from demos import Demo, figure, int_slider, play

N = 128  # samples of the demo's regression problem (batch sizes 1, 2, ..., 128)
K_MAX = 7  # 2**7 = 128 = N: the full batch
EPOCHS = 8
LR = 0.05
THETA0 = (-1.5, -1.0)
SEED = 0


@lru_cache(maxsize=1)
def problem() -> solutions.LinearRegression:
    """The demo's data: 128 samples, 2 features, true weights (1, 2), noise 1 (seed 0)."""
    return solutions.make_regression(n=N, d=2, noise=1.0, seed=SEED)


@lru_cache(maxsize=32)
def path(batch_size: int, epochs: int = EPOCHS, lr: float = LR, seed: int = SEED) -> solutions.Trajectory:
    """Mini-batch SGD from ``THETA0`` for ``epochs`` epochs (shuffled every epoch, seeded)."""
    return solutions.run_epochs(solutions.gd_step, np.array(THETA0), problem(), epochs, batch_size,
                                seed=seed, lr=lr)


def updates_per_epoch(n_samples: int, batch_size: int) -> int:
    r"""The number of updates in one epoch, :math:`\lceil N / B \rceil` (the last batch may be smaller)."""
    return -(-n_samples // batch_size)


def build(k: int = 3, epochs: int = EPOCHS) -> Demo:
    """The batch-size demo. The static version shows every batch size, each growing epoch by epoch."""
    prob = problem()
    fig, (ax, ax_c) = figure(1, 2, figsize=(7.4, 3.5), gridspec_kw={"width_ratios": [1.05, 1]})

    lo, hi = np.array([-2.0, -1.6]), np.array([2.6, 3.2])
    t1, t2 = np.meshgrid(np.linspace(lo[0], hi[0], 120), np.linspace(lo[1], hi[1], 120))
    ax.contour(t1, t2, prob.f(np.stack([t1, t2], axis=-1)), levels=prob.f_star + np.geomspace(0.02, 25, 12),
               colors="0.72", linewidths=0.8)
    ax.plot(*prob.theta_star, "*", color="k", ms=10, label=r"minimum $\theta^\ast$")
    (line,) = ax.plot([], [], "-", color="C0", lw=0.9, alpha=0.9, animated=True)
    (ends,) = ax.plot([], [], "o", color="C1", ms=4, ls="none", label="end of each epoch", animated=True)
    (dot,) = ax.plot([], [], "o", color="C3", ms=6, animated=True)
    ax.plot(*THETA0, "s", color="k", ms=5, label="start")
    ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", aspect="equal")
    # the legend sits outside the axes: the live view blits the path over a cached background
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3, fontsize=7, frameon=False)
    title = ax.set_title("", fontsize=9, animated=True)

    # right: the cost over the whole data set after every update, against epochs; every batch size faint
    for j in range(K_MAX + 1):
        tr = path(2**j, epochs)
        ax_c.plot(np.arange(len(tr.costs)) / updates_per_epoch(N, 2**j), tr.costs - prob.f_star,
                  color="0.85", lw=0.7)
    (cost_line,) = ax_c.plot([], [], "-", color="C0", lw=1.2, animated=True)
    (cost_dot,) = ax_c.plot([], [], "o", color="C3", ms=5, animated=True)
    ax_c.set(yscale="log", xlim=(0, epochs), ylim=(1e-4, 30), xlabel="epoch",
             ylabel=r"$L(\theta) - L(\theta^\ast)$")
    c_title = ax_c.set_title("", fontsize=9, animated=True)

    def update(k, epoch):
        b = 2 ** int(k)
        per = updates_per_epoch(N, b)
        tr = path(b, epochs)
        n = int(epoch) * per  # updates done after `epoch` epochs
        line.set_data(tr.thetas[: n + 1, 0], tr.thetas[: n + 1, 1])
        ends.set_data(tr.thetas[per : n + 1 : per, 0], tr.thetas[per : n + 1 : per, 1])
        dot.set_data([tr.thetas[n, 0]], [tr.thetas[n, 1]])
        u = np.arange(n + 1)
        cost_line.set_data(u / per, tr.costs[: n + 1] - prob.f_star)
        cost_dot.set_data([n / per], [tr.costs[n] - prob.f_star])
        title.set_text(f"B = {b}: {per} update{'s' if per > 1 else ''}/epoch, "
                       f"{n} after {int(epoch)} epoch{'s' if int(epoch) != 1 else ''}")
        c_title.set_text(f"L(θ) − L(θ*) = {tr.costs[n] - prob.f_star:.3g}")

    controls = {
        "k": int_slider(0, K_MAX, value=k, label="log₂ batch size"),
        "epoch": play(epochs + 1, value=epochs, label="epoch", interval=400),
    }
    # static: every batch size, each shown after 1, 4 and 8 epochs (8 x 3 = 24 frames)
    shown = sorted({e for e in (1, 4, epochs) if e <= epochs})
    frames = [{"k": j, "epoch": e} for j in range(K_MAX + 1) for e in shown]
    demo = Demo(fig, update, controls, frames=frames, fps=3)
    demo.artists = {"line": line, "ends": ends, "dot": dot, "cost_line": cost_line, "cost_dot": cost_dot,
                    "title": title}
    return demo


def epoch_seconds(prob: solutions.LinearRegression, batch_size: int, lr: float = 1e-3, repeats: int = 3,
                  seed: int = 0) -> float:
    """The fastest of ``repeats`` timings (seconds) of one epoch of mini-batch SGD on ``prob``: shuffle,
    then for each batch compute the batch gradient and take a step. Only the epoch itself is timed."""
    best = np.inf
    for r in range(repeats):
        rng = np.random.default_rng(seed + r)
        theta = np.zeros(prob.X.shape[1])
        start = time.perf_counter()
        for idx in solutions.batches(prob.n_samples, batch_size, rng):
            theta = solutions.gd_step(theta, prob.batch_gradient(theta, idx), lr=lr)
        best = min(best, time.perf_counter() - start)
    return best
