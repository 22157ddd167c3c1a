"""The export's figures: per assignment, the score distribution and the share of points the class earned on
each test, in notebook order."""

from __future__ import annotations

import os

from autograder.cli import SOURCE, api


def pass_rates(course_dir: str, db_url: str | None = None) -> dict:
    """Per assignment: the total scores, the maximum, and per graded cell (in notebook order) the mean
    fraction of its points earned."""
    import nbformat
    from nbgrader import utils
    from nbgrader.api import Gradebook

    nbapi = api(course_dir, db_url)
    out = {}
    with Gradebook(nbapi.coursedir.db_url, nbapi.coursedir.course_id) as gb:
        for assignment in gb.assignments:
            scores, cells = [], {}
            for submission in assignment.submissions:
                scores.append(float(submission.score or 0))
                for notebook in submission.notebooks:
                    for g in notebook.grades:
                        if g.max_score:
                            cells.setdefault(g.name, []).append(float(g.score or 0) / float(g.max_score))
            order = []
            for notebook in assignment.notebooks:
                path = os.path.join(SOURCE, assignment.name, f"{notebook.name}.ipynb")
                if os.path.exists(path):
                    order += [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(path, as_version=4).cells
                              if utils.is_grade(c)]
            rates = {k: sum(v) / len(v) for k, v in cells.items()}
            out[assignment.name] = {
                "scores": scores, "max_score": float(assignment.max_score or 0),
                "pass_rates": {k: rates[k] for k in sorted(rates, key=lambda k: (k not in order,
                                                                               order.index(k) if k in order
                                                                               else 0, k))}}
    return out


def score_figure(name: str, data: dict):
    """The export figure of one assignment (``data`` as in :func:`pass_rates`): the score histogram (x from
    0 to the maximum, whole students on y) and each test's mean share of points, in notebook order from
    the top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    tests = list(data["pass_rates"])
    top = max([data["max_score"], 1] + data["scores"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, max(4, 0.45 * len(tests) + 1.5)), layout="constrained")
    left.hist(data["scores"], bins=max(1, int(round(top * 2))), range=(0, top), color="#4c72b0",
              edgecolor="white")
    left.set(title=f"{name}: scores ({len(data['scores'])} submissions)", xlabel="score (points)",
             ylabel="students", xlim=(0, top))
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.barh(range(len(tests)), [100 * data["pass_rates"][t] for t in tests], color="#55a868")
    right.set_yticks(range(len(tests)), tests)
    right.set_ylim(len(tests) - 0.5, -0.5)  # the notebook's first test on top
    right.set(title="per test: mean % of points earned", xlim=(0, 100), xlabel="% of the test's points")
    return fig


def plot_assignments(course_dir: str, out: str, db_url: str | None = None) -> list[str]:
    """One PNG per assignment with graded submissions (:func:`score_figure`)."""
    import matplotlib.pyplot as plt

    written = []
    for name, data in pass_rates(course_dir, db_url).items():
        if not data["scores"]:
            print(f"export {name}: no graded submissions, no plot")
            continue
        fig = score_figure(name, data)
        path = os.path.join(out, f"{name}.png")
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written
