r"""Demo of chapter 3 (divide and conquer): step through the levels of the lecture's coarse-to-fine search.

Each level divides its box into :math:`p \times p` parts, evaluates the cost at their centres
(``solutions.coarse_to_fine_path``), keeps the best, and shrinks the box to the part around it. A play
control steps through the levels in two phases each: (a) the level's points are evaluated, (b) the best
one is kept and the next, smaller box is drawn. A drop-down switches between a convex quadratic, where
the search homes in on the minimum, and ``solutions.TwoWells``, where the first level picks the wide,
shallow well and every later level refines the wrong minimum.

Left: the whole box with the contours and every level's box so far; right: a zoom on the current box
(an image of the cost, redrawn with ``set_data``/``set_extent``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

import solutions
from demos import Demo, choice, figure, play

BOUNDS = [(-3.0, 3.0), (-3.0, 3.0)]
POINTS_PER_DIM = 4
LEVELS = 4
PROBLEMS = ("convex quadratic", "two wells")


def problem(name: str) -> solutions.Problem:
    """The demo's two costs on the box [-3, 3]²."""
    if name == "convex quadratic":
        return solutions.Quadratic(kappa=4.0, theta_star=np.array([0.8, -1.1]), angle=0.5)
    if name == "two wells":
        return solutions.TwoWells()
    raise ValueError(f"unknown problem {name!r}; choose one of {PROBLEMS}")


def centres(box: np.ndarray, p: int = POINTS_PER_DIM) -> np.ndarray:
    """The p × p part centres of a box: the points a level evaluates (for drawing them)."""
    width = (box[:, 1] - box[:, 0]) / p
    axes = [lo + (np.arange(p) + 0.5) * w for (lo, _), w in zip(box, width)]
    return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(box))


def build(name0: str = "two wells", frames=None) -> Demo:
    """The demo: controls ``step`` (0 … 2·LEVELS − 1, two phases per level) and ``problem``."""
    paths = {name: solutions.coarse_to_fine_path(problem(name).f, BOUNDS, POINTS_PER_DIM, LEVELS)
             for name in PROBLEMS}
    (lo0, hi0), _ = BOUNDS
    g = np.linspace(lo0, hi0, 121)
    G = np.stack(np.meshgrid(g, g), axis=-1)
    surfaces = {name: problem(name).f(G) for name in PROBLEMS}

    fig, (ax, zoom) = figure(1, 2, figsize=(7.6, 4.0))
    # Everything update() changes is animated, so the live view blits it over a cached background;
    # only a change of cost (other contours) redraws the background (see update).
    contour_sets = {}
    for name, F in surfaces.items():
        contour_sets[name] = ax.contour(g, g, F, levels=14, colors="0.65", linewidths=0.7,
                                        linestyles="solid")
    anim = {"animated": True}
    (star,) = ax.plot([], [], "*", color="C2", ms=13, zorder=6, label="global minimum", **anim)
    boxes = [ax.add_patch(Rectangle((0, 0), 0, 0, fill=False, lw=1.6, zorder=4, **anim))
             for _ in range(LEVELS)]
    (next_box,) = ax.plot([], [], "--", color="C3", lw=1.4, zorder=5, **anim)
    pts = ax.scatter([], [], s=12, color="C0", zorder=5, label="evaluated centres", **anim)
    (best,) = ax.plot([], [], "o", ms=9, mfc="none", mec="C3", mew=2, zorder=7, label="best of the level",
                      **anim)
    ax.set(xlim=(lo0, hi0), ylim=(lo0, hi0), xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", aspect="equal")
    fig.legend(handles=[star, pts, best], loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    title = ax.set_title(" ", fontsize=9, **anim)

    # right: a zoom on the current box, drawn in coordinates relative to the box (0 … 1 on each side),
    # so that its axes never change; the title gives the box's size
    img = zoom.imshow(np.zeros((2, 2)), origin="lower", cmap="viridis", extent=(0, 1, 0, 1),
                      interpolation="bilinear", **anim)
    zpts = zoom.scatter([], [], s=16, color="white", edgecolors="k", linewidths=0.5, zorder=3, **anim)
    (zbest,) = zoom.plot([], [], "o", ms=10, mfc="none", mec="C3", mew=2, zorder=4, **anim)
    (zstar,) = zoom.plot([], [], "*", color="C2", ms=13, zorder=5, **anim)
    (znext,) = zoom.plot([], [], "--", color="C3", lw=1.4, zorder=4, **anim)
    zoom.set(xlim=(0, 1), ylim=(0, 1), xticks=[], yticks=[], aspect="equal",
             xlabel="zoom on the current box")
    ztitle = zoom.set_title(" ", fontsize=9, **anim)
    colours = ["C0", "C1", "C4", "C5"]
    shown = {"problem": None}
    holder = {}

    def update(step, problem_name):
        prob = problem(problem_name)
        path = paths[problem_name]
        level, phase = divmod(int(step), 2)
        if problem_name != shown["problem"]:
            for name, cs in contour_sets.items():
                cs.set_visible(name == problem_name)
            shown["problem"] = problem_name
            if "demo" in holder:
                holder["demo"].invalidate()  # the contours are part of the cached background
        star.set_data([prob.theta_star[0]], [prob.theta_star[1]])
        for k, rect in enumerate(boxes):
            if k <= level:
                (x0, x1), (y0, y1) = path[k][0]
                rect.set_bounds(x0, y0, x1 - x0, y1 - y0)
                rect.set_edgecolor(colours[k % len(colours)])
                rect.set_alpha(1.0 if k == level else 0.5)
                rect.set_visible(True)
            else:
                rect.set_visible(False)
        box, result = path[level]
        points = centres(box)
        pts.set_offsets(points)
        lo, width = box[:, 0], box[:, 1] - box[:, 0]

        def rel(p):  # box coordinates (0 … 1) of points p
            return (np.asarray(p, dtype=float) - lo) / width

        zpts.set_offsets(rel(points))
        evaluations = (level + 1) * len(points)
        if phase == 1:
            best.set_data([result.theta[0]], [result.theta[1]])
            zb = rel(result.theta)
            zbest.set_data([zb[0]], [zb[1]])
            half = width / (2 * POINTS_PER_DIM)
            (a0, a1), (b0, b1) = np.stack([result.theta - half, result.theta + half], axis=1)
            next_box.set_data([a0, a1, a1, a0, a0], [b0, b0, b1, b1, b0])
            corners = rel(np.array([[a0, b0], [a1, b0], [a1, b1], [a0, b1], [a0, b0]]))
            znext.set_data(corners[:, 0], corners[:, 1])
            what = f"best cost {result.value:.3f}; next box"
        else:
            for artist in (best, zbest, next_box, znext):
                artist.set_data([], [])
            what = f"evaluate {len(points)} centres"
        title.set_text(f"{problem_name}, level {level + 1}: {what}\n"
                       f"{evaluations} evaluations so far; global minimum {prob.f_star:.3f}")

        (x0, x1), (y0, y1) = box
        zx, zy = np.linspace(x0, x1, 60), np.linspace(y0, y1, 60)
        Z = prob.f(np.stack(np.meshgrid(zx, zy), axis=-1))
        img.set_data(Z)
        img.set_clim(Z.min(), Z.max())
        inside = bool(np.all((prob.theta_star >= box[:, 0]) & (prob.theta_star <= box[:, 1])))
        zs = rel(prob.theta_star)
        zstar.set_data(*([[zs[0]], [zs[1]]] if inside else [[], []]))
        ztitle.set_text(f"[{x0:.4g}, {x1:.4g}] × [{y0:.4g}, {y1:.4g}]"
                        + ("" if inside else "\nglobal minimum outside the box"))

    default_frames = [{"step": s, "problem_name": name} for name in PROBLEMS for s in range(2 * LEVELS)]
    demo = Demo(fig, update,
                {"step": play(2 * LEVELS, label="level step", interval=900),
                 "problem_name": choice(list(PROBLEMS), value=name0, label="cost")},
                frames=default_frames if frames is None else frames, fps=1)
    holder["demo"] = demo
    demo.artists = {"boxes": boxes, "points": pts, "best": best, "next_box": next_box, "image": img,
                    "title": title, "contours": contour_sets}
    demo.paths = paths
    return demo
