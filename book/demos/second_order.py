r"""Chapter 9 (second-order methods): Newton's method, L-BFGS and the first-order methods, side by side.

Everything numeric comes from :mod:`solutions` (the optimizers of ``solutions.OPTIMIZERS``, Newton's
among them, run to a gradient tolerance by ``solutions.optimize``; ``lbfgs``; the test problems); this module
counts the work and draws.

* :func:`newton_path` iterates pure Newton steps (no line search), stopping when the Hessian is singular or
  the iterates blow up;
* :func:`first_order_path` runs GD, momentum, Adam, ... until :math:`\|\nabla f\|_\infty \le` ``gtol``;
* :func:`stepper_demo` is the interactive demo: GD, Newton and L-BFGS stepping on a 2-D problem, with the
  problem, the start and the iteration as controls.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

import solutions

from .core import Demo, choice, figure, play

__all__ = ["Run", "newton_path", "first_order_path", "lbfgs_path", "stepper_demo", "METHOD_COLORS"]

METHOD_COLORS = {"GD": "C0", "Newton": "C3", "L-BFGS": "C2"}


class Run(NamedTuple):
    """Iterates of one method, whether it reached the gradient tolerance, and the work it did."""

    thetas: np.ndarray
    converged: bool
    iterations: int
    evaluations: int  # calls of f and/or ∇f (a Newton iteration also evaluates the Hessian once)


def _as_run(path: solutions.Trajectory) -> Run:
    """A run of ``solutions.optimize`` with a gradient tolerance as a :class:`Run`: it evaluated the
    gradient at every point it kept."""
    return Run(path.thetas, path.status == "converged", path.steps, path.steps + 1)


def newton_path(problem, theta0, max_iter: int = 50, gtol: float = 1e-6) -> Run:
    r"""Pure Newton, :math:`\theta \leftarrow \theta - H^{-1}\nabla f` (``solutions.newton_step``), with no
    line search, until :math:`\|\nabla f\|_\infty \le` ``gtol`` or ``max_iter`` iterations; it stops when
    the Hessian is singular (the step is not finite) or an iterate leaves ``solutions.divergence``'s bound."""
    newton = solutions.OPTIMIZERS["Newton"]
    return _as_run(solutions.optimize(newton, theta0, problem.grad, max_iter, gtol=gtol, hess=problem.hess))


def first_order_path(problem, name: str, lr: float, theta0, max_iter: int, gtol: float = 1e-6) -> Run:
    r"""A first-order optimizer of ``solutions.OPTIMIZERS`` (at its registered defaults) until
    :math:`\|\nabla f\|_\infty \le` ``gtol`` or ``max_iter`` updates."""
    return _as_run(solutions.optimize(solutions.OPTIMIZERS[name], theta0, problem.grad, max_iter, gtol=gtol,
                                      lr=lr))


def lbfgs_path(problem, theta0, gtol: float = 1e-6, memory: int = 10, max_iter: int = 200) -> Run:
    """``solutions.lbfgs`` as a :class:`Run` (its evaluations count calls of f and ∇f together)."""
    res = solutions.lbfgs(problem.f, problem.grad, theta0, memory=memory, max_iter=max_iter, tol=gtol)
    return Run(res.thetas, res.converged, res.iterations, res.evaluations)


# --------------------------------------------------------------------------- the demo


def stepper_demo(problems: dict, n_steps: int = 39, gd_lr: float = 1e-3) -> Demo:
    """GD, Newton and L-BFGS on a 2-D problem, one iteration at a time.

    ``problems`` maps a label to ``(problem, starts, (xlim, ylim))`` where ``starts`` maps a start's label to
    its point. Controls: the problem, the start, and the iteration (play). The static animation steps
    through the iterations of the first problem from its first start.
    """
    labels = list(problems)
    start_labels = sorted({s for _, starts, _ in problems.values() for s in starts}, key=lambda s: s)
    first_starts = list(problems[labels[0]][1])
    fig, (ax, ax_gap) = figure(1, 2, figsize=(7.6, 3.3))
    cache: dict = {}

    def runs(label, start):
        key = (label, start)
        if key not in cache:
            problem, starts, _ = problems[label]
            theta0 = starts.get(start, next(iter(starts.values())))
            cache[key] = {
                "GD": first_order_path(problem, "GD", gd_lr, theta0, n_steps, gtol=1e-10),
                "Newton": newton_path(problem, theta0, n_steps, gtol=1e-10),
                "L-BFGS": lbfgs_path(problem, theta0, gtol=1e-10, max_iter=n_steps),
            }
        return cache[key]

    grids = {}
    for label, (problem, _, (xlim, ylim)) in problems.items():
        X, Y = np.meshgrid(np.linspace(*xlim, 160), np.linspace(*ylim, 160))
        Z = problem.f(np.stack([X, Y], axis=-1))
        grids[label] = (X, Y, Z)
    holder = {"label": None, "artists": None}

    lines, heads, gaps = {}, {}, {}
    for name, color in METHOD_COLORS.items():
        # animated=True: the live view redraws only these over a cached background (demos.core);
        # zorder=3 puts them above the spines in a full draw too, so both pictures agree
        (lines[name],) = ax.plot([], [], ".-", color=color, lw=1.2, ms=4, label=name, animated=True, zorder=3)
        (heads[name],) = ax.plot([], [], "o", color=color, ms=6, animated=True, zorder=3)
        (gaps[name],) = ax_gap.plot([], [], "o-", color=color, lw=1.2, ms=3, label=name, animated=True,
                                    zorder=3)
    (star,) = ax.plot([], [], "*", color="k", ms=10, zorder=1.9)  # under the (animated) paths
    floor = 1e-16
    ax_gap.set(yscale="log", xlabel="iteration", ylabel="f − f*", xlim=(-0.5, n_steps + 0.5),
               ylim=(floor / 4, 1e4))  # values clipped at floor stay off the bottom spine
    ax_gap.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-16, 5, 4)))
    ax_gap.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{int(round(np.log10(v)))}"))
    ax_gap.yaxis.set_minor_locator(NullLocator())
    title = ax.set_title("", fontsize=9, loc="left", animated=True)
    # outside the axes, so that the (animated) curves never cross it
    ax_gap.legend(handles=list(gaps.values()), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                  frameon=False, borderaxespad=0.0)
    static = {"key": None, "demo": None}  # what the cached background shows, and the Demo (set below)

    def draw_contours(label):
        if holder["label"] == label:
            return
        if holder["artists"] is not None:
            holder["artists"].remove()
        X, Y, Z = grids[label]
        problem = problems[label][0]
        levels = np.unique(np.quantile(Z, np.linspace(0.0, 1.0, 18) ** 2))  # dense near the bottom
        holder["artists"] = ax.contour(X, Y, Z, levels=levels, colors="0.75", linewidths=0.6, zorder=1)
        _, _, (xlim, ylim) = problems[label]
        ax.set(xlim=xlim, ylim=ylim, xlabel="θ₁", ylabel="θ₂")
        star.set_data([problem.theta_star[0]], [problem.theta_star[1]])
        holder["label"] = label

    def update(problem, start, step, **_):
        if problem != static["key"]:
            draw_contours(problem)
            static["key"] = problem
            if static["demo"] is not None:
                static["demo"].invalidate()
        prob = problems[problem][0]
        status = []
        for name, run in runs(problem, start).items():
            k = min(step, len(run.thetas) - 1)
            pts = run.thetas[: k + 1]
            lines[name].set_data(pts[:, 0], pts[:, 1])
            heads[name].set_data([pts[-1, 0]], [pts[-1, 1]])
            f = np.maximum(prob.f(pts) - prob.f_star, floor)
            gaps[name].set_data(np.arange(k + 1), f)
            end = "" if k == step else (" (∇f = 0)" if run.converged else " (stopped)")
            status.append(f"{name}: f − f* = {f[-1]:.1e}{end}")
        theta0 = problems[problem][1].get(start, next(iter(problems[problem][1].values())))
        title.set_text(f"{problem} from ({theta0[0]:g}, {theta0[1]:g}): iteration {step}\n"
                       + "   ".join(status))

    controls = {
        "problem": choice(labels, value=labels[0], label="problem"),
        "start": choice(start_labels, value=first_starts[0], label="start"),
        "step": play(n_steps + 1, value=0, label="iteration", interval=400),
    }
    # The static animation: every step while things change fast, then every other one (fewer frames to draw).
    shown = sorted(set(range(min(n_steps, 12) + 1)) | set(range(12, n_steps + 1, 2)) | {n_steps})
    demo = Demo(fig, update, controls, frames=[{"step": k} for k in shown], fps=2)
    static["demo"] = demo
    return demo


# --------------------------------------------------------------------------- the cost of the Hessian

_TIMING_SCRIPT = r"""
import json, sys, time
import numpy as np
sizes, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
out = []
for n in sizes:
    M = rng.standard_normal((n, n))
    H = M + M.T + 2 * n * np.eye(n)  # symmetric positive definite (diagonally dominant), built in O(n^2)
    g = rng.standard_normal(n)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        np.linalg.solve(H, g)
        best = min(best, time.perf_counter() - t)
    out.append(best)
print(json.dumps(out))
"""


def time_solve(sizes, repeats: int = 3, threads: int = 1) -> np.ndarray:
    """Seconds for one ``np.linalg.solve(H, g)`` with an ``N x N`` float64 Hessian, for each ``N`` in
    ``sizes`` (the best of ``repeats``). It runs in a fresh Python with BLAS limited to ``threads``
    threads, so that the measurement is one core's work and not the machine's current load on the others."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    args = [sys.executable, "-c", _TIMING_SCRIPT, json.dumps([int(n) for n in sizes]), str(repeats)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return np.array(json.loads(done.stdout))
