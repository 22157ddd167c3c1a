"""The chapter 8 demo and race helpers, driven headlessly (matplotlib Agg)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import adaptive as A  # noqa: E402
from pixels import live_vs_full  # noqa: E402

RATES = [1e-3, 1e-2, 0.1]


@pytest.fixture(scope="module")
def small_race():
    problems = {"Rosenbrock": (solutions.Rosenbrock(), [-1.2, 1.0]),
                "quadratic": (solutions.Quadratic(10, angle=0.5), [1.0, 1.0])}
    return problems, A.race(problems, RATES, max_steps=300, tol=1e-6)


def test_run_records_the_gaps_and_stops_at_tolerance_and_on_divergence():
    q = solutions.Quadratic(10, theta_star=[1.0, -1.0])
    ok = A.run(q, "GD", 0.1, [1.0, 1.0], 1000, tol=1e-8)
    assert ok.status == "converged" and ok.costs[-1] <= 1e-8 and ok.costs[-2] > 1e-8
    np.testing.assert_allclose(ok.costs, q.f(ok.thetas) - q.f_star)
    bad = A.run(q, "GD", 0.5, [1.0, 1.0], 1000, tol=1e-8)  # 0.5 > 2 / 10: unstable
    assert bad.status == "diverged"


def test_run_is_the_registered_optimizer_at_its_defaults():
    r = solutions.Rosenbrock()
    mine = A.run(r, "Adam", 0.01, [-1.2, 1.0], 50)
    ref = solutions.run(solutions.adam_step, [-1.2, 1.0], r.grad, 50, init=solutions.adam_init, lr=0.01)
    np.testing.assert_array_equal(mine.thetas, ref.thetas)
    assert set(A.RACERS) <= set(solutions.OPTIMIZERS) and set(A.COLORS) == set(A.RACERS)


def test_best_and_demo_rates(small_race):
    problems, results = small_race
    best = A.best_rates(results)
    assert set(best) == {(p, n) for p in problems for n in A.RACERS}
    for (label, name), (lr, steps) in best.items():
        if lr is not None:
            assert results[(label, name, lr)].steps == steps
            assert all(results[(label, name, r)].steps is None or results[(label, name, r)].steps >= steps
                       for r in RATES)
    rates = A.demo_rates(results)
    assert all(lr in RATES for lr in rates.values())


def test_minibatch_race_is_seeded():
    reg = solutions.make_regression(n=64, d=3, noise=0.1, seed=1)
    a = A.minibatch_race(reg, [0.01, 10.0], epochs=2, batch_size=16)
    b = A.minibatch_race(reg, [0.01, 10.0], epochs=2, batch_size=16)
    assert a == b
    assert a[("GD", 10.0)] > 1e6  # far too large a rate: blows up (or is on its way)
    assert np.isfinite(a[("Adam", 0.01)])


def test_demo_controls_change_the_artists(small_race):
    problems, results = small_race
    lims = {"Rosenbrock": ((-1.6, 1.6), (-0.6, 1.8)), "quadratic": ((-1.5, 1.5), (-1.5, 1.5))}
    demo_problems = {k: (p, th, lims[k]) for k, (p, th) in problems.items()}
    demo = A.race_demo(demo_problems, A.demo_rates(results), cache=results, max_steps=300, n_frames=11)
    ax = demo.fig.axes[0]
    line = next(l for l in ax.lines if l.get_label().startswith("Adam"))
    before = np.array(line.get_xydata()).copy()
    demo.set(frame=3)
    after_frame = np.array(line.get_xydata()).copy()
    assert after_frame.shape != before.shape or not np.allclose(after_frame, before)
    demo.set(log_factor=-1.0)
    assert not np.array_equal(np.array(line.get_xydata()), after_frame)
    demo.set(optimizer="GD")
    assert len(line.get_xydata()) == 0  # Adam hidden
    demo.set(problem="quadratic", optimizer="all five")
    assert len(line.get_xydata()) > 0


def test_demo_static_version_has_the_expected_frames(small_race):
    problems, results = small_race
    demo_problems = {k: (p, th, ((-2, 2), (-2, 2))) for k, (p, th) in problems.items()}
    demo = A.race_demo(demo_problems, A.demo_rates(results), cache=results, max_steps=300, n_frames=11)
    assert len(demo.frames()) == 11
    html = demo.to_html()
    assert html.count("frames[") >= 11 or html.count("data:image/png") >= 11



def test_live_redraw_matches_a_full_draw_after_each_kind_of_change(small_race):
    problems, results = small_race
    demo_problems = {k: (p, th, ((-2, 2), (-2, 2))) for k, (p, th) in problems.items()}
    demo = A.race_demo(demo_problems, A.demo_rates(results), cache=results, max_steps=300, n_frames=11)
    for change in ({"frame": 4}, {"log_factor": 0.5}, {"optimizer": "Adam"}, {"problem": "quadratic"},
                   {"frame": 9}):
        demo.set(**change)
        assert live_vs_full(demo, 2) == 0, change
