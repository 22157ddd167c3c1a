r"""Demos and helpers of chapter 5 (stochastic gradient descent).

* :func:`build` — escaping a saddle. On :class:`solutions.Saddle`,
  :math:`f(\theta) = \theta_1^2 + \tfrac14\theta_2^4 - \tfrac12\theta_2^2`, gradient descent started on the
  :math:`\theta_1` axis walks straight into the saddle point at the origin and stops there, because the
  gradient's :math:`\theta_2` component is exactly zero all the way. The same steps with SGD-like noise
  added to the gradient (seeded Gaussian noise of size :math:`\sigma`) leave the axis, and the saddle's
  downhill direction carries them to one of the two minima :math:`(0, \pm 1)`.
  Controls: the step (a play button), the noise :math:`\sigma` and the seed.
* :func:`sgd_log` — SGD on a linear-regression problem with the sample used at every update and that
  sample's loss (what a training loop logs), next to the cost over the whole data set.

Everything is computed by :mod:`solutions` (``run``, ``run_epochs``, ``gd_step``, ``batches``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

import solutions
from demos import Demo, figure, int_slider, play, slider

SADDLE = solutions.Saddle()
THETA0 = (1.5, 0.0)  # on the θ1 axis: plain GD never leaves it
LR = 0.1
N_STEPS = 100
SIGMA_MAX = 1.0


def gradient_noise(sigma: float, seed: int):
    """A gradient function for the saddle with seeded Gaussian noise of standard deviation ``sigma``
    added to each component (noise-free when ``sigma`` is 0). Calls must come in order: the noise is a
    fixed sequence drawn from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)

    def grad(theta):
        return SADDLE.grad(theta) + sigma * rng.standard_normal(2)

    return grad


@lru_cache(maxsize=256)
def saddle_path(sigma: float, seed: int = 0, n_steps: int = N_STEPS, lr: float = LR,
                theta0: tuple[float, float] = THETA0) -> solutions.Trajectory:
    """Gradient descent on the saddle from ``theta0``, with gradient noise ``sigma`` (0: plain GD)."""
    return solutions.run(solutions.gd_step, np.array(theta0), gradient_noise(sigma, seed), n_steps,
                         SADDLE.f, lr=lr)


def build(sigma: float = 0.3, seed: int = 0, n_steps: int = N_STEPS) -> Demo:
    """The saddle demo: contours with the GD path and the noisy path (left), f against the step (right)."""
    fig, (ax, ax_f) = figure(1, 2, figsize=(7.4, 3.6), gridspec_kw={"width_ratios": [1.15, 1]})

    t1, t2 = np.meshgrid(np.linspace(-1.7, 1.7, 121), np.linspace(-1.5, 1.5, 101))
    ax.contour(t1, t2, SADDLE.f(np.stack([t1, t2], axis=-1)), levels=np.linspace(-0.24, 3.0, 15),
               colors="0.7", linewidths=0.8)
    ax.plot(*SADDLE.minima.T, "*", color="k", ms=9, label="minima $(0, \\pm 1)$")
    ax.plot([0], [0], "x", color="k", ms=8, mew=2, label="saddle $(0, 0)$")
    (gd_line,) = ax.plot([], [], "-", color="C3", lw=1.6, label="GD", animated=True)
    (gd_dot,) = ax.plot([], [], "o", color="C3", ms=6, animated=True)
    (sgd_line,) = ax.plot([], [], "-", color="C0", lw=1.2, label="GD + noise", animated=True)
    (sgd_dot,) = ax.plot([], [], "o", color="C0", ms=6, animated=True)
    ax.set(xlim=(-1.7, 1.7), ylim=(-1.5, 1.5), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", aspect="equal")
    title = ax.set_title("", fontsize=9, animated=True)

    steps = np.arange(n_steps + 1)
    ax_f.axhline(SADDLE.f_star, color="k", lw=0.8, ls=":", label="f at the minima, −¼")
    ax_f.axhline(0.0, color="C3", lw=0.8, ls=":", label="f at the saddle, 0")
    (gd_f,) = ax_f.plot([], [], "-", color="C3", lw=1.6, label="GD", animated=True)
    (sgd_f,) = ax_f.plot([], [], "-", color="C0", lw=1.2, label="GD + noise", animated=True)
    now = ax_f.axvline(0, color="0.5", lw=0.8, animated=True)
    ax_f.set(xlim=(0, n_steps), ylim=(-0.35, 2.4), xlabel="step", ylabel=r"$f(\theta)$")
    # legends outside the axes: the live view blits the paths over a cached background, so nothing
    # static may sit on top of them
    handles, labels = ax.get_legend_handles_labels()
    f_handles, f_labels = ax_f.get_legend_handles_labels()
    keep = [i for i, lab in enumerate(f_labels) if lab.startswith("f at")]
    fig.legend(handles + [f_handles[i] for i in keep], labels + [f_labels[i] for i in keep],
               loc="outside lower center", ncol=3, fontsize=7, frameon=False)
    f_title = ax_f.set_title("", fontsize=9, animated=True)

    def update(step, sigma, seed):
        gd, noisy = saddle_path(0.0, 0, n_steps), saddle_path(float(sigma), int(seed), n_steps)
        k = int(step)
        gd_line.set_data(gd.thetas[: k + 1, 0], gd.thetas[: k + 1, 1])
        gd_dot.set_data([gd.thetas[k, 0]], [gd.thetas[k, 1]])
        sgd_line.set_data(noisy.thetas[: k + 1, 0], noisy.thetas[: k + 1, 1])
        sgd_dot.set_data([noisy.thetas[k, 0]], [noisy.thetas[k, 1]])
        gd_f.set_data(steps[: k + 1], gd.costs[: k + 1])
        sgd_f.set_data(steps[: k + 1], noisy.costs[: k + 1])
        now.set_xdata([k, k])
        title.set_text(f"step {k}, σ = {float(sigma):.2f}, seed {int(seed)}:  "
                       f"θ = ({noisy.thetas[k, 0]:.2f}, {noisy.thetas[k, 1]:.2f})")
        f_title.set_text(f"f: GD {gd.costs[k]:.3f},  GD + noise {noisy.costs[k]:.3f}")

    controls = {
        "step": play(n_steps + 1, value=n_steps, label="step", interval=100),
        "sigma": slider(0.0, SIGMA_MAX, 0.05, value=sigma, label="noise σ"),
        "seed": int_slider(0, 9, value=seed, label="seed"),
    }
    demo = Demo(fig, update, controls, n_frames=26, fps=6)
    demo.artists = {"gd_line": gd_line, "gd_dot": gd_dot, "noisy_line": sgd_line, "noisy_dot": sgd_dot,
                    "gd_f": gd_f, "noisy_f": sgd_f, "title": title}
    return demo


class SGDLog(NamedTuple):
    """``thetas[k]`` and ``costs[k]`` as in :class:`solutions.Trajectory` (cost over all the data after
    ``k`` updates); ``samples[k]`` is the sample used by update ``k + 1`` and ``sample_losses[k]`` its loss
    just before that update (what a training loop prints)."""

    thetas: np.ndarray
    costs: np.ndarray
    samples: np.ndarray
    sample_losses: np.ndarray


def sgd_log(problem: solutions.LinearRegression, theta0, epochs: int, lr: float, seed: int = 0) -> SGDLog:
    """SGD (batch size 1, reshuffled every epoch) with :func:`solutions.run_epochs`, plus the order in which
    it visited the samples (the same seeded permutations, from :func:`solutions.batches`) and each visited
    sample's loss. Checks that replaying the updates in that order gives the same trajectory."""
    path = solutions.run_epochs(solutions.gd_step, theta0, problem, epochs, 1, seed=seed, lr=lr)
    rng = np.random.default_rng(seed)
    order = np.concatenate([np.concatenate(solutions.batches(problem.n_samples, 1, rng)) for _ in range(epochs)])
    before = path.thetas[:-1]
    residual = np.einsum("kd,kd->k", problem.X[order], before) - problem.y[order]
    replay = np.array([solutions.gd_step(t, problem.batch_gradient(t, [n]), lr=lr) for t, n in zip(before, order)])
    if not np.allclose(replay, path.thetas[1:], rtol=0, atol=1e-12):
        raise AssertionError("the replayed sample order does not reproduce run_epochs")
    return SGDLog(path.thetas, path.costs, order, residual**2)
