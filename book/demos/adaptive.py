r"""Chapter 8 (AdaGrad, RMSProp, Adam, schedules): the optimizer race and its demo.

Everything numeric comes from :mod:`solutions` (the optimizers of ``solutions.OPTIMIZERS``, run by
``solutions.optimize``); this module only picks the racers, collects the runs, and draws.

* :func:`run` runs one optimizer on one test problem (full gradients), until ``f - f* <= tol`` if given;
* :func:`race` runs every racer over a grid of learning rates and records the steps each needed;
* :func:`minibatch_race` does the same on mini-batch linear regression (final excess cost);
* :func:`race_demo` is the interactive demo: problem, optimizer and learning-rate controls, and a play
  control that steps through the iterations; the static book shows all five optimizers side by side.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

import solutions

from .core import Demo, choice, figure, play, slider

__all__ = ["RACERS", "COLORS", "run", "race", "best_rates", "demo_rates", "minibatch_race", "race_demo"]

#: the optimizers of the race (names of ``solutions.OPTIMIZERS``, at their registered defaults), in order
RACERS = ("GD", "momentum", "AdaGrad", "RMSProp", "Adam")
COLORS = {"GD": "C0", "momentum": "C1", "AdaGrad": "C2", "RMSProp": "C4", "Adam": "C3"}


def run(problem, name: str, lr, theta0, max_steps: int, tol: float | None = None) -> solutions.Trajectory:
    """``solutions.optimize`` with optimizer ``name`` on ``problem`` from ``theta0``, at most ``max_steps``
    full-gradient updates, stopping at ``f - f* <= tol`` or when the run diverges. Its ``costs`` are the
    gaps ``f - f*``. ``lr`` may be a schedule (a function of the step count ``t``)."""
    return solutions.optimize(solutions.OPTIMIZERS[name], theta0, problem.grad, max_steps,
                              lambda theta: problem.f(theta) - problem.f_star, ftol=tol, f_star=0.0, lr=lr)


def race(problems: dict, rates, max_steps: int = 2000, tol: float = 1e-6) -> dict:
    """Every optimizer at every learning rate on every problem.

    ``problems`` maps a label to ``(problem, theta0)``. Returns ``{(label, name, lr): Trajectory}`` (of
    :func:`run`).
    """
    return {
        (label, name, lr): run(problem, name, lr, theta0, max_steps, tol)
        for label, (problem, theta0) in problems.items()
        for name in RACERS
        for lr in rates
    }


def best_rates(results: dict) -> dict:
    """``{(label, name): (lr, steps)}``: the rate that reached the tolerance in the fewest steps
    (``(None, None)`` if none did)."""
    best: dict = {}
    for (label, name, lr), p in results.items():
        current = best.get((label, name), (None, None))
        if p.status == "converged" and (current[1] is None or p.steps < current[1]):
            best[(label, name)] = (lr, p.steps)
        else:
            best.setdefault((label, name), current)
    return best


def demo_rates(results: dict) -> dict:
    """``{(label, name): lr}`` for the demo: the race's best rate, or, for an optimizer that never reached the
    tolerance, the rate whose run stayed lowest on average (the mean of ``log10(f - f*)`` over the run) among
    the runs that did not blow up."""
    out = {}
    for (label, name), (lr, _) in best_rates(results).items():
        if lr is None:
            finite = {r: float(np.mean(np.log10(np.maximum(p.costs, 1e-300))))
                      for (lb, n, r), p in results.items()
                      if lb == label and n == name and p.status != "diverged"}
            lr = min(finite, key=finite.get)
        out[(label, name)] = lr
    return out


def minibatch_race(problem, rates, epochs: int, batch_size: int, seed: int = 0) -> dict:
    """``{(name, lr): excess cost f - f* after the last epoch}`` (``inf`` if the run blew up), for
    mini-batch training with :func:`solutions.run_epochs` (same shuffling seed for everyone)."""
    out = {}
    theta0 = np.zeros(problem.X.shape[1])
    for name in RACERS:
        optimizer = solutions.OPTIMIZERS[name]
        for lr in rates:
            try:
                with np.errstate(all="ignore"):
                    tr = solutions.run_epochs(optimizer.step, theta0, problem, epochs, batch_size, seed=seed,
                                              init=optimizer.init, **{**optimizer.defaults, "lr": lr})
                gap = float(tr.costs[-1]) - problem.f_star
            except ValueError:
                gap = np.inf
            out[(name, lr)] = gap if np.isfinite(gap) else np.inf
    return out


# --------------------------------------------------------------------------- the demo


def _frame_steps(max_steps: int, n_frames: int) -> np.ndarray:
    """Iteration shown at each frame: dense at the start (where most happens), sparse later."""
    k = np.linspace(0, 1, n_frames)
    return np.unique(np.round(max_steps * k**2).astype(int))


def race_demo(problems: dict, base_rates: dict, cache: dict | None = None, max_steps: int = 1500,
              tol: float = 1e-6, n_frames: int = 25) -> Demo:
    """Five optimizers on a 2-D problem: contours with trajectories (left) and ``f - f*`` (right).

    ``problems`` maps a label to ``(problem, theta0, (xlim, ylim))``; ``base_rates[(label, name)]`` is the
    learning rate each optimizer starts from (the race's best). ``cache`` may hold paths already run with
    the same ``max_steps`` and ``tol`` (the output of :func:`race`), keyed ``(label, name, lr)``.
    The controls: the problem, the optimizer (or all five), a learning-rate factor (log10, multiplying each
    base rate) and the iteration (play).
    """
    labels = list(problems)
    frames_at = _frame_steps(max_steps, n_frames)
    fig, (ax, ax_gap) = figure(1, 2, figsize=(7.6, 3.3))
    cache = dict(cache or {})

    def get(label, name, lr):
        key = (label, name, lr)
        if key not in cache:
            problem, theta0, _ = problems[label]
            cache[key] = run(problem, name, lr, theta0, max_steps, tol)
        return cache[key]

    grids = {}
    for label, (problem, _, (xlim, ylim)) in problems.items():
        X, Y = np.meshgrid(np.linspace(*xlim, 160), np.linspace(*ylim, 160))
        grids[label] = (X, Y, problem.f(np.stack([X, Y], axis=-1)) - problem.f_star)
    contour_holder = {"label": None, "artists": None}

    lines, heads, gap_lines = {}, {}, {}
    for name, color in COLORS.items():
        # animated=True: the live view redraws only these over a cached background (demos.core);
        # zorder=3 puts them above the spines in a full draw too, so both pictures agree
        (lines[name],) = ax.plot([], [], "-", color=color, lw=1.3, label=name, animated=True, zorder=3)
        (heads[name],) = ax.plot([], [], "o", color=color, ms=5, animated=True, zorder=3)
        (gap_lines[name],) = ax_gap.plot([], [], "-", color=color, lw=1.3, animated=True, zorder=3)
    (star,) = ax.plot([], [], "*", color="k", ms=10, zorder=1.9)  # under the (animated) paths
    floor = min(tol, 1e-6) / 10
    ax_gap.set(yscale="log", xlabel="iteration t", ylabel="f − f*", xlim=(0, max_steps), ylim=(floor, 1e3))
    # Plain tick labels ("1e-6") instead of mathtext: drawing mathtext ticks dominates a redraw.
    ax_gap.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(np.floor(np.log10(floor)), 4, 3)))
    ax_gap.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{int(round(np.log10(v)))}"))
    ax_gap.yaxis.set_minor_locator(NullLocator())
    marker = ax_gap.axvline(0, color="0.5", lw=0.8, animated=True, zorder=3)
    title = ax.set_title("", fontsize=9, loc="left", animated=True)
    static = {"key": None, "demo": None}  # what the cached background shows, and the Demo (set below)

    def draw_contours(label):
        if contour_holder["label"] == label:
            return
        if contour_holder["artists"] is not None:
            contour_holder["artists"].remove()
        X, Y, Z = grids[label]
        levels = np.geomspace(max(Z.min(), 1e-3), Z.max(), 14)
        contour_holder["artists"] = ax.contour(X, Y, Z + 1e-12, levels=levels, colors="0.75", linewidths=0.6,
                                               zorder=1)
        _, _, (xlim, ylim) = problems[label]
        ax.set(xlim=xlim, ylim=ylim, xlabel="θ₁", ylabel="θ₂")
        star.set_data([problems[label][0].theta_star[0]], [problems[label][0].theta_star[1]])
        contour_holder["label"] = label

    def update(problem, optimizer, log_factor, frame, **_):
        t = int(frames_at[min(frame, len(frames_at) - 1)])
        shown = list(RACERS) if optimizer == "all five" else [optimizer]
        key = (problem, optimizer, log_factor)
        for name in RACERS:
            if name not in shown:
                for artist in (lines[name], heads[name], gap_lines[name]):
                    artist.set_data([], [])
                lines[name].set_label(f"{name} (hidden)")
                continue
            lr = base_rates[(problem, name)] * 10.0**log_factor
            p = get(problem, name, lr)
            k = min(t, len(p.thetas) - 1)
            lines[name].set_data(p.thetas[: k + 1, 0], p.thetas[: k + 1, 1])
            heads[name].set_data([p.thetas[k, 0]], [p.thetas[k, 1]])
            # clipped a little above the axis' bottom, so the curve stays off the bottom spine
            gap_lines[name].set_data(np.arange(k + 1), np.maximum(p.costs[: k + 1], 2 * floor))
            end = {"converged": f"{p.steps} steps", "diverged": "diverged", "ran": f"> {max_steps} steps"}[p.status]
            lines[name].set_label(f"{name}, η = {lr:.2g}\n{end}")
        if key != static["key"]:  # contours and legend are part of the cached background
            draw_contours(problem)
            # outside the axes, so that the (animated) curves never cross it
            ax_gap.legend(handles=[lines[n] for n in RACERS], loc="upper left",
                          bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False, borderaxespad=0.0)
            static["key"] = key
            if static["demo"] is not None:
                static["demo"].invalidate()
        marker.set_xdata([t, t])
        title.set_text(f"{problem}: iteration t = {t}   (learning rates × {10.0**log_factor:.3g})")

    controls = {
        "problem": choice(labels, value=labels[0], label="problem"),
        "optimizer": choice(["all five", *RACERS], value="all five", label="optimizer"),
        "log_factor": slider(-1.0, 1.0, 0.25, value=0.0, label="log10 lr factor"),
        "frame": play(len(frames_at), value=len(frames_at) - 1, label="frame", interval=150),
    }
    frames = [{"problem": labels[0], "frame": i} for i in range(len(frames_at))]
    demo = Demo(fig, update, controls, frames=frames, fps=4)
    static["demo"] = demo
    return demo
