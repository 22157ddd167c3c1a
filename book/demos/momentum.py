r"""Chapter 7, momentum and Nesterov: paths on ill-conditioned quadratics, the lectures' own forms of the
update, tuned rates against the condition number, and the chapter's two demos.

Every trajectory in the PyTorch convention comes from ``solutions.optimize`` with the registered
optimizers "GD", "momentum" and "Nesterov" (:func:`solutions.gd_step`, :func:`solutions.momentum_step`).
The lectures' forms (lecture 004's :math:`v \leftarrow \lambda v - \eta\nabla L`, lecture 003's
look-ahead Nesterov) are written out here only so that the chapter can compare them with the reference
step.
"""

from __future__ import annotations

import numpy as np

import solutions

from matplotlib.ticker import NullLocator

from .core import Demo, figure, play, slider, toggle

__all__ = [
    "METHODS",
    "THETA0",
    "contour_demo",
    "ellipse",
    "lecture003_nesterov",
    "lecture004_momentum",
    "quadratic",
    "race_demo",
    "run",
    "spectral_radius",
    "tuned",
]

#: the three methods of the chapter, in the order they are drawn
METHODS = ("GD", "momentum", "Nesterov")
COLORS = {"GD": "C0", "momentum": "C3", "Nesterov": "C2"}
#: the rotation of the quadratics' axes, so that the valley is not aligned with a coordinate
ANGLE = np.pi / 6
#: the start of every path on the quadratics, as an offset from the minimiser: 2.2 along the flat
#: direction (eigenvalue 1) and 0.5 along the steep one (eigenvalue kappa)
THETA0 = -2.2 * np.array([np.cos(ANGLE), np.sin(ANGLE)]) + 0.5 * np.array([-np.sin(ANGLE), np.cos(ANGLE)])


def quadratic(kappa: float) -> solutions.Quadratic:
    r"""The chapter's test problem: eigenvalues :math:`\lambda_{\min} = 1` and
    :math:`\lambda_{\max} = \kappa`, axes turned by ``ANGLE``."""
    return solutions.Quadratic(kappa, angle=ANGLE)


def tuned(method: str, kappa: float, lam_min: float = 1.0) -> tuple[float, float]:
    r"""The classical tuned ``(lr, momentum)`` for a quadratic with curvatures in
    :math:`[\lambda_{\min}, \kappa\lambda_{\min}]`.

    GD: :math:`\alpha = 2/(\lambda_{\max} + \lambda_{\min})`. Heavy ball (Polyak):
    :math:`\alpha = 4/(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2`,
    :math:`\mu = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2`. Nesterov: :math:`\alpha = 1/\lambda_{\max}`,
    :math:`\mu = (\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.

    >>> tuned("GD", 9.0)
    (0.2, 0.0)
    >>> tuned("momentum", 9.0)
    (0.25, 0.25)
    """
    lam_max = kappa * lam_min
    r = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    if method == "GD":
        return 2 / (lam_max + lam_min), 0.0
    if method == "momentum":
        return float(4 / (np.sqrt(lam_max) + np.sqrt(lam_min)) ** 2), float(r**2)
    if method == "Nesterov":
        return 1 / lam_max, float(r)
    raise ValueError(f"unknown method {method!r}; use one of {METHODS}")


def run(problem, method: str, lr: float, mu: float, n_steps: int = 100_000, tol: float | None = None,
        theta0=None) -> solutions.Trajectory:
    r"""``method`` ("GD", "momentum" or "Nesterov" of ``solutions.OPTIMIZERS``, with momentum ``mu``; GD has
    none) run by ``solutions.optimize`` from ``theta0`` (default ``theta_star + THETA0``) for ``n_steps``
    updates or until it diverges. With ``tol`` it stops at the first
    :math:`\|\theta_k - \theta^*\| \le \text{tol}\,\|\theta_0 - \theta^*\|`, and raises ``RuntimeError``
    if that takes more than ``n_steps``, so that ``.steps`` is the number of updates it needed."""
    theta0 = problem.theta_star + THETA0 if theta0 is None else np.asarray(theta0, dtype=float)
    hyper = {"lr": lr} if method == "GD" else {"lr": lr, "momentum": mu}
    xtol = None if tol is None else tol * np.linalg.norm(theta0 - problem.theta_star)
    out = solutions.optimize(solutions.OPTIMIZERS[method], theta0, problem.grad, n_steps, xtol=xtol,
                             theta_star=problem.theta_star, **hyper)
    if tol is not None and out.status != "converged":
        raise RuntimeError(f"{method} did not reach tol={tol} in {n_steps} steps ({out.status})")
    return out


def _padded(thetas: np.ndarray, n_steps: int) -> np.ndarray:
    """The ``(n_steps + 1, d)`` iterates of a run, NaN after the last one (the run diverged)."""
    out = np.full((n_steps + 1, thetas.shape[1]), np.nan)
    out[: len(thetas)] = thetas
    return out


def lecture004_momentum(grad_fn, theta0, eta: float, lam: float, n_steps: int):
    r"""Lecture 004's form, as on its slide: :math:`v^0 = 0`, :math:`v^{i} = \lambda v^{i-1} - \eta \nabla
    L(\theta^{i-1})`, :math:`\theta^{i} = \theta^{i-1} + v^{i}`. ``eta`` may be a function of the step.
    Returns the iterates :math:`\theta^0..\theta^n`, the movements :math:`v^0..v^n` and the gradients
    :math:`\nabla L(\theta^0)..\nabla L(\theta^{n-1})`."""
    theta = np.asarray(theta0, dtype=float)
    v = np.zeros_like(theta)
    thetas, vs, grads = [theta], [v], []
    for i in range(n_steps):
        g = np.asarray(grad_fn(theta), dtype=float)
        step = eta(i) if callable(eta) else eta
        v = lam * v - step * g
        theta = theta + v
        thetas.append(theta), vs.append(v), grads.append(g)
    return np.array(thetas), np.array(vs), np.array(grads)


def lecture003_nesterov(grad_fn, x0, alpha: float, rho: float, n_steps: int):
    r"""Lecture 003's look-ahead Nesterov: :math:`v_{t+1} = \rho v_t - \alpha \nabla f(x_t + \rho v_t)`,
    :math:`x_{t+1} = x_t + v_{t+1}`, from :math:`v_0 = 0`. Returns the points :math:`x_t` and the velocities
    :math:`v_t`, :math:`t = 0..n`."""
    x = np.asarray(x0, dtype=float)
    v = np.zeros_like(x)
    xs, vs = [x], [v]
    for _ in range(n_steps):
        v = rho * v - alpha * np.asarray(grad_fn(x + rho * v), dtype=float)
        x = x + v
        xs.append(x), vs.append(v)
    return np.array(xs), np.array(vs)


def spectral_radius(method: str, lr: float, mu: float, eigenvalues) -> float:
    r"""The asymptotic rate of a method on a quadratic: the largest :math:`|z|` of the per-eigenvalue
    iteration matrices. GD: :math:`1 - \alpha\lambda`. Heavy ball: the roots of
    :math:`z^2 - (1 + \mu - \alpha\lambda) z + \mu`. Nesterov (PyTorch form): the roots of
    :math:`z^2 - (1 + \mu)(1 - \alpha\lambda) z + \mu (1 - \alpha\lambda)`."""
    worst = 0.0
    for lam in np.atleast_1d(eigenvalues):
        if method == "GD":
            roots = [1 - lr * lam]
        elif method == "momentum":
            roots = np.roots([1.0, -(1 + mu - lr * lam), mu])
        elif method == "Nesterov":
            c = 1 - lr * lam
            roots = np.roots([1.0, -(1 + mu) * c, mu * c])
        else:
            raise ValueError(f"unknown method {method!r}")
        worst = max(worst, float(np.max(np.abs(roots))))
    return worst


def ellipse(problem: solutions.Quadratic, level: float, n: int = 121) -> tuple[np.ndarray, np.ndarray]:
    r"""The level set :math:`f(\theta) = \text{level}` of a quadratic, an ellipse, as x and y arrays (so a
    demo can redraw its contours with ``set_data`` when :math:`\kappa` changes)."""
    lam, vec = np.linalg.eigh(problem.A)
    phi = np.linspace(0, 2 * np.pi, n)
    u = np.sqrt(2 * level / lam)[:, None] * np.array([np.cos(phi), np.sin(phi)])
    pts = problem.theta_star[:, None] + vec @ u
    return pts[0], pts[1]


# --------------------------------------------------------------------------- demo 1: sliders on contours

N_STEPS = 60
LEVELS = 0.5 ** np.arange(0, 14, 1.5)  # fractions of f(theta0) drawn as contours
XLIM, YLIM = (-2.6, 2.6), (-1.6, 1.6)


def _clip_for_plot(pts: np.ndarray) -> np.ndarray:
    """Points far outside the view are dropped so that a diverging path does not draw long spikes."""
    pts = pts.copy()
    far = np.abs(pts).max(axis=1) > 6
    pts[far] = np.nan
    return pts


def contour_demo(n_steps: int = N_STEPS) -> Demo:
    r"""Sliders for μ, α (as :math:`\alpha\lambda_{\max}`) and κ, toggles for GD / momentum / Nesterov:
    the paths on the contours of the quadratic, and their cost against the step. The static version sweeps
    μ from 0 to 0.95 at κ = 30, then κ from 3 to 100 at μ = 0.8."""
    fig, (ax, ax_cost) = figure(1, 2, figsize=(7.2, 3.2), gridspec_kw={"width_ratios": [1.35, 1]})
    # no tick labels: the coordinates carry no meaning here, and text is most of a frame's drawing time
    ax.set(xlim=XLIM, ylim=YLIM, aspect="equal", xlabel=r"$\theta_1$", ylabel=r"$\theta_2$",
           xticks=[], yticks=[])
    # the artists that update() changes are animated=True: the live view redraws only them (blitting)
    contours = [ax.plot([], [], color="0.75", lw=0.8, animated=True)[0] for _ in LEVELS]
    ax.plot([0], [0], "*", color="k", ms=9)
    lines = {m: ax.plot([], [], "-", color=COLORS[m], lw=1.2, label=m, animated=True)[0] for m in METHODS}
    ax.legend(loc="lower right", fontsize=7, framealpha=0.8)
    title = ax.set_title("", fontsize=9, animated=True)
    ax_cost.set(yscale="log", xlim=(0, n_steps), ylim=(1e-8, 1e3), xlabel="step $t$",
                ylabel=r"$L(\theta_t) - L^*$")
    ax_cost.set_yticks([1e-8, 1e-4, 1e0])
    ax_cost.set_xticks([0, n_steps // 2, n_steps])
    ax_cost.yaxis.set_minor_locator(NullLocator())
    ax_cost.grid(alpha=0.3)
    costs = {m: ax_cost.plot([], [], color=COLORS[m], lw=1.4, animated=True)[0] for m in METHODS}
    note = ax_cost.set_title("", fontsize=9, animated=True)
    steps = np.arange(n_steps + 1)

    def update(mu, alpha_L, kappa, gd, momentum, nesterov, **_):
        q = quadratic(kappa)
        f0 = float(q.f(q.theta_star + THETA0))
        for line, level in zip(contours, LEVELS):
            line.set_data(*ellipse(q, level * f0))
        lr = alpha_L / kappa
        shown = {"GD": gd, "momentum": momentum, "Nesterov": nesterov}
        finals = []
        for m in METHODS:
            pts = _padded(run(q, m, lr, mu, n_steps).thetas if shown[m] else np.empty((0, 2)), n_steps)
            xy = _clip_for_plot(pts)
            lines[m].set_data(xy[:, 0], xy[:, 1])
            c = q.f(pts)
            costs[m].set_data(steps, np.where(c > 1e3, np.nan, c))
            if shown[m]:
                diverged = not np.isfinite(c[-1]) or c[-1] > f0
                finals.append(f"{m}: " + ("diverges" if diverged else f"{c[-1]:.1e}"))
        title.set_text(f"κ = {kappa:.0f}   α·λmax = {alpha_L:.2f}   μ = {mu:.2f}")
        note.set_text(f"after {n_steps} steps: " + ("\n".join(finals) if finals else "nothing shown"))

    controls = {
        "mu": slider(0.0, 0.95, 0.01, value=0.8, label="μ (momentum)"),
        "alpha_L": slider(0.05, 2.5, 0.05, value=1.0, label="α·λmax"),
        "kappa": slider(1.0, 100.0, 1.0, value=30.0, label="κ"),
        "gd": toggle(True, "GD"),
        "momentum": toggle(True, "momentum"),
        "nesterov": toggle(True, "Nesterov"),
    }
    frames = [{"mu": float(m), "kappa": 30.0} for m in np.round(np.linspace(0.0, 0.95, 16), 2)]
    frames += [{"mu": 0.8, "kappa": float(k)} for k in (3, 6, 10, 20, 45, 60, 80, 100)]
    demo = Demo(fig, update, controls, frames=frames, fps=3)
    demo.artists = {"paths": lines, "costs": costs, "contours": contours, "title": title, "note": note}
    return demo


# --------------------------------------------------------------------------- demo 2: the race

RACE_KAPPA = 100.0
RACE_STEPS = 120


def race_demo(kappa: float = RACE_KAPPA, n_steps: int = RACE_STEPS, every: int = 5) -> Demo:
    """GD, heavy ball and Nesterov side by side, each with its tuned rates, stepped through the
    iterations with a play button. The static version shows every ``every``-th step."""
    q = quadratic(kappa)
    f0 = float(q.f(q.theta_star + THETA0))
    fig, axes = figure(1, 3, figsize=(7.5, 2.4), sharey=True)
    trails, heads, labels = {}, {}, {}
    paths = {}
    for ax, m in zip(axes, METHODS):
        lr, mu = tuned(m, kappa)
        paths[m] = run(q, m, lr, mu, n_steps).thetas
        for level in LEVELS:
            ax.plot(*ellipse(q, level * f0), color="0.8", lw=0.7)
        ax.plot([0], [0], "*", color="k", ms=8)
        ax.set(xlim=XLIM, ylim=YLIM, aspect="equal", xticks=[], yticks=[])
        ax.set_title(f"{m}, κ = {kappa:.0f}\nα = {lr:.4f}, μ = {mu:.3f}", fontsize=8)
        trails[m] = ax.plot([], [], "-", color=COLORS[m], lw=1.0, animated=True)[0]
        heads[m] = ax.plot([], [], "o", color=COLORS[m], ms=5, animated=True)[0]
        labels[m] = ax.text(0.03, 0.04, "", transform=ax.transAxes, fontsize=8, animated=True)

    def update(step, **_):
        for m in METHODS:
            p = paths[m][: step + 1]
            trails[m].set_data(p[:, 0], p[:, 1])
            heads[m].set_data(p[-1:, 0], p[-1:, 1])
            err = np.linalg.norm(p[-1] - q.theta_star) / np.linalg.norm(THETA0)
            # axes-level texts only: savefig (the static frames) skips animated figure-level artists
            labels[m].set_text(f"t = {step}:  ‖θₜ−θ*‖/‖θ₀−θ*‖ = {err:.1e}")

    frames = {"step": list(range(0, n_steps + 1, every))}
    demo = Demo(fig, update, {"step": play(n_steps + 1, label="step t", interval=100)}, frames=frames, fps=6)
    demo.artists = {"trails": trails, "heads": heads, "labels": labels}
    demo.paths = paths
    return demo
