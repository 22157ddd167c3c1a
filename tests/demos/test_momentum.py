"""Chapter 7's helpers and demos, driven headlessly: the lectures' momentum forms against solutions, the
tuned rates, and the two demos' callbacks and static frames."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import solutions  # noqa: E402
from demos import momentum as M  # noqa: E402
from pixels import live_vs_full  # noqa: E402


def test_lecture004_form_gives_the_same_points_and_minus_alpha_times_our_velocity():
    q = M.quadratic(30)
    theta0 = q.theta_star + M.THETA0
    lr, mu, n = 0.02, 0.9, 50
    thetas, us, grads = M.lecture004_momentum(q.grad, theta0, lr, mu, n)
    traj = solutions.run(solutions.momentum_step, theta0, q.grad, n, init=solutions.momentum_init,
                         lr=lr, momentum=mu)
    np.testing.assert_allclose(thetas, traj.thetas, atol=1e-12)
    # our velocity from the iterates: theta_{t+1} = theta_t - lr * v_{t+1}
    v = -(traj.thetas[1:] - traj.thetas[:-1]) / lr
    np.testing.assert_allclose(us[1:], -lr * v, atol=1e-12)
    # the slide's written-out weighted sum
    np.testing.assert_allclose(us[2], -mu * lr * grads[0] - lr * grads[1], atol=1e-12)


def test_lecture004_form_differs_once_the_learning_rate_changes():
    q = M.quadratic(30)
    theta0 = q.theta_star + M.THETA0
    sched = solutions.step_decay(0.02, step_size=20, gamma=0.5)
    ours = solutions.run(solutions.momentum_step, theta0, q.grad, 60, init=solutions.momentum_init,
                         lr=sched, momentum=0.9).thetas
    lecture = M.lecture004_momentum(q.grad, theta0, sched, 0.9, 60)[0]
    np.testing.assert_allclose(ours[:21], lecture[:21], atol=1e-12)
    assert np.abs(ours - lecture).max() > 1e-3


def test_lecture003_lookahead_nesterov_is_pytorch_nesterov_after_the_change_of_variables():
    q = M.quadratic(30)
    theta0 = q.theta_star + M.THETA0
    lr, rho, n = 0.02, 0.9, 80
    xs, vs = M.lecture003_nesterov(q.grad, theta0, lr, rho, n)
    ours = M.run(q, "Nesterov", lr, rho, n).thetas
    np.testing.assert_allclose(xs + rho * vs, ours, atol=1e-12)
    assert np.abs(xs - ours).max() > 1e-2  # the plain points are not the stored ones


def test_tuned_rates():
    assert M.tuned("GD", 9.0) == pytest.approx((0.2, 0.0))
    assert M.tuned("momentum", 9.0) == pytest.approx((0.25, 0.25))
    assert M.tuned("Nesterov", 9.0) == pytest.approx((1 / 9, 0.5))
    with pytest.raises(ValueError):
        M.tuned("Adam", 9.0)


@pytest.mark.parametrize("kappa", [10.0, 100.0])
def test_spectral_radius_matches_the_classical_rates(kappa):
    s = np.sqrt(kappa)
    eig = [1.0, kappa]
    assert M.spectral_radius("GD", *M.tuned("GD", kappa), eig) == pytest.approx((kappa - 1) / (kappa + 1))
    hb = M.spectral_radius("momentum", *M.tuned("momentum", kappa), eig)
    nag = M.spectral_radius("Nesterov", *M.tuned("Nesterov", kappa), eig)
    assert hb == pytest.approx((s - 1) / (s + 1), rel=1e-6)
    assert nag == pytest.approx(1 - 1 / s, rel=1e-6)


def test_iterations_grow_like_kappa_for_gd_and_like_sqrt_kappa_with_momentum():
    kappas = [10, 100, 1000]
    n = {m: [M.run(M.quadratic(k), m, *M.tuned(m, k), tol=1e-6).steps for k in kappas] for m in M.METHODS}
    slope = {m: np.polyfit(np.log(kappas), np.log(n[m]), 1)[0] for m in M.METHODS}
    assert slope["GD"] == pytest.approx(1.0, abs=0.05)
    assert slope["momentum"] == pytest.approx(0.5, abs=0.08)
    assert slope["Nesterov"] == pytest.approx(0.5, abs=0.08)


def test_run_stops_when_it_diverges_and_when_it_reaches_the_tolerance():
    q = M.quadratic(30)
    p = M.run(q, "GD", 2.5 / 30, 0.0, 200)  # alpha * lambda_max = 2.5 > 2
    assert p.status == "diverged" and p.steps < 200
    ok = M.run(q, "momentum", *M.tuned("momentum", 30.0), tol=1e-6)
    errors = np.linalg.norm(ok.thetas - q.theta_star, axis=1)
    assert errors[-1] <= 1e-6 * errors[0] < errors[-2]
    with pytest.raises(RuntimeError, match="did not reach"):
        M.run(q, "GD", 0.01, 0.0, 10, tol=1e-6)


def test_contour_demo_draws_a_diverging_path_only_while_it_is_finite():
    demo = M.contour_demo(n_steps=60)
    demo.set(alpha_L=2.5, mu=0.0)  # GD past its stability limit 2 / λmax
    xy = np.array(demo.artists["paths"]["GD"].get_xydata(), dtype=float)
    assert len(xy) == 61 and np.isnan(xy[-1]).all() and np.isfinite(xy[0]).all()
    assert "GD: diverges" in demo.artists["note"].get_text()


def test_ellipse_is_a_level_set():
    q = M.quadratic(30)
    x, y = M.ellipse(q, 0.7)
    np.testing.assert_allclose(q.f(np.stack([x, y], axis=-1)), 0.7)


def test_contour_demo_sliders_redraw_the_artists():
    demo = M.contour_demo(n_steps=20)
    art = demo.artists
    before = np.array(art["paths"]["momentum"].get_xydata())
    contour_before = np.array(art["contours"][0].get_xydata())
    gd_before = np.array(art["paths"]["GD"].get_xydata())
    demo.controls["mu"].value = 0.5
    assert not np.allclose(art["paths"]["momentum"].get_xydata(), before, equal_nan=True)
    np.testing.assert_allclose(art["paths"]["GD"].get_xydata(), gd_before)  # GD has no momentum
    assert "μ = 0.50" in art["title"].get_text()
    demo.controls["kappa"].value = 80.0
    assert not np.allclose(art["contours"][0].get_xydata(), contour_before)
    demo.controls["gd"].value = False
    assert np.isnan(np.array(art["paths"]["GD"].get_xydata(), dtype=float)).all()
    assert "GD" not in art["note"].get_text()
    # with mu = 0 the three methods are the same path
    demo.set(mu=0.0, gd=True)
    xy = [np.array(art["paths"][m].get_xydata()) for m in M.METHODS]
    np.testing.assert_allclose(xy[0], xy[1])
    np.testing.assert_allclose(xy[0], xy[2])


def test_contour_demo_static_version_sweeps_mu_then_kappa():
    demo = M.contour_demo(n_steps=10)
    frames = demo.frames()
    assert len(frames) == 24
    assert [f["mu"] for f in frames[:16]] == sorted(f["mu"] for f in frames[:16])
    assert frames[0]["mu"] == 0.0 and frames[15]["mu"] == 0.95
    assert {f["mu"] for f in frames[16:]} == {0.8}
    assert [f["kappa"] for f in frames[16:]] == sorted(f["kappa"] for f in frames[16:])


def test_race_demo_play_moves_the_heads():
    demo = M.race_demo(n_steps=20, every=5)
    heads = demo.artists["heads"]
    demo.controls["step"].value = 20
    for m in M.METHODS:
        np.testing.assert_allclose(heads[m].get_xydata()[0], demo.paths[m][20])
    assert all(label.get_text().startswith("t = 20:") for label in demo.artists["labels"].values())
    assert len(demo.frames()) == 5
    assert demo.to_html().count("frames[") >= 5


@pytest.mark.parametrize("build", [lambda: M.contour_demo(n_steps=20),
                                   lambda: M.race_demo(n_steps=20, every=5)])
def test_live_blit_equals_a_full_draw_and_survives_the_static_render(build):
    demo = build()
    demo.to_html()  # the static render first, as the book's display does
    first = demo.specs and next(iter(demo.specs))
    demo.set(**{first: demo.specs[first].max})
    assert live_vs_full(demo, 8) < 0.002  # the same picture as a full draw, up to antialiasing
