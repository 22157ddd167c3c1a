"""The chapter 9 demo and helpers, driven headlessly (matplotlib Agg)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import solutions  # noqa: E402
from demos import second_order as D  # noqa: E402
from pixels import live_vs_full  # noqa: E402


def test_newton_path_solves_a_quadratic_in_one_step():
    q = solutions.Quadratic(1e4, angle=0.3)
    run = D.newton_path(q, [1.0, 1.0], max_iter=10, gtol=1e-8)
    assert run.converged and run.iterations == 1
    np.testing.assert_allclose(run.thetas[-1], q.theta_star, atol=1e-10)


def test_newton_path_walks_into_the_saddle():
    s = solutions.Saddle()
    run = D.newton_path(s, [0.5, 0.3], max_iter=30, gtol=1e-12)
    assert run.converged
    np.testing.assert_allclose(run.thetas[-1], s.saddle, atol=1e-8)


def test_newton_path_stops_on_a_singular_hessian():
    s = solutions.Saddle()
    theta = [0.3, 1 / np.sqrt(3)]  # 3 θ₂² − 1 = 0: the Hessian is singular
    run = D.newton_path(s, theta, max_iter=5)
    assert not run.converged and run.iterations == 0


def test_first_order_path_matches_the_reference_driver():
    r = solutions.Rosenbrock()
    mine = D.first_order_path(r, "momentum", 1e-3, [-1.2, 1.0], 40, gtol=1e-12)
    ref = solutions.run(solutions.momentum_step, [-1.2, 1.0], r.grad, 40, init=solutions.momentum_init,
                        lr=1e-3, momentum=0.9)
    np.testing.assert_allclose(mine.thetas, ref.thetas)


def test_lbfgs_path_is_solutions_lbfgs():
    r = solutions.Rosenbrock()
    run = D.lbfgs_path(r, [-1.2, 1.0])
    ref = solutions.lbfgs(r.f, r.grad, [-1.2, 1.0])
    assert run.converged and run.iterations == ref.iterations and run.evaluations == ref.evaluations


def test_time_solve_measures_each_size():
    times = D.time_solve([50, 100], repeats=1)
    assert times.shape == (2,) and np.all(times > 0)


def _demo():
    problems = {
        "Rosenbrock": (solutions.Rosenbrock(), {"a": [-1.2, 1.0], "b": [0.0, -0.5]}, ((-2, 2), (-1.5, 3.5))),
        "two wells": (solutions.TwoWells(), {"a": [2.0, 2.0], "b": [0.5, 0.5]}, ((-2.5, 2.5), (-2.5, 2.5))),
    }
    return D.stepper_demo(problems, n_steps=12)


def test_demo_controls_change_the_artists():
    demo = _demo()
    ax = demo.fig.axes[0]
    newton = next(line for line in ax.lines if line.get_label() == "Newton")
    assert len(newton.get_xydata()) == 1  # step 0: the start only
    demo.set(step=3)
    at3 = np.array(newton.get_xydata()).copy()
    assert len(at3) == 4
    demo.set(start="b")
    assert not np.allclose(np.array(newton.get_xydata())[0], at3[0])
    demo.set(problem="two wells")
    np.testing.assert_allclose(np.array(newton.get_xydata())[0], [0.5, 0.5])


def test_demo_static_version_steps_through_the_iterations():
    demo = _demo()  # 12 steps: every one is shown
    assert [f["step"] for f in demo.frames()] == list(range(13))
    problems = {"Rosenbrock": (solutions.Rosenbrock(), {"a": [-1.2, 1.0]}, ((-2, 2), (-1.5, 3.5)))}
    longer = D.stepper_demo(problems, n_steps=39)  # every step up to 12, then every other one, and the last
    steps = [f["step"] for f in longer.frames()]
    assert steps[:13] == list(range(13)) and steps[-1] == 39 and 20 <= len(steps) <= 40
    assert "gdh-demo-static" in demo.to_html()



def test_live_redraw_matches_a_full_draw_after_each_kind_of_change():
    demo = _demo()
    for change in ({"step": 5}, {"start": "b"}, {"problem": "two wells"}, {"step": 0}):
        demo.set(**change)
        assert live_vs_full(demo, 2) == 0, change
